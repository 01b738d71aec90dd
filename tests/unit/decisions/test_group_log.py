"""The decision log's group commit: ``decide`` does not wait for the commit, yet a decision
waiting to be committed counts towards the caps, and no outcome is stored before its decision."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from frontoffice.decisions.group_log import GroupLog
from frontoffice.decisions.ports import LoggedDecision, Outcome
from tests.fakes.decisions import FakeDecisionsStore

WS = "ws1"


@dataclass
class SlowDisk(FakeDecisionsStore):
    """A store whose commits of decisions wait until ``release`` is set; writes in order."""

    release: threading.Event = field(default_factory=threading.Event)
    writes: list[str] = field(default_factory=list)

    def log_many(self, entries: Sequence[tuple[str, LoggedDecision]]) -> None:
        self.release.wait(5)
        super().log_many(entries)
        self.writes += [d.decision_id for _, d in entries]

    def record(self, ws: str, outcome: Outcome) -> bool:
        self.writes.append(f"outcome of {outcome.decision_id}")
        return super().record(ws, outcome)


def decision(n: int) -> LoggedDecision:
    return LoggedDecision(f"dec_{n}", "ann", "email", "home", f"2026-03-01T12:00:0{n}Z",
                          "rules", ["dress"], {})


def test_a_decision_waiting_for_its_commit_counts_towards_caps_and_outcomes_wait_for_it() -> None:
    disk = SlowDisk()
    log = GroupLog(disk)
    log.log(WS, decision(1))  # returns at once: the commit waits on the slow disk
    assert disk.logged == []
    assert [d.decision_id for d in log.of_person(WS, "ann", "")] == ["dec_1"]
    assert log.shown_total(WS, ["dress"]) == {"dress": 1}
    outcome = Outcome("o1", "dec_1", "dress", "click", 0.1, "2026-03-01T12:00:05Z", "api")
    done = threading.Thread(target=log.record, args=(WS, outcome))
    done.start()
    done.join(0.2)
    assert done.is_alive() and disk.writes == []  # the outcome waits for its decision
    disk.release.set()
    done.join(5)
    assert disk.writes == ["dec_1", "outcome of dec_1"]
    assert [d.decision_id for d in log.of_person(WS, "ann", "")] == ["dec_1"]  # counted once
    assert log.shown_total(WS, ["dress"]) == {"dress": 1}
    log.log(WS, decision(2))
    log.close()  # commits what waits
    assert disk.writes[-1] == "dec_2"
