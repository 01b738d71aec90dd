"""``POST …/decisions/decide`` reads its own request (api/hand_read.py: one thread hop, no
dependency solving). Every refused request is answered as FastAPI answered the route when it was
declared with a token dependency and a ``DecideIn`` body — the answers below were recorded from
that form: the token (``BodyLimits`` asks for one before any route), broken JSON, the workspace and
the scope, then the body's first error named by its place. Its OpenAPI operation keeps the body
schema and scope."""

from __future__ import annotations

import pytest

from frontoffice.tenancy import service as tenancy
from tests.integration.conftest import Api
from tests.integration.decisions_support import shop

pytestmark = pytest.mark.anyio

NOT_AN_OBJECT = "body: Input should be a valid dictionary or object to extract fields from"
PATTERN = "String should match pattern"
BODIES: list[tuple[bytes, int, str]] = [
    (b"", 422, "body: Field required"),
    (b"{", 422, "body.1: JSON decode error"),
    (b'{"person_id": "p",\n "channel": }', 422, "body.31: JSON decode error"),
    (b"[]", 422, NOT_AN_OBJECT),
    (b'"web"', 422, NOT_AN_OBJECT),
    (b'{"channel": "web"}', 422, "body.person_id: Field required"),
    (b'{"channel": 5}', 422, "body.person_id: Field required"),  # the first of two
    (b'{"person_id": "p", "channel": "web", "x": 1}', 422, "body.x: Extra inputs are not permitted"),
    (b'{"person_id": "p", "channel": "web", "n": 0}', 422,
     "body.n: Input should be greater than or equal to 1"),
    (b'{"person_id": "p", "channel": "web", "n": "three"}', 422,
     "body.n: Input should be a valid integer, unable to parse string as an integer"),
    (b'{"person_id": "p", "channel": "web", "n": NaN}', 422,
     "body.n: Input should be a finite number"),
    (b'{"person_id": "p", "channel": "Web!"}', 422,
     f"body.channel: {PATTERN} '^[a-z][a-z0-9_]{{0,31}}$'"),
    (b'{"person_id": "p", "channel": "web", "mode": "drone"}', 422,
     f"body.mode: {PATTERN} '^(ship|boss|bopis|curbside|bodfs)$'"),
    (b'{"person_id": {"a": 1}, "channel": "web"}', 422, "body.person_id: Input should be a valid string"),
    ('{"person_id": "nobody", "channel": "web"}'.encode("utf-16"), 404, "No person 'nobody'"),
    (b'{"person_id": "nobody", "channel": "web"}', 404, "No person 'nobody'"),
]
CONTENT_TYPES: list[tuple[str | None, int]] = [
    (None, 422), ("text/plain", 422), ("application/x-www-form-urlencoded", 422),
    ("application/merge-patch+json", 404), ("application/json; charset=utf-8", 404),
]


async def test_refused_bodies_answer_as_the_dependency_form_did(api: Api) -> None:
    s = shop(api.container.store)
    url = f"/api/v1/workspaces/{s.ws}/decisions/decide"
    decider = api.bearer(s.ws, "outbound:write") | {"content-type": "application/json"}
    for body, status, message in BODIES:
        r = await api.client.post(url, content=body, headers=decider)
        assert (r.status_code, r.json()["code"]) == (
            status, "invalid_request" if status == 422 else "not_found"), body
        assert r.json()["message"].startswith(message), (body, r.json())
    for content_type, status in CONTENT_TYPES:
        headers = api.bearer(s.ws, "outbound:write") | (
            {"content-type": content_type} if content_type else {})
        r = await api.client.post(url, content=b'{"person_id": "nobody", "channel": "web"}',
                                  headers=headers)
        assert r.status_code == status, (content_type, r.text)
        if status == 422:
            assert r.json()["message"] == NOT_AN_OBJECT


async def test_the_token_and_workspace_come_before_the_body_and_after_broken_json(api: Api) -> None:
    s = shop(api.container.store)
    other = tenancy.create_workspace(api.container.store, "other", "EU")
    url = f"/api/v1/workspaces/{s.ws}/decisions/decide"
    bad_body = b'{"channel": "web"}'
    json_type = {"content-type": "application/json"}
    cases: list[tuple[dict[str, str], str, bytes, int, str]] = [
        ({}, url, bad_body, 401, "unauthorized"),
        ({"authorization": "Bearer fo_at_nope"}, url, bad_body, 401, "unauthorized"),
        ({}, url, b"{", 401, "unauthorized"),  # BodyLimits asks for a token first
        (api.bearer(other.id, "outbound:write"), url, b"{", 422, "invalid_request"),  # then the body
        (api.bearer(s.ws, "events:read"), url, bad_body, 403, "forbidden"),
        (api.bearer(other.id, "outbound:write"), url, bad_body, 403, "forbidden"),
        (api.bearer(None, "outbound:write"), url.replace(s.ws, "nowhere"), bad_body, 404,
         "not_found"),
        (api.bearer(s.ws, "outbound:write"), url, bad_body, 422, "invalid_request"),
    ]
    for headers, where, body, status, code in cases:
        r = await api.client.post(where, content=body, headers=headers | json_type)
        assert (r.status_code, r.json()["code"]) == (status, code), (headers, body, r.text)
    r = await api.client.post(url, json={"person_id": s.ann, "channel": "web"},
                              headers=api.bearer(s.ws, "outbound:write"))
    assert r.status_code == 200 and r.json()["person_id"] == s.ann


async def test_the_operation_documents_its_body_and_scope(api: Api) -> None:
    spec = (await api.client.get("/openapi.json")).json()
    op = spec["paths"]["/api/v1/workspaces/{ws}/decisions/decide"]["post"]
    assert op["security"] == [{"ApiToken": ["outbound:write"]}]
    assert op["requestBody"] == {"required": True, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/DecideIn"}}}}
    assert [p["name"] for p in op["parameters"]] == ["ws"]
    fields = spec["components"]["schemas"]["DecideIn"]
    assert fields["required"] == ["person_id", "channel"] and fields["additionalProperties"] is False
