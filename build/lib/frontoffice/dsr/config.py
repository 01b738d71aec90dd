"""DSR settings as the use cases need them (built from :class:`frontoffice.settings.Settings`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from frontoffice.settings import Settings


@dataclass(frozen=True, slots=True)
class DsrConfig:
    token_ttl: timedelta = timedelta(minutes=60)
    max_attempts: int = 5
    verification_channels: frozenset[str] = frozenset(
        {"app", "web", "pos", "call_centre", "email", "commerce", "import"})

    @classmethod
    def of(cls, settings: Settings) -> DsrConfig:
        channels = frozenset(c.strip() for c in settings.dsr_verification_channels.split(",") if c.strip())
        return cls(timedelta(minutes=settings.dsr_token_minutes), settings.dsr_token_attempts, channels)
