"""What every command shares: settings from the root options, the store, error display."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click
import orjson
from rich.console import Console
from rich.table import Table

from frontoffice.consent.purposes import load_catalogue
from frontoffice.domain.tenancy import Source, Workspace
from frontoffice.errors import FrontofficeError, NotFound
from frontoffice.residency.router import located
from frontoffice.services.tenancy import require_workspace
from frontoffice.settings import Settings
from frontoffice.storage import open_configured_store
from frontoffice.storage.sql import SqlStore

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)
P = ParamSpec("P")
R = TypeVar("R")


workspace_option = click.option("--workspace", "-w", required=True, help="Workspace name or id.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
limit_option = click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True,
                            help="Show at most this many (the latest when the list is long).")


def workspace_opt(*, required: bool = True, help_text: str = "Workspace name or id.") -> Callable[[Any], Any]:
    """``--workspace``/``-w`` (passed as ``ws``) for commands where it is optional."""
    return click.option("--workspace", "-w", "ws", required=required, default=None, help=help_text)


class LazyChoice(click.Choice[str]):
    """A choice whose values are read when first needed (no data files read at import time):
    an unknown value is a usage error listing them."""

    def __init__(self, load: Callable[[], Iterable[str]]) -> None:
        self._load = load
        self._values: tuple[str, ...] | None = None
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        if self._values is None:
            self._values = tuple(sorted(self._load()))
        return self._values

    @choices.setter
    def choices(self, value: Any) -> None:
        """Set by ``click.Choice.__init__`` only; the values come from ``load``."""


def purposes(channel: str | None = None) -> LazyChoice:
    """The consent purposes (those covering ``channel`` when given)."""
    def load() -> list[str]:
        catalogue = load_catalogue()
        return [p for p, spec in catalogue.purposes.items() if channel is None or spec.covers(channel)]
    return LazyChoice(load)


def outbound_channels() -> LazyChoice:
    return LazyChoice(lambda: load_catalogue().channels)


def print_rows(rows: Sequence[Mapping[str, Any]], as_json: bool, empty: str = "none") -> None:
    """``rows`` as a table (nested values as JSON, never Python reprs), or as JSON (``--json``)."""
    if as_json:
        print_json(list(rows))
        return
    if not rows:
        console.print(empty)
        return
    columns = list(dict.fromkeys(key for row in rows for key in row))
    table = Table(*columns)
    for row in rows:
        table.add_row(*(cell(row.get(c)) for c in columns))
    console.print(table)


def cell(value: Any) -> str:
    """A value as a table shows it: text as is, anything else as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return orjson.dumps(value, default=str).decode()


def print_json(data: Any) -> None:
    """JSON on stdout, for scripts (``--json``): dates and paths as strings."""
    click.echo(orjson.dumps(data, default=str, option=orjson.OPT_INDENT_2).decode())


def settings_from(ctx: click.Context) -> Settings:
    root = ctx.find_root()
    overrides: dict[str, Any] = dict(root.obj or {})
    return Settings.load(overrides=overrides)


@contextmanager
def store_from(ctx: click.Context, *, upgrade: bool | None = None) -> Iterator[SqlStore]:
    store = open_configured_store(settings_from(ctx), upgrade=upgrade)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def workspace_storage(store: SqlStore, settings: Settings, workspace_id: str) -> Iterator[SqlStore]:
    """The storage holding the workspace's events and projections: its data location's (data
    residency, docs/residency.md), else ``store``."""
    router = located(store, settings)
    try:
        yield router.for_workspace(workspace_id)
    finally:
        router.close()


@contextmanager
def workspace_data(ctx: click.Context, workspace: str) -> Iterator[tuple[Workspace, SqlStore]]:
    """The workspace (from the main database, the registry) and the storage holding its events
    and projections (``workspace_storage``)."""
    with store_from(ctx) as registry:
        ws = require_workspace(registry, workspace)
        with workspace_storage(registry, settings_from(ctx), ws.id) as store:
            yield ws, store


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn frontoffice's typed errors into one red line and exit code 1, not a traceback."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except FrontofficeError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise SystemExit(1) from None

    return wrapper


def resolve_source(store: SqlStore, ref: str, workspace: str | None) -> tuple[Workspace, Source]:
    """``ref`` is ``workspace/source``, a source id, or a source name unique across workspaces."""
    if "/" in ref:
        workspace, ref = ref.split("/", 1)
    candidates = [store.workspace(workspace)] if workspace else store.workspaces()
    found = [(w, s) for w in candidates if w is not None
             for s in [store.source(w.id, ref)] if s is not None]
    if not found:
        raise NotFound(f"No source {ref!r}; list them with `frontoffice source list --workspace W`.")
    if len(found) > 1:
        names = ", ".join(f"{w.name}/{s.name}" for w, s in found)
        raise NotFound(f"Source {ref!r} is ambiguous ({names}); name it as workspace/source.")
    return found[0]


def path_arg(value: str) -> Path:
    return Path(value)
