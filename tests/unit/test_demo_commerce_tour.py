"""What `make demo` shows of commerce must never fail on realistic data (masked marketplace
emails): the brand's top ordering email that identifies someone, found through a fake lookup."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from frontoffice.demo.client import ApiError
from frontoffice.demo.commerce_tour import first_person, ordering_emails

MASKED = "s***@relay.kaimono.example"


def orders_file(tmp_path: Path, emails: list[str | None]) -> Path:
    path = tmp_path / "orders.ndjson"
    path.write_bytes(b"".join(orjson.dumps({"order_id": f"O{i}", "email": e}) + b"\n"
                             for i, e in enumerate(emails)))
    return path


def test_ordering_emails_come_most_frequent_first_without_the_orders_that_have_none(
        tmp_path: Path) -> None:
    path = orders_file(tmp_path, [MASKED, "Ann.Lee@gmx.de", MASKED, None, "ann.lee@gmx.de", MASKED,
                                  "bo@posteo.de"])
    assert ordering_emails(path) == [MASKED, "ann.lee@gmx.de", "bo@posteo.de"]


def test_a_masked_top_customer_is_skipped_for_one_who_is_a_person(tmp_path: Path) -> None:
    people = {"ann.lee@gmx.de": ["p_ann"]}
    emails = ordering_emails(orders_file(tmp_path, [MASKED] * 3 + ["ann.lee@gmx.de"] * 2))
    assert first_person(emails, lambda e: people.get(e, [])) == ("ann.lee@gmx.de", "p_ann")
    assert first_person(emails, lambda e: []) is None  # nobody resolved yet: nothing shown


def test_an_email_the_api_refuses_to_look_up_is_skipped_but_a_server_error_is_not() -> None:
    def refuses(status: int) -> Callable[[str], list[str]]:
        def lookup(email: str) -> list[str]:
            if email == MASKED:
                raise ApiError(status, f"GET lookup answered {status}")
            return ["p_ann"]
        return lookup

    assert first_person([MASKED, "ann.lee@gmx.de"], refuses(400)) == ("ann.lee@gmx.de", "p_ann")
    with pytest.raises(ApiError):
        first_person([MASKED, "ann.lee@gmx.de"], refuses(503))
