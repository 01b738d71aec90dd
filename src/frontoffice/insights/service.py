"""The insights use cases: run the detector over the rollups and log a flag for each new finding
(``insight.flagged``: destinations and moments can follow it), acknowledge or snooze a flag
(logged too), and read a slice's daily series. The flags are a fold of those events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import orjson

from frontoffice.domain.events import EventRecord, iso
from frontoffice.errors import InvalidInput, NotFound
from frontoffice.insights import detect
from frontoffice.insights.ports import INSIGHTS, Insights
from frontoffice.storage.port import AppendBatch

SOURCE = "frontoffice-insights"


@dataclass(frozen=True, slots=True)
class Run:
    as_of: str | None
    findings: list[dict[str, Any]]
    raised: list[str]  # the flag ids this run raised (the others were already open or put aside)


def _record(message_id: str, etype: str, payload: dict[str, Any], at: datetime) -> EventRecord:
    when = iso(at)
    return EventRecord(
        message_id=message_id,
        family=INSIGHTS,
        type=etype,
        event=None,
        user_id=None,
        anonymous_id=None,
        previous_id=None,
        group_id=None,
        timestamp=when,
        original_timestamp=None,
        sent_at=None,
        received_at=when,
        payload=orjson.dumps(payload),
    )


def _log(ins: Insights, ws: str, records: list[EventRecord]) -> int:
    if not records:
        return 0
    result = ins.append(AppendBatch(ws, SOURCE, records, origin="insights"))
    ins.catch_up(ws)
    return result.inserted


def series(ins: Insights, ws: str, end: str, span: int) -> detect.Series:
    start = (date.fromisoformat(end) - timedelta(days=span - 1)).isoformat()
    found: dict[tuple[str, str, str], dict[str, detect.Cell]] = {}
    for row in ins.cells(ws, ins.metrics(ws), start, end):
        found.setdefault((row.metric, row.dimension, row.slice), {})[row.day] = (
            row.n,
            row.total,
            row.evidence,
        )
    return found


def run(
    ins: Insights,
    ws: str,
    now: datetime,
    as_of: str | None = None,
    windows: detect.Windows | None = None,
) -> Run:
    """Catch the rollups up, detect as of the end of ``as_of`` (default: the last day with data)
    and raise a flag for each finding that has no open one (an acknowledged flag comes back for a
    new episode, a snoozed one once its snooze is over)."""
    ins.catch_up(ws)
    as_of = as_of or ins.last_day(ws)
    if as_of is None:
        return Run(None, [], [])
    windows = windows or detect.Windows()
    data = series(ins, ws, as_of, windows.span)
    findings = [*detect.detect(data, as_of, windows), *detect.price_conflicts(data, as_of, windows)]
    records, raised = [], []
    for f in findings:
        existing = ins.flag(ws, f.flag_id)
        status = existing["status"] if existing else None
        episode = f.since or as_of
        if (
            status == "open"
            or (status == "snoozed" and existing and existing["snoozed_until"] > iso(now))
            or (status == "acknowledged" and existing and episode <= existing["as_of"])
        ):
            continue  # one open flag per metric and slice; an acknowledged one back only for a new shift
        message_id = f"flag:{f.flag_id}:{episode}" + (f":{as_of}" if status == "snoozed" else "")
        records.append(_record(message_id, "insight.flagged", {**_doc(f, as_of), "raised_at": iso(now)}, now))
        raised.append(f.flag_id)
    _log(ins, ws, records)
    return Run(as_of, [_doc(f, as_of) for f in findings], raised)


def _doc(f: detect.Finding, as_of: str) -> dict[str, Any]:
    best = min(f.comparisons, key=lambda c: c["q_value"] if c["q_value"] is not None else 0.0)
    moved = (
        (
            f"{f.metric} of {f.dimension} {f.slice}: {best.get('rate', 0):.2%} against "
            f"{best.get('compared_rate', 0):.2%} ({best['against']})"
        )
        if "rate" in best
        else f"{f.metric} of {f.dimension} {f.slice}: {best['events']} since {f.since}"
    )
    return {
        "flag_id": f.flag_id,
        "metric": f.metric,
        "dimension": f.dimension,
        "slice": f.slice,
        "since": f.since,
        "as_of": as_of,
        "summary": moved,
        "comparisons": f.comparisons,
        "evidence": f.evidence,
    }


def flag(ins: Insights, ws: str, flag_id: str) -> dict[str, Any]:
    found = ins.flag(ws, flag_id)
    if found is None:
        raise NotFound(f"No flag {flag_id!r} in this workspace; list them with `frontoffice insights flags`.")
    return found


def acknowledge(ins: Insights, ws: str, flag_id: str, by: str, now: datetime) -> dict[str, Any]:
    flag(ins, ws, flag_id)
    _log(
        ins,
        ws,
        [
            _record(
                f"ack:{flag_id}:{iso(now)}",
                "insight.acknowledged",
                {"flag_id": flag_id, "by": by, "at": iso(now)},
                now,
            )
        ],
    )
    return flag(ins, ws, flag_id)


def snooze(ins: Insights, ws: str, flag_id: str, hours: float, by: str, now: datetime) -> dict[str, Any]:
    if not 0 < hours <= 24 * 90:
        raise InvalidInput("Snooze a flag for more than 0 and at most 2160 hours (90 days).")
    flag(ins, ws, flag_id)
    until = iso(now + timedelta(hours=hours))
    _log(
        ins,
        ws,
        [
            _record(
                f"snooze:{flag_id}:{iso(now)}",
                "insight.snoozed",
                {"flag_id": flag_id, "by": by, "at": iso(now), "until": until},
                now,
            )
        ],
    )
    return flag(ins, ws, flag_id)


def daily(
    ins: Insights, ws: str, metric: str, dimension: str, slice_: str, end: str | None, span: int
) -> list[dict[str, Any]]:
    """A rate's (or a metric's) daily series for one slice: numerator, denominator and rate."""
    end = end or ins.last_day(ws) or date.today().isoformat()
    rate = next((r for r in detect.RATES if metric == r.name or metric.startswith(r.name + ":")), None)
    if metric.startswith("supplier_return_rate"):
        raise InvalidInput("A supplier comparison has no daily series; ask for return_rate of the product.")
    numerator = metric if rate is None else rate.numerator.rstrip(":") + metric[len(rate.name) :]
    data = series(ins, ws, end, span)
    num, den = (
        data.get((numerator, dimension, slice_), {}),
        data.get((rate.denominator, dimension, slice_), {}) if rate else {},
    )
    out = []
    for d in detect.days(end, span):
        x = num[d][1] if d in num else 0.0
        n: float | None = None
        if rate is not None:
            n = float((den[d][0] if rate.by_count else den[d][1]) if d in den else 0)
        out.append({"day": d, "value": x, "exposure": n, "rate": (x / n) if n else None})
    return out
