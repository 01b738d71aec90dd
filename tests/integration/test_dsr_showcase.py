"""The demo's privacy tour on SQLite and PostgreSQL: one erasure end to end, identifiers masked."""

from __future__ import annotations

from frontoffice.demo.privacy_showcase import privacy_showcase
from frontoffice.services import identity
from tests.integration.test_dsr_world import NOW, World, dsr_db, identify, store, world

__all__ = ["dsr_db", "store", "world"]


def test_the_privacy_tour_erases_the_first_person_with_a_verified_email(world: World) -> None:
    world.send("web", identify("c1", user="cem", email="cem@mailbox.org"))  # not verified: skipped
    world.send("accounts", identify("a1", user="ann", email="ann@mailbox.org", emailVerified=True))
    lines = privacy_showcase(world.store, world.ws, now=NOW)
    text = "\n".join(lines)
    assert "erasure request dsr_" in lines[0] and "a***@m***.org" in lines[0]
    assert "lookup by a***@m***.org now finds nobody" in text
    assert "opened → token_sent → verified → executed" in text
    assert "ann@mailbox.org" not in text
    assert identity.lookup(world.store, world.ws, "email", "ann@mailbox.org") == []
    assert identity.lookup(world.store, world.ws, "email", "cem@mailbox.org")
