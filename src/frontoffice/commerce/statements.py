"""The commerce store's statements, built once per dialect with bound parameters.

Intake and availability run these thousands of times a second: a statement built per call costs
SQLAlchemy a new cache key each time (most of an upsert's time), one built once is compiled once.
Parameters are named after their columns, plus ``ws`` for the workspace and ``now`` for the
holds' expiry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa

from frontoffice.commerce.ports import COMMERCE
from frontoffice.storage import core
from frontoffice.storage.tables import schema

PROJECTION_TABLES = ("commerce_entities", "commerce_keys", "commerce_positions", "commerce_holds",
                     "commerce_cursor")


def _p(name: str) -> Any:
    return sa.bindparam(name)


@dataclass(frozen=True, slots=True)
class Statements:
    tables: dict[str, sa.Table]
    upsert_entity: Any
    delete_keys: Any
    insert_keys: Any
    upsert_position: Any
    add_hold: Any
    release_hold: Any
    set_cursor: Any
    locked_position: Any
    held_at: Any
    cursor: Any
    log_page: Any
    entity: Any
    entities: Any
    entities_of: Any
    entities_named: Any
    entities_of_refs: Any
    places: Any
    entity_ids_for_keys: Any
    positions: Any
    all_positions: Any
    held: Any
    positions_of: Any
    held_of: Any
    keys_of_workspace: Any


@cache
def statements(dialect: str) -> Statements:
    t = schema(dialect).tables
    e, k, pos, h, cur = (t[n] for n in PROJECTION_TABLES)
    events = t["events"]

    ins = core.insert(e, dialect)
    upsert_entity = ins.on_conflict_do_update(
        index_elements=[e.c.workspace_id, e.c.kind, e.c.entity_id],
        set_={"version": ins.excluded.version, "ref": ins.excluded.ref, "doc": ins.excluded.doc},
        where=sa.or_(ins.excluded.version > e.c.version,
                     sa.and_(ins.excluded.version == e.c.version, ins.excluded.doc > e.c.doc)),
    ).returning(sa.literal(1))  # a row when it wrote (psycopg reported a rowcount of -1 here)
    ins = core.insert(pos, dialect)
    x = ins.excluded
    upsert_position = ins.on_conflict_do_update(
        index_elements=[pos.c.workspace_id, pos.c.sku, pos.c.location_id],
        set_={"on_hand": x.on_hand, "committed": x.committed, "incoming": x.incoming,
              "version": x.version},
        where=sa.or_(x.version > pos.c.version,
                     sa.and_(x.version == pos.c.version, x.on_hand < pos.c.on_hand)))
    ins = core.insert(cur, dialect)
    set_cursor = ins.on_conflict_do_update(
        index_elements=[cur.c.workspace_id], set_={"last_seq": ins.excluded.last_seq},
        where=ins.excluded.last_seq > cur.c.last_seq)
    entity_cols = (e.c.entity_id, e.c.version, e.c.ref, e.c.doc)
    in_ws = e.c.workspace_id == _p("ws")
    return Statements(
        tables={name: t[name] for name in (*PROJECTION_TABLES, "commerce_secrets")},
        upsert_entity=upsert_entity,
        delete_keys=k.delete().where(k.c.workspace_id == _p("ws"), k.c.kind == _p("kind"),
                                     k.c.entity_id == _p("entity")),
        insert_keys=k.insert(),
        upsert_position=upsert_position,
        add_hold=core.insert(h, dialect).on_conflict_do_nothing(
            index_elements=[h.c.workspace_id, h.c.hold_id]),
        release_hold=h.update().where(h.c.workspace_id == _p("ws"), h.c.hold_id == _p("hold"))
        .values(released=1),
        set_cursor=set_cursor,
        # FOR UPDATE on PostgreSQL; SQLite's write transaction already excludes other writers
        locked_position=sa.select(pos).where(pos.c.workspace_id == _p("ws"), pos.c.sku == _p("sku"),
                                             pos.c.location_id == _p("loc")).with_for_update(),
        held_at=sa.select(sa.func.coalesce(sa.func.sum(h.c.qty), 0)).where(
            h.c.workspace_id == _p("ws"), h.c.sku == _p("sku"), h.c.location_id == _p("loc"),
            h.c.released == 0, h.c.expires_at > _p("now")),
        cursor=sa.select(cur.c.last_seq).where(cur.c.workspace_id == _p("ws")),
        log_page=sa.select(events.c.seq).where(
            events.c.workspace_id == _p("ws"), events.c.seq > _p("after"),
            events.c.seq <= _p("upto"), events.c.family == COMMERCE)
        .order_by(events.c.seq).limit(_p("limit")),
        entity=sa.select(*entity_cols).where(in_ws, e.c.kind == _p("kind"),
                                             e.c.entity_id == _p("entity")),
        entities=sa.select(*entity_cols).where(in_ws, e.c.kind == _p("kind")).order_by(e.c.entity_id),
        entities_of=sa.select(*entity_cols).where(in_ws, e.c.kind == _p("kind"), e.c.ref == _p("ref"))
        .order_by(e.c.entity_id),
        entities_named=sa.select(*entity_cols).where(
            in_ws, e.c.kind == _p("kind"), e.c.entity_id.in_(sa.bindparam("ids", expanding=True))),
        # these two neither ordered nor DISTINCT (the store orders them): so asked, SQLite without
        # statistics walked every entity (customer key) of the kind in entity id order instead of
        # looking the refs (keys) up, a read per customer that grew with the workspace
        entities_of_refs=sa.select(*entity_cols).where(
            in_ws, e.c.kind == _p("kind"), e.c.ref.in_(sa.bindparam("refs", expanding=True))),
        places=sa.select(e.c.kind, *entity_cols).where(in_ws, e.c.kind.in_(("location", "pool"))),
        entity_ids_for_keys=sa.select(k.c.entity_id).where(  # see entities_of_refs
            k.c.workspace_id == _p("ws"), k.c.kind == _p("kind"),
            k.c.customer_key.in_(sa.bindparam("keys", expanding=True))),
        positions=sa.select(pos).where(pos.c.workspace_id == _p("ws"), pos.c.sku == _p("sku")),
        all_positions=sa.select(pos).where(pos.c.workspace_id == _p("ws")),
        held=sa.select(h.c.location_id, sa.func.sum(h.c.qty).label("qty")).where(
            h.c.workspace_id == _p("ws"), h.c.sku == _p("sku"), h.c.released == 0,
            h.c.expires_at > _p("now")).group_by(h.c.location_id),
        positions_of=sa.select(pos).where(pos.c.workspace_id == _p("ws"),
                                          pos.c.sku.in_(sa.bindparam("skus", expanding=True))),
        held_of=sa.select(h.c.sku, h.c.location_id, sa.func.sum(h.c.qty).label("qty")).where(
            h.c.workspace_id == _p("ws"), h.c.sku.in_(sa.bindparam("skus", expanding=True)),
            h.c.released == 0, h.c.expires_at > _p("now")).group_by(h.c.sku, h.c.location_id),
        keys_of_workspace=sa.select(k.c.customer_key, k.c.kind, k.c.entity_id).where(
            k.c.workspace_id == _p("ws")),
    )
