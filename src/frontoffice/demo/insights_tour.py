"""make demo's insights step, as a client: a shop of its own (workspace ``outlet``) seeded with
four known incidents and ordinary noise around them by ``frontoffice insights seed`` (a
supplier's defective batch, an agent falling behind the SLA, a store's late click-and-collect
orders, a promotion priced apart on two channels), then the detector run over HTTP
(``POST .../insights/runs``) and its flags printed: what moved, by how much, against what, since
when. A second run seeds nothing and shows the same flags."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from frontoffice.demo.client import Api

OUTLET = "outlet"
BASE = f"/api/v1/workspaces/{OUTLET}/insights"
SHOWN = 12  # two or three per incident, the surest first


def ensure_outlet(api: Api) -> None:
    if OUTLET not in {w["name"] for w in api.get("/api/v1/workspaces")}:
        api.post("/api/v1/workspaces", {"name": OUTLET, "region": "GLOBAL", "data_location": None})


def seed_command() -> list[str]:
    return ["insights", "seed", "--workspace", OUTLET, "--json"]


def flags(api: Api, seeded: str) -> list[dict[str, Any]]:
    """Run the detector as of the seeded shop's last day (``seeded``: what the seed command
    printed; the server's SLA sweeps may log later days), then list the flags (raised now or by
    an earlier run)."""
    api.post(f"{BASE}/runs", {"as_of": json.loads(seeded)["last_day"]})
    found: list[dict[str, Any]] = api.get(f"{BASE}/flags")["flags"]
    return sorted(found, key=lambda f: min(c["q_value"] or 0.0 for c in f["comparisons"]))


def print_flags(found: list[dict[str, Any]], echo: Callable[[str], None]) -> None:
    echo(f"\ninsights: {len(found)} flags on workspace '{OUTLET}' (a seeded shop: two weeks, four "
         "incidents in the second; tests on counts against history and peers, Benjamini-Hochberg "
         "across slices), the surest first:")
    for f in found[:SHOWN]:
        best = min(f["comparisons"], key=lambda c: c["q_value"] or 0.0)
        q = best["q_value"]
        sure = f"q={q:.1g}" if q is not None else "a rule: one offer at two prices"
        when = f", since {f['since']}" if f["since"] and " since " not in f["summary"] else ""
        echo(f"  {f['summary']}{when}, {sure}")
    echo(f"  every flag with its evidence: GET {BASE}/flags, the console's Insights page")
