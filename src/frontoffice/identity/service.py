"""Identity use cases shared by the API and the CLI: resolve, look up, show, split, merge, export."""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import orjson

from frontoffice.commerce.records import customer_keys
from frontoffice.commerce.service import traits_for
from frontoffice.commerce.store import CommerceStore
from frontoffice.domain.events import EventRecord, StoredEvent, iso, now
from frontoffice.errors import InvalidInput, NotFound
from frontoffice.identity.extract import normalise_identifier
from frontoffice.identity.hub import IdentityHub as IdentityHub  # noqa: PLC0414 - re-exported
from frontoffice.identity.model import IdKind
from frontoffice.identity.ports import Hub, IdentityReads, Log, RecordRow
from frontoffice.identity.review import MERGE, SPLIT, ManualDecision, identity_source
from frontoffice.identity.store import IdentitySql
from frontoffice.normalise import Invalid
from frontoffice.projection.contract import ProjectionMoved
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore

KINDS = ", ".join(k.value for k in IdKind)


def parse_kind(kind: str) -> IdKind:
    try:
        return IdKind(kind)
    except ValueError:
        raise InvalidInput(f"Unknown identifier kind {kind!r}; use one of: {KINDS}.") from None


def lookup(store: SqlStore, workspace_id: str, kind: str, value: str,
           country: str | None = None) -> list[str]:
    """The people holding an identifier, normalised the way resolution normalises it."""
    parsed = parse_kind(kind)
    result = normalise_identifier(parsed, value, country)
    if isinstance(result, Invalid):
        raise InvalidInput(f"{kind} {value!r} cannot identify anyone ({result.reason.value}"
                           f"{': ' + result.detail if result.detail else ''}).")
    return IdentitySql(store).lookup(workspace_id, parsed.value, result.value)


def find(store: SqlStore, workspace_id: str, reference: str) -> str:
    """A person id (old ids follow their merge) or ``kind:value``; exactly one person."""
    sql = IdentitySql(store)
    live = sql.resolve_id(workspace_id, reference)
    if live is not None:
        return live
    kind, sep, value = reference.partition(":")
    if not sep:
        kind, value = ("email", reference) if "@" in reference else ("user_id", reference)
    found = lookup(store, workspace_id, kind, value)
    if not found:
        raise NotFound(f"No person with {kind} {value!r}. Has `frontoffice resolve` run since it arrived?")
    if len(found) > 1:
        raise NotFound(f"{kind} {value!r} belongs to {len(found)} people ({', '.join(found)}): "
                       "it was not allowed to merge them; ask for one by person id.")
    return found[0]


def require_person(store: SqlStore, workspace_id: str, person_id: str) -> str:
    return _require(IdentitySql(store), workspace_id, person_id)


def _require(people: IdentityReads, workspace_id: str, person_id: str) -> str:
    live = people.resolve_id(workspace_id, person_id)
    if live is None:
        raise NotFound(f"No person {person_id!r}; find one with GET .../people/lookup?kind=email&value=...")
    return live


def profile(store: SqlStore, workspace_id: str, person_id: str) -> dict[str, Any]:
    sql = IdentitySql(store)
    pid = require_person(store, workspace_id, person_id)
    found = sql.person(workspace_id, pid)
    if found is None:
        raise NotFound(f"No person {person_id!r}.")
    traits, count, first, last = found
    records = sql.person_records(workspace_id, pid)
    identifiers = sql.identifiers(workspace_id, pid)
    return {
        "person_id": pid, "requested_id": person_id, "record_count": count, "first_seen": first,
        "last_seen": last, "traits": traits,
        "identifiers": [{"kind": k, "value": v} for k, v in identifiers],
        "records": [{"record_id": r.record_id, "source_id": r.source_id, "seq": r.seq,
                     "observed_at": r.observed_at} for r in records],
        "commerce": commerce_traits(store, workspace_id, identifiers, records),
    }


def commerce_traits(store: SqlStore, workspace_id: str, identifiers: Iterable[tuple[str, str]],
                    records: Iterable[RecordRow]) -> dict[str, Any]:
    """The person's commerce traits, read from the commerce projection through every commerce
    customer key their identifiers map to; an order reachable by several keys counts once."""
    usable = set(identifiers)
    keys = person_commerce_keys(usable, _raw_contacts(store, workspace_id, usable, records))
    return {"customer_keys": keys, **traits_for(CommerceStore(store), workspace_id, keys)}


