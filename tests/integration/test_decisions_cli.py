"""``frontoffice actions`` and ``frontoffice nba`` on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import orjson
from click.testing import CliRunner

from frontoffice.cli.main import cli
from frontoffice.storage.sql import SqlStore
from tests.integration.decisions_support import ACTIONS, shop


def _run(database_url: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, ["--database-url", database_url, *args])
    assert result.exit_code == code, result.output
    return result.output


def test_actions_are_saved_listed_versioned_retired_and_decided_from_the_cli(
        store: SqlStore, database_url: str, tmp_path: Path) -> None:
    s = shop(store)
    file = tmp_path / "actions.json"
    file.write_bytes(orjson.dumps(ACTIONS))
    assert "saved dress version 1" in _run(database_url, "actions", "save", str(file), "-w", s.ws)
    file.write_bytes(orjson.dumps({**ACTIONS[0], "title": "Linen wrap dress"}))
    assert "saved dress version 2" in _run(database_url, "actions", "save", str(file), "-w", s.ws)
    listed = orjson.loads(_run(database_url, "actions", "list", "-w", s.ws, "--json"))
    assert [(a["action_id"], a["version"]) for a in listed] == [
        ("care", 1), ("dress", 2), ("dress-l", 1), ("vip", 1)]
    assert "retired care (version 2)" in _run(database_url, "actions", "retire", "care", "-w", s.ws)
    decision = orjson.loads(_run(database_url, "nba", "decide", s.ann, "-w", s.ws))
    assert [a["action_id"] for a in decision["actions"]] == ["dress"]
    out = orjson.loads(_run(database_url, "nba", "outcome", decision["decision_id"], "kept",
                            "-w", s.ws))
    assert out["reward"] == 1.0 and out["stored"] is True
    refused = _run(database_url, "nba", "return-risk", "-w", s.ws, code=1)
    assert "at least 50 bought lines; the workspace has 1" in refused  # Ann's order, placed
    assert "history is too short" in _run(database_url, "nba", "traits", "-w", s.ws, code=1)
    file.write_bytes(b'{"action_id": "x", "kind": "offer"}')
    assert "invalid action" in _run(database_url, "actions", "save", str(file), "-w", s.ws, code=1)
