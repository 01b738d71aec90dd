"""The inbox API's desk routes: agents, macros, label corrections, retraining and classification,
SLA policies, calendars and the sweep, the knowledge base, and the lead's report."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query

from frontoffice.domain.events import now
from frontoffice.inbox import kb, reports, slas, team, training
from frontoffice.inbox.schemas_api import (
    DeskOf,
    InboxAgentIn,
    InboxArticleIn,
    InboxCalendarIn,
    InboxCorrectionIn,
    InboxMacroIn,
    InboxPolicyIn,
    InboxTextsIn,
    Reader,
    Writer,
)
from frontoffice.inbox.wiring import shared_embedder


def add_desk_routes(router: APIRouter, desk: DeskOf) -> None:
    @router.put("/agents/{agent_id}")
    def put_agent(workspace: Writer, agent_id: str, body: InboxAgentIn) -> dict[str, Any]:
        """An agent's skills, capacity, presence and lead role (fields left out keep their value);
        going away or offline re-routes their new and open tickets, saying why."""
        return team.configure_agent(desk(workspace), workspace.id, agent_id,
                                    body.model_dump(exclude_none=True), now())

    @router.get("/agents")
    def get_agents(workspace: Reader) -> dict[str, Any]:
        d = desk(workspace)
        load = d.inbox.open_load(workspace.id)
        agents = d.inbox.entities(workspace.id, "agent")
        return {"agents": [{**a, "open": load.get(a["id"], 0)} for a in agents]}

    @router.put("/macros/{name}")
    def put_macro(workspace: Writer, name: str, body: InboxMacroIn) -> dict[str, Any]:
        return team.save_macro(desk(workspace), workspace.id, name, body.bodies, body.actions, now())

    @router.post("/messages/{message_id}/correction")
    def post_correction(workspace: Writer, message_id: str, body: InboxCorrectionIn) -> dict[str, Any]:
        """An agent's correction of the category, sentiment or language; the next retrain learns it."""
        return team.correct(desk(workspace), workspace.id, message_id, body.by, now(), body.category,
                            body.sentiment, body.language)

    @router.post("/model")
    def post_model(workspace: Writer) -> dict[str, Any]:
        """Retrain the classifier on the seed set and this workspace's corrections."""
        return training.retrain(desk(workspace), workspace.id, shared_embedder(), now())

    @router.post("/classify")
    def post_classify(workspace: Reader, body: InboxTextsIn) -> dict[str, Any]:
        found = desk(workspace).understand(workspace.id, body.texts)
        return {"results": [asdict(u) for u in found]}

    @router.put("/sla/policies/{policy_id}")
    def put_policy(workspace: Writer, policy_id: str, body: InboxPolicyIn) -> dict[str, Any]:
        """Targets in business hours for tickets of a priority, channel and segment; the most
        specific matching policy applies (none: the priority's built-in targets)."""
        return slas.save_policy(desk(workspace), workspace.id, policy_id, body.model_dump(), now())

    @router.put("/sla/calendars/{calendar_id}")
    def put_calendar(workspace: Writer, calendar_id: str, body: InboxCalendarIn) -> dict[str, Any]:
        """Business hours, time zone and public holidays (country, region) of the teams named."""
        return slas.save_calendar(desk(workspace), workspace.id, calendar_id, body.model_dump(), now())

    @router.get("/sla")
    def get_sla(workspace: Reader) -> dict[str, Any]:
        """The SLA policies and calendars."""
        d = desk(workspace)
        return {"policies": d.inbox.entities(workspace.id, "sla_policy"),
                "calendars": d.inbox.entities(workspace.id, "calendar")}

    @router.post("/sla/sweep")
    def post_sweep(workspace: Writer) -> dict[str, Any]:
        """Log warnings and breaches for every active ticket past a target (a breach escalates)."""
        found = slas.sweep(desk(workspace), workspace.id, now())
        return {"breaches": [{"ticket_id": t, "target": target} for t, target in found]}

    @router.put("/articles/{article_id}")
    def put_article(workspace: Writer, article_id: str, body: InboxArticleIn) -> dict[str, Any]:
        """A knowledge base article (any language: search finds it across languages)."""
        return kb.save_article(desk(workspace), workspace.id, article_id, body.language, body.title,
                               body.body, now())

    @router.get("/articles/search")
    def search_articles(workspace: Reader, q: Annotated[str, Query(min_length=1, max_length=2000)],
                        limit: Annotated[int, Query(ge=1, le=20)] = 3) -> dict[str, Any]:
        """The articles closest in meaning to the question, best first, with their similarity."""
        return {"articles": kb.search(desk(workspace), workspace.id, q, limit)}

    @router.get("/report")
    def get_report(workspace: Reader) -> dict[str, Any]:
        """Backlog, SLA attainment and CSAT per agent and channel."""
        return reports.lead(desk(workspace).inbox, workspace.id, now())
