"""What ``make demo`` shows of the resolved people, read over the API like any client would:
people resolved by the server's identity projection and the cross-script merges among them
with the evidence that joined them (never the ground truth)."""

from __future__ import annotations

import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from frontoffice.demo.client import Api
from frontoffice.errors import FrontofficeError


def identity_path(ws: str) -> str:
    return f"/api/v1/workspaces/{ws}/identity"


def wait_for_identity(api: Api, ws: str, timeout_s: float = 180) -> dict[str, Any]:
    """The server resolves in the background; wait until it has read the whole log (its status)."""
    deadline = time.monotonic() + timeout_s
    while (status := api.get(f"{identity_path(ws)}/status"))["resolved_seq"] < status["log_seq"]:
        if time.monotonic() > deadline:
            raise FrontofficeError("Identity resolution did not catch up in time; run "
                                   f"`frontoffice resolve --workspace {ws}` and look again.")
        time.sleep(0.05)
    return dict(status)


def wait_for_quiet_log(api: Api, ws: str, quiet_s: float = 2.0, timeout_s: float = 120) -> None:
    """Wait until the worker has settled: identity has read the whole log and nothing was
    appended for ``quiet_s`` (the inbox's projection writes the conversations it opens for late
    deliveries to the log, after the commerce events that cause them)."""
    deadline = time.monotonic() + timeout_s
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        head = wait_for_identity(api, ws)["log_seq"]
        if head != last:
            last, since = head, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return
        time.sleep(0.05)
    raise FrontofficeError(f"The log of {ws!r} kept growing for {timeout_s:.0f} s; look at the "
                           "worker's log, then run the demo again.")


def paged(api: Api, path: str, limit: int = 1000) -> Iterator[dict[str, Any]]:
    """Every item of a paged listing (``items`` and ``next_after``)."""
    after = 0
    while True:
        page = api.get(path, after=after, limit=limit)
        yield from page["items"]
        if page["next_after"] is None:
            return
        after = page["next_after"]


def script_of(text: str) -> str:
    """The script most of the letters are in (Unicode's name for it: LATIN, CJK, HANGUL, ...);
    kana wins over Han characters, as kanji with kana is Japanese."""
    counts = Counter(unicodedata.name(c, "?").split(" ")[0] for c in text if c.isalpha())
    kana = [s for s in ("HIRAGANA", "KATAKANA") if counts[s]]
    if kana and counts["CJK"]:
        return max(kana, key=lambda s: counts[s])
    return counts.most_common(1)[0][0] if counts else ""


def written_name(record: dict[str, Any], family_first: bool = True) -> str:
    parts = (record["family_name"], record["given_name"])
    return " ".join(p for p in (parts if family_first else parts[::-1]) if p)


@dataclass
class CrossScript:
    person_id: str
    names: list[str] = field(default_factory=list)
    evidence: str = ""


def cross_script_people(api: Api, ws: str, limit: int = 3) -> tuple[int, int, list[CrossScript]]:
    """(people, records, a few people whose records name them in two or more scripts)."""
    names: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for record in paged(api, f"{identity_path(ws)}/records"):
        if written := written_name(record):
            names[record["person_id"]].setdefault(written, set()).add(script_of(written))
    mixed = [(pid, shown) for pid, shown in names.items()
             if len({s for scripts in shown.values() for s in scripts}) > 1]
    mixed.sort(key=lambda item: -len(item[1]))
    found: list[CrossScript] = []
    for pid, shown in mixed[:limit]:
        history = api.get(f"/api/v1/workspaces/{ws}/people/{pid}/history")
        merges = [h for h in history["entries"] if h["kind"] == "merged"]
        detail = merges[-1]["evidence"]["detail"] if merges else ""
        found.append(CrossScript(pid, sorted(shown), detail))
    status = api.get(f"{identity_path(ws)}/status")
    return status["people"], status["records"], found
