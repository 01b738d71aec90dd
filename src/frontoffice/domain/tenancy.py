"""Workspaces, sources and API tokens: who may write and read what.

A workspace (a brand or a region) is the unit of isolation and residency: every row of
every table belongs to exactly one, and no query crosses two. A source is one inbound
channel with its write key; an API token grants scopes on one workspace, or on the
instance when it has no workspace.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from frontoffice.errors import InvalidInput


class Channel(StrEnum):
    WEB = "web"
    APP = "app"
    POS = "pos"
    EMAIL = "email"
    CALL_CENTRE = "call_centre"
    MARKETPLACE = "marketplace"
    SOCIAL = "social"
    CHAT = "chat"
    COMMERCE = "commerce"
    IMPORT = "import"


class Trust(StrEnum):
    """Who can send on a source's write key.

    A client-side key ships to browsers and devices (a web tag, an app, a chat widget, a social
    pixel): anyone can read it and send anything, so its events claim, they never prove. A
    server-side key stays on the brand's servers (store tills, commerce webhooks, imports, the
    call centre's system): what it sends is the brand's own word.
    """

    CLIENT = "client"
    SERVER = "server"


# Channels whose write key is public by nature; every other channel is server-side by default.
CLIENT_SIDE_CHANNELS = frozenset({Channel.WEB, Channel.APP, Channel.SOCIAL, Channel.CHAT})


def default_trust(channel: Channel) -> Trust:
    return Trust.CLIENT if channel in CLIENT_SIDE_CHANNELS else Trust.SERVER


class Status(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


class Scope(StrEnum):
    """What an API token may do. Instance-level scopes only make sense without a workspace."""

    WORKSPACES_ADMIN = "workspaces:admin"  # instance: create/list/disable workspaces
    SOURCES_ADMIN = "sources:admin"
    TOKENS_ADMIN = "tokens:admin"
    EVENTS_READ = "events:read"
    EVENTS_WRITE = "events:write"
    IDENTITY_ADMIN = "identity:admin"  # merge and split people
    CONSENT_WRITE = "consent:write"  # record consent captured elsewhere (banners, call centre)
    PRIVACY_ADMIN = "privacy:admin"  # erase a person (crypto-shredding), read the erasure log
    DSR_ADMIN = "dsr:admin"  # open, verify, execute data-subject requests; read their audit trail
    DESTINATIONS_ADMIN = "destinations:admin"  # create, list and disable webhook destinations
    OUTBOUND_WRITE = "outbound:write"  # ask for decisions and queue messages (consent-gated)
    INSIGHTS_READ = "insights:read"  # the console's insights pages: dashboards, flags, evidence


WORKSPACE_SCOPES = frozenset(Scope) - {Scope.WORKSPACES_ADMIN}
READ_SCOPES = frozenset(s for s in Scope if s.value.endswith(":read"))

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
WRITE_KEY_PREFIX = "fo_wk_"
# A chosen write key travels in Basic auth (``key:``), URLs and JSON: URL-unreserved ASCII only.
WRITE_KEY_FORMAT = "16-128 ASCII letters, digits, '-', '_', '.' or '~'"
_WRITE_KEY_CHAR = re.compile(r"[A-Za-z0-9._~-]")
WRITE_KEY_LENGTHS = (16, 128)
TOKEN_PREFIX = "fo_at_"


@dataclass(frozen=True, slots=True)
class Workspace:
    id: str
    name: str
    region: str
    status: Status
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    workspace_id: str
    name: str
    channel: Channel
    key_hint: str
    status: Status
    created_at: datetime
    trust: Trust

    @property
    def server_side(self) -> bool:
        return self.trust is Trust.SERVER


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: str
    workspace_id: str | None
    name: str
    scopes: frozenset[Scope]
    key_hint: str
    status: Status
    created_at: datetime

    def allows(self, scope: Scope, workspace_id: str | None) -> bool:
        if self.status is not Status.ACTIVE or scope not in self.scopes:
            return False
        return self.workspace_id is None or self.workspace_id == workspace_id


def ungrantable(granter: ApiToken, requested: frozenset[Scope]) -> frozenset[Scope]:
    """The requested scopes ``granter`` may not hand on: a token only grants scopes it holds (so a
    workspace token never grants the instance scope ``workspaces:admin``)."""
    return requested - granter.scopes


def check_write_key(key: str) -> str:
    """A write key chosen by a client (kept from Segment or RudderStack) in the documented format."""
    shortest, longest = WRITE_KEY_LENGTHS
    if not shortest <= len(key) <= longest:
        raise InvalidInput(f"A write key must be {WRITE_KEY_FORMAT}; this one has {len(key)} "
                           "characters. Omit write_key to get a generated one.")
    for position, char in enumerate(key, start=1):
        if not _WRITE_KEY_CHAR.fullmatch(char):
            raise InvalidInput(f"A write key must be {WRITE_KEY_FORMAT}; character {position} is "
                               f"{_describe(char)}. Omit write_key to get a generated one.")
    return key


def _describe(char: str) -> str:
    if char == ":":
        return "':', which ends the key in Basic auth (key:password)"
    if char.isspace():
        return f"whitespace (U+{ord(char):04X})"
    if unicodedata.category(char).startswith("C"):
        return f"a control character (U+{ord(char):04X})"
    return f"{char!r} (U+{ord(char):04X})"


def check_name(kind: str, name: str) -> str:
    if not _NAME.match(name):
        raise InvalidInput(
            f"{kind} name {name!r} is not valid: use 1-63 lowercase letters, digits, '-' or '_', "
            "starting with a letter or digit."
        )
    return name


def parse_channel(value: str) -> Channel:
    try:
        return Channel(value)
    except ValueError:
        known = ", ".join(c.value for c in Channel)
        raise InvalidInput(f"Unknown channel {value!r}; use one of: {known}.") from None


def parse_trust(value: str | None, channel: Channel) -> Trust:
    """The trust level asked for, or the channel's default when none is."""
    if value is None:
        return default_trust(channel)
    try:
        return Trust(value)
    except ValueError:
        raise InvalidInput(f"Unknown trust {value!r}; use 'client' (a key that ships to browsers or "
                           "devices) or 'server' (a key kept on servers).") from None


