"""Model versions of the bandit: train a candidate from the decision log joined with outcomes
(warm-started from the promoted version, learning only what came after it), promote one,
roll back to the one promoted before."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from frontoffice.decisions import return_risk
from frontoffice.decisions.arbiter import promoted
from frontoffice.decisions.bandit import Bandit
from frontoffice.decisions.names import BANDIT, MODEL_KINDS, RETURNS
from frontoffice.decisions.ports import DecisionLog, Models
from frontoffice.decisions.return_risk import Line
from frontoffice.domain.events import iso
from frontoffice.errors import InvalidInput, NotFound

BATCH = 500
KINDS = MODEL_KINDS


def train(log: DecisionLog, models: Models, ws: str, now: datetime, epsilon: float = 0.1
          ) -> dict[str, Any]:
    """A new candidate version that has learned every decision since its base version's."""
    base = promoted(models, ws, BANDIT)
    after = ""
    if base is None:
        bandit = Bandit(epsilon=epsilon)
    else:
        blob = models.model_blob(ws, BANDIT, base)
        bandit = Bandit(blob)
        after = next(v.metrics.get("trained_until", "") for v in models.model_versions(ws, BANDIT)
                     if v.version == base)
    examples, total_reward, until = 0, 0.0, after
    try:
        while batch := log.decisions(ws, after, BATCH):
            rewards: dict[tuple[str, str], float] = defaultdict(float)
            for o in log.outcomes(ws, [d.decision_id for d in batch]):
                rewards[(o.decision_id, o.action_id)] += o.reward
            for d in batch:
                eligible = d.doc.get("eligible", [])
                if d.chosen and d.chosen[0] in eligible:
                    reward = rewards.get((d.decision_id, d.chosen[0]), 0.0)
                    bandit.learn(d.doc["context"], d.doc["features"], eligible.index(d.chosen[0]),
                                 reward, float(d.doc["propensity"]))
                    examples, total_reward = examples + 1, total_reward + reward
            after = until = batch[-1].at
        metrics = {"examples": examples, "mean_reward": round(total_reward / examples, 6)
                   if examples else 0.0, "trained_until": until, "base_version": base}
        version = models.save_model(ws, BANDIT, bandit.to_bytes(), metrics, iso(now))
    finally:
        bandit.close()
    return {"kind": BANDIT, "version": version, "status": "candidate", **metrics}


def train_returns(lines: Sequence[Line], models: Models, ws: str, now: datetime
                  ) -> dict[str, Any]:
    """A candidate return-risk version fitted on every line, with the figures of the same recipe
    judged on a time split (``return_risk.evaluate``)."""
    found = return_risk.evaluate(lines)
    metrics = {k: found[k] for k in ("lines", "brier", "brier_baseline", "auc", "ece")}
    version = models.save_model(ws, RETURNS, return_risk.fit(lines).to_json(), metrics, iso(now))
    return {"kind": RETURNS, "version": version, "status": "candidate", **metrics}


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput(f"Unknown model kind {kind!r}; one of {', '.join(KINDS)}.")
    return kind


def promote(models: Models, ws: str, version: int, kind: str = BANDIT) -> dict[str, Any]:
    known = {v.version: v for v in models.model_versions(ws, _kind(kind))}
    if version not in known:
        raise NotFound(f"No {kind} version {version}; list them with `frontoffice nba models`.")
    current = promoted(models, ws, kind)
    if current == version:
        raise InvalidInput(f"The {kind} version {version} is already promoted.")
    if current is not None:
        models.set_model_status(ws, kind, current, "retired")
    models.set_model_status(ws, kind, version, "promoted")
    return {"kind": kind, "promoted": version, "previous": current}


def rollback(models: Models, ws: str, kind: str = BANDIT) -> dict[str, Any]:
    """The promoted version is rolled back; the newest version promoted before it (retired) is
    promoted again, or none is and decisions fall back to the rules (expected kept value, the
    return-risk prior)."""
    current = promoted(models, ws, _kind(kind))
    if current is None:
        raise InvalidInput(f"No {kind} version is promoted; there is nothing to roll back.")
    models.set_model_status(ws, kind, current, "rolled_back")
    before = [v.version for v in models.model_versions(ws, kind)
              if v.status == "retired" and v.version < current]
    if before:
        models.set_model_status(ws, kind, before[-1], "promoted")
    return {"kind": kind, "rolled_back": current, "promoted": before[-1] if before else None}


def versions(models: Models, ws: str) -> list[dict[str, Any]]:
    return [{"kind": v.kind, "version": v.version, "status": v.status, "created_at": v.created_at,
             **v.metrics} for kind in KINDS for v in models.model_versions(ws, kind)]
