"""The stock rule of a hold: it takes no more than its location has available.

available = on hand - committed - active holds; a location with no stock position has none. The
store reads the numbers under a lock and asks this rule before it writes the hold, so two holds
never promise the same unit.
"""

from __future__ import annotations

from frontoffice.errors import InvalidInput


class InsufficientStock(InvalidInput):
    code = "insufficient_stock"


def admit_hold(sku: str, location_id: str, qty: int, position: tuple[int, int] | None,
               held: int) -> int:
    """What stays available after holding ``qty``; ``position`` is (on hand, committed) at the
    location, None when it has no position; ``held`` counts its active holds."""
    available = 0 if position is None else position[0] - position[1] - held
    if qty > available:
        raise InsufficientStock(
            f"Only {max(available, 0)} of {sku} available at {location_id}; "
            f"cannot hold {qty}. Ask /availability for other locations.")
    return available - qty
