"""Support messages in the customer's language, raised by what happened to their orders.

Late or failed parcels bring "where is my order", size returns bring "wrong size", damaged
returns bring "damaged item", other returns a plain return request, and a few smooth orders
a thank-you. Messages arrive by email, chat, social or through the marketplace.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from frontoffice.demo.channels import marketplace_account, social_account
from frontoffice.demo.orders import OrderLine, PlacedOrder
from frontoffice.demo.people import Person
from frontoffice.demo.places import country
from frontoffice.demo.tables import message_tables
from frontoffice.demo.timeline import DAY_MS, HOUR_MS, IdMint, iso

INTENTS = ("where_is_order", "return_request", "wrong_size", "damaged_item", "praise")
LANGUAGES = ("en", "de", "ja", "ko", "zh", "ru")
_REASON_INTENT = {"too_small": ("wrong_size", 0.35), "too_big": ("wrong_size", 0.35),
    "damaged": ("damaged_item", 0.6)}


@dataclass(frozen=True)
class SupportMessage:
    message_id: str
    channel: str
    language: str
    sent_at: str
    sender: str
    sender_name: str | None
    subject: str | None
    body: str
    order_id: str | None


def _issues(rng: random.Random, placed: PlacedOrder) -> Iterator[tuple[str, int, OrderLine]]:
    """The reasons this order gives its customer to write, with when they write."""
    first = placed.order.lines[0]
    if placed.delivered_ms is None and rng.random() < 0.6:
        yield "where_is_order", placed.shipped_ms + rng.randint(4, 8) * DAY_MS, first
    elif placed.late and placed.delivered_ms is not None and rng.random() < 0.3:
        waiting = max(placed.shipped_ms + HOUR_MS, placed.delivered_ms - rng.randint(1, 3) * DAY_MS)
        yield "where_is_order", waiting, first
    lines = {line.line_no: line for line in placed.order.lines}
    for ret, requested_ms in placed.returns:
        intent, chance = _REASON_INTENT.get(ret.reason, ("return_request", 0.25))
        if rng.random() < chance:
            yield intent, requested_ms - rng.randint(1, 12) * HOUR_MS, lines[ret.line_no]
    if placed.delivered_ms is not None and not placed.late and not placed.returns and rng.random() < 0.04:
        yield "praise", placed.delivered_ms + rng.randint(1, 3) * DAY_MS, first


def render(rng: random.Random, language: str, intent: str, order_id: str, line: OrderLine) -> str:
    """One message body from the hand-written templates."""
    tables = message_tables()
    template = rng.choice(tables.templates[language][intent])
    item = tables.items[language][line.category]
    return template.format(order_id=order_id, item=item, size=line.size, days=rng.randint(3, 9))


def _compose(
    rng: random.Random, placed: PlacedOrder, language: str, intent: str, body: str, mint: IdMint
) -> tuple[str, str, str | None, str | None, str]:
    """Pick the channel and write the envelope: (channel, sender, sender_name, subject, body)."""
    order, person = placed.order, placed.person
    r = rng.random()
    social = social_account(person)
    if order.channel == "marketplace" and order.marketplace and order.buyer_id and r < 0.8:
        sender = marketplace_account(order.marketplace, order.buyer_id)
        return "marketplace", sender, order.customer_name, None, body
    if r < 0.55 or (r >= 0.8 and social is None):
        tables = message_tables()
        sender = order.email if order.user_id and order.email else rng.choice(person.emails)
        subject = rng.choice(tables.subjects[language][intent]).format(order_id=order.order_id)
        if rng.random() < 0.3:
            return "email", sender, None, subject, body
        name = person.pick_name(rng, latin_share=0.3)[1]
        return "email", sender, name, subject, body + rng.choice(tables.sign_offs[language]).format(name=name)
    if r < 0.8:
        typed = person.pick_name(rng, latin_share=0.3)[1] if rng.random() < 0.7 else None
        return "chat", mint.hex("chat_", 10), typed, None, body
    return "social", str(social), person.pick_name(rng, latin_share=0.5)[1], None, body


def build_messages(
    rng: random.Random, placed_orders: tuple[PlacedOrder, ...], mint: IdMint
) -> tuple[tuple[SupportMessage, Person, int], ...]:
    """Messages with their true author and the moment (ms) they were sent."""
    found: list[tuple[SupportMessage, Person, int]] = []
    for placed in placed_orders:
        order_id = placed.order.order_id
        language = country(placed.person.country).language
        for intent, ms, line in _issues(rng, placed):
            body = render(rng, language, intent, order_id, line)
            channel, sender, name, subject, body = _compose(rng, placed, language, intent, body, mint)
            message = SupportMessage(
                mint.hex("msg_", 12), channel, language, iso(ms), sender, name, subject, body, order_id
            )
            found.append((message, placed.person, ms))
    return tuple(found)
