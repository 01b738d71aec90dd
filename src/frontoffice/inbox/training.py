"""Retraining the classifier from agents' corrections: the seed set plus every corrected label of
the workspace, saved as the workspace's newest model (the classifier reads it on its next call)."""

from __future__ import annotations

from datetime import datetime

import orjson

from frontoffice.domain.events import iso
from frontoffice.domain.tenancy import new_id
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.nlp.classifier import fit
from frontoffice.inbox.nlp.embed import Embedder
from frontoffice.inbox.nlp.seed import Example


def retrain(desk: Desk, ws: str, embedder: Embedder, now: datetime) -> dict[str, object]:
    corrections = [Example(d["language"], d["category"], d["sentiment"], d["text"])
                   for d in desk.inbox.entities(ws, "label")]
    model = fit(embedder, corrections)
    model_id = "m_" + new_id()
    desk.inbox.save_model(ws, model_id, iso(now), int(model["examples"]), orjson.dumps(model).decode())
    return {"model_id": model_id, "examples": model["examples"], "corrections": len(corrections)}
