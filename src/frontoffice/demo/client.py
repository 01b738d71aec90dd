"""How the demo brand's back office reaches frontoffice: the CLI for the first admin token
(before any server exists, as an operator would), the public HTTP API for everything else.

The demo imports nothing of frontoffice's stores, services or projections (an import-linter
contract in pyproject checks it): what it shows is what any client of the API could show.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import httpx

from frontoffice.errors import FrontofficeError

ADMIN_TOKEN_NAME = "demo-admin"
TOKEN_FILE = "demo-admin.token"
# what the demo's back office does: set up its workspaces, record consent, run the erasure tour
ADMIN_SCOPES = ("workspaces:admin", "sources:admin", "tokens:admin", "events:read", "events:write",
                "identity:admin", "consent:write", "privacy:admin", "dsr:admin", "outbound:write")


def frontoffice_cli(args: list[str], global_args: list[str], env: dict[str, str] | None = None
                    ) -> str:
    """Run ``frontoffice GLOBAL_ARGS ARGS`` as a separate process; its standard output."""
    return frontoffice_cli_at_once([args], global_args, env)[0]


def frontoffice_cli_at_once(commands: list[list[str]], global_args: list[str],
                            env: dict[str, str] | None = None) -> list[str]:
    """Run several ``frontoffice`` commands side by side; their standard outputs, in order."""
    environment = {**os.environ, **(env or {}), "COLUMNS": "200"}
    running = [subprocess.Popen([sys.executable, "-m", "frontoffice", *global_args, *args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=environment) for args in commands]
    outputs = []
    for args, process in zip(commands, running, strict=True):
        out, err = process.communicate()
        if process.returncode != 0:
            raise FrontofficeError(f"`frontoffice {' '.join(args)}` failed: {(err or out).strip()}")
        outputs.append(out)
    return outputs


MOVED_ATTEMPTS = 5
MOVED_PAUSE_S = 0.2


def _moved(answer: httpx.Response) -> bool:
    """A ``projection_moved`` refusal: another projector moved the workspace on meanwhile."""
    try:
        return answer.status_code == 400 and answer.json().get("code") == "projection_moved"
    except ValueError:
        return False


class ApiError(FrontofficeError):
    """The API answered with an error: its status, and its message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class AdminToken:
    id: str
    secret: str

    @property
    def actor(self) -> str:
        """How audit trails name what this token did."""
        return f"token:{self.id}"


def admin_token(data_dir: Path, global_args: list[str]) -> AdminToken:
    """The demo's instance admin token: made once with ``frontoffice token create`` (its value
    is shown once, so it is kept in ``DATA_DIR/demo-admin.token``, readable by its owner only)."""
    kept = data_dir / TOKEN_FILE
    if kept.exists():
        token_id, _, value = kept.read_text(encoding="utf-8").strip().partition(" ")
        return AdminToken(token_id, value)
    scopes = [arg for scope in ADMIN_SCOPES for arg in ("--scope", scope)]
    out = frontoffice_cli(["token", "create", ADMIN_TOKEN_NAME, *scopes], global_args)
    made = re.search(r"created: id (\S+),", out)
    shown = re.search(r"token \(shown once\): (\S+)", out)
    if made is None or shown is None:
        raise FrontofficeError(f"`frontoffice token create` printed no token: {out.strip()}")
    token = AdminToken(made.group(1), shown.group(1))
    data_dir.mkdir(parents=True, exist_ok=True)
    kept.touch(mode=0o600)
    kept.write_text(f"{token.id} {token.secret}\n", encoding="utf-8")
    return token


class Api:
    """The running server's HTTP API with the demo's admin token; an answer other than 2xx
    raises, with the API's own message."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    @classmethod
    def connect(cls, base_url: str, token: str) -> Api:
        return cls(httpx.Client(base_url=base_url, timeout=120,
                                headers={"Authorization": f"Bearer {token}"}))

    @property
    def base_url(self) -> str:
        return str(self.http.base_url).rstrip("/")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        for attempt in range(MOVED_ATTEMPTS):
            answer = self.http.request(method, path, json=body,
                                       params={k: v for k, v in params.items() if v is not None})
            if answer.is_success:
                return answer.json()
            if not _moved(answer) or attempt == MOVED_ATTEMPTS - 1:
                break
            # the server's worker moved the projection while this call ran it (identity's
            # match): the API says run again, and the work already done is kept
            time.sleep(MOVED_PAUSE_S * (attempt + 1))
        raise ApiError(answer.status_code, f"{method} {path} answered {answer.status_code}: {answer.text}")

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, **params)

    def post(self, path: str, body: Any = None, **params: Any) -> Any:
        return self.call("POST", path, body, **params)
