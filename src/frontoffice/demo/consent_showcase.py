"""make demo's consent tour: one customer per market, each with their own consent, one GPC opt-out.

Picks, for every demo country, the first customer (by id) whose identify call carried an
address, records what they chose the way it would really arrive — a TCF banner string for the
German, the ``Sec-GPC: 1`` header on a tracking call for the American (through the running
collector), API captures for the others — and then asks the one policy
check the same questions for everyone, all over the HTTP API. Deterministic: a second run
records nothing new (the captures carry fixed times and the collector dedupes the tracking call).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from frontoffice.demo.client import Api
from frontoffice.demo.tenant import WORKSPACE

AT = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
# What the German customer's cookie banner (a CMP, id 300) sent: TCF v2.2, created and updated
# at AT, purposes 1 (storage), 7, 8, 9, 10 (measurement, research) consented, 3 and 4 (ad
# profiles) not, vendors 1 and 2, publisher country DE.
BANNER_TC_STRING = "CQtB6GAQtB6GAEsACBDECWFgAIPAAAAAAAYgAFMAAAAAAA"
CONSENT = f"/api/v1/workspaces/{WORKSPACE}/consent"
PURPOSES = ("analytics", "marketing_email", "targeted_advertising", "sale_or_sharing")
CHANNEL = {"analytics": "web", "marketing_email": "email", "targeted_advertising": "ads",
           "sale_or_sharing": "webhook"}
ORDER = ("DE", "US", "JP", "KR")  # RU and CN customers live in their own workspaces (residency)


@dataclass(frozen=True, slots=True)
class Customer:
    country: str
    user_id: str
    name: str
    state: str | None

    @property
    def subject(self) -> str:
        return f"user_id:{self.user_id}"


@dataclass(frozen=True, slots=True)
class Row:
    customer: Customer
    region: str
    how: str
    answers: dict[str, tuple[bool, str]]


def _identifies(events: Path) -> Iterator[dict[str, Any]]:
    with events.open(encoding="utf-8") as handle:
        for line in handle:
            if '"identify"' in line and '"address"' in line:
                call = json.loads(line)
                if call.get("type") == "identify" and call.get("userId"):
                    yield call


def pick_customers(brand: Path) -> list[Customer]:
    """The first customer per country by id; for the US one in California when there is one."""
    best: dict[str, Customer] = {}
    for call in _identifies(brand / "events.ndjson"):
        traits = call.get("traits") or {}
        address = traits.get("address") or {}
        country = address.get("country")
        if country not in ORDER:
            continue
        candidate = Customer(country, str(call["userId"]), str(traits.get("name") or ""),
                             address.get("state"))
        current = best.get(country)
        if current is None or _rank(candidate) < _rank(current):
            best[country] = candidate
    return [best[c] for c in ORDER if c in best]


def _rank(c: Customer) -> tuple[bool, str]:
    return (c.country == "US" and c.state != "CA", c.user_id)


def _capture(api: Api, customer: Customer) -> str:
    at = AT.isoformat()
    choices: dict[str, dict[str, Any]] = {
        "DE": {"tc_string": BANNER_TC_STRING, "method": "banner", "source": "web-banner",
               "notice_version": "cookie-notice-2026-10"},
        "JP": {"purposes": {"marketing_email": "granted"}, "method": "banner",
               "source": "app-signup", "notice_version": "jp-2026-09"},
        "KR": {"purposes": {"marketing_email": "granted", "cross_border_transfer": "denied"},
               "explicit": True, "source": "app-signup", "notice_version": "kr-2026-09"},
    }
    how = {"DE": "TCF banner string (measurement yes, ad profiles no)",
           "JP": "API: e-mail marketing granted", "KR": "API: explicit e-mail opt-in"}
    chosen = choices.get(customer.country)
    if chosen is not None and not api.get(f"{CONSENT}/{customer.subject}")["purposes"]:
        api.post(CONSENT, {"subject": customer.subject, "at": at, **chosen})
    return how.get(customer.country, "")


def _send_gpc(base: str, write_key: str, customer: Customer) -> None:
    auth = base64.b64encode(f"{write_key}:".encode()).decode()
    event = {"type": "page", "userId": customer.user_id, "name": "/privacy",
             "messageId": f"demo-gpc-{customer.user_id}", "timestamp": AT.isoformat()}
    answer = httpx.post(f"{base}/v1/page", json=event, timeout=30,
                        headers={"Authorization": f"Basic {auth}", "Sec-GPC": "1"})
    answer.raise_for_status()


def consent_tour(api: Api, brand: Path, base: str, web_write_key: str) -> list[Row]:
    rows: list[Row] = []
    for customer in pick_customers(brand):
        if customer.country == "US":
            _send_gpc(base, web_write_key, customer)
            how = "Sec-GPC: 1 on a page call to the collector"
        else:
            how = _capture(api, customer)
        answers: dict[str, tuple[bool, str]] = {}
        region = ""
        for purpose in PURPOSES:
            result = api.get(f"{CONSENT}/check", subject=customer.subject, purpose=purpose,
                             channel=CHANNEL[purpose])
            answers[purpose] = (result["allowed"], result["reason"])
            region = result["region"]["region"]
        rows.append(Row(customer, region, how, answers))
    return rows


def consent_people(api: Api, rows: list[Row]) -> set[str]:
    """The people the tour's customers are (by their user ids)."""
    found: set[str] = set()
    for row in rows:
        found.update(api.get(f"/api/v1/workspaces/{WORKSPACE}/people/lookup", kind="user_id",
                             value=row.customer.user_id)["person_ids"])
    return found
