"""Mailbox provider rules as data: which spellings of an address reach the same mailbox.

Gmail ignores dots in the local part and everything after ``+``; Outlook, iCloud, Proton,
Yandex and others drop a ``+tag``; some providers share one mailbox across several domains
(``googlemail.com`` → ``gmail.com``). Unknown domains keep the local part as written (lower-cased).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProviderRule:
    """How one provider's addresses are folded to their mailbox."""

    domains: tuple[str, ...]
    canonical_domain: str | None = None
    """All ``domains`` reach the same mailbox under this domain; ``None`` keeps each domain."""
    tag_separator: str | None = "+"
    """Everything from this character on in the local part is a tag (``anna+shop`` → ``anna``)."""
    ignored: str = ""
    """Characters the provider ignores in the local part (Gmail: ``.``)."""
    equivalent: tuple[tuple[str, str], ...] = ()
    """``(from, to)`` pairs the provider treats as the same character (Yandex: ``-`` = ``.``)."""


@dataclass(frozen=True, slots=True)
class EmailRules:
    """The provider table, looked up by lower-case domain."""

    providers: tuple[ProviderRule, ...]

    def for_domain(self, domain: str) -> ProviderRule | None:
        for rule in self.providers:
            if domain in rule.domains:
                return rule
        return None


_OUTLOOK = (
    "outlook.com", "hotmail.com", "live.com", "msn.com", "outlook.de", "hotmail.de", "live.de",
    "outlook.jp", "hotmail.co.jp", "live.jp", "hotmail.co.uk", "outlook.kr", "live.cn", "live.ru",
)

DEFAULT_EMAIL_RULES = EmailRules(
    providers=(
        ProviderRule(("gmail.com", "googlemail.com"), canonical_domain="gmail.com", ignored="."),
        ProviderRule(_OUTLOOK),
        ProviderRule(("icloud.com", "me.com", "mac.com"), canonical_domain="icloud.com"),
        ProviderRule(("proton.me", "protonmail.com", "protonmail.ch", "pm.me"), canonical_domain="proton.me"),
        ProviderRule(
            ("yandex.ru", "yandex.com", "ya.ru", "yandex.by", "yandex.kz", "yandex.ua"),
            canonical_domain="yandex.ru",
            equivalent=(("-", "."),),
        ),
        ProviderRule(("fastmail.com", "fastmail.fm")),
        ProviderRule(("posteo.de", "posteo.net")),
        ProviderRule(("mailbox.org",)),
        ProviderRule(("zoho.com", "zohomail.com")),
    )
)


def mailbox(local: str, domain: str, rules: EmailRules = DEFAULT_EMAIL_RULES) -> tuple[str, str]:
    """The ``(local, domain)`` of the mailbox an address reaches; both must already be lower-case."""
    rule = rules.for_domain(domain)
    if rule is None:
        return local, domain
    if rule.tag_separator:
        local = local.split(rule.tag_separator, 1)[0]
    for old, new in rule.equivalent:
        local = local.replace(old, new)
    for char in rule.ignored:
        local = local.replace(char, "")
    return local, rule.canonical_domain or domain
