"""The demo's API client runs a call again when the server answers ``projection_moved`` (its
worker moved the projection while the call ran it: identity's match says "Run again to continue"),
and raises any other refusal, or the last of too many, with the API's message. The race with the
server's worker cannot be made to happen on demand, so the answers come from a transport."""

from __future__ import annotations

import httpx
import pytest

from frontoffice.demo import client
from frontoffice.demo.client import Api, ApiError

MOVED = {"code": "projection_moved", "message": "Another projector is resolving this workspace."}


def api_answering(*answers: tuple[int, dict[str, str]]) -> tuple[Api, list[str]]:
    asked: list[str] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        status, body = queue.pop(0)
        return httpx.Response(status, json=body)

    return Api(httpx.Client(base_url="http://demo", transport=httpx.MockTransport(handler))), asked


@pytest.fixture(autouse=True)
def no_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client, "MOVED_PAUSE_S", 0.0)


def test_a_moved_projection_is_run_again() -> None:
    api, asked = api_answering((400, MOVED), (400, MOVED), (200, {"matched": 3}))
    assert api.post("/api/v1/workspaces/demo/identity/match", {}) == {"matched": 3}
    assert len(asked) == 3


def test_other_refusals_and_the_last_of_too_many_are_raised() -> None:
    api, asked = api_answering((400, {"code": "invalid_request", "message": "no"}))
    with pytest.raises(ApiError, match=r"answered 400.*invalid_request"):
        api.post("/x", {})
    assert len(asked) == 1
    api, asked = api_answering(*[(400, MOVED)] * client.MOVED_ATTEMPTS)
    with pytest.raises(ApiError, match="projection_moved"):
        api.post("/x", {})
    assert len(asked) == client.MOVED_ATTEMPTS
