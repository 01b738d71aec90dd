"""``storage.prepared.rows`` reads through the driver what ``conn.execute`` reads through SQLAlchemy,
on both backends, and leaves to SQLAlchemy every statement whose values it would convert."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa

from frontoffice.storage import prepared
from frontoffice.storage.core import MAX_BOUND
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema

NAMES = ["Zoë", "東京", "🍣 sushi", "O'Brien", "plain", None]  # None: a NULL ref


def _entities(store: SqlStore) -> sa.Table:
    return schema(store.dialect).tables["commerce_entities"]


def _fill(store: SqlStore, n: int = 40) -> None:
    e = _entities(store)
    with store.begin() as conn:
        conn.execute(e.insert(), [{"workspace_id": "w", "kind": "product", "entity_id": f"e{i:03}",
                                   "version": i, "ref": NAMES[i % len(NAMES)],
                                   "doc": f'{{"name": "{NAMES[i % 5]} {i}"}}'} for i in range(n)])


def _named(store: SqlStore) -> Any:
    e = _entities(store).c
    return (sa.select(e.entity_id, e.version, e.ref, e.doc)
            .where(e.workspace_id == sa.bindparam("ws"), e.kind == sa.bindparam("kind"),
                   e.entity_id.in_(sa.bindparam("ids", expanding=True)))
            .order_by(e.entity_id))


def _same(store: SqlStore, statement: Any, params: dict[str, Any]) -> list[Any]:
    """The prepared rows, after checking they are SQLAlchemy's: values, order and field names."""
    with store.connect() as conn:
        expected = conn.execute(statement, params).all()
        got = prepared.rows(conn, statement, params)
    assert [tuple(r) for r in got] == [tuple(r) for r in expected]
    assert all(r._fields == s._fields for r, s in zip(got, expected, strict=True))
    return got


def _driven(found: list[Any]) -> bool:
    """Whether the rows were read by the driver directly (SQLAlchemy's own are ``sa.Row``)."""
    return bool(found) and not any(isinstance(r, sa.Row) for r in found)


@pytest.mark.parametrize("length", [1, 2, 3, 17, prepared.MAX_EXPANDED])
def test_a_prepared_read_answers_what_sqlalchemy_answers_for_each_length_of_its_in_list(
        store: SqlStore, length: int) -> None:
    _fill(store)
    ids = [f"e{i:03}" for i in range(length)]  # the first 40 exist, the rest do not
    found = _same(store, _named(store), {"ws": "w", "kind": "product", "ids": ids})
    assert len(found) == min(length, 40)
    assert _driven(found)
    assert {r.ref for r in found} >= ({None, "東京", "🍣 sushi"} if length >= 40 else set())


def test_a_read_with_the_longest_chunk_answers_the_same_through_sqlalchemy(store: SqlStore) -> None:
    _fill(store)
    ids = [f"e{i:03}" for i in range(MAX_BOUND)]
    found = _same(store, _named(store), {"ws": "w", "kind": "product", "ids": ids})
    assert len(found) == 40 and not _driven(found)  # beyond MAX_EXPANDED: SQLAlchemy's own


def test_a_prepared_read_of_nothing_answers_nothing(store: SqlStore) -> None:
    _fill(store)
    assert _same(store, _named(store), {"ws": "w", "kind": "product", "ids": ["absent"]}) == []
    assert _same(store, _named(store), {"ws": "w", "kind": "product", "ids": []}) == []
    assert _same(store, _named(store), {"ws": "other", "kind": "product", "ids": ["e001"]}) == []


def test_a_prepared_read_keeps_nulls_and_text_in_any_script(store: SqlStore) -> None:
    _fill(store, 6)
    e = _entities(store).c
    by_ref = sa.select(e.entity_id, e.ref).where(e.workspace_id == sa.bindparam("ws"),
                                                 e.ref.in_(sa.bindparam("refs", expanding=True)))
    found = _same(store, by_ref, {"ws": "w", "refs": ["Zoë", "東京", "🍣 sushi"]})
    assert sorted(r.ref for r in found) == sorted(["Zoë", "東京", "🍣 sushi"]) and _driven(found)
    nulls = sa.select(e.entity_id, e.ref).where(e.workspace_id == sa.bindparam("ws"), e.ref.is_(None))
    assert [r.ref for r in _same(store, nulls, {"ws": "w"})] == [None]


def test_statements_with_fixed_values_repeated_names_and_sums_read_alike(store: SqlStore) -> None:
    _fill(store)
    e = _entities(store).c
    fixed = (sa.select(e.ref, sa.func.sum(e.version).label("total"), sa.func.count().label("n"))
             .where(e.workspace_id == "w", e.kind.in_(("product", "pool")),
                    e.entity_id.in_(sa.bindparam("ids", expanding=True)))
             .group_by(e.ref).order_by(e.ref))
    assert _driven(_same(store, fixed, {"ids": ["e001", "e002", "e007", "e008"]}))
    ranges = sa.union(*(sa.select(e.entity_id).where(
        e.workspace_id == sa.bindparam("ws"), e.entity_id >= sa.bindparam(f"low{i}"),
        e.entity_id < sa.bindparam(f"high{i}")) for i in range(2)))
    found = _same(store, ranges, {"ws": "w", "low0": "e001", "high0": "e004", "low1": "e030",
                                  "high1": "e032"})
    assert sorted(r.entity_id for r in found) == ["e001", "e002", "e003", "e030", "e031"]
    with store.connect() as conn:
        assert sorted(prepared.scalars(conn, ranges, {"ws": "w", "low0": "e001", "high0": "e003",
                                                      "low1": "e1", "high1": "e2"})) == ["e001", "e002"]


