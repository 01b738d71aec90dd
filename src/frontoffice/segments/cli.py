"""``frontoffice traits`` and ``frontoffice segments``: definitions from YAML or JSON files,
previews, members, a person's memberships, the batch run and the projection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import yaml

from frontoffice.cli.context import (
    console,
    friendly_errors,
    json_option,
    limit_option,
    print_json,
    print_rows,
    workspace_data,
    workspace_option,
)
from frontoffice.domain.events import iso, now
from frontoffice.errors import InvalidInput
from frontoffice.outbound.exports import export_people
from frontoffice.segments import audience, moments_service, service
from frontoffice.segments.adapters import projector_for
from frontoffice.segments.moments_store import MomentsStore
from frontoffice.segments.store import SegmentsStore


def _ms() -> int:
    return int(now().timestamp() * 1000)


def _load(path: Path) -> list[Any]:
    """A file of one definition or a list of them (YAML, of which JSON is a part)."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput(f"Cannot read {path} ({exc}); give a YAML or JSON file.") from None
    return doc if isinstance(doc, list) else [doc]


file_arg = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))


@click.group()
def traits() -> None:
    """Computed traits: count, sum, min, max, avg, first, last, most frequent, distinct, days since, ratio."""


@traits.command("define")
@file_arg
@workspace_option
@json_option
@click.pass_context
@friendly_errors
def define_traits(ctx: click.Context, file: Path, workspace: str, as_json: bool) -> None:
    """Save the computed traits in FILE (YAML or JSON; one or a list); each gets a new version."""
    with workspace_data(ctx, workspace) as (ws, store):
        data = SegmentsStore(store)
        saved = [service.define_trait(data, ws.id, doc, iso(now())) for doc in _load(file)]
    print_rows([{"name": s["name"], "version": s["version"]} for s in saved], as_json)


@traits.command("list")
@workspace_option
@limit_option
@json_option
@click.pass_context
@friendly_errors
def list_traits(ctx: click.Context, workspace: str, limit: int, as_json: bool) -> None:
    """The active computed traits."""
    with workspace_data(ctx, workspace) as (ws, store):
        rows = service.traits_overview(SegmentsStore(store), ws.id)[:limit]
    print_rows(rows if as_json else [{k: r[k] for k in ("name", "version", "op", "kind")} for r in rows],
               as_json, "no computed traits; `frontoffice traits define FILE` adds some")


@traits.command("delete")
@click.argument("name")
@workspace_option
@click.pass_context
@friendly_errors
def delete_trait(ctx: click.Context, name: str, workspace: str) -> None:
    """Deactivate a computed trait (refused while a segment reads it)."""
    with workspace_data(ctx, workspace) as (ws, store):
        service.delete(SegmentsStore(store), ws.id, "trait", name)
    console.print(f"Trait {name} deleted.")


@click.group()
def segments() -> None:
    """Segments: conditions over traits, computed traits, events, consent and reachability."""


@segments.command("define")
@file_arg
@workspace_option
@json_option
@click.pass_context
@friendly_errors
def define_segments(ctx: click.Context, file: Path, workspace: str, as_json: bool) -> None:
    """Save the segments in FILE (YAML or JSON; one or a list); each gets a new version."""
    with workspace_data(ctx, workspace) as (ws, store):
        data = SegmentsStore(store)
        saved = [service.define_segment(data, ws.id, doc, iso(now())) for doc in _load(file)]
    print_rows([{"name": s["name"], "version": s["version"], "condition": s["text"]} for s in saved], as_json)


@segments.command("load")
@file_arg
@workspace_option
@json_option
@click.pass_context
@friendly_errors
def load_bundle(ctx: click.Context, file: Path, workspace: str, as_json: bool) -> None:
    """Save the traits, segments and moments of FILE ({traits, segments, moments}; the demo's is
    frontoffice/segments/data/demo.yaml)."""
    with workspace_data(ctx, workspace) as (ws, store):
        done = moments_service.load_bundle(SegmentsStore(store), ws.id, _load(file)[0], iso(now()))
    print_rows([{"kind": k, "names": ", ".join(v)} for k, v in done.items()], as_json)


@segments.command("preview")
@file_arg
@workspace_option
@click.option("--sample", type=click.IntRange(0, 100), default=service.SAMPLE, show_default=True)
@json_option
@click.pass_context
@friendly_errors
def preview(ctx: click.Context, file: Path, workspace: str, sample: int, as_json: bool) -> None:
    """Size and a sample of the segment in FILE over all people, without saving it."""
    with workspace_data(ctx, workspace) as (ws, store):
        found = service.preview(SegmentsStore(store), ws.id, _load(file)[0], _ms(), sample)
    if as_json:
        print_json({"size": found.size, "sample": found.sample, "text": found.text})
        return
    console.print(f"{found.text}\n{found.size} people; sample: {', '.join(found.sample) or 'none'}")


@segments.command("list")
@workspace_option
@limit_option
@json_option
@click.pass_context
@friendly_errors
def list_segments(ctx: click.Context, workspace: str, limit: int, as_json: bool) -> None:
    """The active segments with their size."""
    with workspace_data(ctx, workspace) as (ws, store):
        rows = service.segments_overview(SegmentsStore(store), ws.id)[:limit]
    print_rows(rows, as_json, "no segments; `frontoffice segments define FILE` adds some")


