"""Tenancy's rows (workspaces, sources, API tokens) in SQLAlchemy Core: the part of ``SqlStore``
every process reads first (auth), beside the log."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from functools import cache
from typing import Any

import sqlalchemy as sa

from frontoffice.domain.events import iso
from frontoffice.domain.tenancy import ApiToken, Channel, Scope, Source, Status, Trust, Workspace
from frontoffice.errors import AlreadyExists, NotFound
from frontoffice.storage import prepared
from frontoffice.storage.tables import schema


def as_datetime(value: object) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.fromisoformat(str(value))


@cache
def _workspace_named(dialect: str) -> sa.Select[Any]:
    """The workspace of an id or a name, built once: every API request reads it."""
    w = schema(dialect).tables["workspaces"]
    key: sa.BindParameter[str] = sa.bindparam("id_or_name")
    return sa.select(w).where(sa.or_(w.c.id == key, w.c.name == key))


class TenancyRows:
    """Mixed into ``SqlStore``, whose ``begin``/``connect`` it runs its statements on."""

    dialect: str

    def begin(self) -> AbstractContextManager[sa.Connection]:
        raise NotImplementedError

    def connect(self) -> AbstractContextManager[sa.Connection]:
        raise NotImplementedError

    @property
    def tables(self) -> Mapping[str, sa.Table]:
        """The schema's tables (``frontoffice.storage.tables.schema``) for this store's dialect."""
        return schema(self.dialect).tables

    def _run(self, statement: sa.Executable) -> int:
        """One write statement in its own transaction (or the thread's open one); rows it touched."""
        try:
            with self.begin() as conn:
                return int(conn.execute(statement).rowcount)
        except sa.exc.IntegrityError as exc:
            raise AlreadyExists(f"That already exists: {exc.orig}".strip()) from exc

    def _rows(self, statement: sa.Executable) -> list[sa.Row[Any]]:
        with self.connect() as conn:
            return list(conn.execute(statement).all())

    @staticmethod
    def _workspace(row: Any) -> Workspace:
        return Workspace(row.id, row.name, row.region, Status(row.status), as_datetime(row.created_at))

    def add_workspace(self, workspace: Workspace) -> None:
        self._run(self.tables["workspaces"].insert().values(
            id=workspace.id, name=workspace.name, region=workspace.region,
            status=workspace.status.value, created_at=iso(workspace.created_at)))

    def workspaces(self) -> list[Workspace]:
        w = self.tables["workspaces"]
        return [self._workspace(r) for r in self._rows(sa.select(w).order_by(w.c.name))]

    def workspace(self, id_or_name: str) -> Workspace | None:
        with self.connect() as conn:
            rows = prepared.rows(conn, _workspace_named(self.dialect), {"id_or_name": id_or_name})
        return self._workspace(rows[0]) if rows else None

    def set_workspace_status(self, workspace_id: str, status: Status) -> None:
        w = self.tables["workspaces"]
        if not self._run(w.update().where(w.c.id == workspace_id).values(status=status.value)):
            raise NotFound(f"No workspace {workspace_id!r}; list them with `frontoffice workspace list`.")

    def _sources(self) -> sa.Select[Any]:
        s = self.tables["sources"].c
        return sa.select(s.id, s.workspace_id, s.name, s.channel, s.key_hint, s.status, s.created_at,
                         s.trust)

    @staticmethod
    def _source(row: sa.Row[Any]) -> Source:
        return Source(row.id, row.workspace_id, row.name, Channel(row.channel), row.key_hint,
                      Status(row.status), as_datetime(row.created_at), Trust(row.trust))

    def add_source(self, source: Source, key_hash: str) -> None:
        self._run(self.tables["sources"].insert().values(
            id=source.id, workspace_id=source.workspace_id, name=source.name,
            channel=source.channel.value, key_hash=key_hash, key_hint=source.key_hint,
            status=source.status.value, created_at=iso(source.created_at), trust=source.trust.value))

    def sources(self, workspace_id: str) -> list[Source]:
        s = self.tables["sources"].c
        rows = self._rows(self._sources().where(s.workspace_id == workspace_id).order_by(s.name))
        return [self._source(r) for r in rows]

    def source(self, workspace_id: str, id_or_name: str) -> Source | None:
        s = self.tables["sources"].c
        rows = self._rows(self._sources().where(s.workspace_id == workspace_id,
                                                sa.or_(s.id == id_or_name, s.name == id_or_name)))
        return self._source(rows[0]) if rows else None

    def set_source_status(self, workspace_id: str, source_id: str, status: Status) -> None:
        s = self.tables["sources"]
        if not self._run(s.update().where(s.c.workspace_id == workspace_id, s.c.id == source_id)
                         .values(status=status.value)):
            raise NotFound(f"No source {source_id!r} in workspace {workspace_id!r}.")

    def source_for_key(self, key_hash: str) -> tuple[Source, Workspace] | None:
        s, w = self.tables["sources"].c, self.tables["workspaces"].c
        rows = self._rows(self._sources().add_columns(
            w.name.label("ws_name"), w.region, w.status.label("ws_status"),
            w.created_at.label("ws_created_at"))
            .join_from(self.tables["sources"], self.tables["workspaces"], w.id == s.workspace_id)
            .where(s.key_hash == key_hash))
        if not rows:
            return None
        r = rows[0]
        return self._source(r), Workspace(r.workspace_id, r.ws_name, r.region, Status(r.ws_status),
                                          as_datetime(r.ws_created_at))

    @staticmethod
    def _token(row: sa.Row[Any]) -> ApiToken:
        scopes = frozenset(Scope(s) for s in str(row.scopes).split())
        return ApiToken(row.id, row.workspace_id, row.name, scopes, row.key_hint, Status(row.status),
                        as_datetime(row.created_at))

    def _tokens(self) -> sa.Select[Any]:
        t = self.tables["api_tokens"].c
        return sa.select(t.id, t.workspace_id, t.name, t.scopes, t.key_hint, t.status, t.created_at)

    def add_token(self, token: ApiToken, token_hash: str) -> None:
        self._run(self.tables["api_tokens"].insert().values(
            id=token.id, workspace_id=token.workspace_id, name=token.name,
            scopes=" ".join(sorted(token.scopes)), token_hash=token_hash, key_hint=token.key_hint,
            status=token.status.value, created_at=iso(token.created_at)))

    def tokens(self, workspace_id: str | None) -> list[ApiToken]:
        t = self.tables["api_tokens"].c
        owner = t.workspace_id.is_(None) if workspace_id is None else t.workspace_id == workspace_id
        return [self._token(r) for r in self._rows(self._tokens().where(owner).order_by(t.name))]

    def set_token_status(self, token_id: str, status: Status) -> None:
        t = self.tables["api_tokens"]
        if not self._run(t.update().where(t.c.id == token_id).values(status=status.value)):
            raise NotFound(f"No API token {token_id!r}; list them with `frontoffice token list`.")

    def token_for_secret(self, token_hash: str) -> ApiToken | None:
        t = self.tables["api_tokens"].c
        rows = self._rows(self._tokens().where(t.token_hash == token_hash))
        return self._token(rows[0]) if rows else None
