"""The insights use cases: run the detector over the rollups and log a flag for each new finding
(``insight.flagged``: webhook destinations follow it; a flag is about no person, so no segments
moment can), open its service task in the inbox (``insight.task_opened``), acknowledge or snooze
a flag (logged too), and read a slice's daily series. The flags are a fold of those events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import orjson

from frontoffice.domain.events import EventRecord, iso
from frontoffice.errors import InvalidInput, NotFound
from frontoffice.insights import acceptance, detect, queues, rates, suppliers
from frontoffice.insights.ports import INSIGHTS, DailyCell, Insights, ServiceTasks
from frontoffice.storage.port import AppendBatch

SOURCE = "frontoffice-insights"
# the metrics the rollup also counts by hour (``rollup.Fact.hour``), and the rates made of them
HOURLY = frozenset(
    {
        "responses",
        "first_response_minutes",
        "sla_missed",
        "sla_breaches",
        "shipments",
        "deliveries_late",
        "deliveries_failed",
    }
)
HOURLY_RATES = ("failed_delivery_rate", "late_delivery_rate", "sla_miss_rate")


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


def series(ins: Insights, ws: str, end: str, span: int) -> rates.Series:
    start = (date.fromisoformat(end) - timedelta(days=span - 1)).isoformat()
    found: dict[tuple[str, str, str], dict[str, rates.Cell]] = {}
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
    windows: rates.Windows | None = None,
    decisions: acceptance.Decisions | None = None,
    tasks: ServiceTasks | None = None,
) -> Run:
    """Catch the rollups up (and, given the decisions' log, the next-best-action acceptance of
    the days looked at), detect as of the end of ``as_of`` (default: the last day with data)
    and raise a flag for each finding that has no open one (an acknowledged flag comes back for a
    new episode, a snoozed one once its snooze is over). Given the inbox's ``tasks``, a flag
    raised for a new episode opens a service task in its team's queue (``queues``), once."""
    ins.catch_up(ws)
    as_of = as_of or ins.last_day(ws)
    if as_of is None:
        return Run(None, [], [])
    windows = windows or rates.Windows()
    if decisions is not None:
        acceptance.sync(ins, decisions, ws, as_of, windows.span)
    data = series(ins, ws, as_of, windows.span)
    findings = [*detect.detect(data, as_of, windows), *suppliers.price_conflicts(data, as_of, windows)]
    records, raised, episodes = [], [], []
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
        if status != "snoozed":  # back after its snooze: the same episode, whose task is open
            episodes.append(_doc(f, as_of))
    _log(ins, ws, records)
    if tasks is not None:
        _log(ins, ws, [_task(tasks, ws, doc, now) for doc in episodes])
    return Run(as_of, [_doc(f, as_of) for f in findings], raised)


def _task(tasks: ServiceTasks, ws: str, doc: dict[str, Any], now: datetime) -> EventRecord:
    """Open the flag's task for its episode (once: the key is the flag's and the episode's), and
    the event recording it on the flag."""
    team, tags = queues.queue(doc, lambda agent: tasks.team_of(ws, agent))
    episode = doc["since"] or doc["as_of"]
    subject, note = queues.text(ws, doc)
    task_id = tasks.open_for_team(
        ws, f"insight:{doc['flag_id']}:{episode}", team, subject, note, ("insight", *tags), now
    )
    payload = {"flag_id": doc["flag_id"], "task_id": task_id, "team": team, "episode": episode}
    return _record(f"insight-task:{doc['flag_id']}:{episode}", "insight.task_opened", payload, now)


def place(dimension: str, slice_: str) -> str:
    """Where a flag's rate moved, in words (``insights_where.html`` says it in the console)."""
    return "the whole workspace" if dimension == "all" else f"{dimension} {slice_}"


def _doc(f: rates.Finding, as_of: str) -> dict[str, Any]:
    best = min(f.comparisons, key=lambda c: c["q_value"] if c["q_value"] is not None else 0.0)
    where = place(f.dimension, f.slice)
    moved = (
        (
            f"{f.metric} of {where}: {best.get('rate', 0):.2%} against "
            f"{best.get('compared_rate', 0):.2%} ({best['against']})"
        )
        if "rate" in best
        else f"{f.metric} of {where}: {best['events']} since {f.since}"
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


def _parts(metric: str) -> tuple[rates.Rate | None, str]:
    """A metric's rate (None for a plain metric) and the metric counted as its numerator."""
    if metric.startswith("supplier_return_rate"):
        raise InvalidInput("A supplier comparison has no series; ask for return_rate of the product.")
    rate = next((r for r in rates.RATES if metric == r.name or metric.startswith(r.name + ":")), None)
    return rate, metric if rate is None else rate.numerator.rstrip(":") + metric[len(rate.name) :]


def _points(
    cells: Sequence[DailyCell], rate: rates.Rate | None, numerator: str, periods: list[str], key: str
) -> list[dict[str, Any]]:
    num = {c.day: c for c in cells if c.metric == numerator}
    den = {c.day: c for c in cells if rate is not None and c.metric == rate.denominator}
    out = []
    for p in periods:
        x = num[p].total if p in num else 0.0
        n: float | None = None
        if rate is not None:
            n = float((den[p].n if rate.by_count else den[p].total) if p in den else 0)
        out.append({key: p, "value": x, "exposure": n, "rate": (x / n) if n else None})
    return out


def _slice(cells: Sequence[DailyCell], dimension: str, slice_: str) -> list[DailyCell]:
    return [c for c in cells if c.dimension == dimension and c.slice == slice_]


def daily(
    ins: Insights, ws: str, metric: str, dimension: str, slice_: str, end: str | None, span: int
) -> list[dict[str, Any]]:
    """A rate's (or a metric's) daily series for one slice: numerator, denominator and rate."""
    end = end or ins.last_day(ws) or date.today().isoformat()
    rate, numerator = _parts(metric)
    periods = rates.days(end, span)
    wanted = [numerator, *([rate.denominator] if rate else [])]
    cells = _slice(ins.cells(ws, wanted, periods[0], end), dimension, slice_)
    return _points(cells, rate, numerator, periods, "day")


def hourly(
    ins: Insights, ws: str, metric: str, dimension: str, slice_: str, end: str, span: int
) -> list[dict[str, Any]]:
    """The same by UTC hour, the ``span`` hours up to the end of the day or hour ``end``, for
    the metrics rolled up by hour (first responses and the SLA, deliveries and their alerts)."""
    rate, numerator = _parts(metric)
    wanted = [numerator, *([rate.denominator] if rate else [])]
    if not set(wanted) <= HOURLY:
        raise InvalidInput(
            f"{metric} is rolled up by day only; by hour: {', '.join(sorted(HOURLY_RATES))} "
            "and the metrics they count."
        )
    if not 0 < span <= 24 * 35:
        raise InvalidInput("Ask for more than 0 and at most 840 hours (35 days).")
    last = datetime.fromisoformat(end if len(end) > 10 else f"{end}T23").replace(minute=0)
    periods = [(last - timedelta(hours=i)).strftime("%Y-%m-%dT%H") for i in range(span - 1, -1, -1)]
    cells = _slice(ins.hours(ws, wanted, periods[0], periods[-1]), dimension, slice_)
    return _points(cells, rate, numerator, periods, "hour")
