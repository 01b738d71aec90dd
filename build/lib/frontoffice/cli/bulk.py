"""``frontoffice import`` and ``frontoffice export``: files into and out of the event log."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from frontoffice.bulk.exporter import EXPORT_FORMATS, export_events
from frontoffice.bulk.importer import CHUNK_ROWS, ImportJob, ImportReport, import_file
from frontoffice.bulk.mapping import load_mapping
from frontoffice.bulk.readers import FORMATS, infer_format
from frontoffice.cli.context import (
    console,
    err_console,
    friendly_errors,
    purposes,
    resolve_source,
    settings_from,
    store_from,
    workspace_storage,
)
from frontoffice.cli.outbound import print_refusals
from frontoffice.domain.events import Limits
from frontoffice.domain.tenancy import Status
from frontoffice.errors import InvalidInput
from frontoffice.outbound.exports import catch_up_people, check_export_purpose
from frontoffice.outbound.gate import EXPORT_CHANNEL
from frontoffice.residency.router import residency_gate
from frontoffice.services import tenancy


@contextmanager
def _progress(description: str, total: int | None, unit: str) -> Iterator[Progress]:
    amount: ProgressColumn = DownloadColumn() if unit == "bytes" else MofNCompleteColumn()
    with Progress(TextColumn("{task.description}"), BarColumn(), amount, TimeRemainingColumn(),
                  console=err_console, transient=True) as progress:
        progress.add_task(description, total=total)
        yield progress


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", "source_ref", required=True,
              help="Source to import into: workspace/source, a source id, or a source name "
                   "unique across workspaces.")
@click.option("--map", "map_file", default=None,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Mapping YAML turning each row into a Segment event (docs/import.md). "
                   "Required for CSV and Parquet; without it, NDJSON lines are Segment events.")
@click.option("--workspace", "-w", "ws", default=None,
              help="Workspace of the source (name or id), when the source name is not unique.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="File format; from the extension (.csv, .parquet, .ndjson, .jsonl) if omitted.")
@click.option("--chunk-rows", default=CHUNK_ROWS, show_default=True,
              type=click.IntRange(1, 100_000), help="Rows stored per transaction.")
@click.pass_context
@friendly_errors
def import_cmd(ctx: click.Context, file: Path, source_ref: str, map_file: Path | None,
               ws: str | None, fmt: str | None, chunk_rows: int) -> None:
    """Import FILE (CSV, Parquet or NDJSON) into a source's event log, exactly once.

    Each row becomes one Segment event, validated by the collector's rules. Rows that cannot
    be imported are quarantined with their line number and the reason; re-running the same
    import stores nothing twice.
    """
    settings = settings_from(ctx)
    fmt = fmt or infer_format(file)
    mapping = load_mapping(map_file) if map_file is not None else None
    with store_from(ctx) as store:
        workspace, source = resolve_source(store, source_ref, ws)
        if workspace.status is not Status.ACTIVE or source.status is not Status.ACTIVE:
            raise InvalidInput(f"Source {workspace.name}/{source.name} is disabled (or its "
                               "workspace is); import into an active source.")
        job = ImportJob(file, workspace.id, source.id, mapping,
                        Limits(settings.max_event_bytes, settings.max_json_depth), fmt, chunk_rows)
        unit = "rows" if fmt == "parquet" else "bytes"
        # The collector's residency rule: the rows go to the workspace's data location, and a
        # row of a person whose data must be stored in another country is refused.
        gate = residency_gate(store, settings)
        with workspace_storage(store, settings, workspace.id) as target, \
                _progress(f"importing {file.name}", None, unit) as progress:
            task = progress.task_ids[0]
            report = import_file(target, job, residency=gate, on_progress=lambda done, total:
                                 progress.update(task, completed=done, total=total))
    _print_report(report, f"{workspace.name}/{source.name}")


def _print_report(report: ImportReport, target: str) -> None:
    table = Table("", "rows", title=f"import {report.file} ({report.format}) into {target}",
                  title_justify="left")
    table.add_row("rows read", f"{report.rows_read:,}")
    table.add_row("imported", f"{report.imported:,}")
    table.add_row("duplicates", f"{report.duplicates:,} ({report.repeated_in_file:,} repeated in "
                                f"the file, {report.already_stored:,} already stored)")
    before = (f" ({report.quarantined_before:,} already quarantined by an earlier run)"
              if report.quarantined_before else "")
    table.add_row("quarantined", f"{report.quarantined:,}{before}")
    if report.suppressed:
        table.add_row("suppressed (erased people)", f"{report.suppressed:,}")
    if report.refused:
        table.add_row("refused (data must be stored in another country)", f"{report.refused:,}")
    if report.blank_lines:
        table.add_row("blank lines skipped", f"{report.blank_lines:,}")
    console.print(table)
    console.print(f"{report.rows_per_second:,.0f} rows/s, {report.seconds:.1f} s")
    if report.notes:
        notes = Table("line", "outcome", "detail", title="rows not imported", title_justify="left")
        for note in report.notes:
            notes.add_row(str(note.line), note.outcome, note.detail)
        console.print(notes)
    if report.notes_left_off:
        console.print(f"… and {report.notes_left_off:,} more. Every quarantined row is kept in "
                      f"the quarantine with the reference {report.file}:LINE.")


@click.command("export")
@click.option("--workspace", "-w", "ws", required=True, help="Workspace name or id.")
@click.option("--source", "source_ref", default=None, help="Only this source (name or id).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write; replaced only when the export is complete.")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default=None,
              help="From the extension (.ndjson, .jsonl, .parquet) if omitted.")
@click.option("--after", "after_seq", type=click.IntRange(min=0), default=0, show_default=True,
              help="Only events with a larger seq: continue an earlier export.")
@click.option("--purpose", required=True, type=purposes(EXPORT_CHANNEL),
              help="What the export is for (a consent purpose, e.g. analytics, essential); events of "
                   "people who do not allow it on the export channel are left out and counted.")
@click.pass_context
@friendly_errors
def export_cmd(ctx: click.Context, ws: str, source_ref: str | None, out: Path, fmt: str | None,
               after_seq: int, purpose: str) -> None:
    """Export the event log in seq order to NDJSON (stored payloads) or Parquet.

    Every event passes the consent gate for --purpose on the export channel (people are brought
    up to date first); refused events are left out and counted per rule. An NDJSON export
    imported with no mapping into another source keeps every messageId and payload.
    """
    check_export_purpose(purpose)
    settings = settings_from(ctx)
    with store_from(ctx) as registry:
        workspace = tenancy.require_workspace(registry, ws)
        source_id = tenancy.require_source(registry, workspace.id, source_ref).id if source_ref else None
        with workspace_storage(registry, settings, workspace.id) as store:
            catch_up_people(store, workspace.id)
            total = store.count_events(workspace.id, source_id) if after_seq == 0 else None
            with _progress(f"exporting {workspace.name}", total, "rows") as progress:
                task = progress.task_ids[0]
                report = export_events(store, workspace.id, out, purpose=purpose, fmt=fmt,
                                       source_id=source_id, after_seq=after_seq,
                                       on_progress=lambda n: progress.update(task, completed=n))
    if report.count:
        console.print(f"exported {report.count:,} events to {out} ({report.format}) for {purpose}, seq "
                      f"{report.first_seq}..{report.last_seq}; continue later with "
                      f"--after {report.read_last_seq}")
    else:
        console.print(f"exported 0 events to {out} ({report.format}) for {purpose}")
    print_refusals(report.refused, report.refusals, "events")
