"""Segment-spec events from every channel a person touches.

Web and app sessions start anonymous (``page``/``screen``, ``Product Viewed``, ``Product
Added``) and may log in part-way (``identify`` with traits, sometimes ``alias``); checkouts send
``Order Completed`` with products; marketplace, email, call-centre, chat and social sources add
server-side events. Each event's ``context.source`` names its source. ``messageId`` is assigned
once all events are in time order, from the seed and the position, so it reveals nobody.
"""

from __future__ import annotations

import random
import zlib
from operator import itemgetter
from typing import Any

from frontoffice.demo import contexts
from frontoffice.demo.commerce import PriceBook, Product
from frontoffice.demo.orders import PlacedOrder
from frontoffice.demo.people import Person
from frontoffice.demo.phones import as_typed
from frontoffice.demo.places import country
from frontoffice.demo.timeline import SPAN_DAYS, IdMint, derived_uuid, iso, moment

Event = dict[str, Any]
_CAMPAIGNS = (
    "spring-drop", "summer-sale", "new-arrivals", "loyalty-double-points", "back-in-stock", "autumn-edit",
)
_NETWORKS = {
    "US": ("instagram", "facebook", "tiktok"), "DE": ("instagram", "facebook"),
    "JP": ("line", "instagram", "x"), "KR": ("kakao", "instagram"),
    "CN": ("weibo", "wechat", "xiaohongshu"), "RU": ("vk", "telegram"),
}
_REFERRERS = {
    "US": "https://www.google.com/", "DE": "https://www.google.de/", "JP": "https://search.yahoo.co.jp/",
    "KR": "https://search.naver.com/", "CN": "https://www.baidu.com/", "RU": "https://yandex.ru/",
}
SHOP_URL = "https://shop.frontoffice.example"


def social_account(person: Person) -> str | None:
    """``network:handle`` of the person's social profile (one network each, fixed by the handle),
    the anonymous id of its comments and of the messages it sends the brand."""
    if person.social_handle is None:
        return None
    networks = _NETWORKS[person.country]
    network = networks[zlib.crc32(person.social_handle.encode()) % len(networks)]
    return f"{network}:{person.social_handle}"


def marketplace_account(marketplace: str, buyer_id: str) -> str:
    """The anonymous id of a marketplace buyer's checkouts and messages, as of the buyer's own
    record (:mod:`frontoffice.demo.loader`): ``marketplace:buyer id``, as two marketplaces' buyer
    ids may collide."""
    return f"{marketplace}:{buyer_id}"


def event(
    kind: str, ms: int, context: Event, *, anonymous_id: str | None = None, user_id: str | None = None,
    **fields: Any,
) -> Event:
    """A Segment event; ``messageId`` is left empty until :meth:`EventLog.finish`."""
    ev: Event = {"type": kind, "messageId": "", "timestamp": iso(ms)}
    if anonymous_id is not None:
        ev["anonymousId"] = anonymous_id
    if user_id is not None:
        ev["userId"] = user_id
    ev.update(fields)
    ev["context"] = context
    return ev


