"""The demo brand's workspaces, sources and reader token, set up over the admin API.

One workspace for most of the world, and one per country whose customers' data must stay in
the country (152-FZ, PIPL), each in its own storage; a source per channel with a fixed write
key (the brand's SDKs and the README's tour use them) and a well-known token that only reads.
Setting up again changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from frontoffice.demo.client import Api

WORKSPACE = "demo"
DEMO_TOKEN = "fo_at_demo-reader-token-0001"
READER_SCOPES = ("events:read",)
SOURCES = ("web", "app", "pos", "marketplace", "email", "call_centre", "social", "chat")
RESIDENT = {"RU": "demo-ru", "CN": "demo-cn"}


def write_key(source: str, location: str | None = None) -> str:
    where = f"{location.lower()}-" if location else ""
    return f"demo-{where}{source.replace('_', '-')}-write-key-0001"


def storage_locations(data_dir: Path) -> str:
    """The demo's in-country storages: SQLite files standing in for databases in RU and CN."""
    return orjson.dumps({c: f"sqlite:///{(data_dir / 'residency' / f'{c.lower()}.db').resolve()}"
                         for c in RESIDENT}).decode()


def ensure_tenant(api: Api) -> None:
    existing = {w["name"] for w in api.get("/api/v1/workspaces")}
    wanted: dict[str, str | None] = {WORKSPACE: None, **{n: c for c, n in RESIDENT.items()}}
    for name, country in wanted.items():
        if name not in existing:
            api.post("/api/v1/workspaces", {"name": name, "region": country or "GLOBAL",
                                            "data_location": country})
        base = f"/api/v1/workspaces/{name}"
        sources = {s["name"] for s in api.get(f"{base}/sources")}
        for source in SOURCES:
            if source not in sources:
                api.post(f"{base}/sources", {"name": source, "channel": source,
                                             "write_key": write_key(source, country)})
    base = f"/api/v1/workspaces/{WORKSPACE}"
    if not any(t["name"] == "demo-reader" for t in api.get(f"{base}/tokens")):
        # printed in the tour for anyone to try: it reads, and can neither mint tokens nor see sources
        api.post(f"{base}/tokens", {"name": "demo-reader", "scopes": list(READER_SCOPES),
                                    "value": DEMO_TOKEN})
