"""Placeholder and test values as data: they look like identifiers but identify nobody.

``DEFAULT_GENERIC_RULES`` is the rule set used when a caller passes none; a deployment that
wants a different list builds its own :class:`GenericRules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ASCENDING = "01234567890123456789"
_DESCENDING = "98765432109876543210"


@dataclass(frozen=True, slots=True)
class GenericRules:
    """What counts as a placeholder. All strings are lower-case."""

    values: frozenset[str]
    """Whole values that mean "no value" for any identifier (``n/a``, ``unknown``, ``null``)."""
    email_local_parts: frozenset[str]
    """Local parts that identify nobody (``test``, ``noreply``), whatever the domain."""
    email_domains: frozenset[str]
    """Domains (and all their subdomains) used for documentation or tests."""
    email_tlds: frozenset[str]
    """Reserved top-level domains (RFC 2606/6761): ``example``, ``test``, ``invalid``, ``localhost``."""
    phone_max_distinct_digits: int
    """A national number made of this many different digits or fewer is a placeholder (0000000)."""
    phone_min_sequence: int
    """A national number that is a run of consecutive digits at least this long is one (1234567)."""
    phone_patterns: tuple[tuple[str, str], ...]
    """``(region, regex)`` on the national significant number: fictional ranges such as US 555-01XX."""
    min_repeated_run: int
    """A value made of one character repeated this many times or more is a placeholder (``xxxx``)."""


DEFAULT_GENERIC_RULES = GenericRules(
    values=frozenset(
        {
            "unknown", "n/a", "na", "n.a.", "none", "null", "nil", "undefined", "test", "-", "?", "0",
            "-1", "tbd", "not provided", "not available", "no email", "noemail", "no phone", "anonymous",
            "dummy", "fake", "sample", "example", "default", "nobody", "guest", "xxx", "asdf", "qwerty",
            "unbekannt", "keine", "нет", "неизвестно", "不明", "なし", "없음", "无", "未知",
        }
    ),
    email_local_parts=frozenset(
        {
            "test", "tester", "testing", "noreply", "no-reply", "no_reply", "no.reply", "donotreply",
            "do-not-reply", "do_not_reply", "dontreply", "none", "null", "nobody", "unknown", "na", "n/a",
            "dummy", "fake", "example", "sample", "asdf", "qwerty", "noemail", "no-email", "nomail",
            "anonymous", "invalid", "foo", "foobar",
        }
    ),
    email_domains=frozenset(
        {
            "example.com", "example.org", "example.net", "example.de", "example.jp", "example.co.jp",
            "example.ru", "example.cn", "example.kr", "example.co.kr", "test.com", "test.de", "test.ru",
            "test.org", "email.test", "noemail.com", "nomail.com", "no-email.com", "none.com",
            "null.com", "invalid.com", "fake.com", "domain.com", "mailinator.invalid",
        }
    ),
    email_tlds=frozenset({"example", "test", "invalid", "localhost", "local"}),
    phone_max_distinct_digits=2,
    phone_min_sequence=6,
    phone_patterns=(("US", r"\d{3}55501\d{2}"), ("CA", r"\d{3}55501\d{2}")),
    min_repeated_run=3,
)


def is_generic_value(value: str, rules: GenericRules = DEFAULT_GENERIC_RULES) -> bool:
    """True for a whole value that means "none" (``N/A``, ``unknown``) or one character repeated."""
    folded = " ".join(value.casefold().split())
    if folded in rules.values:
        return True
    return len(folded) >= rules.min_repeated_run and len(set(folded)) == 1


def is_generic_email(local: str, domain: str, rules: GenericRules = DEFAULT_GENERIC_RULES) -> bool:
    """True for a placeholder address such as ``test@test.com``, ``noreply@shop.de``, ``x@example.org``."""
    local, domain = local.casefold(), domain.casefold().rstrip(".")
    if local in rules.email_local_parts or is_generic_value(local, rules):
        return True
    labels = domain.split(".")
    if labels[-1] in rules.email_tlds:
        return True
    return any(".".join(labels[i:]) in rules.email_domains for i in range(len(labels)))


def is_generic_phone(
    national_number: str, region: str | None, rules: GenericRules = DEFAULT_GENERIC_RULES
) -> bool:
    """True for 0000000, 1234567, 5555555555 style numbers and fictional ranges of ``region``."""
    digits = re.sub(r"\D", "", national_number)
    if not digits:
        return False
    if len(set(digits)) <= rules.phone_max_distinct_digits:
        return True
    if len(digits) >= rules.phone_min_sequence and (digits in _ASCENDING or digits in _DESCENDING):
        return True
    return any(region == where and re.fullmatch(pattern, digits) for where, pattern in rules.phone_patterns)