@segments.command("members")
@click.argument("name")
@workspace_option
@limit_option
@json_option
@click.pass_context
@friendly_errors
def members(ctx: click.Context, name: str, workspace: str, limit: int, as_json: bool) -> None:
    """The members of segment NAME, when and why they entered."""
    with workspace_data(ctx, workspace) as (ws, store):
        service.segment(SegmentsStore(store), ws.id, name)  # NotFound for an unknown name
        rows = SegmentsStore(store).members(ws.id, name, limit)
    print_rows(rows, as_json, f"segment {name} has no members")


@segments.command("export")
@click.argument("name")
@workspace_option
@click.option("--purpose", required=True, help="The consent purpose the export serves (checked per person).")
@click.option("--out", "folder", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write people and mapping files into.")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True)
@json_option
@click.pass_context
@friendly_errors
def export(ctx: click.Context, name: str, workspace: str, purpose: str, folder: Path, fmt: str,
           as_json: bool) -> None:
    """Export segment NAME's members whom the consent gate allows for PURPOSE; refusals counted by rule."""
    with workspace_data(ctx, workspace) as (ws, store):
        service.segment(SegmentsStore(store), ws.id, name)  # NotFound for an unknown name
        members = {m["person_id"] for m in SegmentsStore(store).members(ws.id, name, 10_000_000)}
        done = export_people(store, ws.id, folder, fmt, purpose, only=members)
    summary = {"people": done.people, "refused": done.refused,
               "paths": {k: str(v) for k, v in done.paths.items()},
               "refusals": [{"rule": r.rule, "count": r.count, "example": r.example} for r in done.refusals]}
    if as_json:
        print_json(summary)
        return
    console.print(f"{done.people} exported, {done.refused} refused: " +
                  ", ".join(f"{r.rule} ×{r.count}" for r in done.refusals))


@segments.command("person")
@click.argument("person_id")
@workspace_option
@json_option
@click.pass_context
@friendly_errors
def person(ctx: click.Context, person_id: str, workspace: str, as_json: bool) -> None:
    """A person's computed traits, segments and membership history."""
    with workspace_data(ctx, workspace) as (ws, store):
        found = service.person(SegmentsStore(store), ws.id, person_id)
    if as_json:
        print_json(found)
        return
    print_rows([{"trait": t["trait"], "value": t["value"], "events": t["explain"]["events_counted"],
                 "window": t["explain"]["window"]} for t in found["traits"]], False, "no computed traits")
    print_rows([{k: h[k] for k in ("at", "segment", "change", "why")} for h in found["history"]], False,
               "no membership history")


@segments.command("agreement")
@workspace_option
@json_option
@click.pass_context
@friendly_errors
def agreement(ctx: click.Context, workspace: str, as_json: bool) -> None:
    """Run every segment in batch (compiled SQL) and compare it with the real-time members."""
    with workspace_data(ctx, workspace) as (ws, store):
        found = service.agreement(SegmentsStore(store), ws.id, _ms())
    print_rows([{"segment": k, **v} for k, v in found.items()], as_json, "no segments")


@segments.command("refresh")
@workspace_option
@click.option("--rebuild", is_flag=True, help="Drop the projection and replay the log.")
@click.pass_context
@friendly_errors
def refresh(ctx: click.Context, workspace: str, rebuild: bool) -> None:
    """Project the log's new events and evaluate everyone due (the worker does this by itself)."""
    with workspace_data(ctx, workspace) as (ws, store):
        projector = projector_for(store)
        done = projector.rebuild(ws.id) if rebuild else projector.catch_up(ws.id)
    console.print(f"{done} event(s) and evaluation(s) applied.")


@click.group()
def moments() -> None:
    """Moments: when a person enters a segment, an event happens or a date comes, act (consent-gated,
    capped, quiet hours); and audience syncs of segments to webhook destinations."""


@moments.command("define")
@file_arg
@workspace_option
@json_option
@click.pass_context
@friendly_errors
def define_moments(ctx: click.Context, file: Path, workspace: str, as_json: bool) -> None:
    """Save the moments in FILE (YAML or JSON; one or a list); each gets a new version."""
    with workspace_data(ctx, workspace) as (ws, store):
        data = SegmentsStore(store)
        saved = [moments_service.define_moment(data, ws.id, doc, iso(now())) for doc in _load(file)]
    print_rows([{"name": s["name"], "version": s["version"]} for s in saved], as_json)


@moments.command("sync")
@file_arg
@workspace_option
@json_option
@click.pass_context
@friendly_errors
def define_syncs(ctx: click.Context, file: Path, workspace: str, as_json: bool) -> None:
    """Save the audience syncs in FILE ({name, segment, destination}; one or a list)."""
    with workspace_data(ctx, workspace) as (ws, store):
        data = SegmentsStore(store)
        saved = [audience.define_sync(data, ws.id, doc, iso(now())) for doc in _load(file)]
    print_rows([{"name": s["name"], "version": s["version"]} for s in saved], as_json)


@moments.command("firings")
@workspace_option
@click.option("--moment", default=None, help="Only this moment's firings.")
@click.option("--person", default=None, help="Only this person's firings.")
@limit_option
@json_option
@click.pass_context
@friendly_errors
def firings(ctx: click.Context, workspace: str, moment: str | None, person: str | None, limit: int,
            as_json: bool) -> None:
    """Each firing with its decision (fired, refused, deferred), rule and reason, newest first."""
    with workspace_data(ctx, workspace) as (ws, store):
        rows = MomentsStore(store).firings(ws.id, moment, person, limit)
    print_rows(rows if as_json else [{k: r[k] for k in ("moment", "person_id", "decision", "rule", "reason")}
                                     for r in rows], as_json, "no firings")
