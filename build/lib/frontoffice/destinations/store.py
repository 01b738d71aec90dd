"""Destinations, their cursors and their delivery log, in SQLAlchemy Core (named columns).

A destination names what it is for (one purpose): the consent gate checks that purpose on the
``webhook`` channel for the person of every event before it leaves. Its signing secret is stored
sealed under the master key (``storage/sealed_secrets.py``). Each refusal and each
delivery (or dead letter) is a row of ``destination_deliveries`` with its reason.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import orjson
import sqlalchemy as sa

from frontoffice.consent.purposes import load_catalogue
from frontoffice.domain.events import iso, now
from frontoffice.domain.tenancy import Status, check_name
from frontoffice.errors import AlreadyExists, InvalidInput, NotFound
from frontoffice.storage.sealed_secrets import open_secret, seal_secret
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema

CHANNEL = "webhook"
DEFAULT_MAX_ATTEMPTS = 5
SECRETS_TABLE = "destinations"


@dataclass(frozen=True, slots=True)
class Destination:
    workspace_id: str
    id: str
    name: str
    url: str
    purpose: str
    event_types: tuple[str, ...]  # empty: every type
    event_names: tuple[str, ...]  # empty: every track event name
    secret: str
    status: Status
    max_attempts: int
    cursor_seq: int
    created_at: str

    def public(self) -> dict[str, Any]:
        """Everything but the signing secret."""
        return {"id": self.id, "name": self.name, "url": self.url, "purpose": self.purpose,
                "event_types": list(self.event_types), "event_names": list(self.event_names),
                "status": self.status.value, "max_attempts": self.max_attempts, "cursor_seq": self.cursor_seq,
                "created_at": self.created_at}


@dataclass(frozen=True, slots=True)
class Delivery:
    seq: int
    message_id: str
    person: str | None
    outcome: str  # "delivered" | "refused" | "dead_letter"
    reason: str
    rule: str
    attempts: int
    status_code: int | None


def _destination(r: sa.Row[Any], secret: str) -> Destination:
    return Destination(r.workspace_id, r.destination_id, r.name, r.url, r.purpose,
                       tuple(orjson.loads(r.event_types)), tuple(orjson.loads(r.event_names)), secret,
                       Status(r.status), int(r.max_attempts), int(r.cursor_seq), str(r.created_at))


def validate(url: str, purpose: str, max_attempts: int) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput(f"Destination URL {url!r} must be an absolute http(s) URL, e.g. "
                           "https://hooks.example.com/frontoffice.")
    found = load_catalogue().purposes.get(purpose)
    if found is None:
        raise InvalidInput(f"Unknown purpose {purpose!r}; use one of {sorted(load_catalogue().purposes)}.")
    if not found.covers(CHANNEL):
        usable = sorted(p for p, spec in load_catalogue().purposes.items() if spec.covers(CHANNEL))
        raise InvalidInput(f"Purpose {purpose!r} does not cover the webhook channel, so nothing could "
                           f"ever be delivered; use one of {usable}.")
    if not 1 <= max_attempts <= 50:
        raise InvalidInput("max_attempts must be between 1 and 50.")


class DestinationStore:
    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._engine = store.engine
        tables = schema(store.dialect).tables
        self._destinations = tables["destinations"]
        self._deliveries = tables["destination_deliveries"]

    def create(self, ws: str, name: str, url: str, purpose: str, event_types: Sequence[str] = (),
               event_names: Sequence[str] = (), max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> Destination:
        """A new active destination with a fresh signing secret, starting at the current end of the log."""
        check_name("destination", name)
        validate(url, purpose, max_attempts)
        if self.find(ws, name) is not None:
            raise AlreadyExists(f"Destination {name!r} already exists; pick another name.")
        dest_id = "dst_" + uuid.uuid4().hex[:20]
        start = self._store.last_seq(ws)
        sealed = seal_secret(self._store.vault, SECRETS_TABLE, ws, dest_id, secrets.token_urlsafe(32))
        try:
            with self._engine.begin() as conn:
                conn.execute(self._destinations.insert().values(
                    workspace_id=ws, destination_id=dest_id, name=name, url=url, purpose=purpose,
                    event_types=orjson.dumps(sorted(set(event_types))).decode(),
                    event_names=orjson.dumps(sorted(set(event_names))).decode(), secret=sealed,
                    status=Status.ACTIVE.value, max_attempts=max_attempts, cursor_seq=start,
                    created_at=iso(now())))
        except sa.exc.IntegrityError as exc:
            raise AlreadyExists(f"Destination {name!r} already exists; pick another name.") from exc
        return self.require(ws, dest_id)

    def _select(self, ws: str) -> sa.Select[Any]:
        return sa.select(self._destinations).where(self._destinations.c.workspace_id == ws)

    def all(self, ws: str) -> list[Destination]:
        with self._engine.connect() as conn:
            rows = conn.execute(self._select(ws).order_by(self._destinations.c.name)).all()
        return [self._opened(r) for r in rows]

    def find(self, ws: str, id_or_name: str) -> Destination | None:
        d = self._destinations.c
        with self._engine.connect() as conn:
            row = conn.execute(self._select(ws).where(
                sa.or_(d.destination_id == id_or_name, d.name == id_or_name))).first()
        return None if row is None else self._opened(row)

    def _opened(self, r: sa.Row[Any]) -> Destination:
        """The row with its signing secret opened; a plain-text one (an older frontoffice wrote
        it) is sealed in place, unless it changed meanwhile."""
        vault, ws, dest_id, stored = self._store.vault, r.workspace_id, r.destination_id, r.secret
        opened = open_secret(vault, SECRETS_TABLE, ws, dest_id, stored)
        if opened.plain:
            d = self._destinations.c
            with self._engine.begin() as conn:
                conn.execute(self._destinations.update()
                             .where(d.workspace_id == ws, d.destination_id == dest_id, d.secret == stored)
                             .values(secret=seal_secret(vault, SECRETS_TABLE, ws, dest_id, opened.value)))
        return _destination(r, opened.value)

    def require(self, ws: str, id_or_name: str) -> Destination:
        found = self.find(ws, id_or_name)
        if found is None:
            raise NotFound(f"No destination {id_or_name!r}; list them with `frontoffice destinations list`.")
        return found

    def set_status(self, ws: str, id_or_name: str, status: Status) -> Destination:
        dest = self.require(ws, id_or_name)
        d = self._destinations.c
        with self._engine.begin() as conn:
            conn.execute(self._destinations.update().where(d.workspace_id == ws, d.destination_id == dest.id)
                         .values(status=status.value))
        return self.require(ws, dest.id)

    def record(self, dest: Destination, deliveries: Sequence[Delivery], cursor_seq: int) -> None:
        """The deliveries of one page and the new cursor, in one transaction."""
        at = iso(now())
        d = self._destinations.c
        with self._engine.begin() as conn:
            if deliveries:
                conn.execute(self._deliveries.insert(), [
                    {"workspace_id": dest.workspace_id, "destination_id": dest.id, "seq": x.seq,
                     "message_id": x.message_id, "person": x.person, "outcome": x.outcome, "reason": x.reason,
                     "rule": x.rule, "attempts": x.attempts, "status_code": x.status_code, "at": at}
                    for x in deliveries])
            conn.execute(self._destinations.update()
                         .where(d.workspace_id == dest.workspace_id, d.destination_id == dest.id)
                         .values(cursor_seq=cursor_seq))

    def deliveries(self, ws: str, dest_id: str, outcome: str | None = None) -> list[Delivery]:
        t = self._deliveries.c
        query = (sa.select(t.seq, t.message_id, t.person, t.outcome, t.reason, t.rule, t.attempts,
                           t.status_code)
                 .where(t.workspace_id == ws, t.destination_id == dest_id).order_by(t.id))
        if outcome is not None:
            query = query.where(t.outcome == outcome)
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [Delivery(int(r.seq), r.message_id, r.person, r.outcome, r.reason, r.rule, int(r.attempts),
                         None if r.status_code is None else int(r.status_code)) for r in rows]
