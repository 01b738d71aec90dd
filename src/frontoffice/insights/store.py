"""The insights tables on an open ``SqlStore`` (SQLAlchemy Core, rows by name): the log pages the
projection folds, the rollups it writes, the flags, and the reads of the API and the detector."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
import sqlalchemy as sa

from frontoffice.domain.events import EventRecord
from frontoffice.insights.ports import DailyCell, Fact
from frontoffice.insights.tables import PROJECTION_TABLES
from frontoffice.projection.contract import WorkspaceLocks
from frontoffice.storage import core
from frontoffice.storage.port import AppendBatch, AppendResult
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema

FAMILIES = ("commerce", "inbox", "insights")
EVIDENCE_CAP = 40  # ids kept per metric, slice and day


class InsightsWrites:
    """One transaction of the projection: references cached for the page, facts summed per cell
    and written once at the end (``flush``)."""

    def __init__(self, store: InsightsStore, conn: sa.Connection, ws: str) -> None:
        self.s, self.conn, self.ws = store, conn, ws
        self._refs: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._dirty: set[tuple[str, str]] = set()
        self._cells: dict[tuple[str, str, str, str], list[Any]] = {}  # by day
        self._hours: dict[tuple[str, str, str, str], list[Any]] = {}  # by hour

    def get(self, kind: str, ref_id: str) -> dict[str, Any] | None:
        key = (kind, ref_id)
        if key not in self._refs:
            row = self.conn.execute(self.s.ref_query, {"ws": self.ws, "kind": kind, "ref": ref_id}).first()
            self._refs[key] = orjson.loads(row.doc) if row else None
        found = self._refs[key]
        return dict(found) if found is not None else None

    def put(self, kind: str, ref_id: str, doc: Mapping[str, Any]) -> None:
        self._refs[(kind, ref_id)] = dict(doc)
        self._dirty.add((kind, ref_id))

    def add(self, fact: Fact) -> None:
        periods = [(self._cells, fact.day)] + ([(self._hours, fact.hour)] if fact.hour else [])
        for cells, period in periods:
            for dimension, value in fact.slices:
                cell = cells.setdefault((fact.metric, dimension, value, period), [0, 0.0, []])
                cell[0] += 1
                cell[1] += fact.value
                cell[2].extend(fact.evidence)

    def put_flag(self, row: Mapping[str, Any]) -> None:
        f = self.s.t("insights_flags")
        self.conn.execute(self.s.upsert(f, ("workspace_id", "flag_id"), {"workspace_id": self.ws, **row}))

    def flag_status(self, flag_id: str, status: str, until: str | None) -> None:
        f = self.s.t("insights_flags")
        self.conn.execute(
            f.update()
            .where(f.c.workspace_id == self.ws, f.c.flag_id == flag_id)
            .values(status=status, snoozed_until=until)
        )

    def flag_task(self, flag_id: str, task: Mapping[str, Any]) -> None:
        f = self.s.t("insights_flags")
        row = self.conn.execute(
            sa.select(f.c.doc).where(f.c.workspace_id == self.ws, f.c.flag_id == flag_id)
        ).first()
        if row is not None:
            doc = {**orjson.loads(row.doc), "task": dict(task)}
            self.conn.execute(
                f.update()
                .where(f.c.workspace_id == self.ws, f.c.flag_id == flag_id)
                .values(doc=orjson.dumps(doc).decode())
            )

    def flush(self, last_seq: int) -> None:
        """Write the page's references and cells, each table in one batched statement."""
        r, c = self.s.t("insights_refs"), self.s.t("insights_cursor")
        refs = [
            {
                "workspace_id": self.ws,
                "kind": kind,
                "ref_id": ref_id,
                "doc": orjson.dumps(self._refs[(kind, ref_id)]).decode(),
            }
            for kind, ref_id in sorted(self._dirty)
        ]
        if refs:
            self.conn.execute(self.s.upsert_many(r, ("workspace_id", "kind", "ref_id"), ("doc",)), refs)
        self.write_cells()
        self.conn.execute(
            self.s.upsert(c, ("workspace_id",), {"workspace_id": self.ws, "last_seq": last_seq})
        )

    def write_cells(self) -> None:
        self._add_cells(self.s.t("insights_daily"), "day", self._cells)
        self._add_cells(self.s.t("insights_hourly"), "hour", self._hours)

    def _add_cells(self, d: sa.Table, period: str, cells: dict[tuple[str, str, str, str], list[Any]]) -> None:
        """Add the page's cells to the ones stored (``period``: the table's day or hour column)."""
        if not cells:
            return
        metrics, periods = sorted({k[0] for k in cells}), sorted({k[3] for k in cells})
        old = {
            (x.metric, x.dimension, x.slice, x._mapping[period]): x
            for x in self.conn.execute(
                sa.select(d).where(
                    d.c.workspace_id == self.ws, d.c.metric.in_(metrics), d.c[period].in_(periods)
                )
            )
        }
        rows = []
        for key, (n, total, evidence) in cells.items():
            before = old.get(key)
            kept = orjson.loads(before.evidence) if before else []
            room = max(0, EVIDENCE_CAP - len(kept))
            kept += [e for e in dict.fromkeys(evidence) if e not in kept][:room]
            rows.append(
                {
                    "workspace_id": self.ws,
                    "metric": key[0],
                    "dimension": key[1],
                    "slice": key[2],
                    period: key[3],
                    "n": n + (before.n if before else 0),
                    "total": total + (before.total if before else 0.0),
                    "evidence": orjson.dumps(kept).decode(),
                }
            )
        keys = ("workspace_id", "metric", "dimension", "slice", period)
        self.conn.execute(self.s.upsert_many(d, keys, ("n", "total", "evidence")), rows)