def person_commerce_keys(identifiers: Iterable[tuple[str, str]],
                         raw_contacts: Iterable[tuple[str, str]] = ()) -> list[str]:
    """Commerce customer keys (``user_id:``, ``email:``, ``phone:``, ``buyer_id:``) for a person's
    usable identifiers, made by the commerce normaliser (``records.customer_keys``) so both
    sides spell a key alike. A phone is its E.164 digits and their ``00`` international form; a
    marketplace buyer drops its marketplace (commerce keys carry none). ``raw_contacts`` are
    emails and phones as the person's records sent them: identity folds an email to its mailbox
    (Gmail dots, ``+tags``), commerce only lower-cases it, so both spellings are looked up."""
    found: list[str] = []
    for kind, value in (*identifiers, *raw_contacts):
        if kind == IdKind.USER_ID:
            found += customer_keys({"user_id": value})
        elif kind == IdKind.EMAIL:
            found += customer_keys({"email": value})
        elif kind == IdKind.PHONE:
            digits = "".join(ch for ch in value if ch.isdigit())
            found += customer_keys({"phone": value})
            if value.startswith("+"):
                found += customer_keys({"phone": "00" + digits})
        elif kind == IdKind.MARKETPLACE_BUYER:
            found += customer_keys({"buyer_id": value.partition(":")[2]})
    return sorted(set(found))


def _raw_contacts(store: SqlStore, workspace_id: str, usable: set[tuple[str, str]],
                  records: Iterable[RecordRow]) -> list[tuple[str, str]]:
    """Emails and phones as written on the person's records that carry a usable one (a generic
    or blocked value never reaches commerce)."""
    carried_by: dict[int, set[tuple[str, str]]] = {}
    for row in records:
        carried = {(k, v) for k, v in orjson.loads(row.data)["i"]
                   if k in (IdKind.EMAIL, IdKind.PHONE)} & usable
        if carried:
            carried_by[row.seq] = carried
    out: list[tuple[str, str]] = []
    for event in store.events_at(workspace_id, sorted(carried_by)):  # one query per 500 records
        carried = carried_by[event.seq]
        payload = orjson.loads(event.record.payload)
        traits = {**_mapping(_mapping(payload.get("context")).get("traits")),
                  **_mapping(payload.get("traits"))}
        phone = traits.get("phone")
        if isinstance(phone, str) and any(k == IdKind.PHONE for k, _ in carried):
            out.append((IdKind.PHONE.value, phone))  # the record's phone identifier came from it
        for raw in (traits.get("email"), event.record.anonymous_id):
            if isinstance(raw, str) and "@" in raw and (IdKind.EMAIL.value, _mailbox(raw)) in usable:
                out.append((IdKind.EMAIL.value, raw))
    return out


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _mailbox(raw: str) -> str | None:
    result = normalise_identifier(IdKind.EMAIL, raw)
    return None if isinstance(result, Invalid) else result.value


def identity_graph(store: SqlStore, workspace_id: str, person_id: str) -> dict[str, Any]:
    """Nodes are records and identifiers; an edge says a record carries an identifier and
    whether that identifier may merge; merges and conflicts carry their evidence."""
    sql = IdentitySql(store)
    pid = require_person(store, workspace_id, person_id)
    usable = set(sql.identifiers(workspace_id, pid))
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    seen: set[str] = set()
    for record in sql.person_records(workspace_id, pid):
        nodes.append({"id": record.record_id, "type": "record", "source_id": record.source_id,
                      "observed_at": record.observed_at})
        for kind, value in orjson.loads(record.data)["i"]:
            key = f"{kind}:{value}"
            if key not in seen:
                seen.add(key)
                nodes.append({"id": key, "type": "identifier", "kind": kind, "value": value,
                              "used_to_merge": (kind, value) in usable})
            edges.append({"from": record.record_id, "to": key, "type": "carries"})
    decisions = [{"kind": h["kind"], "others": h["others"], "evidence": h["evidence"]}
                 for h in sql.history(workspace_id, [pid]) if h["kind"] in {"merged", "conflict", "split"}]
    return {"person_id": pid, "nodes": nodes, "edges": edges, "decisions": decisions}


