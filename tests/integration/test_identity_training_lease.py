"""One training of a workspace's matching model at a time, across processes: the worker's live
match and an API or CLI match each trained one (Splink, 10-20 s of CPU on the demo) when they found
no model at the same moment. The one that finds another training waits for that model."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from frontoffice.domain.events import iso, now
from frontoffice.identity.match_service import LiveMatcher
from frontoffice.identity.probabilistic import Model
from frontoffice.identity.review_store import ReviewSql
from frontoffice.storage.sql import SqlStore
from tests.integration.identity_review_support import model_json
from tests.integration.identity_support import brand


def test_the_lease_goes_to_one_holder_until_it_lets_go_or_runs_out(store: SqlStore) -> None:
    review, ws = ReviewSql(store), "ws-lease"
    at, later = iso(now()), iso(now() + timedelta(seconds=60))
    assert review.claim_training(ws, "worker", at, later)
    assert not review.claim_training(ws, "api", at, later)
    review.release_training(ws, "api")  # not the holder: nothing changes
    assert review.training_until(ws) == later
    review.release_training(ws, "worker")
    assert review.training_until(ws) is None
    assert review.claim_training(ws, "api", at, later)
    past = iso(now() + timedelta(seconds=61))  # the api process died holding it: it runs out
    assert review.claim_training(ws, "cli", past, iso(now() + timedelta(seconds=120)))
    assert review.claim_training("ws-other", "worker", at, later)  # a workspace has its own


def test_a_match_that_finds_another_process_training_waits_for_its_model(store: SqlStore) -> None:
    b, review = brand(store), ReviewSql(store)
    assert review.claim_training(b.workspace_id, "worker", iso(now()), iso(now() + timedelta(seconds=60)))

    def train_then_let_go() -> None:  # the other process (the worker, say) saves its model
        time.sleep(0.5)
        review.save_model(b.workspace_id, model_json(), 12)
        review.release_training(b.workspace_id, "worker")

    other = threading.Thread(target=train_then_let_go)
    other.start()
    waiting = LiveMatcher(store, b.workspace_id)

    def refuse() -> int:
        raise AssertionError("trained a second model while another process trained one")

    waiting.train = refuse  # type: ignore[method-assign]
    started = time.monotonic()
    model, trained = waiting.model()
    other.join()
    assert model is not None and not trained
    assert time.monotonic() - started >= 0.4  # it waited for the other's model
    assert model.to_json() == review.state(b.workspace_id).model


def test_a_holder_that_let_go_without_a_model_leaves_the_training_to_the_next(store: SqlStore) -> None:
    b, review = brand(store), ReviewSql(store)
    assert review.claim_training(b.workspace_id, "worker", iso(now()), iso(now() + timedelta(seconds=60)))
    threading.Timer(0.3, review.release_training, (b.workspace_id, "worker")).start()  # its training failed
    matcher, trainings = LiveMatcher(store, b.workspace_id), []

    def train() -> int:
        trainings.append(review.training_until(b.workspace_id))  # held by this process meanwhile
        review.save_model(b.workspace_id, model_json(), 12)
        matcher._model = (model_json(), Model.from_json(model_json()))
        return 12

    matcher.train = train  # type: ignore[method-assign]
    model, trained = matcher.model()
    assert model is not None and trained and len(trainings) == 1 and trainings[0] is not None
    assert review.training_until(b.workspace_id) is None  # and it let go of the lease itself
