"""The embedded default's dedupe index: which (source, messageId) pairs the log already holds.

A UNIQUE index on ``(source_id, message_id)`` inside the log put every new event on a random page
of a B-tree (SDKs send UUID messageIds), so a 100-event commit wrote and fsynced ~3x the pages of
the events themselves, and durable inserts halved. The log stays the only truth; this index is a
projection of it that each appending process keeps in memory:

- it follows the log by ``seq`` inside the write transaction, before every check, so it knows
  every committed event, other processes' included (SQLite commits in ``seq`` order);
- keys are 64-bit hashes of ``(source_id, message_id)``: a hit is confirmed against the log row
  at its ``seq``, so a hash collision, or a key read from a transaction that was rolled back,
  never turns a new event away;
- recent keys sit in a dict; older ones in sorted numpy runs (16 bytes per event), merged
  geometrically so a lookup searches a handful of runs.

The index is rebuilt from the log the first time a process appends (``catch_up`` reads the whole
log once); ``docs/storage.md`` gives the cost per million events.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from frontoffice.vault.keystore import Cursor  # execute and fetchall are all it needs

if TYPE_CHECKING:  # numpy is imported by the first run (RECENT_MAX keys): most processes never
    import numpy as np  # make one, and its import is a tenth of a second of every start
    import numpy.typing as npt

RECENT_MAX = 65_536  # keys kept in the dict before they move into a sorted run
CATCH_UP_ROWS = 50_000  # log rows read per statement while following the log
_CONFIRM_CHUNK = 500
_DICT_BYTES_PER_KEY = 100  # a dict slot and two int objects

Run = tuple["npt.NDArray[np.int64]", "npt.NDArray[np.int64]"]  # (sorted keys, their seqs)


def dedupe_key(source_id: str, message_id: str) -> int:
    """64 bits of the pair (Python's own string hash: the index lives in one process only)."""
    return hash((source_id, message_id))


class DedupeIndex:
    """An in-memory index of a pair of text columns of a table that only grows by its integer
    primary key (``id_col``): the log's ``(source_id, message_id)`` by ``seq``, and the subject
    keys' ``(workspace_id, subject_hash)`` (``storage/sqlite_keys.py``)."""

    def __init__(self, table: str = "events", id_col: str = "seq", first: str = "source_id",
                 second: str = "message_id") -> None:
        self._follow = (f"SELECT {id_col}, {first}, {second} FROM {table} WHERE {id_col} > ? "
                        f"ORDER BY {id_col} LIMIT ?")
        self._at = f"SELECT {id_col}, {first}, {second} FROM {table} WHERE {id_col} IN "
        self._lock = threading.Lock()
        self._high = 0  # every committed event with seq <= _high is indexed
        self._recent: dict[int, int] = {}
        self._clashes: list[tuple[int, int]] = []  # (key, seq) whose key already sits in _recent
        self._runs: list[Run] = []
        self._synced = False  # caught up inside the current write transaction

    # -- transactions ----------------------------------------------------------------------
    def mark(self) -> int:
        """A write transaction began (it holds the database's write lock): where the index
        stood, for ``rewind``. The first check in it follows the log; later checks in the same
        transaction need not, as only its own inserts, which ``inserted`` records, can follow."""
        with self._lock:
            self._synced = False
            return self._high

    def rewind(self, mark: int) -> None:
        """The transaction begun at ``mark`` rolled back: rows it inserted were never committed,
        and their seqs may be reused, so follow the log again from there. Their keys stay
        behind; confirmation against the log ignores them."""
        with self._lock:
            self._high = min(self._high, mark)
            self._synced = False

    def ended(self) -> None:
        """The write transaction committed: other writers may append from now on."""
        with self._lock:
            self._synced = False

    # -- the check -------------------------------------------------------------------------
    def new_rows(self, cur: Cursor, rows: Sequence[Sequence[Any]]) -> tuple[list[Sequence[Any]], list[int]]:
        """The rows (``(workspace_id, source_id, message_id, ...)``) the log does not hold yet,
        the first of each pair kept, with their keys (for ``inserted``). Call inside the write
        transaction that will insert them."""
        with self._lock:
            if not self._synced:
                self._catch_up(cur)
                self._synced = True
            keys = [dedupe_key(row[1], row[2]) for row in rows]
            held = set(self._pairs_at(cur, self._candidates(keys)).values())
        seen: set[tuple[str, str]] = set()
        fresh: list[Sequence[Any]] = []
        fresh_keys: list[int] = []
        for row, key in zip(rows, keys, strict=True):
            pair = (row[1], row[2])
            if pair in seen or pair in held:
                continue
            seen.add(pair)
            fresh.append(row)
            fresh_keys.append(key)
        return fresh, fresh_keys

    def inserted(self, keys: Sequence[int], last_seq: int) -> None:
        """Rows with ``keys`` were just inserted, in order, ending at ``last_seq`` (SQLite gives a
        multi-row INSERT consecutive seqs): indexed without reading them back from the log."""
        with self._lock:
            first = last_seq - len(keys) + 1
            if first != self._high + 1:  # not right after what the index holds: read the log
                self._synced = False
                return
            for offset, key in enumerate(keys):
                self._add(key, first + offset)
            self._high = last_seq

    def find(self, cur: Cursor, source_id: str, message_id: str) -> int | None:
        """The seq of the event, if the log holds it."""
        with self._lock:
            self._catch_up(cur)
            seqs = self._candidates([dedupe_key(source_id, message_id)])
        for seq, pair in self._pairs_at(cur, seqs).items():
            if pair == (source_id, message_id):
                return seq
        return None

    @staticmethod
    def keys(pairs: Sequence[tuple[str, str]]) -> list[int]:
        """The index keys of ``pairs`` (for ``inserted``)."""
        return [dedupe_key(a, b) for a, b in pairs]

    def candidates(self, cur: Cursor, pairs: Sequence[tuple[str, str]]) -> list[int]:
        """Ids of the rows that may hold one of ``pairs`` (a superset: confirm against the rows).
        Follows the table first, inside a write transaction or outside one."""
        if not pairs:
            return []
        with self._lock:
            self._catch_up(cur)
            return self._candidates(self.keys(pairs))

    @property
    def nbytes(self) -> int:
        """Memory held: the sorted runs, and ~100 bytes per key still in the dict."""
        runs = sum(keys.nbytes + seqs.nbytes for keys, seqs in self._runs)
        return runs + _DICT_BYTES_PER_KEY * (len(self._recent) + len(self._clashes))

    def __len__(self) -> int:
        return len(self._recent) + len(self._clashes) + sum(len(keys) for keys, _ in self._runs)

    # -- internals -------------------------------------------------------------------------
    def _catch_up(self, cur: Cursor) -> None:
        while True:
            cur.execute(self._follow, (self._high, CATCH_UP_ROWS))
            rows = cur.fetchall()
            for seq, source_id, message_id in rows:
                self._add(dedupe_key(source_id, message_id), int(seq))
            if rows:
                self._high = int(rows[-1][0])
            if len(rows) < CATCH_UP_ROWS:
                return

    def _add(self, key: int, seq: int) -> None:
        known = self._recent.setdefault(key, seq)
        if known != seq:
            self._clashes.append((key, seq))
        if len(self._recent) + len(self._clashes) >= RECENT_MAX:
            self._flush()

    def _flush(self) -> None:
        import numpy as np

        pairs = [*self._recent.items(), *self._clashes]
        keys = np.fromiter((k for k, _ in pairs), dtype=np.int64, count=len(pairs))
        seqs = np.fromiter((s for _, s in pairs), dtype=np.int64, count=len(pairs))
        order = np.argsort(keys, kind="stable")
        self._runs.append((keys[order], seqs[order]))
        self._recent, self._clashes = {}, []
        # Geometric merging: each run is at least twice the next, so there are O(log n) runs.
        while len(self._runs) > 1 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            (k2, s2), (k1, s1) = self._runs.pop(), self._runs.pop()
            keys, seqs = np.concatenate((k1, k2)), np.concatenate((s1, s2))
            order = np.argsort(keys, kind="stable")
            self._runs.append((keys[order], seqs[order]))

    def _candidates(self, keys: Sequence[int]) -> list[int]:
        """Seqs whose key equals one of ``keys`` (a superset of the events held)."""
        seqs = [self._recent[k] for k in keys if k in self._recent]
        if self._clashes:
            wanted = set(keys)
            seqs += [s for k, s in self._clashes if k in wanted]
        if self._runs and keys:
            import numpy as np

            probe = np.fromiter(keys, dtype=np.int64, count=len(keys))
            for run_keys, run_seqs in self._runs:
                lo = run_keys.searchsorted(probe)  # one search; the rare hits find their end
                found = run_keys[np.minimum(lo, len(run_keys) - 1)] == probe
                for i in np.flatnonzero(found):
                    end = int(run_keys.searchsorted(probe[i], "right"))
                    seqs += run_seqs[lo[i]:end].tolist()
        return seqs


    def _pairs_at(self, cur: Cursor, seqs: Sequence[int]) -> dict[int, tuple[str, str]]:
        """The pair of the rows at ``seqs`` (missing rows are left out)."""
        found: dict[int, tuple[str, str]] = {}
        unique = sorted(set(seqs))
        for start in range(0, len(unique), _CONFIRM_CHUNK):
            chunk = unique[start:start + _CONFIRM_CHUNK]
            cur.execute(f"{self._at} ({', '.join('?' * len(chunk))})", chunk)
            found.update({int(seq): (a, b) for seq, a, b in cur.fetchall()})
        return found
