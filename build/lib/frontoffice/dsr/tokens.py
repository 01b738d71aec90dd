"""The verification token: random, single use, stored only as a hash, limited in time and tries. Pure."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from frontoffice.dsr.model import VerificationFailed

TOKEN_LENGTH = 10  # 30**10 ≈ 2**49 values; with a handful of attempts, guessing is hopeless
_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: fewer typing mistakes


def new_token() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(TOKEN_LENGTH))


def normalise(token: str) -> str:
    return "".join(ch for ch in token.upper() if ch.isalnum())


def token_hash(request_id: str, token: str) -> str:
    """Bound to the request, so a token of one request never verifies another."""
    return hashlib.sha256(f"{request_id}:{normalise(token)}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredToken:
    token_hash: str
    expires_at: datetime
    attempts: int
    used_at: datetime | None


def check(stored: StoredToken | None, request_id: str, given: str, now: datetime,
          max_attempts: int) -> None:
    """Raises :class:`VerificationFailed` with the reason; returns when the token is good.
    The attempt limit is checked before the value, so a locked token stays locked."""
    if stored is None:
        raise VerificationFailed("No token was sent for this request; open a new request.")
    if stored.used_at is not None:
        raise VerificationFailed("This token was already used; a token works once.")
    if stored.attempts >= max_attempts:
        raise VerificationFailed(f"Too many wrong tokens ({stored.attempts}); the request is locked. "
                                 "Open a new request.")
    if now > stored.expires_at:
        raise VerificationFailed(f"The token expired at {stored.expires_at.isoformat()}; open a new request.")
    if not hmac.compare_digest(stored.token_hash, token_hash(request_id, given)):
        left = max_attempts - stored.attempts - 1
        raise VerificationFailed(f"Wrong token; {left} attempt(s) left.")
