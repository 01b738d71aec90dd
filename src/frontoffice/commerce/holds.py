"""The stock rule: what a location can still promise, and what a hold may take.

available = on hand - committed - active holds, never below zero; a location with no stock
position has none. ``service.place_hold`` reads the position (locked) and the active holds in one
transaction and asks ``admit_hold`` before it writes the hold, so two holds never promise the
same unit.
"""

from __future__ import annotations

from frontoffice.commerce.ports import Position
from frontoffice.errors import InvalidInput


class InsufficientStock(InvalidInput):
    code = "insufficient_stock"


def available(position: Position | None, held: int) -> int:
    """What the location can still promise (negative when it is oversold)."""
    return 0 if position is None else position.on_hand - position.committed - held


def admit_hold(sku: str, location_id: str, qty: int, position: Position | None, held: int) -> int:
    """What stays available after holding ``qty``; ``position`` is the location's stock (None
    when it has none), ``held`` counts its active holds. Refuses with ``InsufficientStock``."""
    left = available(position, held)
    if qty > left:
        raise InsufficientStock(
            f"Only {max(left, 0)} of {sku} available at {location_id}; "
            f"cannot hold {qty}. Ask /availability for other locations.")
    return left - qty
