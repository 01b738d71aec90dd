"""Web chat over a real WebSocket: the app served by uvicorn on loopback (in a thread), a
visitor's client from the websockets package. A session is one ticket, and the agent's reply,
made through the use case, is pushed to the visitor's socket."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
import uvicorn
from websockets.exceptions import ConnectionClosedError
from websockets.sync.client import connect

from frontoffice.api.app import create_app
from frontoffice.bootstrap import Container, Role, bootstrap
from frontoffice.domain.events import now
from frontoffice.inbox import service
from frontoffice.inbox.wiring import desk_for
from frontoffice.settings import Settings
from frontoffice.tenancy import service as tenancy
from tests.fakes.inbox import KeywordUnderstanding
from tests.unit.inbox.mails import free_port


@pytest.fixture(scope="module")
def served(sqlite_template: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Container, str]]:
    tmp_path = tmp_path_factory.mktemp("inbox-chat")
    shutil.copyfile(sqlite_template, tmp_path / "frontoffice.db")
    container = bootstrap(Settings.load({}, overrides={
        "database_url": f"sqlite:///{tmp_path / 'frontoffice.db'}", "data_dir": tmp_path}), Role.SERVER)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(container), host="127.0.0.1", port=port,
                                           log_level="warning", ws="websockets-sansio"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield container, f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        container.close()


def test_a_chat_session_is_one_ticket_and_the_agents_reply_is_pushed_to_the_visitor(
        served: tuple[Container, str]) -> None:
    container, host = served
    ws = tenancy.create_workspace(container.store, "acme")
    _, key = tenancy.create_source(container.store, ws.id, "site", "web")
    desk = desk_for(container.settings, container.store, understand=KeywordUnderstanding())
    with connect(f"ws://{host}/inbox/v1/chat?key={key}&visitor=Ann@posteo.de", open_timeout=10) as socket:
        socket.send("Hello, where is my order?")
        first = orjson.loads(socket.recv(timeout=30))
        socket.send("It was due yesterday.")
        second = orjson.loads(socket.recv(timeout=30))
        assert first["type"] == second["type"] == "received" and first["ticket_id"] == second["ticket_id"]
        service.reply(desk, ws.id, first["ticket_id"], "anna", now(), text="It ships today.")
        reply = orjson.loads(socket.recv(timeout=10))
        assert (reply["type"], reply["text"], reply["author"]) == ("reply", "It ships today.", "anna")
    ticket = service.ticket(desk, ws.id, first["ticket_id"])
    assert (ticket.channel, ticket.doc["requester"]["value"]) == ("chat", "ann@posteo.de")
    script = httpx.get(f"http://{host}/inbox/v1/chat/widget.js", timeout=10)
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.text.startswith("// frontoffice chat widget")


def test_a_chat_without_a_known_write_key_is_closed_with_the_reason(served: tuple[Container, str]) -> None:
    _, host = served
    with pytest.raises(ConnectionClosedError) as closed, \
            connect(f"ws://{host}/inbox/v1/chat?key=nope&visitor=ann@posteo.de", open_timeout=10) as socket:
        socket.recv(timeout=10)
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4401, "Unknown write key.")
