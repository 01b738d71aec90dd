"""Decisions' use cases on its ports: the catalogue (versioned saves, retiring) and outcomes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from frontoffice.decisions.catalogue import Action
from frontoffice.decisions.ports import Actions, DecisionLog, Outcome, StoredAction
from frontoffice.domain.events import iso
from frontoffice.errors import InvalidInput, NotFound

REWARDS = {"click": 0.1, "purchase": 0.5, "kept": 1.0, "returned": -1.0, "dismissed": 0.0}
"""Default reward of each outcome kind when the caller gives none: a purchase kept after the
return window is worth most, a return costs more than a purchase earned."""


def _shown(stored: StoredAction) -> dict[str, Any]:
    return {**stored.doc, "version": stored.version, "status": stored.status,
            "saved_at": stored.created_at}


def save_action(actions: Actions, ws: str, action: Action, now: datetime) -> dict[str, Any]:
    """A new version of the action (a new action is version 1); it is active."""
    doc = action.model_dump(mode="json")
    version = actions.save(ws, action.action_id, "active", doc, iso(now))
    return {**doc, "version": version, "status": "active", "saved_at": iso(now)}


def retire_action(actions: Actions, ws: str, action_id: str, now: datetime) -> dict[str, Any]:
    """A new version, retired: never a candidate again until saved anew."""
    versions = actions.versions(ws, action_id)
    if not versions:
        raise NotFound(f"No action {action_id!r}; list them with `frontoffice actions list`.")
    version = actions.save(ws, action_id, "retired", versions[-1].doc, iso(now))
    return {**versions[-1].doc, "version": version, "status": "retired", "saved_at": iso(now)}


def catalogue(actions: Actions, ws: str) -> list[dict[str, Any]]:
    return [_shown(s) for s in actions.current(ws)]


def history(actions: Actions, ws: str, action_id: str) -> list[dict[str, Any]]:
    found = actions.versions(ws, action_id)
    if not found:
        raise NotFound(f"No action {action_id!r}; list them with `frontoffice actions list`.")
    return [_shown(s) for s in found]


def record_outcome(log: DecisionLog, ws: str, decision_id: str, action_id: str | None, kind: str,
                   reward: float | None, now: datetime, source: str = "api",
                   outcome_id: str | None = None) -> dict[str, Any]:
    """Join an outcome to its decision. ``action_id`` defaults to the decision's first action;
    ``reward`` to the kind's default (``REWARDS``); the same ``outcome_id`` is stored once."""
    decision = log.decision(ws, decision_id)
    if decision is None:
        raise NotFound(f"No decision {decision_id!r}; outcomes name the decision_id that "
                       "POST .../decide returned.")
    if not decision.chosen:
        raise InvalidInput(f"Decision {decision_id} showed no action; it can have no outcome.")
    action = action_id or decision.chosen[0]
    if action not in decision.chosen:
        raise InvalidInput(f"Action {action!r} was not shown by decision {decision_id} "
                           f"(it showed {', '.join(decision.chosen)}).")
    if reward is None:
        if kind not in REWARDS:
            raise InvalidInput(f"Outcome {kind!r} has no default reward; give `reward` or use "
                               f"one of {', '.join(sorted(REWARDS))}.")
        reward = REWARDS[kind]
    oid = outcome_id or f"{decision_id}:{action}:{kind}"
    outcome = Outcome(oid, decision_id, action, kind, reward, iso(now), source)
    stored = log.record(ws, outcome)
    return {"outcome_id": oid, "decision_id": decision_id, "action_id": action, "kind": kind,
            "reward": reward, "stored": stored}


def explain(log: DecisionLog, ws: str, decision_id: str) -> dict[str, Any]:
    """A logged decision with its outcomes."""
    decision = log.decision(ws, decision_id)
    if decision is None:
        raise NotFound(f"No decision {decision_id!r}.")
    outcomes = log.outcomes(ws, [decision_id])
    return {"decision_id": decision.decision_id, "person_id": decision.person_id,
            "channel": decision.channel, "placement": decision.placement, "at": decision.at,
            "model_version": decision.model_version, "chosen": decision.chosen, **decision.doc,
            "outcomes": [{"action_id": o.action_id, "kind": o.kind, "reward": o.reward,
                          "at": o.at, "source": o.source} for o in outcomes]}
