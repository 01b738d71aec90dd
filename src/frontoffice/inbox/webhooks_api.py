"""Signed webhooks of the inbox: marketplace buyer messages (``POST /inbox/v1/marketplace/mirakl``:
a Mirakl thread, M10's response, or M11's ``{"data": [threads]}``) and social messages
(``POST /inbox/v1/social``, the form in ``inbox.social``). Each comes from a source's write key
(``Authorization: Basic``) of the channel, signed with the source's inbox webhook secret
(``X-Frontoffice-Signature: sha256=<hex HMAC-SHA256 of the body>``, set with
``frontoffice service secret``). Each customer message becomes a ticket message, once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from frontoffice.api.jsonresponse import JsonResponse, error
from frontoffice.api.schemas import error_responses
from frontoffice.bootstrap import Container
from frontoffice.collector.auth import AuthFailure, write_key_from
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Channel
from frontoffice.inbox import intake, marketplace, social
from frontoffice.inbox.store import InboxStore
from frontoffice.inbox.wiring import desk_for

MAX_WEBHOOK_BODY = 1024 * 1024


def _responses(what: str) -> dict[int | str, dict[str, Any]]:
    return error_responses({
        400: f"Not {what}, or not JSON: the message says what is missing.",
        401: "Missing or unknown write key, or a bad signature.",
        403: "The write key's source is of another channel.",
        409: "The ticket cannot take the message (the message says why).",
        413: "The body is over 1 MB."})


def _receiver(c: Container, channel: Channel,
              parse: Callable[[Any], Sequence[intake.Incoming]]) -> Callable[[Request], Awaitable[Response]]:
    """A webhook endpoint: the write key, its channel, the body's size and signature, then each
    parsed message through the intake."""
    desks = c.per_store(lambda store: desk_for(c.settings, store))

    async def receive(request: Request) -> Response:
        key = write_key_from(request.headers.get("authorization"), None)
        found = c.keys.resolve(key) if isinstance(key, str) else key
        if isinstance(found, AuthFailure):
            return error(401, "unauthorized", found.message)
        source, workspace = found
        if source.channel is not channel:
            return error(403, "wrong_channel",
                         f"Source {source.name!r} is of channel {source.channel.value!r}; create one "
                         f"with `frontoffice source create NAME --channel {channel.value}`.")
        body = await request.body()
        if len(body) > MAX_WEBHOOK_BODY:
            return error(413, "too_large", f"At most {MAX_WEBHOOK_BODY} bytes a request; send fewer at once.")
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
        items = parse(payload)
        desk = desks(workspace.id)
        receipts = [await run_in_threadpool(intake.receive, desk, workspace.id, item, now())
                    for item in items]
        return JsonResponse({"accepted": len(receipts), "tickets": [asdict(r) for r in receipts]})

    return receive


def _mirakl(payload: Any) -> list[intake.Incoming]:
    threads = payload.get("data", [payload]) if isinstance(payload, dict) else payload
    return [item for thread in threads for item in marketplace.mirakl_thread(thread)]


def marketplace_router(c: Container) -> APIRouter:
    router = APIRouter(prefix="/inbox/v1/marketplace", tags=["inbox marketplace"],
                       responses=_responses("a Mirakl thread"))
    receive = _receiver(c, Channel.MARKETPLACE, _mirakl)

    @router.post("/mirakl")
    async def mirakl(request: Request) -> Response:
        """Buyer messages of Mirakl threads; the buyer's id joins the golden record."""
        return await receive(request)

    return router


def social_router(c: Container) -> APIRouter:
    router = APIRouter(prefix="/inbox/v1", tags=["inbox social"],
                       responses=_responses("a batch of social messages"))
    receive = _receiver(c, Channel.SOCIAL, social.social_messages)

    @router.post("/social")
    async def social_webhook(request: Request) -> Response:
        """Social messages (``{"messages": [{"network", "handle", "message_id", "text",
        "display_name"?, "conversation_id"?, "order_id"?}]}``); ``network:handle`` joins the
        golden record (the profile's anonymous id)."""
        return await receive(request)

    return router
