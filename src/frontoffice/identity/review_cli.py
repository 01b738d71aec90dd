"""``frontoffice identity``: the probabilistic tier on demand, the review queue, the change feed."""

from __future__ import annotations

import getpass
import time

import click
import orjson
from rich.table import Table

from frontoffice.cli.context import (
    console,
    friendly_errors,
    json_option,
    limit_option,
    print_rows,
    settings_from,
    workspace_data,
    workspace_option,
)
from frontoffice.cli.identity_bulk import model, review_bulk, review_top
from frontoffice.cli.identity_report import SERVER_RUNNING, print_match_report
from frontoffice.identity import review_service as identity_review
from frontoffice.identity.match_service import match_config
from frontoffice.projection.contract import ProjectionMoved
from frontoffice.services.identity import IdentityHub
from frontoffice.storage.sql import SqlStore


@click.group("identity")
def identity() -> None:
    """Probabilistic matching, the review queue ("possibly the same") and person change events."""


def _hub(ctx: click.Context, store: SqlStore) -> IdentityHub:
    return IdentityHub(store, match_config(settings_from(ctx)))


@identity.command("train")
@workspace_option
@click.pass_context
@friendly_errors
def train(ctx: click.Context, workspace: str) -> None:
    """(Re)train the workspace's matching model on its own records (EM, no labels)."""
    with workspace_data(ctx, workspace) as (ws, store):
        used = _hub(ctx, store).train(ws.id)
        console.print(f"model trained on {used:,} distinct person records and saved")


@identity.command("match")
@workspace_option
@click.pass_context
@friendly_errors
def match(ctx: click.Context, workspace: str) -> None:
    """Score the records without a login that arrived since the last run (a micro-batch)."""
    _run(ctx, workspace, rescore_all=False)


@identity.command("recluster")
@workspace_option
@click.pass_context
@friendly_errors
def recluster(ctx: click.Context, workspace: str) -> None:
    """Score every record without a login again (after `identity train`, or new thresholds).
    Merges already made stay; undo one with a split."""
    _run(ctx, workspace, rescore_all=True)


def _run(ctx: click.Context, workspace: str, rescore_all: bool) -> None:
    with workspace_data(ctx, workspace) as (ws, store):
        try:
            print_match_report(_hub(ctx, store).match(ws.id, rescore_all))
        except ProjectionMoved:
            console.print(SERVER_RUNNING)


@identity.group("review")
def review() -> None:
    """The review queue: pairs the model found possibly the same person."""


@review.command("list")
@workspace_option
@click.option("--status", type=click.Choice(["pending", "accepted", "rejected", "all"]), default="pending",
              show_default=True, help="Which entries.")
@click.option("--after", default=0, show_default=True, help="Show entries after this id (paging).")
@click.option("--limit", default=20, show_default=True, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON.")
@click.pass_context
@friendly_errors
def review_list(ctx: click.Context, workspace: str, status: str, after: int, limit: int,
                as_json: bool) -> None:
    """List queued pairs, oldest first, with both sides and the explanation."""
    with workspace_data(ctx, workspace) as (ws, store):
        items = identity_review.review_items(store, ws.id, None if status == "all" else status,
                                             after, limit)
        if as_json:
            click.echo(orjson.dumps(items, option=orjson.OPT_INDENT_2).decode())
            return
        for item in items:
            console.print(f"[bold]review {item['id']}[/bold] ({item['status']}): "
                          f"{item['explanation']}", soft_wrap=True)
            table = Table("", "record", "person", "attributes")
            for label, side, pid in zip("ab", item["sides"], item["current_person_ids"], strict=True):
                shown = ", ".join(f"{k} {v}" for k, v in side.items() if k not in {"record_id", "person_id"})
                table.add_row(label, side["record_id"], pid or "", shown)
            console.print(table)
        if not items:
            console.print("nothing in the queue")


def _decide(ctx: click.Context, workspace: str, review_id: int, accept: bool, reason: str) -> None:
    with workspace_data(ctx, workspace) as (ws, store):
        by = f"user {getpass.getuser()} (cli)"
        try:
            item = identity_review.decide(store, _hub(ctx, store), ws.id, review_id, accept, by, reason)
        except ProjectionMoved:
            console.print(f"review {review_id} decided; {SERVER_RUNNING}")
            return
        people = " and ".join(dict.fromkeys(p or "?" for p in item["current_person_ids"]))
        console.print(f"review {review_id} {item['status']}: records now belong to {people}")


@review.command("accept")
@click.argument("review_id", type=int)
@workspace_option
@click.option("--reason", default="", help="Kept with the decision.")
@click.pass_context
@friendly_errors
def review_accept(ctx: click.Context, review_id: int, workspace: str, reason: str) -> None:
    """The same person: merge the two people of REVIEW_ID."""
    _decide(ctx, workspace, review_id, True, reason)


@review.command("reject")
@click.argument("review_id", type=int)
@workspace_option
@click.option("--reason", default="", help="Kept with the decision.")
@click.pass_context
@friendly_errors
def review_reject(ctx: click.Context, review_id: int, workspace: str, reason: str) -> None:
    """Not the same person: the two records of REVIEW_ID never merge automatically again."""
    _decide(ctx, workspace, review_id, False, reason)


@identity.command("changes")
@workspace_option
@click.option("--after", default=0, show_default=True, help="Start after this change id.")
@limit_option
@json_option
@click.option("--follow", is_flag=True, help="Keep waiting for new changes, --limit at a time "
              "(stop with Ctrl-C).")
@click.option("--poll", default=1.0, show_default=True, help="Seconds between polls with --follow.")
@click.pass_context
@friendly_errors
def changes(ctx: click.Context, workspace: str, after: int, limit: int, as_json: bool, follow: bool,
            poll: float) -> None:
    """person.merged / person.split / person.updated changes in order: at most --limit, or all
    from --after on with --follow (--json: one JSON object per line)."""
    with workspace_data(ctx, workspace) as (ws, store):
        try:
            while True:
                rows = identity_review.changes(store, ws.id, after, limit)
                if as_json:
                    for row in rows:
                        click.echo(orjson.dumps(row).decode())
                elif rows or not follow:
                    print_rows(rows, as_json=False, empty="no change")
                after = rows[-1]["id"] if rows else after
                if not follow:
                    return
                if len(rows) < limit:
                    time.sleep(poll)
        except KeyboardInterrupt:
            return


review.add_command(review_top)
review.add_command(review_bulk)
identity.add_command(model)
