"""Every projection plugs into one contract: ``frontoffice projections rebuild`` drops and
replays them all (or those named) in the worker's order, and the result is what catching up gave."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from frontoffice.cli.main import cli
from frontoffice.consent import service as consent
from frontoffice.identity import service as identity
from frontoffice.identity.hub import IdentityHub
from frontoffice.storage.sql import SqlStore
from tests.integration.test_outbound_paths import PEOPLE, consent_db, new_world, populate, store

__all__ = ["consent_db", "store"]


def _people(store: SqlStore, ws: str) -> dict[str, list[str]]:
    return {user: identity.lookup(store, ws, "user_id", user) for user in PEOPLE}


def test_rebuilding_every_projection_gives_back_what_catching_up_gave(
        consent_db: str, store: SqlStore, tmp_path: Path) -> None:
    world = new_world(store)
    populate(world)
    IdentityHub(store).catch_up(world.ws)
    before = _people(store, world.ws), consent.subject_consent(store, world.ws, "user_id:eu-yes").state

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--database-url", consent_db, "--data-dir", str(tmp_path),
                                          "projections", "rebuild", "-w", world.name, *args])
        said = " ".join(result.output.split(" ")).replace(" \n", " ")
        return said if result.exit_code == 0 else f"exit {result.exit_code}: {said}"

    out = run()
    assert [line.split(":")[0] for line in out.splitlines()] == [
        "identity", "consent", "person-consent", "commerce", "segments", "decision outcomes",
        "decisions refresh", "inbox", "insights"], out
    after = _people(store, world.ws), consent.subject_consent(store, world.ws, "user_id:eu-yes").state
    assert after == before
    assert run("--only", "consent").startswith("consent: rebuilt")
    refused = run("--only", "people")
    assert refused.startswith("exit 1")
    assert ("identity, consent, person-consent, commerce, segments, decision outcomes, decisions "
            "refresh, inbox, insights") in " ".join(refused.split())  # the message wraps to the terminal
