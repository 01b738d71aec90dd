"""Typed consent errors; each says what was wrong and where."""

from __future__ import annotations

from frontoffice.errors import ConfigError, InvalidInput


class ConsentDataError(ConfigError):
    """A packaged purpose or region-pack data file is missing a field or has a bad value."""

    code = "consent_data_error"


class ConsentStringError(InvalidInput):
    """A TCF or GPP string was rejected. `reason` is stable text; `bit` is where decoding stopped."""

    code = "consent_string_rejected"

    def __init__(self, reason: str, bit: int | None = None) -> None:
        where = f" (at bit {bit})" if bit is not None else ""
        super().__init__(f"consent string rejected: {reason}{where}")
        self.reason = reason
        self.bit = bit
