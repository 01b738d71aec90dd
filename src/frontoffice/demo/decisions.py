"""make demo's next-best-action step, as a client: an action catalogue made from the brand's
``catalogue.json`` (a web product action per product, a loyalty reward for the ``vip`` segment and
a marketing e-mail offer), then ``POST .../decisions/decide`` on the web for a few demo people:
their ranked actions with the reasons, and what was refused by which rule (consent, stock,
price, segment...). Previews (``n`` ranked, logged like any decision): a second run decides
again on the same catalogue."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
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
    actions.append({"action_id": "spring-sale-mail", "kind": "offer", "purpose": "marketing_email",
                    "title": "Spring sale: 20% off coats", "channels": ["email"],
                    "skus": actions[0]["skus"], "value": 30.0, "margin": 0.3})
    return actions


def customers(api: Api, brand: Path, limit: int = 40) -> Iterator[str]:
    """The person ids of the brand's most frequent ordering emails that identify someone, looked
    up as they are asked for."""
    seen: set[str] = set()
    for email in ordering_emails(brand / "orders.ndjson")[:limit]:
        try:
            ids = api.get(f"/api/v1/workspaces/{WORKSPACE}/people/lookup", kind="email",
                          value=email)["person_ids"]
        except ApiError:  # an address the API refuses to look up
            continue
        for person in ids[:1]:
            if person not in seen:
                seen.add(person)
                yield person


def _decide(api: Api, person: str, channel: str) -> dict[str, Any]:
    found: dict[str, Any] = api.post(f"{BASE}/decide", {
        "person_id": person, "channel": channel, "placement": "demo", "n": SHOWN})
    return found


def decisions_tour(api: Api, brand: Path) -> Callable[[Callable[[str], None]], None]:
    """Save the catalogue and decide for a few customers (the brand's most frequent buyers) on
    the web and by e-mail; what prints the result is returned, so the demo prints it with the rest
    of its report."""
    people = customers(api, brand)
    for action in catalogue(brand):
        api.call("PUT", f"{BASE}/actions/{action['action_id']}", action)
    decided: list[tuple[str, dict[str, Any]]] = []
    try:  # two customers the web may personalise for (consent), and one it may not
        for person in people:
            web = _decide(api, person, "web")
            if web["actions"] and sum(1 for _, d in decided if d["actions"]) < 2:
                decided += [("web", web), ("email", _decide(api, person, "email"))]
            elif not web["actions"] and not any(not d["actions"] for _, d in decided):
                decided.append(("web", web))
            if len(decided) == 5:
                break
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
