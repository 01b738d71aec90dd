"""make demo's moments (issue 17): the brand's loyalty moments defined as data through the CLI,
then one showcase customer — a Korean shopper who opted in to e-mail — whose first order was a
year ago, whose spend crosses the gold threshold and who rates the service well three times, all
sent through the real collector. The worker's segments projection fires the first-anniversary
thank-you, the loyalty tier-up and the thank-you for a third good rating (each e-mail in Korean,
her name family-name first), opens a service task for an agent on each good rating, and refuses
everyone else the consent gate refuses; the tour prints her firings and every moment's totals.
Deterministic ids: a second run stores nothing twice (the times are the first run's) and fires
nothing again; it shows the firings of the first."""

from __future__ import annotations

import base64
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson

from frontoffice.demo.client import Api
from frontoffice.demo.showcase import wait_for_identity
from frontoffice.demo.tenant import WORKSPACE

USER = "demo-moments-seoyeon"
BASE = f"/api/v1/workspaces/{WORKSPACE}"
MOMENTS = ("anniversary_thanks", "tier_up", "rating_thanks", "rating_task")
DEFINITIONS = {
    "traits": [
        {"name": "customer_days", "op": "days_since_first", "event": "Order Completed",
         "description": "days since the first order (its anniversary is day 365)"},
        {"name": "lifetime_value", "op": "sum", "event": "Order Completed", "property": "total"},
        {"name": "good_ratings", "op": "count", "event": "Rating Given", "where": {"score": "5"}}],
    "segments": [
        {"name": "first_anniversary", "condition": {"computed": "customer_days", "op": "eq", "value": 365}},
        {"name": "gold_tier", "condition": {"computed": "lifetime_value", "op": "gte", "value": 500}},
        {"name": "happy_raters", "condition": {"computed": "good_ratings", "op": "gte", "value": 3}}],
    "moments": [
        {"name": "anniversary_thanks", "entered": "first_anniversary", "cap": {"max": 1, "days": 365},
         "send": {"channel": "email", "template": "anniversary", "purpose": "marketing_email"}},
        {"name": "tier_up", "entered": "gold_tier", "cap": {"max": 1, "days": 365},
         "send": {"channel": "email", "template": "tier_up", "purpose": "marketing_email"}},
        {"name": "rating_thanks", "entered": "happy_raters", "cap": {"max": 1, "days": 90},
         "send": {"channel": "email", "template": "thank_you", "purpose": "marketing_email"}},
        {"name": "rating_task", "event": {"event": "Rating Given", "where": {"score": "5"}},
         "cap": {"max": 1, "days": 30}, "task": {"template": "thank_you", "purpose": "essential"}}],
}


def showcase_calls(now: datetime) -> list[dict[str, Any]]:
    day = now.replace(minute=0, second=0, microsecond=0)
    context = {"locale": "ko-KR", "timezone": "Asia/Seoul"}
    calls: list[dict[str, Any]] = [
        {"type": "identify", "userId": USER, "context": context,
         "timestamp": (day - timedelta(days=365)).isoformat(),
         "traits": {"email": "seoyeon.kim@naver.com", "firstName": "서연", "lastName": "김",
                    "address": {"country": "KR", "city": "Seoul"}}},
        {"type": "track", "userId": USER, "event": "Order Completed", "context": context,
         "timestamp": (day - timedelta(days=365, hours=1)).isoformat(), "properties": {"total": 420}},
        {"type": "track", "userId": USER, "event": "Order Completed", "context": context,
         "timestamp": (day - timedelta(hours=2)).isoformat(), "properties": {"total": 95}}]
    calls += [{"type": "track", "userId": USER, "event": "Rating Given", "context": context,
               "timestamp": (day - timedelta(minutes=50 - i)).isoformat(), "properties": {"score": 5}}
              for i in range(3)]
    return [{**c, "messageId": f"{USER}-{i}"} for i, c in enumerate(calls)]


def _send(base: str, write_key: str, calls: list[dict[str, Any]]) -> None:
    auth = base64.b64encode(f"{write_key}:".encode()).decode()
    answer = httpx.post(f"{base}/v1/batch", content=orjson.dumps({"batch": calls}), timeout=30,
                        headers={"Authorization": f"Basic {auth}", "Content-Type": "application/json"})
    answer.raise_for_status()


def _wait(what: Callable[[], Any], seconds: float = 150.0) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        found = what()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def moments_tour(api: Api, cli: Callable[[list[str]], str], data_dir: Path, base: str,
                 write_key: str) -> dict[str, Any]:
    """Define, send, wait for the firings; what ``print_moments`` shows. The brand's own events
    are resolved first (the worker then has only the showcase customer's to project)."""
    wait_for_identity(api, WORKSPACE)
    path = data_dir / "demo-moments.json"
    path.write_bytes(orjson.dumps(DEFINITIONS))
    cli(["segments", "load", str(path), "-w", WORKSPACE])
    if not api.get(f"{BASE}/consent/user_id:{USER}")["purposes"]:
        api.post(f"{BASE}/consent", {"subject": f"user_id:{USER}", "explicit": True, "source": "app-signup",
                                     "purposes": {"marketing_email": "granted"}})
    _send(base, write_key, showcase_calls(datetime.now(UTC)))

    def person() -> str | None:
        ids = api.get(f"{BASE}/people/lookup", kind="user_id", value=USER)["person_ids"]
        return ids[0] if ids else None

    def fired(pid: str) -> list[dict[str, Any]]:
        rows = api.get(f"{BASE}/moments/firings", person=pid, limit=100)["firings"]
        return rows if {r["moment"] for r in rows} >= set(MOMENTS) else []

    pid = _wait(person)
    mine = _wait(lambda: fired(pid)) if pid else []
    totals = {m: Counter(f["decision"] + (f" ({f['rule']})" if f["decision"] != "fired" else "")
                         for f in api.get(f"{BASE}/moments/firings", moment=m, limit=10_000)["firings"])
              for m in MOMENTS}
    return {"person": pid, "firings": mine, "totals": totals}
