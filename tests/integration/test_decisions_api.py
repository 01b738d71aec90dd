"""The decisions API in-process on SQLite and PostgreSQL, on real commerce, identity and consent:
the catalogue, decide with refusals naming their rule, outcomes, the log and model versions."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Api
from tests.integration.decisions_support import ACTIONS, shop

pytestmark = pytest.mark.anyio


async def test_decide_offers_only_what_is_consented_in_stock_and_in_segment(api: Api) -> None:
    s = shop(api.container.store)
    base = f"/api/v1/workspaces/{s.ws}/decisions"
    admin = api.bearer(s.ws, "sources:admin")
    for body in ACTIONS:
        r = await api.client.put(f"{base}/actions/{body['action_id']}", json=body, headers=admin)
        assert r.status_code == 200, r.text
    r = await api.client.put(f"{base}/actions/other", json=ACTIONS[0], headers=admin)
    assert r.status_code == 400 and "not the path's" in r.json()["message"]
    r = await api.client.post(f"{base}/decide", json={"person_id": s.ann, "channel": "web"},
                              headers=api.bearer(s.ws, "events:read"))
    assert r.status_code == 403

    decider = api.bearer(s.ws, "outbound:write")
    r = await api.client.post(f"{base}/decide", json={"person_id": s.ann, "channel": "web", "n": 5},
                              headers=decider)
    assert r.status_code == 200, r.text
    ann = r.json()
    assert [a["action_id"] for a in ann["actions"]] == ["dress", "care"]
    assert {x["action_id"]: x["rule"] for x in ann["refused"]} == {"dress-l": "stock",
                                                                  "vip": "segment"}
    assert next(x["reason"] for x in ann["refused"] if x["rule"] == "segment") == \
        "not in segment vip: the person is not a member now (segments' membership)"
    assert "keeps size M in dresses" in ann["actions"][0]["reasons"]
    assert ann["actions"][0]["affinity"] == 1.0  # her kept order of D, placed by identity

    r = await api.client.post(f"{base}/decide", json={"person_id": s.bo, "channel": "web"},
                              headers=decider)
    assert r.json()["actions"] == []
    assert {x["rule"] for x in r.json()["refused"]} == {"consent"}

    r = await api.client.post(f"{base}/outcomes", json={"decision_id": ann["decision_id"],
                                                        "kind": "purchase"}, headers=decider)
    assert r.status_code == 200 and r.json()["action_id"] == "dress"
    r = await api.client.post(f"{base}/outcomes", json={"decision_id": "dec_nope", "kind": "click"},
                              headers=decider)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    reader = api.bearer(s.ws, "events:read")
    logged = (await api.client.get(f"{base}/log/{ann['decision_id']}", headers=reader)).json()
    assert logged["chosen"] == ["dress", "care"] and logged["outcomes"][0]["kind"] == "purchase"
    assert logged["model_version"] == "rules:expected-kept-value"


async def test_a_bandit_version_is_trained_promoted_used_and_rolled_back(api: Api) -> None:
    s = shop(api.container.store)
    base = f"/api/v1/workspaces/{s.ws}/decisions"
    admin, decider = api.bearer(s.ws, "sources:admin"), api.bearer(s.ws, "outbound:write")
    for body in ACTIONS:
        await api.client.put(f"{base}/actions/{body['action_id']}", json=body, headers=admin)
    first = (await api.client.post(f"{base}/decide", json={"person_id": s.ann, "channel": "web"},
                                   headers=decider)).json()
    await api.client.post(f"{base}/outcomes", json={"decision_id": first["decision_id"],
                                                    "kind": "kept"}, headers=decider)
    trained = (await api.client.post(f"{base}/models/train", headers=admin)).json()
    assert trained["version"] == 1 and trained["examples"] == 1 and trained["mean_reward"] == 1.0
    r = await api.client.post(f"{base}/models/1/promote", headers=admin)
    assert r.json() == {"kind": "bandit", "promoted": 1, "previous": None}
    used = (await api.client.post(f"{base}/decide", json={"person_id": s.ann, "channel": "web"},
                                  headers=decider)).json()
    assert used["model_version"] == "bandit:v1" and 0 < used["propensity"] <= 1
    versions = (await api.client.get(f"{base}/models", headers=api.bearer(s.ws, "events:read"))
                ).json()["versions"]
    assert [(v["version"], v["status"]) for v in versions] == [(1, "promoted")]
    await api.client.post(f"{base}/models/rollback", headers=admin)
    after = (await api.client.post(f"{base}/decide", json={"person_id": s.ann, "channel": "web"},
                                   headers=decider)).json()
    assert after["model_version"] == "rules:expected-kept-value"
