"""Masked and hashed identifiers: what the audit log, the API and the CLI may show. Pure."""

from __future__ import annotations

import hashlib
import hmac


def mask(kind: str, value: str) -> str:
    """``a***@e***.com`` for an email, ``+49******67`` for a phone, ``ab***`` otherwise."""
    if kind == "email" and "@" in value:
        local, _, domain = value.partition("@")
        host, dot, tld = domain.rpartition(".")
        masked_domain = f"{host[:1]}***{dot}{tld}" if dot else f"{domain[:1]}***"
        return f"{local[:1]}***@{masked_domain}"
    if kind == "phone":
        digits = value.lstrip("+")
        keep = 2 if len(digits) > 6 else 0
        head = ("+" if value.startswith("+") else "") + digits[:keep]
        return head + "*" * max(len(digits) - 2 * keep, 3) + (digits[-keep:] if keep else "")
    return value[:2] + "***"


def keyed_hash(kind: str, value: str, salt: bytes) -> str:
    """HMAC-SHA256 of ``kind:value`` keyed by the workspace salt: comparable, not reversible by
    guessing phone numbers without the salt."""
    return hmac.new(salt, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
