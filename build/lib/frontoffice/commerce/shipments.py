"""Late and failed deliveries, detected from shipments and appended to the log as events
(``shipment.late`` / ``shipment.failed``) for the service inbox to act on."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from frontoffice.commerce.records import record
from frontoffice.domain.events import EventRecord, iso

FINAL = ("delivered", "failed")


def _at(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def alert_type(shipment: dict[str, Any], now: datetime) -> str | None:
    """``shipment.failed``, ``shipment.late`` (delivered after, or still open past, the
    promised date) or None."""
    if shipment["status"] == "failed":
        return "shipment.failed"
    promised = _at(shipment["promised_by"])
    delivered = _at(shipment.get("delivered_at"))
    if promised is None:
        return None
    if delivered is not None:
        return "shipment.late" if delivered > promised else None
    return "shipment.late" if shipment["status"] not in FINAL and now > promised else None


def alert_records(shipments: Iterable[dict[str, Any]], now: datetime) -> list[EventRecord]:
    """One record per problem shipment; the message id makes a repeated detection a no-op."""
    out: list[EventRecord] = []
    for shipment in shipments:
        etype = alert_type(shipment, now)
        if etype is None:
            continue
        promised = _at(shipment["promised_by"])
        until = _at(shipment.get("delivered_at")) or now
        hours_late = max(0.0, (until - promised).total_seconds() / 3600) if promised else 0.0
        payload = {
            "shipment_id": shipment["shipment_id"], "order_id": shipment["order_id"],
            "location_id": shipment["location_id"], "carrier": shipment.get("carrier", ""),
            "status": shipment["status"], "promised_by": shipment["promised_by"],
            "delivered_at": shipment.get("delivered_at"), "hours_late": round(hours_late, 1),
            "detected_at": iso(now),
        }
        out.append(record(f"{etype}:{shipment['shipment_id']}", etype, payload, now))
    return out