def timeline(store: SqlStore, workspace_id: str, person_id: str, limit: int) -> tuple[str, list[StoredEvent]]:
    pid = require_person(store, workspace_id, person_id)
    return pid, IdentitySql(store).timeline(workspace_id, pid, limit)


def history(store: SqlStore, workspace_id: str, person_id: str) -> list[dict[str, Any]]:
    pid = require_person(store, workspace_id, person_id)
    return IdentitySql(store).history(workspace_id, [pid, person_id])


def split(log: Log, hub: Hub, workspace_id: str, person_id: str, record_ids: list[str],
          reason: str) -> list[str]:
    """Split ``record_ids`` off the person: they never share a person with the rest again."""
    people = hub.tables
    pid = _require(people, workspace_id, person_id)
    members = [r.record_id for r in people.person_records(workspace_id, pid)]
    off = set(record_ids)
    unknown = sorted(off - set(members))
    if unknown or not off:
        raise InvalidInput(f"Record(s) {', '.join(unknown) or '(none)'} are not records of {pid}; "
                           f"see GET .../people/{pid} for its records.")
    rest = [r for r in members if r not in off]
    if not rest:
        raise InvalidInput("Splitting off every record would leave nothing; name fewer records.")
    record_decision(log, hub, workspace_id, ManualDecision(
        SPLIT, tuple(sorted(off)), tuple(rest), reason or "split by a person", iso(now())).record())
    return sorted(set(people.persons_of(workspace_id, [*off, rest[0]]).values()))


def merge(log: Log, hub: Hub, workspace_id: str, person_id: str, other_id: str, reason: str) -> str:
    """Merge two people by a person's decision (overrides limits and conflicts, not splits)."""
    people = hub.tables
    a, b = _require(people, workspace_id, person_id), _require(people, workspace_id, other_id)
    if a == b:
        return a
    first_a = people.person_records(workspace_id, a)[0].record_id
    first_b = people.person_records(workspace_id, b)[0].record_id
    record_decision(log, hub, workspace_id, ManualDecision(
        MERGE, (first_a,), (first_b,), reason or "merged by a person", iso(now())).record())
    return _require(people, workspace_id, a)


def record_decision(log: Log, hub: Hub, workspace_id: str, decision: EventRecord) -> None:
    """A person's decision (split, merge, a reviewer's accept or reject) is an event of the log,
    so every rebuild applies it again at its place; then it is projected at once."""
    log.append([AppendBatch(workspace_id, identity_source(workspace_id), [decision], origin="identity")])
    with contextlib.suppress(ProjectionMoved):  # then the worker applies it on its next round
        hub.catch_up(workspace_id)


def export(store: SqlStore, workspace_id: str, folder: Path, fmt: str) -> dict[str, Path]:
    """``people.<fmt>`` (golden record as JSON per person) and ``mapping.<fmt>`` (record → person)."""
    if fmt not in {"csv", "parquet"}:
        raise InvalidInput(f"Unknown export format {fmt!r}; use csv or parquet.")
    sql = IdentitySql(store)
    folder.mkdir(parents=True, exist_ok=True)
    people = [{"person_id": pid, "record_count": n, "first_seen": first, "last_seen": last,
               "traits": orjson.dumps(traits).decode()}
              for pid, traits, n, first, last in sql.iter_persons(workspace_id)]
    mapping = [{"record_id": rid, "source_id": src, "person_id": pid}
               for rid, src, pid in sql.mapping(workspace_id)]
    out = {}
    for name, rows, columns in (("people", people, ["person_id", "record_count", "first_seen",
                                                     "last_seen", "traits"]),
                                ("mapping", mapping, ["record_id", "source_id", "person_id"])):
        path = folder / f"{name}.{fmt}"
        if fmt == "csv":
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns)
                writer.writeheader()
                writer.writerows(rows)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.Table.from_pylist(rows) if rows else pa.table({c: [] for c in columns}), path)
        out[name] = path
    return out
