"""``frontoffice actions`` (the catalogue), ``frontoffice nba`` (decide, outcomes, models,
off-policy evaluation, return risk, predicted traits) and ``frontoffice recs evaluate``."""

from __future__ import annotations

from pathlib import Path

import click
import orjson
from pydantic import ValidationError

from frontoffice.cli.context import (
    friendly_errors,
    json_option,
    limit_option,
    print_json,
    print_rows,
    settings_from,
    workspace_data,
    workspace_option,
)
from frontoffice.decisions.catalogue import Action
from frontoffice.decisions.names import ALGORITHMS, MODEL_KINDS
from frontoffice.domain.events import now
from frontoffice.errors import InvalidInput

# The commands import what they use when they run: numpy, scipy, implicit and VW would
# otherwise load with every ``frontoffice`` command (a quarter of a second).


@click.group()
def actions() -> None:
    """The action catalogue of next-best-action: products, offers, content, service, loyalty."""


def _load_actions(path: Path) -> list[Action]:
    try:
        data = orjson.loads(path.read_bytes())
        items = data if isinstance(data, list) else [data]
        return [Action.model_validate(item) for item in items]
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"{path} is not JSON: {exc}.") from exc
    except ValidationError as exc:
        raise InvalidInput(f"{path} holds an invalid action: {exc}") from exc


@actions.command("save")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@workspace_option
@click.pass_context
@friendly_errors
def save_cmd(ctx: click.Context, file: Path, workspace: str) -> None:
    """Save the action(s) in FILE (a JSON object or array); each save is a new version."""
    from frontoffice.decisions import service
    from frontoffice.decisions.wiring import wire

    loaded = _load_actions(file)
    with workspace_data(ctx, workspace) as (ws, store):
        own = wire(store, settings_from(ctx)).store
        for action in loaded:
            saved = service.save_action(own, ws.id, action, now())
            click.echo(f"saved {saved['action_id']} version {saved['version']}")


@actions.command("list")
@workspace_option
@json_option
@limit_option
@click.pass_context
@friendly_errors
def list_cmd(ctx: click.Context, workspace: str, as_json: bool, limit: int) -> None:
    """The catalogue: the newest version of every action (in action id order)."""
    from frontoffice.decisions import service
    from frontoffice.decisions.wiring import wire

    with workspace_data(ctx, workspace) as (ws, store):
        rows = service.catalogue(wire(store, settings_from(ctx)).store, ws.id)[:limit]
    print_rows(rows if as_json else [{k: r[k] for k in (
        "action_id", "version", "status", "kind", "title", "purpose", "channels")} for r in rows],
        as_json, empty="no actions; add some with `frontoffice actions save FILE`")


@actions.command("versions")
@click.argument("action_id")
@workspace_option
@json_option
@click.pass_context
@friendly_errors
def versions_cmd(ctx: click.Context, action_id: str, workspace: str, as_json: bool) -> None:
    """Every version of one action."""
    from frontoffice.decisions import service
    from frontoffice.decisions.wiring import wire

    with workspace_data(ctx, workspace) as (ws, store):
        rows = service.history(wire(store, settings_from(ctx)).store, ws.id, action_id)
    print_rows(rows if as_json else [{k: r[k] for k in ("version", "status", "saved_at", "title")}
                                     for r in rows], as_json)


@actions.command("retire")
@click.argument("action_id")
@workspace_option
@click.pass_context
@friendly_errors
def retire_cmd(ctx: click.Context, action_id: str, workspace: str) -> None:
    """Retire an action: it is never a candidate again until saved anew."""
    from frontoffice.decisions import service
    from frontoffice.decisions.wiring import wire

    with workspace_data(ctx, workspace) as (ws, store):
        done = service.retire_action(wire(store, settings_from(ctx)).store, ws.id, action_id, now())
    click.echo(f"retired {action_id} (version {done['version']})")


@click.group()
def nba() -> None:
    """Next-best-action: decide, record outcomes, train and promote the bandit, evaluate."""


