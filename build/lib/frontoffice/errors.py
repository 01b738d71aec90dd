"""Typed errors. Every message says what went wrong and what to do next.

Each class carries the HTTP status the API answers it with (``status``); the API's one exception
handler turns any of them into ``{"code": …, "message": …}`` with that status.
"""

from __future__ import annotations


class FrontofficeError(Exception):
    """Base of every error frontoffice raises on purpose."""

    code = "error"
    status = 400


class ConfigError(FrontofficeError):
    code = "config_error"
    status = 500


class NotFound(FrontofficeError):
    code = "not_found"
    status = 404


class AlreadyExists(FrontofficeError):
    code = "already_exists"
    status = 409


class InvalidInput(FrontofficeError):
    code = "invalid_input"
    status = 400


class SchemaOutOfDate(FrontofficeError):
    code = "schema_out_of_date"
    status = 503


class Overloaded(FrontofficeError):
    """The write path is saturated; the caller should retry after a short wait."""

    code = "overloaded"
    status = 429

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds

