"""The inbox's HTTP API under ``/api/v1/workspaces/{ws}/inbox``: tickets (list, read with the
customer beside them, reply, note, change, assign, merge, split, rate, start a return), messages
from the API's channels (chat, call-centre notes, marketplaces), agents, macros, label
corrections, retraining, classification and the SLA sweep.

Marketplace messages: ``POST /inbox/v1/marketplace/mirakl`` takes a Mirakl thread (M10's
response, or M11's ``{"data": [threads]}``) from a source's write key (``Authorization: Basic``)
signed with the source's inbox webhook secret (``X-Frontoffice-Signature``,
``frontoffice service secret``). Each customer message becomes a ticket message, once."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from frontoffice.api.access import require
from frontoffice.api.jsonresponse import JsonResponse, error
from frontoffice.api.schemas import error_responses
from frontoffice.bootstrap import Container
from frontoffice.collector.auth import AuthFailure, write_key_from
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Channel, Scope, Workspace, new_id
from frontoffice.inbox import intake, kb, marketplace, reports, service, slas, team, training
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.ports import Ticket
from frontoffice.inbox.store import InboxStore
from frontoffice.inbox.wiring import desk_for, shared_embedder

Reader = Annotated[Workspace, require(Scope.EVENTS_READ)]
Writer = Annotated[Workspace, require(Scope.EVENTS_WRITE)]
Text = Annotated[str, Field(min_length=1, max_length=20_000)]


class InboxMessageIn(BaseModel):
    channel: Literal["chat", "phone", "marketplace", "api"] = "api"
    sender_kind: Literal["email", "phone", "marketplace_buyer", "chat"]
    sender: Annotated[str, Field(min_length=1, max_length=320)]
    sender_name: str = ""
    subject: str = ""
    text: Text
    message_id: str | None = Field(default=None, max_length=256,
                                   description="Your id for the message; a retry with it is stored once.")
    ticket_id: str | None = Field(default=None, description="Add to this ticket instead of threading.")


class InboxReplyIn(BaseModel):
    agent: Annotated[str, Field(min_length=1, max_length=100)]
    text: str | None = Field(default=None, max_length=20_000)
    macro: str | None = None
    status: str | None = None


class InboxNoteIn(BaseModel):
    author: Annotated[str, Field(min_length=1, max_length=100)]
    text: Text


class InboxChangeIn(BaseModel):
    by: str = "api"
    status: str | None = None
    priority: str | None = None
    team: str | None = None
    tags_add: list[str] = Field(default_factory=list)
    tags_remove: list[str] = Field(default_factory=list)


class InboxAssignIn(BaseModel):
    agent_id: str | None = Field(default=None, description="Unset: routing picks and says why.")
    by: str = "api"


class InboxRatingIn(BaseModel):
    score: Annotated[int, Field(ge=1, le=5)]
    comment: str = Field(default="", max_length=2000)


class InboxReturnIn(BaseModel):
    order_id: str
    lines: list[dict[str, Any]] = Field(min_length=1, description='[{"line_no": 1, "qty": 1}]')
    reason: Annotated[str, Field(min_length=1, max_length=100)]
    agent: str = "api"


class InboxAgentIn(BaseModel):
    name: str | None = None
    team: str | None = None
    languages: list[str] | None = None
    categories: list[str] | None = None
    channels: list[str] | None = None
    vip: bool | None = None
    lead: bool | None = Field(default=None, description="A lead: escalations go to the team's leads.")
    capacity: Annotated[int, Field(ge=0, le=1000)] | None = None
    presence: Literal["online", "away", "offline"] | None = None


class InboxMacroIn(BaseModel):
    bodies: dict[str, str] = Field(description='Text per language: {"en": "Hi {{customer.name}}, …"}')
    actions: dict[str, Any] = Field(default_factory=dict, description='e.g. {"status": "pending"}')


class InboxCorrectionIn(BaseModel):
    by: str = "api"
    category: str | None = None
    sentiment: str | None = None
    language: str | None = None


class InboxArticleIn(BaseModel):
    language: Annotated[str, Field(min_length=2, max_length=8)]
    title: Annotated[str, Field(min_length=1, max_length=300)]
    body: Annotated[str, Field(min_length=1, max_length=50_000)]


class InboxTextsIn(BaseModel):
    texts: list[Text] = Field(min_length=1, max_length=500)


def ticket_json(t: Ticket) -> dict[str, Any]:
    return asdict(t)


def inbox_router(c: Container) -> APIRouter:
    desks = c.per_store(lambda store: desk_for(c.settings, store))

    def desk(ws: Workspace) -> Desk:
        return desks(ws.id)

    router = APIRouter(prefix="/api/v1/workspaces/{ws}/inbox", tags=["inbox"], responses=error_responses({
        400: "Invalid body.", 401: "Missing or unknown API token.",
        403: "The token lacks the scope or belongs to another workspace.",
        404: "No such ticket, agent, macro or message.",
        409: "The ticket's rules refuse it (the message says what is allowed).",
        413: "The body is over the API's limit (setting max_api_body_bytes)."}))

    @router.get("/tickets")
    def list_tickets(workspace: Reader, status: Annotated[list[str] | None, Query()] = None,
                     assignee: str | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 200
                     ) -> dict[str, Any]:
        """The queue: tickets by last change, newest first."""
        found = desk(workspace).inbox.tickets(workspace.id, status or (), assignee, None, limit)
        return {"tickets": [ticket_json(t) for t in found]}

    @router.get("/tickets/{ticket_id}")
    def get_ticket(workspace: Reader, ticket_id: str) -> dict[str, Any]:
        """The ticket, its conversation and notes, the customer's orders, shipments and returns, and
        the knowledge base articles closest to the customer's first message."""
        d = desk(workspace)
        v = service.view(d, workspace.id, ticket_id)
        first = next((m.doc.get("stripped") or m.doc.get("text", "") for m in v.messages
                      if m.kind == "received"), "")
        return {"ticket": ticket_json(v.ticket), "messages": [asdict(m) for m in v.messages],
                "customer": asdict(v.customer), "suggested_articles": kb.search(d, workspace.id, first)}

    @router.post("/messages", status_code=201)
    async def post_message(workspace: Writer, body: InboxMessageIn) -> dict[str, Any]:
        """A message from chat, phone (call-centre notes), a marketplace or another system."""
        item = intake.Incoming(body.channel, body.message_id or f"api:{new_id()}", body.sender_kind,
                               body.sender, body.sender_name, body.subject, body.text,
                               (), body.ticket_id)
        receipt = await run_in_threadpool(intake.receive, desk(workspace), workspace.id, item, now())
        return asdict(receipt)

    @router.post("/tickets/{ticket_id}/replies")
    def post_reply(workspace: Writer, ticket_id: str, body: InboxReplyIn) -> dict[str, Any]:
        return ticket_json(service.reply(desk(workspace), workspace.id, ticket_id, body.agent, now(),
                                         body.text, body.macro, body.status))

    @router.post("/tickets/{ticket_id}/notes")
    def post_note(workspace: Writer, ticket_id: str, body: InboxNoteIn) -> dict[str, Any]:
        return ticket_json(service.note(desk(workspace), workspace.id, ticket_id, body.author, body.text,
                                        now()))

    @router.patch("/tickets/{ticket_id}")
    def patch_ticket(workspace: Writer, ticket_id: str, body: InboxChangeIn) -> dict[str, Any]:
        changes = body.model_dump(exclude={"by"}, exclude_none=True)
        return ticket_json(service.update(desk(workspace), workspace.id, ticket_id, changes, body.by, now()))

    @router.post("/tickets/{ticket_id}/assign")
    def post_assign(workspace: Writer, ticket_id: str, body: InboxAssignIn) -> dict[str, Any]:
        return ticket_json(service.assign(desk(workspace), workspace.id, ticket_id, now(), body.agent_id,
                                          body.by))

    @router.post("/tickets/{ticket_id}/merge/{into}")
    def post_merge(workspace: Writer, ticket_id: str, into: str) -> dict[str, Any]:
        return ticket_json(service.merge(desk(workspace), workspace.id, ticket_id, into, now()))

    @router.post("/tickets/{ticket_id}/split")
    def post_split(workspace: Writer, ticket_id: str, message_ids: list[str]) -> dict[str, Any]:
        return ticket_json(service.split(desk(workspace), workspace.id, ticket_id, message_ids, now()))

    @router.post("/tickets/{ticket_id}/rating")
    def post_rating(workspace: Writer, ticket_id: str, body: InboxRatingIn) -> dict[str, Any]:
        """CSAT after a solve: 1 (bad) to 5 (good), logged as ``ticket.rated``."""
        return ticket_json(service.rate(desk(workspace), workspace.id, ticket_id, body.score,
                                        body.comment, now()))

    @router.post("/tickets/{ticket_id}/returns", status_code=201)
    def post_return(workspace: Writer, ticket_id: str, body: InboxReturnIn) -> dict[str, Any]:
        """Start a return (RMA) through commerce for lines of the customer's order."""
        return service.start_return(desk(workspace), workspace.id, ticket_id, body.order_id, body.lines,
                                    body.reason, body.agent, now())

    @router.get("/tickets/{ticket_id}/orders/{order_id}/stock")
    def get_stock(workspace: Writer, ticket_id: str, order_id: str, agent: str = "api") -> dict[str, Any]:
        """Units available to ship of each SKU of the customer's order (noted on the ticket)."""
        return {"available": service.check_stock(desk(workspace), workspace.id, ticket_id, order_id, agent,
                                                 now())}

    @router.put("/agents/{agent_id}")
    def put_agent(workspace: Writer, agent_id: str, body: InboxAgentIn) -> dict[str, Any]:
        """An agent's skills, capacity and presence (fields left out keep their value)."""
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

    @router.post("/sla/sweep")
    def post_sweep(workspace: Writer) -> dict[str, Any]:
        """Log a breach event for every active ticket past a due time."""
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

    return router


MAX_MARKETPLACE_BODY = 1024 * 1024


def marketplace_router(c: Container) -> APIRouter:
    desks = c.per_store(lambda store: desk_for(c.settings, store))
    router = APIRouter(prefix="/inbox/v1/marketplace", tags=["inbox marketplace"],
                       responses=error_responses({
                           400: "Not a Mirakl thread, or not JSON: the message says what is missing.",
                           401: "Missing or unknown write key, or a bad signature.",
                           403: "The write key's source is not a marketplace source.",
                           409: "The ticket cannot take the message (the message says why).",
                           413: "The body is over 1 MB.",
                       }))

    @router.post("/mirakl")
    async def mirakl(request: Request) -> Response:
        """Buyer messages of Mirakl threads; the buyer's id joins the golden record."""
        key = write_key_from(request.headers.get("authorization"), None)
        found = c.keys.resolve(key) if isinstance(key, str) else key
        if isinstance(found, AuthFailure):
            return error(401, "unauthorized", found.message)
        source, workspace = found
        if source.channel is not Channel.MARKETPLACE:
            return error(403, "wrong_channel",
                         f"Source {source.name!r} is of channel {source.channel.value!r}; create one "
                         "with `frontoffice source create NAME --channel marketplace`.")
        body = await request.body()
        if len(body) > MAX_MARKETPLACE_BODY:
            return error(413, "too_large",
                         f"At most {MAX_MARKETPLACE_BODY} bytes a request; send threads one by one.")
        secret = InboxStore(c.store_for(workspace.id)).secret(source.id)
        refusal = marketplace.signature_refusal(
            secret[1] if secret and secret[0] == workspace.id else None,
            request.headers.get(marketplace.SIGNATURE_HEADER), body)
        if refusal:
            return error(401, "bad_signature", refusal)
        try:
            payload: Any = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            return error(400, "invalid_payload", f"The body is not JSON: {exc}.")
        threads = payload.get("data", [payload]) if isinstance(payload, dict) else payload
        items = [item for thread in threads for item in marketplace.mirakl_thread(thread)]
        desk = desks(workspace.id)
        receipts = [await run_in_threadpool(intake.receive, desk, workspace.id, item, now())
                    for item in items]
        return JsonResponse({"accepted": len(receipts), "tickets": [asdict(r) for r in receipts]})

    return router