@nba.command("decide")
@click.argument("person_id")
@workspace_option
@click.option("--channel", default="web", show_default=True)
@click.option("--placement", default="default", show_default=True)
@click.option("-n", "n", type=click.IntRange(1, 50), default=3, show_default=True)
@click.pass_context
@friendly_errors
def decide_cmd(ctx: click.Context, person_id: str, workspace: str, channel: str, placement: str,
               n: int) -> None:
    """Decide (and log) the next best actions for a person; prints the decision as JSON."""
    from frontoffice.decisions.arbiter import Arbiter
    from frontoffice.decisions.decide import Ask, decide
    from frontoffice.decisions.wiring import wire

    settings = settings_from(ctx)
    with workspace_data(ctx, workspace) as (ws, store):
        wired = wire(store, settings)
        print_json(decide(wired.ports, Arbiter(lambda _: wired.store), ws.id,
                          Ask(person_id, channel, placement, n), now(),
                          settings.decisions_contacts_per_day))


@nba.command("outcome")
@click.argument("decision_id")
@click.argument("kind")
@workspace_option
@click.option("--action", "action_id", default=None, help="Default: the first action shown.")
@click.option("--reward", type=float, default=None, help="Default: the kind's reward.")
@click.pass_context
@friendly_errors
def outcome_cmd(ctx: click.Context, decision_id: str, kind: str, workspace: str,
                action_id: str | None, reward: float | None) -> None:
    """Record what came of a decision (click, purchase, kept, returned, dismissed)."""
    from frontoffice.decisions import service
    from frontoffice.decisions.wiring import wire

    with workspace_data(ctx, workspace) as (ws, store):
        print_json(service.record_outcome(wire(store, settings_from(ctx)).store, ws.id,
                                          decision_id, action_id, kind, reward, now(), "cli"))


@nba.command("models")
@workspace_option
@json_option
@click.pass_context
@friendly_errors
def models_cmd(ctx: click.Context, workspace: str, as_json: bool) -> None:
    """The bandit's model versions."""
    from frontoffice.decisions import learning
    from frontoffice.decisions.wiring import wire

    with workspace_data(ctx, workspace) as (ws, store):
        rows = learning.versions(wire(store, settings_from(ctx)).store, ws.id)
    print_rows(rows, as_json, empty="no model versions; train one with `frontoffice nba train`")


@nba.command("train")
@workspace_option
@click.pass_context
@friendly_errors
def train_cmd(ctx: click.Context, workspace: str) -> None:
    """Train a candidate bandit version on the decisions and outcomes since the promoted one."""
    from frontoffice.decisions import learning
    from frontoffice.decisions.wiring import wire

    settings = settings_from(ctx)
    with workspace_data(ctx, workspace) as (ws, store):
        own = wire(store, settings).store
        print_json(learning.train(own, own, ws.id, now(), settings.decisions_epsilon))


kind_option = click.option("--kind", type=click.Choice(MODEL_KINDS), default="bandit",
                           show_default=True, help="The bandit, or the return-risk model.")


@nba.command("promote")
@click.argument("version", type=int)
@workspace_option
@kind_option
@click.pass_context
@friendly_errors
def promote_cmd(ctx: click.Context, version: int, workspace: str, kind: str) -> None:
    """Decide with this model version from now on."""
    from frontoffice.decisions import learning
    from frontoffice.decisions.wiring import wire

    with workspace_data(ctx, workspace) as (ws, store):
        print_json(learning.promote(wire(store, settings_from(ctx)).store, ws.id, version, kind))


@nba.command("rollback")
@workspace_option
@kind_option
@click.pass_context
@friendly_errors
def rollback_cmd(ctx: click.Context, workspace: str, kind: str) -> None:
    """Go back to the version promoted before the current one (or to the rules)."""
    from frontoffice.decisions import learning
    from frontoffice.decisions.wiring import wire

    with workspace_data(ctx, workspace) as (ws, store):
        print_json(learning.rollback(wire(store, settings_from(ctx)).store, ws.id, kind))


@nba.command("evaluate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--epsilon", type=click.FloatRange(0, 1), default=0.1, show_default=True,
              help="Exploration of the bandit trained on the first half.")
@json_option
@friendly_errors
def nba_evaluate(file: Path, epsilon: float, as_json: bool) -> None:
    """Off-policy estimates (IPS, SNIPS, DR, 95% intervals) of candidate policies on logged
    bandit data (CSV/Parquet: action, reward, propensity, context columns)."""
    from frontoffice.decisions import nba_eval

    report = nba_eval.evaluate(nba_eval.read_rounds(file), epsilon)
    if as_json:
        print_json(report)
        return
    click.echo(f"{report['rounds']} rounds: trained on {report['train']}, "
               f"estimated on {report['evaluated']}")
    print_rows([{"policy": name, **{est: f"{v['value']:.4f} [{v['ci_low']:.4f}, {v['ci_high']:.4f}]"
                                    for est, v in found.items()}}
                for name, found in report["policies"].items()], False)


