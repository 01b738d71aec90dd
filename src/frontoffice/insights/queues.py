"""Which team's queue a flag's service task goes to, and what it says. A product, a supplier, a
category or a price conflict goes to ``merchandising`` (the category managers); an agent's SLA
or CSAT to the agent's team, tagged ``lead`` (the team lead's to take up; ``service`` when the
agent has no team); a team's to that team, tagged ``lead``; a store, a region, a carrier or a
delivery mode to ``store-ops``; a channel's or the whole workspace's by what moved (service:
``service``, deliveries: ``store-ops``, next-best-action: ``marketing``, returns and tickets:
``merchandising``). Pure."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

MERCHANDISING, STORE_OPS, SERVICE, MARKETING = "merchandising", "store-ops", "service", "marketing"
PRODUCTS = frozenset({"product", "supplier", "category", "product_supplier"})
STORES = frozenset({"store", "region", "mode", "carrier"})
BY_METRIC = (
    (("sla_", "low_csat"), SERVICE),
    (("late_delivery", "failed_delivery"), STORE_OPS),
    (("nba_",), MARKETING),
)
SHOWN = 10  # evidence ids written into the task (the flag's page lists them all)


def queue(flag: Mapping[str, Any], team_of: Callable[[str], str | None]) -> tuple[str, tuple[str, ...]]:
    """The team whose queue the flag's task goes to, and the tags it carries."""
    dimension, metric = flag["dimension"], str(flag["metric"])
    if dimension in PRODUCTS or metric == "price_conflict":
        return MERCHANDISING, ()
    if dimension == "agent":
        return team_of(flag["slice"]) or SERVICE, ("lead",)
    if dimension == "team":
        return str(flag["slice"]), ("lead",)
    if dimension in STORES:
        return STORE_OPS, ()
    return next((team for starts, team in BY_METRIC if metric.startswith(starts)), MERCHANDISING), ()


def text(ws: str, flag: Mapping[str, Any]) -> tuple[str, str]:
    """The task's subject and its note: what moved, since when, how sure, and the evidence."""
    surest = min((c["q_value"] for c in flag["comparisons"] if c.get("q_value") is not None), default=None)
    sure = f"q-value {surest:.2g}" if surest is not None else "a rule, not an estimate"
    evidence = list(flag["evidence"])
    shown = ", ".join(evidence[:SHOWN]) + (
        f" and {len(evidence) - SHOWN} more" if len(evidence) > SHOWN else ""
    )
    note = (
        f"{flag['summary']}\n"
        f"Since {flag['since'] or flag['as_of']}, as of {flag['as_of']} ({sure}).\n"
        f"The flag and its evidence: /console/w/{ws}/insights/{flag['flag_id']}\n"
        f"Evidence: {shown or 'none'}"
    )
    return f"Insight: {flag['summary']}"[:200], note
