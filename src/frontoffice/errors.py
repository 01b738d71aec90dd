"""Typed errors. Every message says what went wrong and what to do next."""

from __future__ import annotations


class FrontofficeError(Exception):
    """Base of every error frontoffice raises on purpose."""

    code = "error"


class ConfigError(FrontofficeError):
    code = "config_error"


class NotFound(FrontofficeError):
    code = "not_found"


class AlreadyExists(FrontofficeError):
    code = "already_exists"


class InvalidInput(FrontofficeError):
    code = "invalid_input"


class SchemaOutOfDate(FrontofficeError):
    code = "schema_out_of_date"


class Overloaded(FrontofficeError):
    """The write path is saturated; the caller should retry after a short wait."""

    code = "overloaded"

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