@nba.command("return-risk")
@workspace_option
@json_option
@click.option("--save", is_flag=True, help="Also save the model as a candidate version.")
@click.pass_context
@friendly_errors
def return_risk_cmd(ctx: click.Context, workspace: str, as_json: bool, save: bool) -> None:
    """Fit the return-risk model on the workspace's orders and returns (the latest 20% held
    back): Brier score, log loss and AUC against the overall rate, and its reliability table."""
    from frontoffice.decisions import learning, return_risk
    from frontoffice.decisions.wiring import wire

    with workspace_data(ctx, workspace) as (ws, store):
        wired = wire(store, settings_from(ctx))
        lines = wired.interactions.lines(ws.id)
        report = return_risk.evaluate(lines)
        if save:
            saved = learning.train_returns(lines, wired.store, ws.id, now())
            click.echo(f"saved return-risk version {saved['version']} (candidate); promote it "
                       f"with `frontoffice nba promote {saved['version']} --kind returns`")
    if as_json:
        print_json(report)
        return
    click.echo(f"{report['lines']} lines: Brier {report['brier']} (baseline "
               f"{report['brier_baseline']}), AUC {report['auc']}")
    print_rows(report["reliability"], False)


@nba.command("traits")
@workspace_option
@json_option
@click.pass_context
@friendly_errors
def traits_cmd(ctx: click.Context, workspace: str, as_json: bool) -> None:
    """Predicted traits (buy in the next 30 days, churn in 90) on the workspace's orders, judged
    on a later cutoff against the recency/frequency baseline (ROC AUC)."""
    from frontoffice.decisions import intent
    from frontoffice.decisions.wiring import wire

    with workspace_data(ctx, workspace) as (ws, store):
        purchases = wire(store, settings_from(ctx)).interactions.purchases(ws.id)
    print_rows([intent.evaluate(purchases, trait) for trait in intent.TRAITS], as_json)


@nba.command("refresh")
@workspace_option
@click.pass_context
@friendly_errors
def refresh_cmd(ctx: click.Context, workspace: str) -> None:
    """Retrain now what the worker retrains every `decisions_refresh_hours`: the predicted traits
    (written to segments) and the recommender's evaluation; prints the versions saved."""
    from frontoffice.decisions.refresh import refresh
    from frontoffice.decisions.wiring import wire
    from frontoffice.segments.store import SegmentsStore

    with workspace_data(ctx, workspace) as (ws, store):
        wired = wire(store, settings_from(ctx))
        print_json(refresh(wired.interactions, SegmentsStore(store), wired.store, ws.id, now()))


@click.group()
def recs() -> None:
    """Recommendations: evaluate collaborative filtering against popularity on your data."""


@recs.command("evaluate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--k", "k", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--split", "how", type=click.Choice(["random", "time"]), default="random",
              show_default=True, help="Per user: random items held back, or the latest.")
@click.option("--test-fraction", type=click.FloatRange(0.01, 0.9), default=0.2, show_default=True)
@click.option("--algorithm", "algorithms", multiple=True, type=click.Choice(ALGORITHMS),
              default=("als", "knn"), show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
@json_option
@friendly_errors
def recs_evaluate(file: Path, k: int, how: str, test_fraction: float,
                  algorithms: tuple[str, ...], seed: int, as_json: bool) -> None:
    """Precision, recall, nDCG and MAP at k of each algorithm and of popularity, on a held-back
    part of FILE (CSV/Parquet: user, item, optional rating and timestamp)."""
    from frontoffice.decisions import recs_eval

    report = recs_eval.evaluate(recs_eval.read_interactions(file), k, how, test_fraction,
                                algorithms, seed)
    if as_json:
        print_json(report)
        return
    click.echo(f"{report['interactions']} interactions, {report['users_tested']} users tested, "
               f"{how} split, k={k}")
    print_rows([{"model": name, **metrics} for name, metrics in report["results"].items()], False)
