"""make demo's consent tour: one customer per market, each with their own consent, one GPC opt-out.

Picks, for every demo country, the first customer (by id) whose identify call carried an
address, records what they chose the way it would really arrive — a TCF banner string for the
German, the ``Sec-GPC: 1`` header on a tracking call for the American (through the running
collector), API captures for the others — and then asks the one policy
check the same questions for everyone. Deterministic: a second run records nothing new (the
captures carry fixed times and the collector dedupes the tracking call).
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

from frontoffice.consent.tcf import TCString, VendorSet
from frontoffice.consent.tcf_encode import encode_tc_string
from frontoffice.errors import InvalidInput
from frontoffice.services import consent, identity
from frontoffice.storage.sql import SqlStore

AT = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
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


def _banner_tc_string() -> str:
    """A CMP's TC string: storage, measurement and research granted; ad profiles refused."""
    return encode_tc_string(TCString(
        version=2, created=AT, last_updated=AT, cmp_id=300, cmp_version=2, consent_screen=1,
        consent_language="DE", vendor_list_version=150, tcf_policy_version=5,
        is_service_specific=True, use_non_standard_texts=False,
        special_feature_opt_ins=frozenset(), purposes_consent=frozenset({1, 7, 8, 9, 10}),
        purposes_li_transparency=frozenset(), purpose_one_treatment=False, publisher_cc="DE",
        vendor_consents=VendorSet(10, frozenset({1, 2}), False),
        vendor_legitimate_interests=VendorSet(0, frozenset(), False), publisher_restrictions=()))


def _capture(store: SqlStore, hub: consent.ConsentHub, ws: str, customer: Customer) -> str:
    choices: dict[str, consent.Capture] = {
        "DE": consent.Capture(customer.subject, tc_string=_banner_tc_string(), method="banner",
                              source="web-banner", notice_version="cookie-notice-2026-10", at=AT),
        "JP": consent.Capture(customer.subject, purposes={"marketing_email": "granted"},
                              method="banner", source="app-signup", notice_version="jp-2026-09", at=AT),
        "KR": consent.Capture(customer.subject, purposes={"marketing_email": "granted",
                                                          "cross_border_transfer": "denied"},
                              explicit=True, source="app-signup", notice_version="kr-2026-09", at=AT),
    }
    how = {"DE": "TCF banner string (measurement yes, ad profiles no)",
           "JP": "API: e-mail marketing granted", "KR": "API: explicit e-mail opt-in"}
    chosen = choices.get(customer.country)
    if chosen is not None and not consent.subject_consent(store, ws, customer.subject).state.current:
        consent.record(store, hub, ws, chosen, AT)
    return how.get(customer.country, "")


def _send_gpc(base: str, write_key: str, customer: Customer) -> None:
    auth = base64.b64encode(f"{write_key}:".encode()).decode()
    event = {"type": "page", "userId": customer.user_id, "name": "/privacy",
             "messageId": f"demo-gpc-{customer.user_id}", "timestamp": AT.isoformat()}
    answer = httpx.post(f"{base}/v1/page", json=event, timeout=30,
                        headers={"Authorization": f"Basic {auth}", "Sec-GPC": "1"})
    answer.raise_for_status()


def consent_tour(store: SqlStore, ws: str, brand: Path, base: str, web_write_key: str) -> list[Row]:
    rows: list[Row] = []
    hub = consent.ConsentHub(store)
    for customer in pick_customers(brand):
        if customer.country == "US":
            _send_gpc(base, web_write_key, customer)
            how = "Sec-GPC: 1 on a page call to the collector"
        else:
            how = _capture(store, hub, ws, customer)
        hub.catch_up(ws)
        answers: dict[str, tuple[bool, str]] = {}
        region = ""
        for purpose in PURPOSES:
            result = consent.check(store, ws, customer.subject, purpose, CHANNEL[purpose],
                                   datetime.now(UTC))
            answers[purpose] = (result.decision.allowed, result.decision.reason)
            region = result.region.region
        rows.append(Row(customer, region, how, answers))
    return rows


def consent_people(store: SqlStore, ws: str, rows: list[Row]) -> set[str]:
    """The people the tour's customers are (by their user ids)."""
    found: set[str] = set()
    for row in rows:
        try:
            found.update(identity.lookup(store, ws, "user_id", row.customer.user_id))
        except InvalidInput:
            continue
    return found
