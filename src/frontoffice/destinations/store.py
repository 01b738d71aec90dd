"""Destinations, their cursors and their delivery log; one SQL for SQLite and PostgreSQL.

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

from frontoffice.consent.purposes import load_catalogue
from frontoffice.domain.events import iso, now
from frontoffice.domain.tenancy import Status, check_name
from frontoffice.errors import AlreadyExists, InvalidInput, NotFound
from frontoffice.storage.sealed_secrets import open_secret, seal_secret
from frontoffice.storage.sql import SqlStore

CHANNEL = "webhook"
DEFAULT_MAX_ATTEMPTS = 5
SECRETS_TABLE = "destinations"
_COLS = ("destination_id, name, url, purpose, event_types, event_names, secret, status, max_attempts, "
         "cursor_seq, created_at")


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


def _destination(ws: str, r: Sequence[Any], secret: str) -> Destination:
    return Destination(ws, r[0], r[1], r[2], r[3], tuple(orjson.loads(r[4])), tuple(orjson.loads(r[5])),
                       secret, Status(r[7]), int(r[8]), int(r[9]), str(r[10]))


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
        self._store.execute(
            f"INSERT INTO destinations (workspace_id, {_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (ws, dest_id, name, url, purpose, orjson.dumps(sorted(set(event_types))).decode(),
             orjson.dumps(sorted(set(event_names))).decode(), sealed, Status.ACTIVE.value,
             max_attempts, start, iso(now())))
        return self.require(ws, dest_id)

    def all(self, ws: str) -> list[Destination]:
        rows = self._store.query(f"SELECT {_COLS} FROM destinations WHERE workspace_id = ? ORDER BY name",
                                 (ws,))
        return [self._opened(ws, r) for r in rows]

    def find(self, ws: str, id_or_name: str) -> Destination | None:
        rows = self._store.query(f"SELECT {_COLS} FROM destinations WHERE workspace_id = ? AND "
                                 "(destination_id = ? OR name = ?)", (ws, id_or_name, id_or_name))
        return self._opened(ws, rows[0]) if rows else None

    def _opened(self, ws: str, r: Sequence[Any]) -> Destination:
        """The row with its signing secret opened; a plain-text one (an older frontoffice wrote
        it) is sealed in place, unless it changed meanwhile."""
        vault, dest_id, stored = self._store.vault, str(r[0]), str(r[6])
        opened = open_secret(vault, SECRETS_TABLE, ws, dest_id, stored)
        if opened.plain:
            self._store.execute(
                "UPDATE destinations SET secret = ? WHERE workspace_id = ? AND destination_id = ? "
                "AND secret = ?",
                (seal_secret(vault, SECRETS_TABLE, ws, dest_id, opened.value), ws, dest_id, stored))
        return _destination(ws, r, opened.value)

    def require(self, ws: str, id_or_name: str) -> Destination:
        found = self.find(ws, id_or_name)
        if found is None:
            raise NotFound(f"No destination {id_or_name!r}; list them with `frontoffice destinations list`.")
        return found

    def set_status(self, ws: str, id_or_name: str, status: Status) -> Destination:
        dest = self.require(ws, id_or_name)
        self._store.execute("UPDATE destinations SET status = ? WHERE workspace_id = ? AND "
                            "destination_id = ?", (status.value, ws, dest.id))
        return self.require(ws, dest.id)

    def record(self, dest: Destination, deliveries: Sequence[Delivery], cursor_seq: int) -> None:
        """The deliveries of one page and the new cursor, in one transaction."""
        at = iso(now())
        with self._store.transaction() as cur:
            if deliveries:
                cur.executemany(self._store.sql(
                    "INSERT INTO destination_deliveries (workspace_id, destination_id, seq, message_id, "
                    "person, outcome, reason, rule, attempts, status_code, at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                    [(dest.workspace_id, dest.id, d.seq, d.message_id, d.person, d.outcome, d.reason, d.rule,
                      d.attempts, d.status_code, at) for d in deliveries])
            cur.execute(self._store.sql("UPDATE destinations SET cursor_seq = ? WHERE workspace_id = ? AND "
                                        "destination_id = ?"), (cursor_seq, dest.workspace_id, dest.id))

    def deliveries(self, ws: str, dest_id: str, outcome: str | None = None) -> list[Delivery]:
        where, params = "workspace_id = ? AND destination_id = ?", [ws, dest_id]
        if outcome is not None:
            where, params = where + " AND outcome = ?", [*params, outcome]
        rows = self._store.query("SELECT seq, message_id, person, outcome, reason, rule, attempts, "
                                 f"status_code FROM destination_deliveries WHERE {where} ORDER BY id", params)
        return [Delivery(int(r[0]), r[1], r[2], r[3], r[4], r[5], int(r[6]),
                         None if r[7] is None else int(r[7])) for r in rows]
