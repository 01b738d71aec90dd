"""Subject keys and the suppression list as the storage layer uses them, inside its transactions.

The storage layer hands a cursor and its placeholder translation; the vault reads and writes
``privacy_subject_keys`` and ``privacy_suppressions`` through them, so sealing an event, creating
its subject's key and refusing a suppressed person happen in the append's one transaction.
Readers always look keys up in the database (one query per batch or page) and only their
unwrapping is cached: a key shredded by another process is never used from a stale cache.
Appenders also remember which keys are stored, checked against the workspace's key epoch
(raised by every shredding) under the log lock; see ``settle`` in ``vault/rows.py``.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from frontoffice.domain.events import iso
from frontoffice.vault.keys import (
    KEY_FILE_NAME,
    MASTER_KEY_ENV,
    Keyring,
    key_file_master_key,
    parse_master_key,
)

log = logging.getLogger(__name__)
CHUNK = 500  # values per IN (...) list


class Cursor(Protocol):
    def execute(self, sql: Any, params: Sequence[Any] = ..., /) -> Any: ...
    def executemany(self, sql: Any, params: Sequence[Sequence[Any]], /) -> Any: ...
    def fetchall(self) -> list[Any]: ...


def _in(cur: Cursor, sql: Callable[[str], str], head: str, ws: str,
        values: Collection[str]) -> list[Any]:
    """``head`` ending in ``IN`` run over ``values`` in chunks; rows of every chunk."""
    ordered, rows = sorted(values), []
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        cur.execute(sql(f"{head} ({', '.join('?' * len(chunk))})"), (ws, *chunk))
        rows += cur.fetchall()
    return rows


class KeyTable(Protocol):
    """Where subject keys are stored: ``privacy_subject_keys``, reached through the caller's
    cursor. ``store`` and ``delete`` run inside a write transaction that holds the log lock."""

    def stored(self, cur: Cursor, sql: Callable[[str], str], ws: str,
               hashes: Collection[str]) -> dict[str, bytes]:
        """The wrapped key stored for each subject hash that has one."""
        ...

    def store(self, cur: Cursor, sql: Callable[[str], str], ws: str,
              wrapped: dict[str, bytes]) -> set[str]:
        """Insert the keys of subjects that have none yet; the hashes whose key was stored."""
        ...

    def delete(self, cur: Cursor, sql: Callable[[str], str], ws: str,
               hashes: Collection[str]) -> int:
        """Delete the subjects' keys; how many were deleted."""
        ...


class IndexedKeys:
    """Keys in a table keyed by ``(workspace_id, subject_hash)`` (PostgreSQL): the database's
    own index finds them and its unique key settles concurrent inserts."""

    _KEYS = ("SELECT subject_hash, wrapped_key FROM privacy_subject_keys "
             "WHERE workspace_id = ? AND subject_hash IN")

    def stored(self, cur: Cursor, sql: Callable[[str], str], ws: str,
               hashes: Collection[str]) -> dict[str, bytes]:
        return {r[0]: bytes(r[1]) for r in _in(cur, sql, self._KEYS, ws, hashes)}

    def store(self, cur: Cursor, sql: Callable[[str], str], ws: str,
              wrapped: dict[str, bytes]) -> set[str]:
        now = iso(datetime.now(UTC))
        ordered, stored = sorted(wrapped), set()
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start:start + CHUNK]
            values = ", ".join(["(?, ?, ?, ?)"] * len(chunk))
            cur.execute(sql("INSERT INTO privacy_subject_keys (workspace_id, subject_hash, "
                            f"wrapped_key, created_at) VALUES {values} "
                            "ON CONFLICT (workspace_id, subject_hash) DO NOTHING RETURNING subject_hash"),
                        [v for h in chunk for v in (ws, h, wrapped[h], now)])
            stored |= {str(r[0]) for r in cur.fetchall()}
        return stored

    def delete(self, cur: Cursor, sql: Callable[[str], str], ws: str,
               hashes: Collection[str]) -> int:
        deleted = 0
        ordered = sorted(hashes)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start:start + CHUNK]
            cur.execute(sql("DELETE FROM privacy_subject_keys WHERE workspace_id = ? AND "
                            f"subject_hash IN ({', '.join('?' * len(chunk))})"), (ws, *chunk))
            deleted += max(int(getattr(cur, "rowcount", 0)), 0)
        return deleted


