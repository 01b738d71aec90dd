"""A young workspace's matcher: a training that did not converge is tried again only once the
records grew by half, not on every new record (each try is a Splink training, 1-3 s of CPU)."""

from __future__ import annotations

import pytest

from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.match_service import retry_at
from frontoffice.storage.sql import SqlStore
from tests.integration.identity_support import Brand, brand, identify


def send_strangers(b: Brand, start: int, stop: int) -> None:
    """People who share nothing (name, birth date, postcode): EM finds no pair to learn from."""
    b.send("pos", *(identify(f"m-{i}", "2026-01-01T09:00:00Z", anon=f"anon-{i}", firstName=f"Given{i}x",
                             lastName=f"Family{i}y", birthday=f"19{50 + i}-0{1 + i % 9}-1{i % 9}",
                             address={"country": "DE", "postalCode": f"{10000 + i * 7}"})
                    for i in range(start, stop)))


def test_retries_wait_for_half_as_many_records_again() -> None:
    assert [retry_at(n) for n in (1, 10, 12, 18, 100)] == [2, 15, 18, 27, 150]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the rule is the store's neither
def test_a_training_that_failed_is_tried_again_only_once_the_records_grew_by_half(store: SqlStore) -> None:
    b = brand(store)
    hub = IdentityHub(store)
    send_strangers(b, 0, 12)
    assert hub.match(b.workspace_id).note.startswith(
        "no model yet: training on 12 distinct records did not converge; tried again at 18")
    send_strangers(b, 12, 17)  # 17 records: not tried again (it would fail on 17)
    assert "training on 12 distinct records" in hub.match(b.workspace_id).note
    send_strangers(b, 17, 18)
    again = hub.match(b.workspace_id).note
    assert "training on 18 distinct records did not converge; tried again at 27" in again
