"""Survivorship: which observed value of each trait a person's golden record shows, and why.

Pure. Each trait has a rule (most recent, most trusted source by a ranked channel list, first
seen, non-empty, union for lists); every chosen value keeps its provenance (source, record,
time) and the rule that chose it.

Contacts (email, phone) are ranked by proof first: a value observed from a server-side source
(:class:`~frontoffice.domain.tenancy.Trust`) always outranks one sent only through a client-side,
public write key, whatever the rule says — anyone holding a web key can send any address under
any user id. A client-side value still shows when no server-side source gave one, and it stays
in the ``emails``/``phones`` lists, marked ``"trust": "client"`` and listed after the proven ones.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import orjson

from frontoffice.identity.model import TraitValue


class Rule(StrEnum):
    MOST_RECENT = "most_recent"
    TRUSTED_SOURCE = "trusted_source"
    FIRST_SEEN = "first_seen"
    NON_EMPTY = "non_empty"
    UNION = "union"


DEFAULT_CHANNEL_TRUST: tuple[str, ...] = (
    "app", "web", "pos", "call_centre", "email", "chat", "import", "marketplace", "social", "commerce")


def _default_rules() -> dict[str, Rule]:
    return {
        "email": Rule.MOST_RECENT, "phone": Rule.MOST_RECENT, "address": Rule.MOST_RECENT,
        "firstName": Rule.TRUSTED_SOURCE, "lastName": Rule.TRUSTED_SOURCE, "name": Rule.TRUSTED_SOURCE,
        "birthDate": Rule.TRUSTED_SOURCE, "country": Rule.MOST_RECENT, "loyaltyId": Rule.FIRST_SEEN,
        "emails": Rule.UNION, "phones": Rule.UNION,
    }


@dataclass(frozen=True)
class SurvivorshipConfig:
    rules: Mapping[str, Rule] = field(default_factory=_default_rules)
    default: Rule = Rule.MOST_RECENT
    channel_trust: tuple[str, ...] = DEFAULT_CHANNEL_TRUST
    """Channels from most to least trusted, for ``trusted_source``; unlisted channels come last."""
    lists: Mapping[str, str] = field(default_factory=lambda: {"emails": "email", "phones": "phone"})
    """List traits built by ``union`` from a scalar trait: ``emails`` collects every ``email``."""
    proven_first: frozenset[str] = frozenset({"email", "phone"})
    """Traits whose value comes from a server-side source whenever one observed any (a value sent
    through a public write key only fills in), each marked with the ``trust`` it came with."""


def _provenance(value: TraitValue) -> dict[str, Any]:
    return {"source_id": value.source_id, "record_id": value.record_id, "observed_at": value.observed_at}


def _present(value: object) -> bool:
    return value not in (None, "", [], {})


def _pick(rule: Rule, values: list[TraitValue], trust: Mapping[str, int]) -> TraitValue:
    by_time = sorted(values, key=lambda v: (v.observed_at, v.record_id))
    if rule is Rule.FIRST_SEEN:
        return by_time[0]
    if rule is Rule.TRUSTED_SOURCE:
        return min(by_time, key=lambda v: (trust.get(v.source_id, len(trust)),
                                           _neg(v.observed_at), v.record_id))
    if rule is Rule.NON_EMPTY:
        filled = [v for v in by_time if _present(v.value)]
        return (filled or by_time)[-1]
    return by_time[-1]


def _neg(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)


def _trust(server: bool) -> str:
    return "server" if server else "client"


def golden(values: Iterable[TraitValue], channel_of: Mapping[str, str],
           config: SurvivorshipConfig, *, server_side: Collection[str]) -> dict[str, Any]:
    """``{trait: {"value", "rule", "source_id", "record_id", "observed_at"}}``; a union trait
    has ``"values"`` with one provenance per distinct value. ``server_side``: the ids of the
    server-side sources; any other source is client-side."""
    rank = {channel: i for i, channel in enumerate(config.channel_trust)}
    trust = {source: rank.get(channel, len(rank)) for source, channel in channel_of.items()}
    by_name: dict[str, list[TraitValue]] = {}
    for value in values:
        if _present(value.value) and not value.name.startswith("invalid_"):
            by_name.setdefault(value.name, []).append(value)
    out: dict[str, Any] = {}
    for name, observed in sorted(by_name.items()):
        rule = config.rules.get(name, config.default)
        if rule is Rule.UNION:
            out[name] = _union(observed)
            continue
        if name not in config.proven_first:
            chosen = _pick(rule, observed, trust)
            out[name] = {"value": chosen.value, "rule": rule.value, **_provenance(chosen)}
            continue
        proven = [v for v in observed if v.source_id in server_side]
        chosen = _pick(rule, proven or observed, trust)
        out[name] = {"value": chosen.value, "rule": rule.value, **_provenance(chosen),
                     "trust": _trust(bool(proven))}
    for list_name, scalar in config.lists.items():
        if scalar in by_name:
            out[list_name] = _union(by_name[scalar], server_side if scalar in config.proven_first else None)
    return out


def _union(observed: list[TraitValue], server_side: Collection[str] | None = None) -> dict[str, Any]:
    """Distinct values, each with its first observation; with ``server_side``, each marked with its
    trust (server when any server-side source observed it) and the proven ones listed first."""
    first: dict[bytes, TraitValue] = {}
    proven: set[bytes] = set()
    for value in sorted(observed, key=lambda v: (v.observed_at, v.record_id)):
        key = orjson.dumps(value.value, option=orjson.OPT_SORT_KEYS)
        first.setdefault(key, value)
        if server_side is not None and value.source_id in server_side:
            proven.add(key)
    if server_side is None:
        listed = [{"value": v.value, **_provenance(v)} for v in first.values()]
    else:
        ranked = sorted(first.items(), key=lambda item: item[0] not in proven)  # stable: by time
        listed = [{"value": v.value, **_provenance(v), "trust": _trust(k in proven)} for k, v in ranked]
    return {"rule": Rule.UNION.value, "values": listed}
