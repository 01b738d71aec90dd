"""A disabled workspace on the real server process (SQLite and PostgreSQL): every one of its
tokens is refused on every operation at once, whether it was disabled over HTTP or by the CLI
in another process, and works again once the workspace is enabled."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import httpx
import pytest

from frontoffice.domain.tenancy import WORKSPACE_SCOPES, Scope
from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy
from tests.e2e.conftest import Live, basic, bearer, track

pytestmark = pytest.mark.e2e


def _token(live: Live, workspace_id: str | None, scopes: frozenset[Scope], name: str) -> str:
    store = open_store(live.database_url)
    try:
        return tenancy.create_token(store, workspace_id, name, sorted(s.value for s in scopes))[1]
    finally:
        store.close()


def _operations(live: Live) -> list[tuple[str, str, dict[str, Any]]]:
    spec = httpx.get(live.url + "/openapi.json", timeout=30).json()
    return [(method.upper(), path, op) for path, ops in spec["paths"].items()
            for method, op in ops.items() if path.startswith("/api/")]


def _call(live: Live, method: str, path: str, token: str) -> httpx.Response:
    url = live.url + re.sub(r"\{\w+\}", "1", path.replace("{ws}", live.tenant.workspace))
    return httpx.request(method, url, json={}, headers={"Authorization": bearer(token)}, timeout=30)


def _reads(live: Live, token: str) -> int:
    return httpx.get(f"{live.url}/api/v1/workspaces/{live.tenant.workspace}/events",
                     headers={"Authorization": bearer(token)}, timeout=30).status_code


def _writes(live: Live) -> int:
    return httpx.post(live.url + "/v1/track", json=track(),
                      headers={"Authorization": basic(live.tenant.write_key)}, timeout=30).status_code


def _cli(live: Live, *args: str) -> None:
    env = {**os.environ, "FRONTOFFICE_DATABASE_URL": live.database_url,
           "FRONTOFFICE_DATA_DIR": str(live.server.data_dir)}
    subprocess.run([sys.executable, "-m", "frontoffice", *args], env=env, check=True,
                   capture_output=True, timeout=60)


def test_every_token_of_a_disabled_workspace_is_refused_at_once(fresh: Live) -> None:
    everything = _token(fresh, fresh.tenant.workspace_id, WORKSPACE_SCOPES, "everything")
    operator = _token(fresh, None, frozenset({Scope.WORKSPACES_ADMIN}), "operator")
    assert _reads(fresh, everything) == _reads(fresh, fresh.tenant.token) == 200  # both now cached
    assert _writes(fresh) == 200

    disabled = httpx.post(f"{fresh.url}/api/v1/workspaces/{fresh.tenant.workspace}/disable",
                          headers={"Authorization": bearer(operator)}, timeout=30)
    assert disabled.status_code == 200 and disabled.json()["status"] == "disabled"
    operations = _operations(fresh)
    assert len(operations) >= 50
    for method, path, op in operations:
        for token in (everything, fresh.tenant.token):
            answer = _call(fresh, method, path, token)
            assert answer.status_code == 403, (method, path, answer.text)
            instance_only = op["security"] == [{"ApiToken": [Scope.WORKSPACES_ADMIN.value]}]
            expected = "forbidden" if instance_only else "workspace_disabled"
            assert answer.json()["code"] == expected, (method, path, answer.text)
    assert _writes(fresh) == 401

    enabled = httpx.post(f"{fresh.url}/api/v1/workspaces/{fresh.tenant.workspace}/enable",
                         headers={"Authorization": bearer(operator)}, timeout=30)
    assert enabled.status_code == 200 and enabled.json()["status"] == "active"
    assert _reads(fresh, everything) == _reads(fresh, fresh.tenant.token) == 200
    assert _writes(fresh) == 200


def test_a_workspace_disabled_from_the_cli_is_refused_by_the_running_server_at_once(fresh: Live) -> None:
    assert _reads(fresh, fresh.tenant.token) == 200  # the token is in the server's cache
    _cli(fresh, "workspace", "disable", fresh.tenant.workspace)
    refused = httpx.get(f"{fresh.url}/api/v1/workspaces/{fresh.tenant.workspace}/events",
                        headers={"Authorization": bearer(fresh.tenant.token)}, timeout=30)
    assert refused.status_code == 403
    assert refused.json() == {"code": "workspace_disabled", "message": (
        f"Workspace '{fresh.tenant.workspace}' is disabled: its API tokens and write keys are refused "
        "until an instance administrator enables it again (POST "
        f"/api/v1/workspaces/{fresh.tenant.workspace}/enable).")}
    listed = httpx.get(f"{fresh.url}/api/v1/workspaces",
                       headers={"Authorization": bearer(fresh.tenant.token)}, timeout=30)
    assert listed.status_code == 403 and listed.json()["code"] == "workspace_disabled"
    _cli(fresh, "workspace", "enable", fresh.tenant.workspace)
    assert _reads(fresh, fresh.tenant.token) == 200
