"""Web chat: the widget's WebSocket (``/inbox/v1/chat``) and its script (``/inbox/v1/chat/widget.js``).

A visitor's page opens the socket with a source's write key (public, as the collector's is) and
who they are (an e-mail, else a chat login); each connection is one chat session, one ticket.
Every line they send goes through the inbox's intake like any message; the agent's replies are
read from the ticket (so they reach the visitor whichever process the agent used) and pushed."""

from __future__ import annotations

import asyncio
from importlib import resources

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from frontoffice.bootstrap import Container
from frontoffice.collector.auth import AuthFailure
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import new_id
from frontoffice.inbox import intake
from frontoffice.inbox.wiring import desk_for

POLL_SECONDS = 0.5
MAX_TEXT = 5000


def chat_router(c: Container) -> APIRouter:
    desks = c.per_store(lambda store: desk_for(c.settings, store))
    router = APIRouter(prefix="/inbox/v1/chat", tags=["inbox chat"])

    @router.get("/widget.js", include_in_schema=False)
    def widget() -> Response:
        script = (resources.files("frontoffice.inbox") / "static" / "chat-widget.js").read_text("utf-8")
        return Response(script, media_type="text/javascript")

    @router.websocket("")
    async def chat(socket: WebSocket, key: str = "", visitor: str = "") -> None:
        found = c.keys.resolve(key) if key else AuthFailure("No write key: add ?key=<write key>.")
        if isinstance(found, AuthFailure) or not 0 < len(visitor) <= 320:
            await socket.accept()  # closing before accepting is a bare 403: the reason would be lost
            await socket.close(code=4401, reason=found.message if isinstance(found, AuthFailure)
                               else "Say who is chatting: add ?visitor=<e-mail or chat login>.")
            return
        workspace = found[1]
        desk = desks(workspace.id)
        await socket.accept()
        ticket_id: str | None = None
        seen: set[str] = set()
        kind = "email" if "@" in visitor else "chat"
        try:
            while True:
                try:
                    text = await asyncio.wait_for(socket.receive_text(), POLL_SECONDS)
                except TimeoutError:
                    text = None
                if text and text.strip():
                    item = intake.Incoming("chat", f"chat:{new_id()}", kind, visitor.lower(), "", "",
                                           text[:MAX_TEXT], (), ticket_id)
                    receipt = await run_in_threadpool(intake.receive, desk, workspace.id, item, now())
                    ticket_id = receipt.ticket_id
                    await socket.send_json({"type": "received", "ticket_id": ticket_id})
                if ticket_id:
                    found_msgs = await run_in_threadpool(desk.inbox.messages, workspace.id, ticket_id)
                    for m in found_msgs:
                        if m.kind == "sent" and m.message_id not in seen:
                            seen.add(m.message_id)
                            await socket.send_json({"type": "reply", "text": m.doc.get("text", ""),
                                                    "author": m.doc.get("author", ""), "at": m.at})
        except WebSocketDisconnect:
            return

    return router
