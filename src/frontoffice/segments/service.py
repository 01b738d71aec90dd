"""Segments' use cases: define traits and segments (versioned, checked), preview a definition
before saving it, run every segment in batch, compare batch with real time, read memberships."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from frontoffice.errors import NotFound
from frontoffice.segments.catalog import Catalog, Segment, check_segment, load
from frontoffice.segments.conditions import Condition, references, text
from frontoffice.segments.evaluate import compute
from frontoffice.segments.model import InvalidDefinition, check_name, known_keys, parse_trait
from frontoffice.segments.ports import SegmentsData

SAMPLE = 10


def catalog(data: SegmentsData, ws: str) -> Catalog:
    return load(data.definitions(ws, "trait"), data.definitions(ws, "segment"))


def define_trait(data: SegmentsData, ws: str, doc: Any, at: str) -> dict[str, Any]:
    """Save a computed trait (a new version when it exists); everyone is re-evaluated."""
    d = parse_trait(doc)
    version = data.save_definition(ws, "trait", d.name, d.as_dict(), at)
    data.touch_all(ws, f"trait {d.name} v{version} saved")
    return {"name": d.name, "version": version, "definition": d.as_dict()}


def _segment_doc(doc: Any) -> tuple[str, Any, str]:
    if not isinstance(doc, dict):
        raise InvalidDefinition("$", 'a segment is {"name": ..., "condition": {...}, "description": ...}.')
    known_keys(doc, "$", {"name", "condition", "description"})
    name = check_name(doc.get("name"), "$.name", "segment")
    if "condition" not in doc:
        raise InvalidDefinition("$.condition", "a segment needs a condition.")
    description = doc.get("description", "")
    if not isinstance(description, str):
        raise InvalidDefinition("$.description", "a description is a string.")
    return name, doc["condition"], description


def _prefixed(error: InvalidDefinition) -> InvalidDefinition:
    return InvalidDefinition("$.condition" + error.path[1:], str(error).split(": ", 1)[1])


def define_segment(data: SegmentsData, ws: str, doc: Any, at: str) -> dict[str, Any]:
    """Save a segment (checked against the active traits and segments); everyone is re-evaluated,
    so memberships follow the new definition at once."""
    name, raw, description = _segment_doc(doc)
    try:
        condition = check_segment(name, raw, catalog(data, ws))
    except InvalidDefinition as exc:
        raise _prefixed(exc) from None
    version = data.save_definition(ws, "segment", name, {"condition": raw, "description": description}, at)
    data.touch_all(ws, f"segment {name} v{version} saved")
    return {"name": name, "version": version, "text": text(condition), "condition": raw}


def delete(data: SegmentsData, ws: str, kind: str, name: str) -> None:
    if kind == "trait":
        users = [s.name for s in catalog(data, ws).segments if name in references(s.condition)[0]]
        if users:
            raise InvalidDefinition("$", f"segments {', '.join(users)} read trait {name}; change them first.")
    if kind == "segment":
        users = [s.name for s in catalog(data, ws).segments if name in references(s.condition)[1]]
        if users:
            raise InvalidDefinition("$", f"segments {', '.join(users)} read segment {name}; "
                                         "change them first.")
    if not data.deactivate(ws, kind, name):
        raise NotFound(f"No active {kind} {name!r}; `frontoffice {kind}s list` shows them.")
    data.touch_all(ws, f"{kind} {name} deleted")


@dataclass(frozen=True, slots=True)
class Preview:
    size: int
    sample: list[str]
    text: str
    sql: str


def _batch(data: SegmentsData, ws: str, cat: Catalog, condition: Condition,
           now: int) -> tuple[list[str], str]:
    from frontoffice.segments.compiler import Compiler, render  # sqlglot (~0.15 s): batch only

    sql = render(Compiler(ws, now, cat.trait_defs, cat.conditions).members(condition), data.dialect)
    return data.run(sql), sql


def preview(data: SegmentsData, ws: str, doc: Any, now: int, sample: int = SAMPLE) -> Preview:
    """Size and a sample of a definition before saving it (compiled and run in batch)."""
    name, raw, _ = _segment_doc(doc)
    cat = catalog(data, ws)
    try:
        condition = check_segment(name, raw, Catalog(cat.traits, [s for s in cat.segments if s.name != name]))
    except InvalidDefinition as exc:
        raise _prefixed(exc) from None
    members, sql = _batch(data, ws, cat, condition, now)
    return Preview(len(members), members[:sample], text(condition), sql)


SHARD_EVENTS = 200_000  # a shard of fewer events than this costs more to compile than it saves


def batch_sql(data: SegmentsData, ws: str, now: int,
              shards: int | None = None) -> tuple[list[str], list[str]]:
    """The active segments' names and the queries selecting every person's memberships: one query
    for all segments, over ``shards`` ranges of person ids of about as many events each (default:
    one a CPU, up to 8, of at least ``SHARD_EVENTS`` events each)."""
    from frontoffice.segments.compiler import Compiler, render  # sqlglot (~0.15 s): batch only

    cat = catalog(data, ws)
    if not cat.segments:
        return [], []
    cut = (data.person_splits(ws, min(os.cpu_count() or 1, 8), SHARD_EVENTS) if shards is None
           else data.person_splits(ws, shards))
    bounds: list[str | None] = [None, *cut, None]
    queries = [Compiler(ws, now, cat.trait_defs, cat.conditions, (low, high)).memberships(
        [s.condition for s in cat.segments]) for low, high in itertools.pairwise(bounds)]
    return [s.name for s in cat.segments], [render(q, data.dialect) for q in queries]


def batch(data: SegmentsData, ws: str, now: int, shards: int | None = None) -> dict[str, list[str]]:
    """Every active segment's members over all people, by one compiled query a shard of people
    (the shards run at once): the per-person quantities the segments read are computed once, in a
    few passes over the events."""
    names, queries = batch_sql(data, ws, now, shards)
    return data.memberships(queries, names) if names else {}


def agreement(data: SegmentsData, ws: str, now: int, limit: int = 1_000_000) -> dict[str, dict[str, Any]]:
    """Per segment: the real-time members, the batch members, and those only one side has."""
    out = {}
    for name, batch_members in batch(data, ws, now).items():
        live = {m["person_id"] for m in data.members(ws, name, limit)}
        both = set(batch_members)
        out[name] = {"realtime": len(live), "batch": len(both), "only_realtime": sorted(live - both)[:SAMPLE],
                     "only_batch": sorted(both - live)[:SAMPLE], "agree": live == both}
    return out


def segments_overview(data: SegmentsData, ws: str) -> list[dict[str, Any]]:
    sizes = data.sizes(ws)
    return [_describe(s, sizes.get(s.name, 0)) for s in catalog(data, ws).segments]


def _describe(s: Segment, size: int) -> dict[str, Any]:
    return {"name": s.name, "version": s.version, "size": size, "text": text(s.condition),
            "description": s.description}


def segment(data: SegmentsData, ws: str, name: str) -> dict[str, Any]:
    versions = data.versions(ws, "segment", name)
    if not versions:
        raise NotFound(f"No segment {name!r}; `frontoffice segments list` shows them.")
    cat = catalog(data, ws)
    found = next((s for s in cat.segments if s.name == name), None)
    out: dict[str, Any] = {"name": name, "active": found is not None,
                           "versions": [{"version": v.version, "created_at": v.created_at, "active": v.active,
                                         "condition": v.body["condition"]} for v in versions]}
    if found is not None:
        out |= _describe(found, data.sizes(ws).get(name, 0))
    return out


def traits_overview(data: SegmentsData, ws: str) -> list[dict[str, Any]]:
    return [{"name": name, "version": version, "op": d.op, "kind": d.kind, "definition": d.as_dict()}
            for name, (d, version) in sorted(catalog(data, ws).traits.items())]


def person(data: SegmentsData, ws: str, person_id: str, now_ms: int | None = None) -> Mapping[str, Any]:
    """A person's computed traits (each explained), segments and membership history. A trait none
    of whose events the person has is not stored (``assess``): it is its value over no events, as
    of ``now_ms`` (now)."""
    traits = {v["trait"]: v for v in data.values(ws, person_id)}
    if traits or data.person_events(ws, [person_id])[person_id]:
        now = int(time.time() * 1000) if now_ms is None else now_ms
        for name, (d, version) in catalog(data, ws).traits.items():
            if name not in traits:
                none = compute(d, (), now)
                traits[name] = {"trait": name, "value": none.value, "explain": none.explain(d, version, now)}
    return {"person_id": person_id, "traits": [traits[name] for name in sorted(traits)],
            "segments": sorted(data.members_of(ws, [person_id])[person_id]),
            "history": data.history(ws, person_id=person_id)}


def size_over_time(data: SegmentsData, ws: str, name: str) -> list[dict[str, Any]]:
    """The segment's size at the end of each day it changed, from its membership history."""
    size, out = 0, []
    for day, entered, exited in data.daily_changes(ws, name):
        size += entered - exited
        out.append({"day": day, "entered": entered, "exited": exited, "size": size})
    return out