def test_a_prepared_read_in_an_open_transaction_sees_its_uncommitted_rows(store: SqlStore) -> None:
    _fill(store, 3)
    e = _entities(store)
    statement = _named(store)
    params = {"ws": "w", "kind": "product", "ids": ["e001", "new"]}

    class Undone(Exception):
        pass

    with pytest.raises(Undone), store.begin() as conn:
        conn.execute(e.insert().values(workspace_id="w", kind="product", entity_id="new", version=1,
                                       ref=None, doc="{}"))
        found = prepared.rows(conn, statement, params)
        assert [r.entity_id for r in found] == ["e001", "new"] and _driven(found)
        raise Undone
    assert [r.entity_id for r in _same(store, statement, params)] == ["e001"]


class _Shout(sa.TypeDecorator[str]):
    impl = sa.Text
    cache_ok = True

    def process_result_value(self, value: str | None, dialect: sa.Dialect) -> str | None:
        return None if value is None else value.upper()

    def process_bind_param(self, value: str | None, dialect: sa.Dialect) -> str | None:
        return None if value is None else value.lower()


def test_a_statement_whose_values_are_converted_is_left_to_sqlalchemy(store: SqlStore) -> None:
    _fill(store, 6)
    e = _entities(store).c
    ws: sa.BindParameter[str] = sa.bindparam("ws")
    converted = [  # a result column, a bound value, a number PostgreSQL's driver reads by its type
        sa.select(e.entity_id, sa.type_coerce(e.ref, _Shout()).label("ref")).where(e.workspace_id == ws),
        sa.select(e.entity_id).where(e.workspace_id == ws,
                                     e.entity_id == sa.bindparam("id", type_=_Shout())),
        sa.select(e.entity_id, sa.cast(e.version, sa.Numeric(12, 2)).label("amount"))
        .where(e.workspace_id == ws),
    ]
    for statement in converted:
        found = _same(store, statement, {"ws": "w", "id": "E001"})
        assert found and not _driven(found)
    assert {r.ref for r in _same(store, converted[0], {"ws": "w"})} >= {"ZOË", "東京"}
    with store.connect() as conn:
        assert prepared.prepare(conn.dialect, converted[0]) is None
    # JSON and dates: whichever way each backend reads them, the same answer
    for statement in (sa.select(e.entity_id, sa.cast(e.doc, sa.JSON).label("doc"))
                      .where(e.workspace_id == ws),
                      sa.select(e.entity_id, sa.bindparam("at", type_=sa.DateTime()).label("at"))
                      .where(e.workspace_id == ws)):
        assert len(_same(store, statement, {"ws": "w", "at": datetime(2026, 12, 7, 23, 5)})) == 6


def test_a_failing_read_raises_what_sqlalchemy_raises(store: SqlStore) -> None:
    _fill(store, 3)
    missing = sa.Table("no_such_table", sa.MetaData(), sa.Column("id", sa.Text()))
    statement = sa.select(missing.c.id).where(missing.c.id.in_(sa.bindparam("ids", expanding=True)))
    with store.connect() as conn:
        _same(store, _named(store), {"ws": "w", "kind": "product", "ids": ["e001"]})  # reader begun
        with pytest.raises(sa.exc.DBAPIError) as plain:
            conn.execute(statement, {"ids": ["x"]})
        with pytest.raises(sa.exc.DBAPIError) as fast:
            prepared.rows(conn, statement, {"ids": ["x"]})
        assert type(fast.value) is type(plain.value)
        assert type(fast.value.orig) is type(plain.value.orig)
        with pytest.raises(sa.exc.StatementError) as unbound:
            prepared.rows(conn, _named(store), {"ws": "w", "ids": ["e001"]})  # no "kind"
        assert "kind" in str(unbound.value)
    assert _driven(_same(store, _named(store), {"ws": "w", "kind": "product", "ids": ["e001"]}))


def test_a_statement_keeps_a_bounded_number_of_lengths(store: SqlStore) -> None:
    _fill(store, 3)
    statement = _named(store)
    with store.connect() as conn:
        for n in range(1, prepared.MAX_LENGTHS + 10):
            prepared.rows(conn, statement, {"ws": "w", "kind": "product", "ids": ["e001"] * n})
        kept = prepared.prepare(conn.dialect, statement)
    assert kept is not None and len(kept.layouts) == prepared.MAX_LENGTHS


def test_a_read_someone_listens_to_goes_through_sqlalchemy_and_is_heard(store: SqlStore) -> None:
    _fill(store, 3)
    heard: list[str] = []

    def listen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        heard.append(statement)

    params = {"ws": "w", "kind": "product", "ids": ["e001", "e002"]}
    assert _driven(_same(store, _named(store), params))
    sa.event.listen(store.engine, "before_cursor_execute", listen)
    try:
        with store.connect() as conn:
            found = prepared.rows(conn, _named(store), params)
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", listen)
    assert [r.entity_id for r in found] == ["e001", "e002"] and not _driven(found)
    assert len(heard) == 1 and "commerce_entities" in heard[0]
