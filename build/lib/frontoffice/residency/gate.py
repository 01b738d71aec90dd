"""The collector's residency check: personal data of a person whose region requires local storage
(RU, CN: ``residency: {mode: local, storage: …}``) is refused by a workspace located elsewhere.

Refused events are listed in the response with the reason and are *not* quarantined: the
quarantine is in the receiving workspace's storage, which is exactly where the data must not be.
The person's region is read from the event itself (explicit ``region`` trait, address country,
phone country, ``context.locale``, IP location: the precedence of consent/region.py). Unknown
region → the strictest pack, whose residency names no country, so it is kept (in the workspace's
own storage).

Every event passes here, so the check starts with a prefilter on the parsed request (a few dict
look-ups, each value classified once and remembered): only an event with a value that could place
the person in a local-residency country (its code as a country, region or locale part, or its
calling code opening a phone number) has its region resolved exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import orjson
import phonenumbers

from frontoffice.cache import TtlLookup
from frontoffice.consent.packs import load_packs
from frontoffice.consent.region import Evidence, evidence_from_traits, resolve_region
from frontoffice.domain.events import EventRecord, Rejection

_NOTHING: Mapping[str, Any] = {}


@lru_cache(maxsize=4096)
def _required(evidence: Evidence) -> tuple[str | None, str]:
    """(country the person's data must be stored in or None, the region's reason)."""
    resolution = resolve_region(evidence)
    residency = resolution.pack.residency
    if residency.mode != "local" or not residency.storage:
        return None, resolution.reason
    return residency.storage, resolution.reason


@lru_cache(maxsize=1)
def _local() -> tuple[frozenset[str], tuple[str, ...]]:
    """Country codes of packs with local residency, and their phone calling-code prefixes."""
    packs = [p for p in load_packs().values() if p.residency.mode == "local" and p.residency.storage]
    countries = frozenset(c for p in packs for c in (*p.countries, p.region))
    calls = sorted({phonenumbers.country_code_for_region(c) for c in countries} - {0})
    return countries, tuple(f"+{n}" for n in calls)


@lru_cache(maxsize=65536)
def _could_be_local(value: str) -> bool:
    """Could this string place a person in a local-residency country, as a country or region code,
    a locale (ru-RU, zh_Hans_CN) or a phone number? A superset of what resolve_region places."""
    countries, prefixes = _local()
    text = value.strip().upper()
    parts = text.replace("_", "-").split("-")
    return any(p in countries for p in parts) or text.replace(" ", "").startswith(prefixes)


def _suspect(item: Mapping[str, Any], batch_context: Mapping[str, Any]) -> bool:
    context = item.get("context")
    context = context if isinstance(context, dict) else _NOTHING
    for ctx in (context, batch_context):
        if not ctx:
            continue
        for key in ("locale",):
            value = ctx.get(key)
            if isinstance(value, str) and _could_be_local(value):
                return True
        location = ctx.get("location")
        if (
            isinstance(location, dict)
            and isinstance(c := location.get("country"), str)
            and _could_be_local(c)
        ):
            return True
        traits = ctx.get("traits")
        if isinstance(traits, dict) and _traits_suspect(traits):
            return True
    traits = item.get("traits")
    return isinstance(traits, dict) and _traits_suspect(traits)


def _traits_suspect(traits: Mapping[str, Any]) -> bool:
    for key in ("region", "phone", "locale"):
        value = traits.get(key)
        if isinstance(value, str) and _could_be_local(value):
            return True
    address = traits.get("address")
    return isinstance(address, dict) and isinstance(c := address.get("country"), str) and _could_be_local(c)


def _dict(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def _storage_of(event: Mapping[str, Any]) -> tuple[str | None, str]:
    """Where one event's person must have their data stored (None: anywhere), and why."""
    context = _dict(event.get("context"))
    traits = {**_dict(context.get("traits")), **_dict(event.get("traits"))}
    return _required(evidence_from_traits(traits, context))


class ResidencyGate:
    def __init__(self, location_of: Callable[[str], str | None], cache_seconds: float) -> None:
        self._locations: TtlLookup[str, str | None] = TtlLookup(location_of, cache_seconds, 10_000)

    def check(
        self,
        workspace_id: str,
        records: Sequence[EventRecord],
        items: Sequence[Mapping[str, Any]],
        indices: Sequence[int],
        batch_context: Mapping[str, Any],
    ) -> tuple[list[int], list[Rejection]]:
        """(positions in `records` the workspace may store, refusals with their batch index and reason).
        `items` are the request's events as parsed, aligned with `records`."""
        location = self._locations.get(workspace_id)
        kept: list[int] = []
        refused: list[Rejection] = []
        for at, (record, item, index) in enumerate(zip(records, items, indices, strict=True)):
            if not _suspect(item, batch_context):
                kept.append(at)
                continue
            # the normalised event: the batch context is merged in
            required, why = _storage_of(orjson.loads(record.payload))
            if required is None or required == location:
                kept.append(at)
                continue
            here = f"located in {location}" if location else "with no data location"
            refused.append(
                Rejection(
                    index,
                    record.message_id,
                    f"residency: this person's data must be stored in {required} ({why}); this workspace is "
                    f"{here}. Send it to a workspace located in {required}.",
                    b"",
                    "residency",
                )
            )
        return kept, refused


def required_location(item: Mapping[str, Any]) -> str | None:
    """The country one raw call's person must have their data stored in (None: anywhere), judged
    as the collector judges it, so a sender can route it to the right workspace up front."""
    return _storage_of(item)[0] if _suspect(item, _NOTHING) else None
