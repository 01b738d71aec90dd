"""Deterministic omnichannel demo brand: people, channels, commerce and the ground truth.

``generate(seed, people)`` builds everything in memory; ``write(brand, out_dir)`` writes the
files described in :mod:`frontoffice.demo.files`. The same seed and size give byte-identical
files: every stage draws from its own ``random.Random`` seeded from ``seed`` and the stage
name, times are offsets from 2026-01-01T00:00:00Z, and nothing iterates a set or reads a clock.
Work is linear in ``people``.
"""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from frontoffice.demo import commerce
from frontoffice.demo.brand import DemoBrand, TruthRow
from frontoffice.demo.channels import Event, EventLog
from frontoffice.demo.files import write_brand
from frontoffice.demo.marketplace import MarketplaceAlias, build_aliases
from frontoffice.demo.messages import build_messages
from frontoffice.demo.orders import OrderMaker, PlacedOrder
from frontoffice.demo.people import Person
from frontoffice.demo.population import build_people
from frontoffice.demo.pos import build_pos
from frontoffice.demo.summary import cross_script_people, record_names, summarise
from frontoffice.demo.timeline import DAY_MS, SPAN_DAYS, IdMint, moment
from frontoffice.errors import InvalidInput

__all__ = ["DemoBrand", "TruthRow", "generate", "write"]
MAX_PEOPLE = 2_000_000


def _stream(seed: int, stage: str) -> random.Random:
    return random.Random(f"frontoffice-demo/{seed}/{stage}")


def _check(seed: int, people: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidInput(f"seed must be an integer, got {seed!r}; pass e.g. seed=7")
    if isinstance(people, bool) or not isinstance(people, int) or not 1 <= people <= MAX_PEOPLE:
        raise InvalidInput(
            f"people must be an integer from 1 to {MAX_PEOPLE:,}, got {people!r}; try people=2000"
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Generation only allocates acyclic objects; pausing the cycle collector keeps it linear."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def generate(seed: int, people: int) -> DemoBrand:
    """Generate the demo brand for ``seed`` with ``people`` true people."""
    _check(seed, people)
    with _collector_paused():
        return _generate(seed, people)


def _generate(seed: int, people: int) -> DemoBrand:
    mint = IdMint(_stream(seed, "ids"))
    suppliers, products = commerce.build_products(_stream(seed, "catalogue"))
    locations = commerce.build_locations(_stream(seed, "locations"))
    stock = commerce.build_stock(_stream(seed, "stock"), products, locations)
    prices = commerce.build_prices(_stream(seed, "prices"), products)
    book = commerce.PriceBook(prices)
    population = build_people(_stream(seed, "people"), people, mint)

    aliases = sorted(build_aliases(_stream(seed, "marketplace"), population, mint), key=lambda a: a[2])
    by_person: dict[str, list[MarketplaceAlias]] = {}
    for alias, person, _ in aliases:
        by_person.setdefault(person.person_id, []).append(alias)
    maker = OrderMaker(_stream(seed, "orders"), mint, products, locations, book)
    placed: list[PlacedOrder] = []
    for person in population:
        placed.extend(maker.for_person(person, tuple(by_person.get(person.person_id, ()))))
    placed.sort(key=lambda p: p.placed_ms)
    shipments = sorted(((p.shipment, p.person.person_id, p.shipped_ms) for p in placed), key=lambda s: s[2])
    returns = sorted(
        ((r, p.person.person_id, ms) for p in placed for r, ms in p.returns), key=lambda r: r[2]
    )
    pos = sorted(build_pos(_stream(seed, "pos"), population, locations, products, mint), key=lambda r: r[2])
    messages = sorted(build_messages(_stream(seed, "messages"), tuple(placed), mint), key=lambda m: m[2])
    events = _events(seed, mint, products, book, population, placed)

    truth = (
        [TruthRow(ev["messageId"], "event", pid) for ev, pid in events]
        + [TruthRow(row["receipt_id"], "pos", p.person_id) for row, p, _ in pos]
        + [TruthRow(a.record_id, "marketplace_alias", p.person_id) for a, p, _ in aliases]
        + [TruthRow(p.order.order_id, "order", p.person.person_id) for p in placed]
        + [TruthRow(s.shipment_id, "shipment", pid) for s, pid, _ in shipments]
        + [TruthRow(r.return_id, "return", pid) for r, pid, _ in returns]
        + [TruthRow(m.message_id, "message", p.person_id) for m, p, _ in messages]
    )
    names = record_names(
        events,
        ((row, p.person_id) for row, p, _ in pos),
        ((a, p.person_id) for a, p, _ in aliases),
        ((p.order, p.person.person_id) for p in placed),
        ((m, p.person_id) for m, p, _ in messages),
    )
    brand = DemoBrand(
        seed=seed,
        people=population,
        suppliers=suppliers,
        products=products,
        locations=locations,
        stock=stock,
        prices=prices,
        events=tuple(ev for ev, _ in events),
        pos_rows=tuple(row for row, _, _ in pos),
        marketplace_aliases=tuple(a for a, _, _ in aliases),
        orders=tuple(p.order for p in placed),
        shipments=tuple(s for s, _, _ in shipments),
        returns=tuple(r for r, _, _ in returns),
        messages=tuple(m for m, _, _ in messages),
        ground_truth=tuple(truth),
        summary={},
    )
    return replace(brand, summary=summarise(brand, cross_script_people(population, names)))


def _events(
    seed: int, mint: IdMint, products: tuple[commerce.Product, ...], book: commerce.PriceBook,
    population: tuple[Person, ...], placed: list[PlacedOrder],
) -> tuple[tuple[Event, str], ...]:
    rng = _stream(seed, "events")
    log = EventLog(rng, mint, products, book)
    for person in population:
        log.sessions(person)
        log.email(person)
        if rng.random() < 0.08:
            log.chat(person)
        if person.social_handle and rng.random() < 0.5:
            log.social(person)
        if rng.random() < 0.03:
            log.call(person, moment(rng, rng.randint(person.first_day, SPAN_DAYS - 1), 0), None)
    for p in placed:
        log.order_completed(p)
        if (p.late or p.delivered_ms is None) and rng.random() < 0.3:
            log.call(p.person, p.shipped_ms + rng.randint(3, 7) * DAY_MS, p.order.order_id)
    return log.finish(seed)


def write(brand: DemoBrand, out_dir: Path) -> dict[str, Path]:
    """Write every file of ``brand`` into ``out_dir`` (created if missing); returns name → path."""
    return write_brand(brand, out_dir)
