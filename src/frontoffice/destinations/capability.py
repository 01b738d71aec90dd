"""Destinations: webhooks people's changes are delivered to, and the delivery log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontoffice.capability import Capability, Purge

if TYPE_CHECKING:

    from frontoffice.privacy.purge import Erasing


def _purge(erasing: Erasing) -> None:
    # the log names "the person id, or the subject key when no person is known"
    erasing.delete_by_person_or_subject("destination_deliveries", "person")


CAPABILITY = Capability(
    name="destinations",
    tables=("destination_deliveries", "destinations"),
    schema="frontoffice.destinations.tables",
    commands={"destinations": "frontoffice.destinations.cli:destinations"},
    purge=Purge(tables=("destination_deliveries",), run=_purge),
)
