"""The decisions API: the action catalogue, ``decide``, outcomes, logged decisions and the
bandit's model versions, under ``/api/v1/workspaces/{ws}/decisions``."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from frontoffice.api.access import require
from frontoffice.api.hand_read import HandChecked, documented, json_body, validated
from frontoffice.api.schemas import error_responses
from frontoffice.bootstrap import Container, PerStore
from frontoffice.decisions import learning, service
from frontoffice.decisions.arbiter import Arbiter
from frontoffice.decisions.catalogue import ID, Action
from frontoffice.decisions.decide import Ask, decide
from frontoffice.decisions.schemas import DecideIn, OutcomeIn
from frontoffice.decisions.wiring import Wired, wire
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Scope, Workspace
from frontoffice.errors import InvalidInput
from frontoffice.storage.sql import SqlStore

Reader = Annotated[Workspace, require(Scope.EVENTS_READ)]
Decider = Annotated[Workspace, require(Scope.OUTBOUND_WRITE)]
Admin = Annotated[Workspace, require(Scope.SOURCES_ADMIN)]
ActionId = Annotated[str, Path(pattern=ID)]
Kind = Annotated[str, Query(pattern="^(bandit|returns)$")]
DECIDED: dict[str, Any] = {"description": "The ranked actions with their reasons, the decision id "
                           "and the refused candidates.",
                           "content": {"application/json": {"schema": {"type": "object"}}}}


def decisions_router(c: Container) -> APIRouter:
    settings = c.settings

    def make(store: SqlStore) -> Wired:
        return wire(store, settings, group_commit=True)

    parts = PerStore(c.store_for, make)
    arbiter = Arbiter(lambda ws: parts(ws).store)
    router = APIRouter(prefix="/api/v1/workspaces/{ws}/decisions", tags=["decisions"],
                       responses=error_responses({
                           400: "Invalid body, or an action or outcome that breaks a rule.",
                           401: "Missing or unknown API token.",
                           403: "The token lacks the scope or belongs to another workspace.",
                           404: "No such workspace, person, action, decision or model version.",
                           422: "A parameter has the wrong type or range."}))

    @router.get("/actions")
    def list_actions(workspace: Reader) -> dict[str, Any]:
        """The catalogue: the newest version of every action."""
        return {"actions": service.catalogue(parts(workspace.id).store, workspace.id)}

    @router.put("/actions/{action_id}")
    def put_action(workspace: Admin, action_id: ActionId, body: Action) -> dict[str, Any]:
        """Save a new version of an action (active)."""
        if body.action_id != action_id:
            raise InvalidInput(f"The body's action_id {body.action_id!r} is not the path's "
                               f"{action_id!r}.")
        done = service.save_action(parts(workspace.id).store, workspace.id, body, now())
        parts(workspace.id).ports.catalogue.forget(workspace.id)
        return done

    @router.get("/actions/{action_id}/versions")
    def action_versions(workspace: Reader, action_id: ActionId) -> dict[str, Any]:
        return {"versions": service.history(parts(workspace.id).store, workspace.id, action_id)}

    @router.delete("/actions/{action_id}")
    def retire(workspace: Admin, action_id: ActionId) -> dict[str, Any]:
        """Retire an action (a new version that is never a candidate)."""
        done = service.retire_action(parts(workspace.id).store, workspace.id, action_id, now())
        parts(workspace.id).ports.catalogue.forget(workspace.id)
        return done

    @router.post("/decide", response_class=Response, responses={200: DECIDED},
                 openapi_extra=documented(DecideIn, Scope.OUTBOUND_WRITE))
    async def post_decide(request: Request, ws: str) -> Response:
        """The next best actions for a person on a channel and placement: ranked, explained,
        logged with a decision id; refused candidates name their rule."""
        # read by hand (api/hand_read.py): one thread hop for the token, the workspace, the body
        # and the decision, answering every refusal as the dependency form would
        body = await json_body(request)
        caller = HandChecked.of(request)

        def answer() -> bytes:
            workspace = caller.workspace(Scope.OUTBOUND_WRITE, ws)
            asked = validated(DecideIn, body)
            ask = Ask(asked.person_id, asked.channel, asked.placement, asked.n, asked.mode,
                      asked.near)
            # plain JSON types already: written by orjson, without FastAPI's encoder walking them
            return orjson.dumps(decide(parts(workspace.id).ports, arbiter, workspace.id, ask, now(),
                                       settings.decisions_contacts_per_day))

        return Response(await run_in_threadpool(answer), media_type="application/json")

    @router.post("/outcomes")
    def post_outcome(workspace: Decider, body: OutcomeIn) -> dict[str, Any]:
        """What came of a decision (click, purchase, kept, returned, ...), joined by its id."""
        return service.record_outcome(parts(workspace.id).ports.log, workspace.id, body.decision_id,
                                      body.action_id, body.kind, body.reward, now(),
                                      outcome_id=body.outcome_id)

    @router.get("/log/{decision_id}")
    def get_decision(workspace: Reader, decision_id: Annotated[str, Path(pattern=ID)]
                     ) -> dict[str, Any]:
        """A logged decision: candidates, refusals, features, propensity, model, outcomes."""
        return service.explain(parts(workspace.id).ports.log, workspace.id, decision_id)

    @router.get("/models")
    def models(workspace: Reader) -> dict[str, Any]:
        return {"versions": learning.versions(parts(workspace.id).store, workspace.id)}

    @router.post("/models/train")
    def train(workspace: Admin) -> dict[str, Any]:
        """Train a candidate bandit version on the decisions and outcomes since the promoted one."""
        wired = parts(workspace.id)
        return learning.train(wired.ports.log, wired.store, workspace.id, now(),
                              settings.decisions_epsilon)

    @router.post("/models/returns/train")
    def train_returns(workspace: Admin) -> dict[str, Any]:
        """Fit a candidate return-risk version on the workspace's orders and returns."""
        wired = parts(workspace.id)
        return learning.train_returns(wired.interactions.lines(workspace.id), wired.store,
                                      workspace.id, now())

    @router.post("/models/{version}/promote")
    def promote(workspace: Admin, version: int, kind: Kind = "bandit") -> dict[str, Any]:
        """Decide with this version of the bandit (``kind=bandit``) or return risk (``returns``)."""
        done = learning.promote(parts(workspace.id).store, workspace.id, version, kind)
        arbiter.forget(workspace.id)
        return done

    @router.post("/models/rollback")
    def rollback(workspace: Admin, kind: Kind = "bandit") -> dict[str, Any]:
        """Back to the version promoted before the current one (or to the rules)."""
        done = learning.rollback(parts(workspace.id).store, workspace.id, kind)
        arbiter.forget(workspace.id)
        return done

    return router
