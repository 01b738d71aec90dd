"""A flag is an event of the log (``insight.flagged``): a webhook destination following that type
receives each new flag once, signed, like any other event."""

from __future__ import annotations

import orjson

from frontoffice.destinations.delivery import deliver_workspace
from frontoffice.destinations.store import DestinationStore
from frontoffice.insights import service
from frontoffice.insights.projector import InsightsHub
from frontoffice.insights.rates import Windows
from frontoffice.outbound.exports import catch_up_people
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.integration.test_insights_store_contract import LAST_DAY, NOW, record, shop
from tests.integration.test_outbound_destinations import LOCAL_RECEIVER, Receiver, receiver

__all__ = ["receiver"]


def test_a_destination_following_insight_flagged_receives_each_new_flag_once(
        store: SqlStore, receiver: Receiver) -> None:
    ws = tenancy.create_workspace(store, "outlet", "EU").id
    DestinationStore(store, LOCAL_RECEIVER).create(ws, "flags", receiver.url, "analytics",
                                                   event_types=["insight.flagged"])
    store.append([AppendBatch(ws, "seeded", [record(i, *e) for i, e in enumerate(shop())], origin="test")])
    raised = service.run(InsightsHub(store), ws, NOW, LAST_DAY, Windows(7, 7)).raised
    catch_up_people(store, ws)  # destinations send what identity and consent have seen
    [first] = deliver_workspace(store, ws, NOW, timeout_s=5, backoff_s=0, allow=LOCAL_RECEIVER)
    service.run(InsightsHub(store), ws, NOW, LAST_DAY, Windows(7, 7))  # nothing new
    catch_up_people(store, ws)
    [second] = deliver_workspace(store, ws, NOW, timeout_s=5, backoff_s=0, allow=LOCAL_RECEIVER)
    events = [orjson.loads(body)["event"] for _, body in receiver.received]
    assert raised and sorted(e["flag_id"] for e in events) == sorted(raised)
    assert {"summary", "since", "comparisons", "evidence"} <= set(events[0])
    assert first.delivered == len(raised) and first.refused == 0 and second.delivered == 0