class _KnownKeys:
    """Wrapped keys this process read or stored, per workspace, valid while the workspace's key
    epoch stays the one they were seen at (keys are never changed, only inserted or shredded)."""

    LIMIT = 262_144  # entries per workspace (~40 MB at most); dropped when full

    def __init__(self) -> None:
        self._by_ws: dict[str, tuple[int, dict[str, bytes]]] = {}

    def at(self, ws: str, epoch: int) -> dict[str, bytes]:
        seen = self._by_ws.get(ws)
        if seen is None or seen[0] != epoch or len(seen[1]) >= self.LIMIT:
            seen = self._by_ws[ws] = (epoch, {})
        return seen[1]

    def drop(self, ws: str) -> None:
        self._by_ws.pop(ws, None)


class Vault:
    """The master key (resolved on first use), the keyring, and the SQL of keys and suppressions.

    Master key precedence: the value given by the configuration, else ``FRONTOFFICE_MASTER_KEY``,
    else a key file generated once: beside the SQLite database, or for PostgreSQL (which should
    always be given the variable) in ``~/.frontoffice/`` so every process of one user agrees.
    """

    def __init__(self, key_file: Path | None, keys: KeyTable) -> None:
        self._key_file = key_file
        self._keys = keys
        self._explicit: str | None = None
        self._keyring: Keyring | None = None
        self._lock = threading.Lock()
        self._known = _KnownKeys()

    def use_master_key(self, value: str | None) -> None:
        if value:
            with self._lock:
                self._explicit, self._keyring = value, None

    @property
    def keyring(self) -> Keyring:
        with self._lock:
            if self._keyring is None:
                self._keyring = Keyring(self._master())
            return self._keyring

    def _master(self) -> bytes:
        if self._explicit:
            return parse_master_key(self._explicit, "the master_key setting")
        env = os.environ.get(MASTER_KEY_ENV)
        if env:
            return parse_master_key(env, MASTER_KEY_ENV)
        path = self._key_file
        if path is None:
            path = Path.home() / ".frontoffice" / KEY_FILE_NAME
            log.warning("%s is not set: using the key file %s. Set it on every PostgreSQL "
                        "deployment (see docs/privacy.md).", MASTER_KEY_ENV, path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return key_file_master_key(path)

    def hash(self, ws: str, value: str) -> str:
        return self.keyring.hash(ws, value)

    # -- subject keys --------------------------------------------------------------------
    def stored_keys(self, cur: Cursor, sql: Callable[[str], str], ws: str,
                    hashes: Collection[str]) -> dict[str, bytes]:
        """The wrapped key stored for each subject hash that has one."""
        return self._keys.stored(cur, sql, ws, hashes) if hashes else {}

    def store_keys(self, cur: Cursor, sql: Callable[[str], str], ws: str,
                   wrapped: dict[str, bytes]) -> set[str]:
        """Insert keys made by this process, unless their subject has one already (inside the
        write transaction); the hashes stored."""
        return self._keys.store(cur, sql, ws, wrapped) if wrapped else set()

    def ciphers(self, cur: Cursor, sql: Callable[[str], str], ws: str, hashes: Collection[str],
                *, create: bool) -> dict[str, AESGCM]:
        """The cipher of each subject hash that has a key; with ``create``, missing keys are
        made (stored unless another writer stored one first, then read back: concurrent writers
        agree on one)."""
        found = self.stored_keys(cur, sql, ws, hashes)
        ring = self.keyring
        ciphers = {h: ring.unwrap(ws, h, wrapped) for h, wrapped in found.items()}
        missing = [h for h in hashes if h not in found]
        if missing and create:
            fresh = {h: ring.new_key(ws, h) for h in missing}
            stored = self.store_keys(cur, sql, ws, {h: wrapped for h, (_, wrapped) in fresh.items()})
            ciphers.update({h: ring.remember(ws, h, *fresh[h]) for h in stored})
            lost = [h for h in fresh if h not in stored]  # another writer made them first
            ciphers.update({h: ring.unwrap(ws, h, wrapped)
                            for h, wrapped in self.stored_keys(cur, sql, ws, lost).items()})
        return ciphers

    def epoch(self, cur: Cursor, sql: Callable[[str], str], ws: str) -> int:
        """How many times keys of the workspace were shredded (0: never)."""
        cur.execute(sql("SELECT epoch FROM privacy_key_epochs WHERE workspace_id = ?"), (ws,))
        rows = cur.fetchall()
        return int(rows[0][0]) if rows else 0

    def draft_ciphers(self, cur: Cursor, sql: Callable[[str], str], ws: str, hashes: Collection[str]
                      ) -> tuple[int, dict[str, AESGCM], dict[str, bytes], dict[str, bytes]]:
        """Before the write transaction: the key epoch, then the cipher and wrapped key of each
        subject — from the keys known stored at that epoch, else read — and for subjects without
        a key, one made here, not stored yet (the last item, plain). The write transaction checks
        them with ``settle`` in :mod:`~frontoffice.vault.rows`."""
        epoch = self.epoch(cur, sql, ws)
        known = self._known.at(ws, epoch)
        wrapped = {h: w for h in hashes if (w := known.get(h)) is not None}
        if len(wrapped) < len(hashes):
            read = self.stored_keys(cur, sql, ws, [h for h in hashes if h not in wrapped])
            known.update(read)
            wrapped.update(read)
        ring = self.keyring
        ciphers = {h: ring.unwrap(ws, h, w) for h, w in wrapped.items()}
        fresh: dict[str, bytes] = {}
        for h in hashes:
            if h not in wrapped:
                fresh[h], wrapped[h] = ring.new_key(ws, h)
                ciphers[h] = AESGCM(fresh[h])
        return epoch, ciphers, wrapped, fresh

    def committed(self, ws: str, epoch: int, stored: dict[str, bytes]) -> None:
        """Keys this process stored at ``epoch``, now committed: known without reading them."""
        self._known.at(ws, epoch).update(stored)

    def shred(self, cur: Cursor, sql: Callable[[str], str], ws: str, hashes: Collection[str]) -> int:
        """Delete the subjects' keys: every row sealed under them becomes unreadable. Raises the
        workspace's key epoch, so no appender trusts a key it read before."""
        deleted = self._keys.delete(cur, sql, ws, hashes) if hashes else 0
        cur.execute(sql("INSERT INTO privacy_key_epochs (workspace_id, epoch) VALUES (?, 1) "
                        "ON CONFLICT (workspace_id) DO UPDATE SET epoch = privacy_key_epochs.epoch + 1"),
                    (ws,))
        self.keyring.forget(ws, set(hashes))
        self._known.drop(ws)
        return deleted

    # -- suppression list ----------------------------------------------------------------
    def has_suppressions(self, cur: Cursor, sql: Callable[[str], str], ws: str) -> bool:
        cur.execute(sql("SELECT 1 FROM privacy_suppressions WHERE workspace_id = ? LIMIT 1"), (ws,))
        return bool(cur.fetchall())

    def suppressed(self, cur: Cursor, sql: Callable[[str], str], ws: str,
                   hashes: Collection[str]) -> set[str]:
        """Which of the identifier hashes are on the workspace's suppression list."""
        head = ("SELECT identifier_hash FROM privacy_suppressions WHERE workspace_id = ? AND "
                "identifier_hash IN")
        return {r[0] for r in _in(cur, sql, head, ws, hashes)} if hashes else set()
