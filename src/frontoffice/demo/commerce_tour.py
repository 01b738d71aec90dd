"""make demo's commerce tour, as a client: the brand's commerce files through the commerce
intake (``frontoffice commerce load-demo``), then what the commerce API says of them: price
conflicts across channels, late or failed deliveries, and the commerce traits on the golden
record of the brand's most frequent ordering email that identifies someone."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from frontoffice.demo.client import Api, ApiError
from frontoffice.demo.tenant import WORKSPACE

BASE = f"/api/v1/workspaces/{WORKSPACE}"
SHOWN = 3


def load_command(brand: Path) -> list[str]:
    """The command that sends the brand's commerce files through the commerce intake; it
    prints the events accepted per kind (JSON)."""
    return ["commerce", "load-demo", str(brand), "--workspace", WORKSPACE]


def highlights(api: Api) -> dict[str, Any]:
    """What the commerce API says: price conflicts across channels, late or failed deliveries."""
    conflicts = api.get(f"{BASE}/commerce/conflicts", tolerance=0.01)["conflicts"]
    alerts = api.get(f"{BASE}/commerce/alerts")["alerts"]
    return {
        "conflicts": [c["reason"] for c in conflicts[:SHOWN]], "conflict_count": len(conflicts),
        "late_or_failed": [f"{a['type']} {a['shipment_id']} (order {a['order_id']}, "
                           f"{a['hours_late']} h late)" for a in alerts[:SHOWN]],
        "alert_count": len(alerts),
    }


def ordering_emails(orders: Path) -> list[str]:
    """The emails of the brand's orders, the most frequent first (ties by the address)."""
    counts: Counter[str] = Counter()
    with orders.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                counts[(json.loads(line).get("email") or "").lower()] += 1
    counts.pop("", None)
    return [email for email, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def first_person(emails: Iterable[str], lookup: Callable[[str], list[str]],
                 limit: int = 50) -> tuple[str, str] | None:
    """(email, person id) of the first email that identifies someone; a masked marketplace
    relay address identifies nobody, and one the API refuses to look up is skipped."""
    for n, email in enumerate(emails):
        if n >= limit:
            return None
        try:
            people = lookup(email)
        except ApiError as exc:
            if exc.status not in (400, 422):
                raise
            continue
        if people:
            return email, people[0]
    return None


def person_commerce(api: Api, brand: Path) -> tuple[str, str, dict[str, Any]] | None:
    def lookup(email: str) -> list[str]:
        found: list[str] = api.get(f"{BASE}/people/lookup", kind="email", value=email)["person_ids"]
        return found

    found = first_person(ordering_emails(brand / "orders.ndjson"), lookup)
    if found is None:
        return None
    email, person_id = found
    return email, person_id, dict(api.get(f"{BASE}/people/{person_id}")["commerce"])
