"""A use case logs its inbox events and folds them at once; the worker folds the same log. Both
move one cursor in the transaction that applies a page, so no event is applied twice and none
after a later one (which showed a solved ticket as new until the worker's next pass)."""

from __future__ import annotations

from datetime import UTC, datetime

from frontoffice.inbox.projector import catch_up, log_and_project, record
from frontoffice.inbox.store import InboxStore
from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy

AT = datetime(2026, 9, 15, 9, 0, tzinfo=UTC)
OPENED = {"ticket_id": "T1", "channel": "task", "at": AT.isoformat(), "priority": "normal", "subject": "Help",
          "person_id": None, "team": "eu", "requester": {"kind": "system", "value": "x", "name": "x"},
          "keys": [], "tags": []}


def test_a_use_case_moves_the_cursor_past_what_it_folded_so_no_other_process_applies_it_again(
        database_url: str) -> None:
    use_case, worker = open_store(database_url), open_store(database_url)  # two processes' stores
    try:
        ws = tenancy.create_workspace(use_case, "fold", "EU").id
        inbox = InboxStore(use_case)
        log_and_project(inbox, ws, [record("t1:opened", "ticket.opened", OPENED, AT)])
        log_and_project(inbox, ws, [record("t1:solved", "ticket.updated", {
            "ticket_id": "T1", "at": AT.isoformat(), "changes": {"status": "solved"}}, AT)])
        solved = inbox.ticket(ws, "T1")
        assert solved is not None and solved.status == "solved"
        assert catch_up(InboxStore(worker), ws) == 0  # nothing left to fold: the opening is not replayed
        again = InboxStore(worker).ticket(ws, "T1")
        assert again is not None and again.status == "solved"
    finally:
        use_case.close()
        worker.close()
