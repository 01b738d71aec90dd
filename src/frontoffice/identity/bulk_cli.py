"""``frontoffice identity review top|bulk`` and ``frontoffice identity model``: the review queue by
weight, decided a weight range at a time, and what the model learned."""

from __future__ import annotations

import getpass
import math

import click
import orjson
from rich.table import Table

from frontoffice.cli.context import console, friendly_errors, settings_from, workspace_data, workspace_option
from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.match_service import match_config
from frontoffice.identity.model_report import model_report
from frontoffice.identity.review_bulk import (
    BulkPreview,
    WeightRange,
    by_weight,
    decide_range,
    preview,
)

_MIN = click.option("--min-weight", type=float, default=-math.inf, help="Lowest match weight (inclusive).")
_MAX = click.option("--max-weight", type=float, default=math.inf, help="Highest match weight (exclusive).")
_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@click.command("top")
@workspace_option
@_MIN
@_MAX
@click.option("--offset", default=0, show_default=True, help="Skip this many (paging).")
@click.option("--limit", default=20, show_default=True, help="At most this many.")
@_JSON
@click.pass_context
@friendly_errors
def review_top(ctx: click.Context, workspace: str, min_weight: float, max_weight: float, offset: int,
               limit: int, as_json: bool) -> None:
    """Pending pairs by match weight, strongest first, in a weight range."""
    with workspace_data(ctx, workspace) as (ws, store):
        total, items = by_weight(store, ws.id, weights=WeightRange(min_weight, max_weight),
                                 offset=offset, limit=limit)
        if as_json:
            click.echo(orjson.dumps({"total": total, "items": items}, option=orjson.OPT_INDENT_2).decode())
            return
        table = Table("review", "weight", "a", "b", "explanation", title=f"{total:,} pending in range")
        for item in items:
            a, b = (", ".join(str(v) for k, v in side.items() if k in {"given_name", "family_name",
                                                                        "birth_date", "postcode"})
                    for side in item["sides"])
            table.add_row(str(item["id"]), f"{item['match_weight']:.1f}", a, b, item["explanation"])
        console.print(table)


def _print_preview(plan: BulkPreview, done: bool) -> None:
    verb = ("accepted" if plan.action == "accept" else "rejected") if done else f"would be {plan.action}ed"
    span = f"{plan.lowest:.1f} to {plan.highest:.1f}" if plan.selected else "none"
    console.print(f"{plan.selected:,} of {plan.pending:,} pending pairs {verb} (weights {span}); "
                  f"{plan.outside:,} outside the range stay pending", soft_wrap=True)
    if plan.action == "accept":
        console.print(f"{plan.joins:,} join two people, {plan.already_together:,} are one person "
                      f"already: {plan.people_before:,} people become {plan.people_after:,}", soft_wrap=True)
    else:
        console.print(f"{plan.people_before:,} people stay apart, their records never merged "
                      "automatically again", soft_wrap=True)


@click.command("bulk")
@click.argument("action", type=click.Choice(["accept", "reject"]))
@workspace_option
@_MIN
@_MAX
@click.option("--yes", is_flag=True, help="Decide; without it, only show what would change.")
@click.option("--reason", default="", help="Kept with each decision.")
@_JSON
@click.pass_context
@friendly_errors
def review_bulk(ctx: click.Context, action: str, workspace: str, min_weight: float, max_weight: float,
                yes: bool, reason: str, as_json: bool) -> None:
    """Accept or reject every pending pair in a weight range (a preview unless --yes)."""
    weights, accept = WeightRange(min_weight, max_weight), action == "accept"
    with workspace_data(ctx, workspace) as (ws, store):
        if yes:
            hub = IdentityHub(store, match_config(settings_from(ctx)))
            plan = decide_range(store, hub, ws.id, accept, weights, f"user {getpass.getuser()} (cli)", reason)
        else:
            plan = preview(store, ws.id, accept, weights)
        if as_json:
            click.echo(orjson.dumps({**plan.as_dict(), "decided": yes}, option=orjson.OPT_INDENT_2).decode())
            return
        _print_preview(plan, yes)
        if not yes and plan.selected:
            console.print("nothing changed: add --yes to decide")


@click.command("model")
@workspace_option
@_JSON
@click.pass_context
@friendly_errors
def model(ctx: click.Context, workspace: str, as_json: bool) -> None:
    """What the matching model learned (prior, m, u and weight per level) and how many compared
    pairs fall at each match weight, against the thresholds."""
    with workspace_data(ctx, workspace) as (ws, store):
        report = model_report(store, ws.id, match_config(settings_from(ctx)))
    if as_json:
        click.echo(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode())
        return
    t = report["thresholds"]
    console.print(f"trained on {report['trained_records']:,} records at {report['trained_at']}; prior "
                  f"{report['prior']:.3g}; auto-merge at >= {t['auto_merge']:g}, review from {t['review']:g}")
    console.print("the records hold households: the twin and generation vetoes hold" if report["households"]
                  else "the records hold no households (twin-like pairs are typos): a given name or birth "
                  "date that differs weighs against a match, it does not veto it")
    levels = Table("comparison", "level", "m", "u", "weight", title="parameters learned")
    for comparison in report["comparisons"]:
        for level in comparison["levels"]:
            known = level["weight"] is not None
            levels.add_row(comparison["comparison"], level["label"] + (" (fixed)" if level["fixed"] else ""),
                           f"{level['m']:.3g}" if known else "", f"{level['u']:.3g}" if known else "",
                           f"{level['weight']:+.1f}" if known else "")
    console.print(levels)
    hist = Table("weight", "pairs", "decides", "", title=f"{report['pairs_compared']:,} pairs compared")
    top = max((b["pairs"] for b in report["histogram"]), default=1)
    for b in report["histogram"]:
        low = "below" if b["from"] is None else f"{b['from']:g}"
        bar = "#" * max(1, 40 * b["pairs"] // top)
        hist.add_row(f"{low} .. {b['to']:g}", f"{b['pairs']:,}", b["decides"], bar)
    console.print(hist)
