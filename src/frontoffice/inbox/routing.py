"""Who gets a ticket: skills (languages, categories, channels, VIP), capacity and presence, the
least loaded among equals. Pure: every assignment carries the reason it was made."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Agent:
    agent_id: str
    name: str
    team: str | None
    languages: frozenset[str]
    categories: frozenset[str]  # empty: every category
    channels: frozenset[str]  # empty: every channel
    vip: bool
    capacity: int
    presence: str  # online, away, offline

    @classmethod
    def of(cls, doc: Mapping[str, Any]) -> Agent:
        return cls(doc["id"], doc.get("name", doc["id"]), doc.get("team"),
                   frozenset(doc.get("languages", [])), frozenset(doc.get("categories", [])),
                   frozenset(doc.get("channels", [])), bool(doc.get("vip", False)),
                   int(doc.get("capacity", 10)), doc.get("presence", "online"))


@dataclass(frozen=True, slots=True)
class Need:
    language: str
    category: str
    channel: str
    vip: bool


@dataclass(frozen=True, slots=True)
class Assignment:
    agent_id: str | None
    team: str | None
    reason: str


def _misses(agent: Agent, need: Need, load: int) -> str | None:
    if agent.presence != "online":
        return f"{agent.presence}"
    if load >= agent.capacity:
        return f"at capacity ({load}/{agent.capacity})"
    if need.language not in agent.languages:
        return f"does not speak {need.language}"
    if agent.categories and need.category not in agent.categories:
        return f"does not handle {need.category}"
    if agent.channels and need.channel not in agent.channels:
        return f"not on {need.channel}"
    return None


def route(need: Need, agents: Sequence[Agent], load: Mapping[str, int]) -> Assignment:
    """The eligible agent with the fewest open tickets (a VIP goes to VIP-skilled agents first;
    ties by agent id); None with every agent's reason when nobody is eligible."""
    eligible = [a for a in agents if _misses(a, need, load.get(a.agent_id, 0)) is None]
    pool = [a for a in eligible if a.vip] if need.vip and any(a.vip for a in eligible) else eligible
    if not pool:
        why = "; ".join(f"{a.agent_id} {_misses(a, need, load.get(a.agent_id, 0))}" for a in agents)
        return Assignment(None, None, f"nobody eligible for {need.language}/{need.category}/"
                                      f"{need.channel}: {why or 'no agents configured'}")
    best = min(pool, key=lambda a: (load.get(a.agent_id, 0) / max(a.capacity, 1), a.agent_id))
    held = load.get(best.agent_id, 0)
    vip = "VIP customer, VIP-skilled; " if need.vip and best.vip else ""
    return Assignment(best.agent_id, best.team,
                      f"{vip}speaks {need.language}, handles {need.category} on {need.channel}; "
                      f"least loaded of {len(pool)} eligible ({held}/{best.capacity} open)")
