"""Marketplace messages in: ``POST /inbox/v1/marketplace/mirakl`` takes a Mirakl thread (M10's
response, or M11's ``{"data": [threads]}``) from a source's write key (``Authorization: Basic``)
signed with the source's inbox webhook secret (``X-Frontoffice-Signature``,
``frontoffice service secret``). Each customer message becomes a ticket message, once."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from frontoffice.api.jsonresponse import JsonResponse, error
from frontoffice.bootstrap import Container
from frontoffice.collector.auth import AuthFailure, write_key_from
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Channel
from frontoffice.inbox import intake, marketplace
from frontoffice.inbox.store import InboxStore
from frontoffice.inbox.wiring import desk_for

MAX_BODY = 1024 * 1024


def marketplace_router(c: Container) -> APIRouter:
    desks = c.per_store(lambda store: desk_for(c.settings, store))
    router = APIRouter(prefix="/inbox/v1/marketplace", tags=["inbox marketplace"])

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
        if len(body) > MAX_BODY:
            return error(413, "too_large", f"At most {MAX_BODY} bytes a request; send threads one by one.")
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