class EventLog:
    """Collects events with their moment and true person; :meth:`finish` orders and numbers them."""

    def __init__(
        self, rng: random.Random, mint: IdMint, products: tuple[Product, ...], prices: PriceBook
    ) -> None:
        self.rng, self.mint, self.products, self.prices = rng, mint, products, prices
        self._items: list[tuple[int, Event, str]] = []
        self._product_props: dict[tuple[str, str, str, float], Event] = {}

    def emit(self, person: Person, kind: str, ms: int, context: Event, **fields: Any) -> None:
        """Record one event of ``person`` at ``ms`` (fields as for :func:`event`)."""
        self._items.append((ms, event(kind, ms, context, **fields), person.person_id))

    def finish(self, seed: int) -> tuple[tuple[Event, str], ...]:
        self._items.sort(key=itemgetter(0))
        out = []
        for i, (_, ev, person_id) in enumerate(self._items):
            ev["messageId"] = derived_uuid("frontoffice-demo-event", seed, i)
            out.append((ev, person_id))
        return tuple(out)

    def _day_moment(self, person: Person) -> int:
        day = self.rng.randint(person.first_day, SPAN_DAYS - 1)
        return moment(self.rng, day, country(person.country).utc_offset_hours)

    def traits(self, person: Person, email: str) -> Event:
        rng = self.rng
        form, full = person.pick_name(rng, latin_share=0.35)
        # An account's email was confirmed at sign-up (double opt-in), so a signed-in identify says so;
        # sent through the public web or app key, that claim proves nothing (the email service's does).
        traits: Event = {"email": email, "emailVerified": True, "firstName": form.given,
                         "lastName": form.family, "name": full}
        if rng.random() < 0.5:
            traits["phone"] = as_typed(rng, rng.choice(person.phones))
        if rng.random() < 0.3:
            traits["birthday"] = person.birth_date
        if rng.random() < 0.4:
            a = person.address
            traits["address"] = {
                "street": a.street, "city": a.city, "postalCode": a.postcode, "state": a.region,
                "country": a.country,
            }
        return traits

    def _product(self, product: Product, channel: str, currency: str, day: int) -> Event:
        price = self.prices.at(product.product_id, channel, currency, day).price
        key = (product.product_id, channel, currency, price)
        if key not in self._product_props:
            self._product_props[key] = {
                "product_id": product.product_id, "name": product.name, "category": product.category,
                "price": price, "currency": currency,
            }
        return self._product_props[key]

    def sessions(self, person: Person) -> None:
        """Browsing sessions on web or app; some log in part-way and identify (and alias)."""
        rng, ctry = self.rng, country(person.country)
        identified: set[str] = set()
        for _ in range(1 + min(10, int(rng.expovariate(1.0) * 1.6 * person.activity))):
            day = rng.randint(person.first_day, SPAN_DAYS - 1)
            ms = moment(rng, day, ctry.utc_offset_hours)
            device = rng.choice(person.devices) if person.devices and rng.random() < 0.45 else None
            anon = device.anonymous_id if device else rng.choice(person.browser_ids)
            ctx = contexts.app(rng, person, device) if device else contexts.web(rng, person, anon)
            pages = rng.randint(1, 4)
            login_at, user = pages, None
            if person.user_ids and rng.random() < (0.7 if device else 0.45):
                login_at = rng.randrange(pages)
                user = person.user_ids[0] if rng.random() < 0.85 else rng.choice(person.user_ids)
            elif not person.user_ids and not device and rng.random() < 0.1:  # newsletter sign-up
                self.emit(person, "identify", ms, ctx, anonymous_id=anon, traits={"email": person.emails[0]})
            for i in range(pages):
                uid = user if i >= login_at else None
                if user is not None and i == login_at and (anon not in identified or rng.random() < 0.2):
                    traits = self.traits(person, person.account_email(user))
                    self.emit(person, "identify", ms, ctx, anonymous_id=anon, user_id=user, traits=traits)
                    if anon not in identified and rng.random() < 0.3:
                        self.emit(person, "alias", ms + 1000, ctx, user_id=user, previousId=anon)
                    identified.add(anon)
                ms = self._view(person, ctx, anon, uid, day, ms, first=i == 0, app=device is not None)

    def _view(
        self, person: Person, ctx: Event, anon: str, uid: str | None, day: int, ms: int, first: bool,
        app: bool
    ) -> int:
        """One product page or screen, maybe viewed and added to the bag; returns the next moment."""
        rng, ctry = self.rng, country(person.country)
        product = rng.choice(self.products)
        ids: Event = {"anonymous_id": anon, "user_id": uid}
        if app:
            self.emit(person, "screen", ms, ctx, **ids, name="Product Detail",
                      properties={"product_id": product.product_id})
        else:
            path = f"/{ctry.language}/p/{product.product_id}"
            page: Event = {"path": path, "url": SHOP_URL + path, "title": f"{product.name} | Frontoffice"}
            if first:
                page["referrer"] = rng.choice((_REFERRERS[person.country], ""))
            self.emit(person, "page", ms, ctx, **ids, name=product.name, properties=page)
        props = self._product(product, "app" if app else "web", ctry.currency, day)
        ms += rng.randint(3, 40) * 1000
        if rng.random() < 0.7:
            self.emit(person, "track", ms, ctx, **ids, event="Product Viewed", properties=props)
        if rng.random() < 0.2:
            ms += rng.randint(5, 90) * 1000
            self.emit(person, "track", ms, ctx, **ids, event="Product Added", properties=props)
        return ms + rng.randint(8, 180) * 1000

    def order_completed(self, placed: PlacedOrder) -> None:
        rng, order, person = self.rng, placed.order, placed.person
        props: Event = {
            "order_id": order.order_id, "total": order.total, "revenue": order.total,
            "currency": order.currency,
            "products": [
                {"product_id": ln.product_id, "sku": ln.sku, "name": ln.name, "category": ln.category,
                 "size": ln.size, "price": ln.unit_price, "quantity": ln.qty}
                for ln in order.lines
            ],
        }
        if order.channel == "marketplace" and order.marketplace and order.buyer_id:
            props["marketplace"] = order.marketplace
            ctx = contexts.server(person, "marketplace")
            self.emit(person, "track", placed.placed_ms, ctx,
                      anonymous_id=marketplace_account(order.marketplace, order.buyer_id),
                      event="Order Completed", properties=props)
            return
        anon = placed.anonymous_id or person.browser_ids[0]
        device = next((d for d in person.devices if d.anonymous_id == anon), None)
        ctx = contexts.app(rng, person, device) if device else contexts.web(rng, person, anon)
        if order.user_id is None:  # guest checkout: only the email links it
            ctx["traits"] = {"email": order.email}
        self.emit(person, "track", placed.placed_ms, ctx, anonymous_id=anon, user_id=order.user_id,
                  event="Order Completed", properties=props)

    def email(self, person: Person) -> None:
        """Campaign opens and clicks reported by the email service for subscribers."""
        rng = self.rng
        if not person.user_ids and rng.random() >= 0.3:
            return
        user = person.user_ids[0] if person.user_ids else None
        address = person.account_email(user) if user else person.emails[0]
        ids: Event = {"anonymous_id": self.mint.hex("sub_", 12), "user_id": user}
        # The email service (a server-side source) sends to addresses confirmed by double opt-in:
        # its word proves an account's address, where a signed-in browser's emailVerified cannot.
        ctx = contexts.server(person, "email", {"email": address, "emailVerified": True} if user
                              else {"email": address})
        for _ in range(rng.choices(range(4), weights=(40, 30, 20, 10))[0]):
            ms = self._day_moment(person)
            campaign = rng.choice(_CAMPAIGNS)
            props = {"campaign_id": campaign, "email_id": self.mint.hex("em_", 10)}
            self.emit(person, "track", ms, ctx, **ids, event="Email Opened", properties=props)
            if rng.random() < 0.4:
                ms += rng.randint(5, 1800) * 1000
                link = {**props, "link_url": f"{SHOP_URL}/{country(person.country).language}/c/{campaign}"}
                self.emit(person, "track", ms, ctx, **ids, event="Email Link Clicked", properties=link)

    def call(self, person: Person, ms: int, order_id: str | None) -> None:
        """A call-centre call: the agent types the caller's name; caller ID gives the phone."""
        rng = self.rng
        _, full = person.pick_name(rng, latin_share=0.2)
        traits = {"name": full, "phone": as_typed(rng, rng.choice(person.phones))}
        call_id = self.mint.hex("call_", 10)
        ctx = contexts.server(person, "call_centre")
        self.emit(person, "identify", ms, ctx, anonymous_id=call_id, traits=traits)
        duration = rng.randint(60, 1500)
        props = {"order_id": order_id, "topic": "order_status" if order_id else "general",
                 "duration_seconds": duration}
        end = ms + duration * 1000
        self.emit(person, "track", end, ctx, anonymous_id=call_id, event="Call Completed", properties=props)

    def chat(self, person: Person) -> None:
        """A web chat opened from a browser; the pre-chat form asks for an email or a name."""
        rng = self.rng
        anon = rng.choice(person.browser_ids)
        ms = self._day_moment(person)
        ctx = contexts.web(rng, person, anon, source="chat")
        if rng.random() < 0.6:
            ctx["traits"] = {"email": rng.choice(person.emails)}
        else:
            ctx["traits"] = {"name": person.pick_name(rng, latin_share=0.3)[1]}
        props = {"chat_id": self.mint.hex("chat_", 10)}
        self.emit(person, "track", ms, ctx, anonymous_id=anon, event="Chat Started", properties=props)

    def social(self, person: Person) -> None:
        """A social profile that follows the brand and comments on its posts."""
        rng, anon = self.rng, social_account(person)
        if anon is None:
            return
        network, _, handle = anon.partition(":")
        ctx = contexts.server(person, "social")
        ms = self._day_moment(person)
        traits = {"username": handle, "name": person.pick_name(rng, latin_share=0.5)[1]}
        self.emit(person, "identify", ms, ctx, anonymous_id=anon, traits=traits)
        for _ in range(rng.randint(1, 3)):
            ms += rng.randint(600, 3 * 24 * 3600) * 1000
            props = {"network": network, "post_id": self.mint.hex("post_", 10)}
            self.emit(person, "track", ms, ctx, anonymous_id=anon, event="Social Comment Posted",
                      properties=props)
