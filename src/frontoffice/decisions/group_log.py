"""The decision log off the response path: ``decide`` hands its decision to a writer thread
that commits every decision waiting in one statement and one transaction (group commit), so no
request waits for the log's fsync.

Nothing is lost to the rules meanwhile: the caps and the contact policy (``of_person``,
``shown_total``) count the decisions still waiting. Nothing can refer to a decision before it is
durable: reading one by id (``decision``: an outcome's join, ``explain``), recording an outcome
and listing the log (training) first wait until every decision handed over so far is committed.
A process that stops flushes what waits (``close``); one that is killed loses at most the
decisions of the commit in flight, which no outcome can have named yet.
"""

from __future__ import annotations

import atexit
import logging
import threading
import weakref
from collections.abc import Collection, Sequence
from typing import Protocol

from frontoffice.decisions.ports import DecisionLog, LoggedDecision, Outcome

log = logging.getLogger(__name__)


class BatchLog(DecisionLog, Protocol):
    def log_many(self, entries: Sequence[tuple[str, LoggedDecision]]) -> None:
        """Store (workspace, decision) pairs in one transaction."""
        ...

    def decisions_named(self, ws: str, decision_ids: Collection[str]) -> set[str]:
        """Which of these decisions are stored."""
        ...


class GroupLog:
    """A ``DecisionLog`` over ``inner`` whose ``log`` returns before the commit."""

    def __init__(self, inner: BatchLog) -> None:
        self._inner = inner
        self._cond = threading.Condition()
        self._waiting: list[tuple[str, LoggedDecision]] = []  # handed over, not committed yet
        self._handed = self._committed = 0  # decisions handed over / committed, ever
        self._thread: threading.Thread | None = None  # started by the first decision
        self._closed = False

    # -- writing -------------------------------------------------------------------------------
    def log(self, ws: str, decision: LoggedDecision) -> None:
        with self._cond:
            if self._closed:
                raise RuntimeError("the decision log is closed")
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="decision-log",
                                                daemon=True)
                self._thread.start()
                atexit.register(_close, weakref.ref(self))
            self._waiting.append((ws, decision))
            self._handed += 1
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._waiting and not self._closed:
                    self._cond.wait()
                if not self._waiting:
                    return
                batch = list(self._waiting)
            try:
                self._inner.log_many(batch)
            except Exception:  # the writer outlives a failed commit; the loss is logged
                log.exception("%d decisions could not be logged", len(batch))
            with self._cond:
                del self._waiting[:len(batch)]
                self._committed += len(batch)
                self._cond.notify_all()

    def flush(self) -> None:
        """Wait until every decision handed over before this call is committed."""
        with self._cond:
            target = self._handed
            while self._committed < target:
                self._cond.wait()

    def close(self) -> None:
        """Commit what waits and stop the writer."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _pending(self, ws: str) -> list[LoggedDecision]:
        with self._cond:
            return [d for w, d in self._waiting if w == ws]

    # -- reading: what waits counts for the rules; nothing is named before it is durable --------
    def of_person(self, ws: str, person_id: str, since: str) -> list[LoggedDecision]:
        waiting = [d for d in self._pending(ws) if d.person_id == person_id and d.at >= since]
        stored = self._inner.of_person(ws, person_id, since)
        known = {d.decision_id for d in stored}
        return sorted([*stored, *(d for d in waiting if d.decision_id not in known)],
                      key=lambda d: d.at)

    def shown_total(self, ws: str, action_ids: Collection[str]) -> dict[str, int]:
        waiting = self._pending(ws)
        counts = self._inner.shown_total(ws, action_ids)
        stored = self._inner.decisions_named(ws, [d.decision_id for d in waiting]) \
            if waiting else set()
        for d in waiting:
            if d.decision_id not in stored:
                for aid in d.chosen:
                    if aid in action_ids:
                        counts[aid] = counts.get(aid, 0) + 1
        return counts

    def decision(self, ws: str, decision_id: str) -> LoggedDecision | None:
        self.flush()
        return self._inner.decision(ws, decision_id)

    def record(self, ws: str, outcome: Outcome) -> bool:
        self.flush()
        return self._inner.record(ws, outcome)

    def outcomes(self, ws: str, decision_ids: Collection[str]) -> list[Outcome]:
        return self._inner.outcomes(ws, decision_ids)

    def decisions(self, ws: str, after: str, limit: int) -> list[LoggedDecision]:
        self.flush()
        return self._inner.decisions(ws, after, limit)


def _close(ref: weakref.ReferenceType[GroupLog]) -> None:
    found = ref()
    if found is not None:
        found.close()
