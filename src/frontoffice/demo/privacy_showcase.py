"""make demo's privacy tour: one erasure request carried out end to end, over the DSR API.

Takes the first demo customer (by email) whose address the email service — a server-side
source — sent with ``emailVerified: true``, opens an erasure request from that email, reads the
token from the embedded notifier's outbox (``frontoffice dsr outbox``) as the person would read
their mailbox, verifies it, executes the erasure, and shows that a lookup by the same email now
finds nobody. Identifiers are printed masked: the tour is about erasing them. The demo erases
one customer once: run again, it shows the erasure it carried out before instead of erasing
another.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any

from frontoffice.demo.client import Api
from frontoffice.demo.tenant import WORKSPACE
from frontoffice.errors import FrontofficeError

DSR = f"/api/v1/workspaces/{WORKSPACE}/dsr"
MAX_CANDIDATES = 500


def verified_emails(events: Path) -> Iterator[str]:
    """The addresses the email service vouched for, in order of the address."""
    found: set[str] = set()
    with events.open(encoding="utf-8") as handle:
        for line in handle:
            if "emailVerified" not in line:
                continue
            call = json.loads(line)
            context = call.get("context") or {}
            traits = {**(context.get("traits") or {}), **(call.get("traits") or {})}
            if context.get("source") == "email" and traits.get("emailVerified") is True:
                found.add(str(traits.get("email") or "").lower())
    found.discard("")
    yield from sorted(found)


def _candidate(api: Api, brand: Path, spare: Collection[str]) -> str | None:
    for n, email in enumerate(verified_emails(brand / "events.ndjson")):
        if n >= MAX_CANDIDATES:
            return None
        people = _lookup(api, email)
        if len(people) == 1 and people[0] not in spare:
            return email
    return None


def _lookup(api: Api, email: str) -> list[str]:
    found: list[str] = api.get(f"/api/v1/workspaces/{WORKSPACE}/people/lookup", kind="email",
                               value=email)["person_ids"]
    return found


def _masked(identifier: str | None) -> str:
    return (identifier or "").partition(":")[2] or "?"


def _summary(outcome: dict[str, Any]) -> list[str]:
    report = outcome.get("report")
    if not isinstance(report, dict):
        return [f"    {report}"]
    lines = []
    for key, value in report.items():
        shown = value
        if isinstance(value, dict):  # rows per table: the tables that held something
            shown = ", ".join(f"{table} {n}" for table, n in value.items() if n) or "none"
        elif isinstance(value, list):
            shown = ", ".join(str(v) for v in value)
        lines.append(f"    {key}: {shown}")
    return lines


def _actions(api: Api, request_id: str) -> list[dict[str, Any]]:
    trail: list[dict[str, Any]] = api.get(f"{DSR}/{request_id}/audit")
    return trail


def _earlier(api: Api, actor: str) -> dict[str, Any] | None:
    """The erasure an earlier demo run carried out (opened with the demo's token), if any."""
    for request in api.get(DSR, status="completed"):
        if request["kind"] == "erasure":
            trail = _actions(api, request["id"])
            if trail and trail[0]["actor"] == actor:
                return dict(request)
    return None


def _shown_again(api: Api, request: dict[str, Any]) -> list[str]:
    actions = [r["action"] for r in _actions(api, request["id"])]
    return [f"privacy: erasure request {request['id']} of {_masked(request['requester'])} (person "
            f"{request['person_id']}, region {request['region']}) was carried out by an earlier run; "
            "the demo erases one customer, once",
            "  erased:", *_summary(request["outcome"] or {}),
            f"  audit trail: {' → '.join(actions)}"]


def outbox_token(cli: Callable[[list[str]], str], request_id: str) -> str:
    """The code the embedded notifier queued for ``request_id``, read with ``frontoffice dsr outbox``."""
    messages = json.loads(cli(["dsr", "outbox", request_id, "--workspace", WORKSPACE, "--json"]))
    tokens = [m["token"] for m in messages if m.get("token")]
    if not tokens:
        raise FrontofficeError(f"No token in the outbox for {request_id}; see `frontoffice dsr outbox "
                               f"{request_id} -w {WORKSPACE}`.")
    return str(tokens[-1])


def privacy_showcase(api: Api, brand: Path, actor: str, cli: Callable[[list[str]], str],
                     spare: Collection[str] = ()) -> list[str]:
    """Run one DSR erasure end to end, of nobody in ``spare`` (the people the rest of the tour
    shows); the printable lines of what happened. ``actor`` is how the audit trail names the
    demo's token (``token:ID``)."""
    earlier = _earlier(api, actor)
    if earlier is not None:
        return _shown_again(api, earlier)
    email = _candidate(api, brand, spare)
    if email is None:
        return ["privacy: no demo person with a verified email; nothing to erase"]
    request = api.post(DSR, {"kind": "erasure", "identifier_kind": "email", "identifier": email})
    shown, rid = _masked(request["requester"]), request["id"]
    lines = [f"privacy: erasure request {rid} opened by {shown} (person {request['person_id']}, "
             f"region {request['region']}, due {request['deadline'][:10]})"]
    if request["status"] == "rejected":
        return [*lines, f"  rejected: {request['reason']}"]
    lines.append(f"  token sent to {request['token_sent_to'].replace(':', ' ', 1)} via the "
                 "embedded notifier's outbox")
    api.post(f"{DSR}/{rid}/verify", {"token": outbox_token(cli, rid)})
    lines.append("  verified with the token from the outbox")
    try:
        done = api.post(f"{DSR}/{rid}/execute")
    except FrontofficeError as exc:
        return [*lines, f"  not executed: {exc}"]
    lines += ["  erased:", *_summary(done["outcome"] or {})]
    found = _lookup(api, email)
    lines.append(f"  lookup by {shown} now finds {'nobody' if not found else ', '.join(found)}")
    lines.append(f"  audit trail: {' → '.join(r['action'] for r in _actions(api, rid))}")
    return lines
