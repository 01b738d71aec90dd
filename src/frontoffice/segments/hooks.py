"""Moments' and audience syncs' webhook calls through the destinations capability: the
destination's purpose for the consent gate, and a POST signed with its secret (HMAC-SHA256),
to the address checked and pinned as destinations do, retried up to its ``max_attempts``."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import orjson

from frontoffice.destinations.address import AddressRefused, check
from frontoffice.destinations.delivery import BACKOFF_S, TIMEOUT_S, client, post_body
from frontoffice.destinations.store import DestinationStore
from frontoffice.domain.tenancy import Status
from frontoffice.storage.sql import SqlStore


class DestinationWebhooks:
    """``moment_actions.Webhooks`` on one storage's destinations; ``allow``: the internal hosts a
    deployment lets destinations reach (``destinations_allow_hosts``)."""

    def __init__(self, store: SqlStore, allow: frozenset[str] = frozenset(), timeout_s: float = TIMEOUT_S,
                 backoff_s: float = BACKOFF_S) -> None:
        self._destinations = DestinationStore(store)
        self._allow, self._timeout_s, self._backoff_s = allow, timeout_s, backoff_s

    def purpose(self, ws: str, destination: str) -> str | None:
        found = self._destinations.find(ws, destination)
        return found.purpose if found is not None and found.status is Status.ACTIVE else None

    def post(self, ws: str, destination: str, body: Mapping[str, Any], delivery_id: str) -> tuple[bool, str]:
        dest = self._destinations.require(ws, destination)
        try:
            target = check(dest.url, self._allow)
        except AddressRefused as exc:
            return False, str(exc)
        with client(min(self._timeout_s, 3.0), self._timeout_s) as http:
            ok, attempts, status, why = post_body(http, dest, target, orjson.dumps(dict(body)), delivery_id,
                                                  self._backoff_s, time.sleep)
        return ok, f"HTTP {status} after {attempts} attempt(s)" if ok else why
