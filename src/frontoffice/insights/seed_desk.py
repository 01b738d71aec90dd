"""The seeded shop's service desk, through the inbox's own use cases (``intake.receive``,
``assign``, ``reply``, ``rate``): its agents, the day's questions, the defective batch's
complaints in English, German and Japanese, and the agent who falls behind (answers 50 hours on)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from frontoffice.inbox import intake, team
from frontoffice.inbox import service as desk_service
from frontoffice.insights.world import World

AGENTS = ("ana", "ben", "chen")
BROKEN = {
    "en": "My shoes arrived broken, the sole came off. Order {o}",
    "de": "Die Schuhe sind kaputt angekommen, bitte um Ersatz. Bestellung {o}",
    "ja": "届いた靴が壊れていました。注文番号 {o}",
}
ASKING = (
    "Where is my order {o}?",
    "Can I return order {o}? It does not fit.",
    "Thanks for the quick help! {o}",
)


def agents(w: World, at: datetime) -> None:
    for agent in AGENTS:
        team.configure_agent(
            w.desk, w.ws, agent, {"languages": ["en", "de", "ja"], "capacity": 500, "team": "eu"}, at
        )


def tickets(
    w: World, base: datetime, incident: bool, complaints: list[tuple[str, datetime]], orders: list[str]
) -> None:
    """Schedule the day's messages; each, when its time comes, is received, assigned, answered
    (late by the agent who falls behind) and sometimes rated, in the order of their times."""
    langs = ("en", "de", "ja")
    asks = [(w.rng.choice(ASKING).format(o=w.rng.choice(orders)), None) for _ in range(w.tickets_per_day)]
    texts = asks + [(BROKEN[langs[i % 3]].format(o=oid), oid) for i, (oid, _) in enumerate(complaints)]
    for i, (text, complaint) in enumerate(texts):
        at = base + timedelta(hours=9, minutes=20 * i)
        w.later(at, partial(_receive, w, at, text, complaint, incident))


def _receive(w: World, at: datetime, text: str, complaint: str | None, incident: bool) -> None:
    mid = w.next_id("m")
    channel = w.rng.choice(("chat", "phone"))
    got = intake.receive(
        w.desk, w.ws, intake.Incoming(channel, mid, "email", f"{mid}@mail.example", "", "Help", text, ()), at
    )
    tid, agent = got.ticket_id, w.rng.choice(AGENTS)
    if tid is None:
        return
    desk_service.assign(w.desk, w.ws, tid, at, agent)
    if complaint:
        w.truth["defective_batch"].saw(at, f"ticket:{tid}")
    behind = incident and agent == "ben"
    if behind:
        w.truth["agent_behind"].saw(at, f"ticket:{tid}")
    reply_at = at + timedelta(hours=50 if behind else w.rng.uniform(0.2, 2.0))
    w.later(
        reply_at,
        partial(desk_service.reply, w.desk, w.ws, tid, agent, reply_at, "We are on it.", None, "solved"),
    )
    if w.rng.random() < 0.5:
        rated = reply_at + timedelta(hours=1)
        w.later(rated, partial(desk_service.rate, w.desk, w.ws, tid, w.rng.choice((4, 5, 5, 3)), "", rated))