class InsightsStore:
    """Reads and writes of the insights tables, and the log they fold."""

    def __init__(self, store: SqlStore) -> None:
        self.store, self.dialect = store, store.dialect
        self.lock = WorkspaceLocks()
        r = self.t("insights_refs")
        self.ref_query = sa.select(r.c.doc).where(
            r.c.workspace_id == sa.bindparam("ws"),
            r.c.kind == sa.bindparam("kind"),
            r.c.ref_id == sa.bindparam("ref"),
        )

    def t(self, name: str) -> sa.Table:
        return schema(self.dialect).tables[name]

    def upsert(self, table: sa.Table, keys: Sequence[str], values: dict[str, Any]) -> Any:
        ins = core.insert(table, self.dialect).values(**values)
        rest = {k: v for k, v in values.items() if k not in keys}
        return ins.on_conflict_do_update(index_elements=[table.c[k] for k in keys], set_=rest)

    def upsert_many(self, table: sa.Table, keys: Sequence[str], rest: Sequence[str]) -> Any:
        """An INSERT of many rows (executemany) that overwrites ``rest`` of the rows already there."""
        ins = core.insert(table, self.dialect)
        return ins.on_conflict_do_update(
            index_elements=[table.c[k] for k in keys], set_={k: ins.excluded[k] for k in rest}
        )

    def _all(self, query: sa.Executable) -> Sequence[sa.Row[Any]]:
        with self.store.connect() as conn:
            return conn.execute(query).all()

    @contextmanager
    def transaction(self, ws: str) -> Iterator[InsightsWrites]:
        with self.store.begin() as conn:
            yield InsightsWrites(self, conn, ws)

    def replace_cells(
        self, ws: str, metrics: Sequence[str], start: str, end: str, facts: Sequence[Fact]
    ) -> None:
        """Swap the daily cells of ``metrics`` from day ``start`` to day ``end`` for the facts'."""
        d = self.t("insights_daily")
        with self.transaction(ws) as tx:
            tx.conn.execute(
                d.delete().where(
                    d.c.workspace_id == ws, d.c.metric.in_(list(metrics)), d.c.day >= start, d.c.day <= end
                )
            )
            for fact in facts:
                tx.add(fact)
            tx.write_cells()

    # -- the log -------------------------------------------------------------------------
    def append(self, batch: AppendBatch) -> AppendResult:
        return self.store.append([batch])[0]

    def last_seq(self, ws: str) -> int:
        return self.store.last_seq(ws)

    def cursor_at(self, ws: str) -> int:
        c = self.t("insights_cursor")
        found = self._all(sa.select(c.c.last_seq).where(c.c.workspace_id == ws))
        return int(found[0].last_seq) if found else 0

    def log_page(self, ws: str, after: int, upto: int, limit: int) -> list[tuple[int, EventRecord]]:
        """The commerce, inbox and insights events after ``after`` up to ``upto``, opened (an
        erased person's read as type ``erased``)."""
        page = self.store.events(ws, after_seq=after, limit=limit, families=FAMILIES, upto=upto)
        return [(s.seq, s.record) for s in page]

    def reset(self, ws: str) -> None:
        with self.store.begin() as conn:
            for name in PROJECTION_TABLES:
                table = self.t(name)
                conn.execute(table.delete().where(table.c.workspace_id == ws))

    # -- reads ---------------------------------------------------------------------------
    def cells(self, ws: str, metrics: Sequence[str], start: str, end: str) -> list[DailyCell]:
        """Daily cells of ``metrics`` from ``start`` to ``end`` (ISO days, inclusive)."""
        return self._read(self.t("insights_daily"), "day", ws, metrics, start, end)

    def hours(self, ws: str, metrics: Sequence[str], start: str, end: str) -> list[DailyCell]:
        """Hourly cells of ``metrics`` from ``start`` to ``end`` ("YYYY-MM-DDTHH", inclusive)."""
        return self._read(self.t("insights_hourly"), "hour", ws, metrics, start, end)

    def _read(
        self, d: sa.Table, period: str, ws: str, metrics: Sequence[str], start: str, end: str
    ) -> list[DailyCell]:
        col = d.c[period]
        q = sa.select(d).where(
            d.c.workspace_id == ws, d.c.metric.in_(list(metrics)), col >= start, col <= end
        )
        return [
            DailyCell(
                r.metric,
                r.dimension,
                r.slice,
                r._mapping[period],
                int(r.n),
                float(r.total),
                orjson.loads(r.evidence),
            )
            for r in self._all(q.order_by(d.c.metric, d.c.dimension, d.c.slice, col))
        ]

    def metrics(self, ws: str) -> list[str]:
        d = self.t("insights_daily")
        return [
            r.metric
            for r in self._all(
                sa.select(d.c.metric).where(d.c.workspace_id == ws).distinct().order_by(d.c.metric)
            )
        ]

    def last_day(self, ws: str) -> str | None:
        d = self.t("insights_daily")
        found = self._all(sa.select(sa.func.max(d.c.day).label("last")).where(d.c.workspace_id == ws))
        return str(found[0].last) if found and found[0].last else None

    def flags(self, ws: str, statuses: Sequence[str] = ()) -> list[dict[str, Any]]:
        f = self.t("insights_flags")
        q = sa.select(f).where(f.c.workspace_id == ws)
        if statuses:
            q = q.where(f.c.status.in_(list(statuses)))
        return [_flag(r) for r in self._all(q.order_by(f.c.raised_at.desc(), f.c.flag_id))]

    def flag(self, ws: str, flag_id: str) -> dict[str, Any] | None:
        f = self.t("insights_flags")
        found = self._all(sa.select(f).where(f.c.workspace_id == ws, f.c.flag_id == flag_id))
        return _flag(found[0]) if found else None


def _flag(row: sa.Row[Any]) -> dict[str, Any]:
    return {
        **orjson.loads(row.doc),
        "flag_id": row.flag_id,
        "status": row.status,
        "raised_at": row.raised_at,
        "snoozed_until": row.snoozed_until,
    }
