"""The embedded default's subject keys: appended in ``seq`` order, found by an in-memory index.

Keyed by ``(workspace_id, subject_hash)``, every new subject's key landed on a random page of a
B-tree (the hash is random by design), and the appends spent about a quarter of the time they
hold the log's write lock storing keys: ~16 µs a key against ~3 µs for a row appended at the
end of a table. ``privacy_subject_keys`` is therefore a table that grows by ``seq``
(AUTOINCREMENT: a shredded key's ``seq`` is never reused), and each process finds keys through a
:class:`~frontoffice.storage.sqlite_dedupe.DedupeIndex` over ``(workspace_id, subject_hash)``,
the same structure that finds the log's messageIds: it follows the table by ``seq`` before every
lookup, and a hit is confirmed against the row, so a stale entry (a shredded key, a rolled-back
insert) is never taken for a key.

Under the log's write lock (``store``) the index has followed every committed key, so a subject
never gets a second key: what ``ON CONFLICT DO NOTHING`` gives PostgreSQL
(``vault.keystore.IndexedKeys``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from frontoffice.domain.events import iso
from frontoffice.storage.sqlite_dedupe import DedupeIndex
from frontoffice.vault.keystore import CHUNK, Cursor

_INSERT = "INSERT INTO privacy_subject_keys (workspace_id, subject_hash, wrapped_key, created_at) VALUES "
_AT = "SELECT seq, workspace_id, subject_hash, wrapped_key FROM privacy_subject_keys WHERE seq IN "


class AppendedKeys:
    def __init__(self) -> None:
        self.index = DedupeIndex("privacy_subject_keys", "seq", "workspace_id", "subject_hash")

    def _rows(self, cur: Cursor, ws: str, hashes: Collection[str]) -> list[tuple[int, str, bytes]]:
        """``(seq, hash, wrapped key)`` of the stored keys among ``hashes``, in ``seq`` order."""
        seqs = sorted(set(self.index.candidates(cur, [(ws, h) for h in hashes])))
        wanted = set(hashes)
        found: list[tuple[int, str, bytes]] = []
        for start in range(0, len(seqs), CHUNK):
            chunk = seqs[start:start + CHUNK]
            cur.execute(f"{_AT} ({', '.join('?' * len(chunk))}) ORDER BY seq", chunk)
            found += [(int(seq), h, bytes(wrapped)) for seq, row_ws, h, wrapped in cur.fetchall()
                      if row_ws == ws and h in wanted]
        return found

    def stored(self, cur: Cursor, sql: Callable[[str], str], ws: str,
               hashes: Collection[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for _, h, wrapped in self._rows(cur, ws, hashes):
            found.setdefault(h, wrapped)  # the first stored, should a subject ever have two
        return found

    def store(self, cur: Cursor, sql: Callable[[str], str], ws: str,
              wrapped: dict[str, bytes]) -> set[str]:
        present = self.stored(cur, sql, ws, wrapped)  # in the write transaction: all committed keys
        new = sorted(h for h in wrapped if h not in present)
        now = iso(datetime.now(UTC))
        for start in range(0, len(new), CHUNK):
            chunk: Sequence[str] = new[start:start + CHUNK]
            cur.execute(_INSERT + ", ".join(["(?, ?, ?, ?)"] * len(chunk)),
                        [v for h in chunk for v in (ws, h, wrapped[h], now)])
            last_seq = cast(Any, cur).lastrowid or 0  # a multi-row INSERT: consecutive seqs
            self.index.inserted(self.index.keys([(ws, h) for h in chunk]), last_seq)
        return set(new)

    def delete(self, cur: Cursor, sql: Callable[[str], str], ws: str,
               hashes: Collection[str]) -> int:
        seqs = [seq for seq, _, _ in self._rows(cur, ws, hashes)]
        deleted = 0
        for start in range(0, len(seqs), CHUNK):
            chunk = seqs[start:start + CHUNK]
            cur.execute(f"DELETE FROM privacy_subject_keys WHERE seq IN ({', '.join('?' * len(chunk))})",
                        chunk)
            deleted += max(int(getattr(cur, "rowcount", 0)), 0)
        return deleted
