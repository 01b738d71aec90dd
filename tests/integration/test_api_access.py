"""Who may do what on the API: the scope matrix of token minting, the scope each operation
declares in OpenAPI and enforces, and which write keys a client may choose. In-process
(httpx ASGITransport) on SQLite: these rules do not depend on the storage backend."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from frontoffice.api.app import create_app
from frontoffice.bootstrap import Container, Role, bootstrap
from frontoffice.demo.tenant import DEMO_TOKEN, READER_SCOPES, WORKSPACE
from frontoffice.domain.tenancy import WORKSPACE_SCOPES, Scope
from frontoffice.settings import Settings
from frontoffice.tenancy import service as tenancy

_names = itertools.count(1)


class Api:
    def __init__(self, client: httpx.AsyncClient, container: Container, root: str) -> None:
        self.client = client
        self.container = container
        self.root = root  # an instance token holding every scope

    async def call(self, method: str, path: str, token: str | None, body: Any = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return await self.client.request(method, path, headers=headers, json=body)

    async def workspace(self) -> str:
        name = f"ws-{next(_names)}"
        r = await self.call("POST", "/api/v1/workspaces", self.root, {"name": name})
        assert r.status_code == 201, r.text
        return name

    def token(self, ws: str | None, scopes: set[Scope] | frozenset[Scope]) -> str:
        """A token with ``scopes`` on ``ws`` (None: an instance token), made by the operator."""
        store = self.container.store
        workspace_id = None if ws is None else tenancy.require_workspace(store, ws).id
        _, secret = tenancy.create_token(store, workspace_id, f"t{next(_names)}",
                                         sorted(s.value for s in scopes))
        return secret


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, str]]:
    folder: Path = tmp_path_factory.mktemp("access")
    container = bootstrap(Settings.load({}, overrides={
        "database_url": f"sqlite:///{folder / 'frontoffice.db'}", "data_dir": folder}), Role.SERVER)
    _, root = tenancy.create_token(container.store, None, "root", [s.value for s in Scope])
    yield create_app(container), root
    container.close()


@pytest.fixture
async def api(app: tuple[FastAPI, str]) -> AsyncIterator[Api]:
    application, root = app
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://fo") as client:
        yield Api(client, application.state.container, root)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# -- minting: a token grants only scopes it holds --------------------------------------------

def _matrix() -> Iterator[Any]:
    for granter, scope, held in itertools.product(("workspace", "instance"), Scope, (True, False)):
        if scope is Scope.TOKENS_ADMIN and not held:
            continue  # minting at all needs tokens:admin
        if granter == "workspace" and scope is Scope.WORKSPACES_ADMIN and held:
            continue  # a workspace token can never hold the instance scope
        yield pytest.param(granter, scope, held,
                           id=f"{granter}-{scope.value}-{'held' if held else 'not-held'}")


@pytest.mark.parametrize(("granter", "scope", "held"), list(_matrix()))
@pytest.mark.anyio
async def test_a_token_grants_a_scope_only_when_it_holds_it(api: Api, granter: str, scope: Scope,
                                                      held: bool) -> None:
    ws = await api.workspace()
    scopes = {Scope.TOKENS_ADMIN} | ({scope} if held else set())
    token = api.token(ws if granter == "workspace" else None, scopes)
    r = await api.call("POST", f"/api/v1/workspaces/{ws}/tokens", token,
                 {"name": "minted", "scopes": [scope.value]})
    if not held:
        assert r.status_code == 403
        assert r.json() == {"code": "scope_not_held", "message": (
            f"This token cannot grant '{scope.value}': a token may only grant scopes it holds. "
            "Create the token with one that holds them, or ask the instance operator "
            "(`frontoffice token create`).")}
    elif scope is Scope.WORKSPACES_ADMIN:  # held by an instance token, but never on a workspace
        assert r.status_code == 400 and "instance-wide" in r.json()["message"]
    else:
        assert r.status_code == 201, r.text
        assert r.json()["scopes"] == [scope.value] and r.json()["workspace_id"] is not None
    listed = (await api.call("GET", f"/api/v1/workspaces/{ws}/tokens", api.root)).json()
    assert [t["name"] for t in listed if t["name"] == "minted"] == (
        ["minted"] if held and scope is not Scope.WORKSPACES_ADMIN else [])


@pytest.mark.anyio
async def test_a_tokens_admin_token_cannot_mint_privacy_and_dsr_admin(api: Api) -> None:
    """The escalation of issue 14: tokens:admin alone minted privacy:admin and dsr:admin."""
    ws = await api.workspace()
    token = api.token(ws, {Scope.TOKENS_ADMIN, Scope.EVENTS_READ})
    r = await api.call("POST", f"/api/v1/workspaces/{ws}/tokens", token,
                 {"name": "escalated", "scopes": ["events:read", "privacy:admin", "dsr:admin"]})
    assert r.status_code == 403 and r.json()["code"] == "scope_not_held"
    assert r.json()["message"].startswith("This token cannot grant 'dsr:admin', 'privacy:admin':")
    assert (await api.call("GET", f"/api/v1/workspaces/{ws}/tokens", api.root)).json()[0]["scopes"] == [
        "events:read", "tokens:admin"]  # only the granter: nothing was minted


@pytest.mark.anyio
async def test_a_workspace_token_cannot_mint_on_another_workspace(api: Api) -> None:
    own, other = await api.workspace(), await api.workspace()
    token = api.token(own, WORKSPACE_SCOPES)
    r = await api.call("POST", f"/api/v1/workspaces/{other}/tokens", token,
                 {"name": "intruder", "scopes": ["events:read"]})
    assert r.status_code == 403
    assert r.json() == {"code": "forbidden",
                        "message": "This token can only be used on its own workspace."}


@pytest.mark.anyio
async def test_the_demo_reader_token_only_reads(api: Api) -> None:
    """The demo makes its well-known reader token over the API, with the value the tour prints."""
    if (await api.call("POST", "/api/v1/workspaces", api.root, {"name": WORKSPACE})).status_code != 201:
        pytest.fail("could not create the demo workspace")
    r = await api.call("POST", f"/api/v1/workspaces/{WORKSPACE}/tokens", api.root,
                       {"name": "demo-reader", "scopes": list(READER_SCOPES), "value": DEMO_TOKEN})
    assert r.status_code == 201, r.text
    assert r.json()["token"] == DEMO_TOKEN
    assert (await api.call("GET", f"/api/v1/workspaces/{WORKSPACE}/events", DEMO_TOKEN)).status_code == 200
    for method, path, body in (("GET", "sources", None), ("GET", "tokens", None),
                               ("POST", "tokens", {"name": "x", "scopes": ["events:read"]})):
        r = await api.call(method, f"/api/v1/workspaces/{WORKSPACE}/{path}", DEMO_TOKEN, body)
        assert r.status_code == 403, (path, r.text)


@pytest.mark.anyio
async def test_a_chosen_token_value_shorter_than_16_characters_is_refused(api: Api) -> None:
    ws = await api.workspace()
    r = await api.call("POST", f"/api/v1/workspaces/{ws}/tokens", api.root,
                       {"name": "short", "scopes": ["events:read"], "value": "fo_at_short"})
    assert r.status_code == 400, r.text
    assert "16 characters" in r.json()["message"]


# -- every operation declares its scope in OpenAPI and enforces it ---------------------------

async def _operations(api: Api) -> list[tuple[str, str, dict[str, Any]]]:
    spec = (await api.client.get("/openapi.json")).json()
    return [(method.upper(), path, op) for path, ops in spec["paths"].items()
            for method, op in ops.items()]


@pytest.mark.anyio
async def test_every_api_operation_declares_the_bearer_scheme_with_its_scope(api: Api) -> None:
    spec = (await api.client.get("/openapi.json")).json()
    assert spec["components"]["securitySchemes"]["ApiToken"]["type"] == "http"
    assert spec["components"]["securitySchemes"]["ApiToken"]["scheme"] == "bearer"
    operations = await _operations(api)
    assert len([p for _, p, _ in operations if p.startswith("/api/")]) >= 50
    for method, path, op in operations:
        names = [p["name"].lower() for p in op.get("parameters", [])]
        assert "authorization" not in names, (method, path)  # the scheme carries it (Authorize)
        if not path.startswith("/api/"):  # the collector, commerce webhooks (write keys), health
            assert "security" not in op, (method, path)
        elif (method, path) == ("GET", "/api/v1/workspaces"):  # any token: its own workspace
            assert op["security"] == [{"ApiToken": []}]
        else:
            [requirement] = op["security"]
            [scope] = requirement["ApiToken"]
            assert scope in {s.value for s in Scope}, (method, path)


def _url(path: str, ws: str) -> str:
    return re.sub(r"\{\w+\}", "1", path.replace("{ws}", ws))


@pytest.mark.anyio
async def test_every_operation_refuses_a_token_lacking_the_scope_it_declares(api: Api) -> None:
    ws, spare = await api.workspace(), await api.workspace()  # instance routes disable `spare`
    operations = [(m, p, op) for m, p, op in await _operations(api) if p.startswith("/api/")]
    for method, path, op in operations:
        [scope] = [Scope(s) for s in op["security"][0]["ApiToken"]] or [Scope.WORKSPACES_ADMIN]
        instance = scope not in WORKSPACE_SCOPES
        url = _url(path, spare if instance else ws)
        lacking = api.token(None if instance else ws, set(Scope if instance else WORKSPACE_SCOPES) - {scope})
        refused = await api.call(method, url, lacking, {})
        assert refused.status_code == 403, (method, path, refused.text)
        assert refused.json() == {"code": "forbidden", "message":
                                  f"This token is disabled or lacks the '{scope.value}' scope."}
        let_in = await api.call(method, url, api.token(None if instance else ws, {scope}), {})
        assert let_in.status_code not in (401, 403) or let_in.json()["code"] not in (
            "forbidden", "unauthorized", "scope_not_held"), (method, path, let_in.text)
        anonymous = await api.call(method, url, None, {})
        assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthorized"


# -- write keys a client may choose -----------------------------------------------------------

@pytest.mark.parametrize(("key", "why"), [
    pytest.param("k" * 15, "this one has 15 characters", id="too-short"),
    pytest.param("k" * 129, "this one has 129 characters", id="too-long"),
    pytest.param("legacy key 0123456789", "character 7 is whitespace (U+0020)", id="space"),
    pytest.param("legacy\tkey-0123456789", "character 7 is whitespace (U+0009)", id="tab"),
    pytest.param("legacy:key-0123456789", "character 7 is ':', which ends the key in Basic auth",
                 id="colon"),
    pytest.param("legacy\x01key-0123456789", "character 7 is a control character (U+0001)",
                 id="control"),
    pytest.param("légacy-key-0123456789", "character 2 is 'é' (U+00E9)", id="non-ascii"),
])
@pytest.mark.anyio
async def test_an_unusable_chosen_write_key_is_refused_with_the_rule_it_breaks(api: Api, key: str,
                                                                        why: str) -> None:
    ws = await api.workspace()
    token = api.token(ws, {Scope.SOURCES_ADMIN})
    r = await api.call("POST", f"/api/v1/workspaces/{ws}/sources", token,
                 {"name": "legacy", "channel": "web", "write_key": key})
    assert r.status_code == 400 and r.json()["code"] == "invalid_input"
    assert r.json()["message"].startswith(
        "A write key must be 16-128 ASCII letters, digits, '-', '_', '.' or '~';")
    assert why in r.json()["message"]
    assert (await api.call("GET", f"/api/v1/workspaces/{ws}/sources", token)).json() == []


@pytest.mark.anyio
async def test_a_taken_write_key_is_refused_alike_whichever_workspace_holds_it(api: Api) -> None:
    """The refusal must not reveal that another tenant uses a key (issue 14, item 10)."""
    alpha, beta = await api.workspace(), await api.workspace()
    alpha_token, beta_token = api.token(alpha, {Scope.SOURCES_ADMIN}), api.token(beta, {Scope.SOURCES_ADMIN})
    key = "segment.legacy_key-0123456789~"
    first = await api.call("POST", f"/api/v1/workspaces/{alpha}/sources", alpha_token,
                     {"name": "web", "channel": "web", "write_key": key})
    assert first.status_code == 201 and first.json()["write_key"] == key
    other_tenant = await api.call("POST", f"/api/v1/workspaces/{beta}/sources", beta_token,
                            {"name": "web", "channel": "web", "write_key": key})
    same_tenant = await api.call("POST", f"/api/v1/workspaces/{alpha}/sources", alpha_token,
                           {"name": "app", "channel": "app", "write_key": key})
    assert other_tenant.status_code == same_tenant.status_code == 400
    assert other_tenant.json() == same_tenant.json() == {
        "code": "invalid_input", "message": "This write key cannot be used; choose another one, "
                                            "or omit write_key to get a generated one."}
    assert (await api.call("GET", f"/api/v1/workspaces/{beta}/sources", beta_token)).json() == []
