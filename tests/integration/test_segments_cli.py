"""``frontoffice traits`` and ``frontoffice segments``: definitions from YAML, tables and --json,
errors that name the path, and the projection run from the command line."""

from __future__ import annotations

from pathlib import Path

import orjson
from click.testing import CliRunner, Result

from frontoffice.cli.main import cli
from frontoffice.identity.hub import IdentityHub
from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy
from tests.integration.segments_support import World

TRAITS = """
- name: orders_30d
  op: count
  event: Order Completed
  within_days: 365
- name: favourite_channel
  op: most_frequent
  event: Order Completed
  property: channel
"""
SEGMENTS = """
name: app_regulars
description: ordered twice, mostly in the app
condition:
  all:
    - computed: orders_30d
      op: gte
      value: 2
    - computed: favourite_channel
      op: eq
      value: app
"""


def invoke(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database-url", f"sqlite:///{db}", *args])


def test_traits_and_segments_from_yaml_reach_their_members_through_the_cli(tmp_path: Path) -> None:
    db = tmp_path / "fo.db"
    store = open_store(f"sqlite:///{db}")
    store.upgrade()
    ws = tenancy.create_workspace(store, "shop", "EU")
    web, _ = tenancy.create_source(store, ws.id, "web", "web")
    world = World(store, ws.id, web.id)
    for user, channels in (("ann", ["app", "app", "web"]), ("bob", ["web", "web"])):
        for i, channel in enumerate(channels):
            world.track(user, "Order Completed", -i * 3600, channel=channel)
    IdentityHub(store).catch_up(ws.id)
    ann = world.person("ann")
    store.close()
    (tmp_path / "traits.yaml").write_text(TRAITS)
    (tmp_path / "segment.yaml").write_text(SEGMENTS)
    (tmp_path / "bad.yaml").write_text("name: bad\ncondition: {did: X, at_least: -1}\n")

    assert "orders_30d" in invoke(db, "traits", "define", str(tmp_path / "traits.yaml"), "-w", "shop").output
    assert "applied" in invoke(db, "segments", "refresh", "-w", "shop").output
    bad = invoke(db, "segments", "define", str(tmp_path / "bad.yaml"), "-w", "shop")
    assert bad.exit_code != 0 and "at $.condition.at_least" in bad.output
    preview = orjson.loads(invoke(db, "segments", "preview", str(tmp_path / "segment.yaml"), "-w", "shop",
                                  "--json").output)
    assert preview["size"] == 1 and preview["sample"] == [ann]
    defined = invoke(db, "segments", "define", str(tmp_path / "segment.yaml"), "-w", "shop")
    assert "app_regulars" in defined.output
    assert "applied" in invoke(db, "segments", "refresh", "-w", "shop").output
    listed = orjson.loads(invoke(db, "segments", "list", "-w", "shop", "--json").output)
    assert [(s["name"], s["size"]) for s in listed] == [("app_regulars", 1)]
    table = invoke(db, "segments", "members", "app_regulars", "-w", "shop").output
    assert ann in table and "computed orders_30d is 3" in table
    person = orjson.loads(invoke(db, "segments", "person", ann, "-w", "shop", "--json").output)
    assert person["segments"] == ["app_regulars"]
    agreement = orjson.loads(invoke(db, "segments", "agreement", "-w", "shop", "--json").output)
    assert agreement == [{"segment": "app_regulars", "realtime": 1, "batch": 1, "only_realtime": [],
                          "only_batch": [], "agree": True}]
    exported = orjson.loads(invoke(db, "segments", "export", "app_regulars", "-w", "shop", "--purpose",
                                   "sale_or_sharing", "--out", str(tmp_path / "out"), "--json").output)
    assert (exported["people"], exported["refused"]) == (0, 1)  # nobody consented to sharing
    (tmp_path / "sync.yaml").write_text("name: crm_regulars\nsegment: app_regulars\ndestination: crm\n")
    synced = orjson.loads(invoke(db, "moments", "sync", str(tmp_path / "sync.yaml"), "-w", "shop",
                                 "--json").output)
    assert synced == [{"name": "crm_regulars", "version": 1}]
    assert "Segments:" in invoke(db, "segments", "--help").output