def parse_scopes(values: list[str] | tuple[str, ...], *, instance: bool) -> frozenset[Scope]:
    if not values:
        raise InvalidInput("A token needs at least one scope.")
    scopes: set[Scope] = set()
    for value in values:
        try:
            scope = Scope(value)
        except ValueError:
            known = ", ".join(s.value for s in Scope)
            raise InvalidInput(f"Unknown scope {value!r}; use one of: {known}.") from None
        if scope is Scope.WORKSPACES_ADMIN and not instance:
            raise InvalidInput(
                "Scope 'workspaces:admin' is instance-wide; create the token without a workspace."
            )
        scopes.add(scope)
    return frozenset(scopes)


def new_id() -> str:
    return secrets.token_hex(8)


def new_secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(24)


MIN_WEBHOOK_SECRET = 16


def webhook_secret(source: Source, channel: Channel, chosen: str | None) -> str:
    """The signing secret for a webhook source of ``channel``: ``chosen`` when long enough, else
    a new random one (commerce's and the marketplaces' webhooks alike)."""
    if source.channel is not channel:
        raise InvalidInput(f"Source {source.name!r} is of channel {source.channel.value!r}; create one "
                           f"with `frontoffice source create NAME --channel {channel.value}`.")
    if chosen is not None and len(chosen) < MIN_WEBHOOK_SECRET:
        raise InvalidInput(f"A webhook secret must be at least {MIN_WEBHOOK_SECRET} characters long.")
    return chosen or new_secret("fo_whs_")


def hash_secret(secret: str) -> str:
    """Write keys and tokens are random and long, so a fast hash is enough for lookup."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def hint(secret: str) -> str:
    return secret[:10] + "…"
