"""make demo's next-best-action step, as a client: an action catalogue made from the brand's
``catalogue.json`` (a web product action per product, a loyalty reward for the ``vip`` segment and
a marketing e-mail offer), then ``POST .../decisions/decide`` on the web for a few demo people:
their ranked actions with the reasons, and what was refused by which rule (consent, stock,
price, segment...). Previews (``n`` ranked, logged like any decision): a second run decides
again on the same catalogue."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from frontoffice.demo.client import TOKEN_FILE, Api, ApiError
from frontoffice.demo.commerce_tour import ordering_emails
from frontoffice.demo.tenant import WORKSPACE

BASE = f"/api/v1/workspaces/{WORKSPACE}/decisions"
PRODUCTS = 40  # product actions: enough for refusals of every rule, few enough to read
SHOWN = 3


def catalogue(brand: Path, products: int = PRODUCTS) -> list[dict[str, Any]]:
    found = json.loads((brand / "catalogue.json").read_text(encoding="utf-8"))["products"]
    actions: list[dict[str, Any]] = [{
        "action_id": f"rec-{p['product_id']}", "kind": "product", "title": p["name"],
        "channels": ["web"], "product_id": p["product_id"], "category": p["category"],
        "skus": [v["sku"] for v in p["variants"]], "value": float(p["base_price_usd"]),
        "margin": 0.45} for p in found[:products]]
    actions.append({"action_id": "vip-double-points", "kind": "loyalty", "segment": "vip",
                    "title": "Double loyalty points this week", "channels": ["web"],
                    "value": 5.0, "margin": 1.0})
    actions.append({"action_id": "spring-sale-mail", "kind": "offer", "purpose": "marketing",
                    "title": "Spring sale: 20% off coats", "channels": ["email"],
                    "skus": actions[0]["skus"], "value": 30.0, "margin": 0.3})
    return actions


def customers(api: Api, brand: Path, count: int = 2) -> list[str]:
    """The person ids of the brand's most frequent ordering emails that identify someone."""
    found: list[str] = []
    for email in ordering_emails(brand / "orders.ndjson")[:50]:
        try:
            ids = api.get(f"/api/v1/workspaces/{WORKSPACE}/people/lookup", kind="email",
                          value=email)["person_ids"]
        except ApiError:  # an address the API refuses to look up
            continue
        found += [p for p in ids[:1] if p not in found]
        if len(found) == count:
            break
    return found


def decisions_tour(api: Api, brand: Path) -> Callable[[Callable[[str], None]], None]:
    """Save the catalogue and decide for a few customers on the web and by e-mail; what prints
    the result is returned, so the demo prints it with the rest of its report."""
    people = customers(api, brand)
    for action in catalogue(brand):
        api.call("PUT", f"{BASE}/actions/{action['action_id']}", action)
    try:
        decided = [(channel, api.post(f"{BASE}/decide", {
            "person_id": person, "channel": channel, "placement": "demo", "n": SHOWN}))
            for person in people for channel in ("web", "email")]
    except ApiError as exc:
        if exc.status != 403:
            raise
        refused = str(exc)  # an admin token made by an older demo lacks outbound:write

        def explain(say: Callable[[str], None]) -> None:
            say(f"\nnext best actions: not shown ({refused}); delete DATA_DIR/{TOKEN_FILE} "
                "and run the demo again for a token that may decide")

        return explain

    def show(say: Callable[[str], None]) -> None:
        say("\nnext best actions (POST /decisions/decide), with reasons and refusals:")
        for channel, d in decided:
            say(f"  {d['person_id']} on {channel} ({d['candidates']} candidates, "
                f"{d['model_version']}, decision {d['decision_id']}):")
            for a in d["actions"]:
                say(f"    {a['rank']}. {a['title']} — {'; '.join(a['reasons'])}")
            rules = Counter(r["rule"] for r in d["refused"])
            for rule, count in sorted(rules.items(), key=lambda x: (-x[1], x[0])):
                example = next(r for r in d["refused"] if r["rule"] == rule)
                say(f"    refused by {rule} ×{count}, e.g. {example['action_id']}: "
                    f"{example['reason']}")

    return show
