"""The demo's privacy tour on SQLite and PostgreSQL: one erasure end to end, identifiers masked."""

from __future__ import annotations

from frontoffice.demo.privacy_showcase import privacy_showcase
from frontoffice.identity import service as identity
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


def test_a_second_privacy_tour_shows_the_first_erasure_and_erases_nobody_else(world: World) -> None:
    world.send("accounts", identify("a1", user="ann", email="ann@mailbox.org", emailVerified=True))
    world.send("accounts", identify("b1", user="bea", email="bea@mailbox.org", emailVerified=True))
    first = privacy_showcase(world.store, world.ws, now=NOW)
    [left] = [e for e in ("ann@mailbox.org", "bea@mailbox.org")
              if identity.lookup(world.store, world.ws, "email", e)]
    second = privacy_showcase(world.store, world.ws, now=NOW)
    request = first[0].split()[3]  # "privacy: erasure request dsr_…"
    assert request.startswith("dsr_") and f"erasure request {request} of " in second[0]
    assert "was carried out by an earlier run" in second[0]
    assert identity.lookup(world.store, world.ws, "email", left)  # still there


def test_the_privacy_tour_spares_the_people_the_rest_of_the_tour_shows(world: World) -> None:
    world.send("accounts", identify("a1", user="ann", email="ann@mailbox.org", emailVerified=True))
    world.send("accounts", identify("b1", user="bea", email="bea@mailbox.org", emailVerified=True))
    [ann] = identity.lookup(world.store, world.ws, "email", "ann@mailbox.org")
    [bea] = identity.lookup(world.store, world.ws, "email", "bea@mailbox.org")
    privacy_showcase(world.store, world.ws, now=NOW, spare={ann})
    assert identity.lookup(world.store, world.ws, "email", "ann@mailbox.org") == [ann]
    assert identity.lookup(world.store, world.ws, "email", "bea@mailbox.org") == []
    assert bea
