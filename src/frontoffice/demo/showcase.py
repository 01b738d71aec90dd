"""What ``make demo`` shows of the resolved people.

Reads only the product's own projections (never the ground truth): people resolved by the
server's identity projector and the cross-script merges among them with the evidence that
joined them.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import orjson

from frontoffice.errors import FrontofficeError
from frontoffice.identity.normalise.scripts import Script, detect_script
from frontoffice.identity.store import IdentitySql
from frontoffice.storage.sql import SqlStore


def wait_for_identity(store: SqlStore, workspace_id: str, timeout_s: float = 180) -> None:
    """The server resolves in the background; wait until it has seen the whole log."""
    last = store.last_seq(workspace_id)
    deadline = time.monotonic() + timeout_s
    sql = IdentitySql(store)
    while sql.checkpoint(workspace_id)[0] < last:
        if time.monotonic() > deadline:
            raise FrontofficeError("Identity resolution did not catch up in time; run "
                                   "`frontoffice resolve --workspace demo` and look again.")
        time.sleep(0.2)


@dataclass
class CrossScript:
    person_id: str
    names: list[str] = field(default_factory=list)
    evidence: str = ""


def cross_script_people(store: SqlStore, workspace_id: str,
                        limit: int = 3) -> tuple[int, int, list[CrossScript]]:
    """(people, records, a few people whose records name them in two or more scripts)."""
    sql = IdentitySql(store)
    names: dict[str, dict[str, set[Script]]] = defaultdict(dict)
    after = 0
    while page := sql.records(workspace_id, after_seq=after):
        for row in page:
            given, family, *_ = orjson.loads(row.data).get("n") or [None, None]
            if given or family:
                written = " ".join(p for p in (family, given) if p)
                names[row.person_id].setdefault(written, set()).add(detect_script(written))
        after = page[-1].seq
    mixed = [(pid, shown) for pid, shown in names.items()
             if len({s for scripts in shown.values() for s in scripts}) > 1]
    mixed.sort(key=lambda item: -len(item[1]))
    found: list[CrossScript] = []
    for pid, shown in mixed[:limit]:
        merges = [h for h in sql.history(workspace_id, [pid]) if h["kind"] == "merged"]
        detail = merges[-1]["evidence"]["detail"] if merges else ""
        found.append(CrossScript(pid, sorted(shown), detail))
    return sql.count_persons(workspace_id), sql.count_records(workspace_id), found
