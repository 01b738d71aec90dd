"""Order and return (RMA) lifecycles as explicit state machines.

A webhook may be missed, so a later version may skip states it passed through (``pending`` to
``fulfilled``): a move is valid when the new state is reachable from the current one. Going
back, or leaving a final state, is rejected with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from frontoffice.commerce.schemas import OrderStatus as O
from frontoffice.commerce.schemas import ReturnStatus as R

ORDER_EDGES: Mapping[str, frozenset[str]] = {
    O.PENDING: frozenset({O.CONFIRMED, O.CANCELLED}),
    O.CONFIRMED: frozenset({O.PARTIALLY_FULFILLED, O.FULFILLED, O.CANCELLED}),
    O.PARTIALLY_FULFILLED: frozenset({O.FULFILLED}),
    O.FULFILLED: frozenset({O.DELIVERED, O.DELIVERY_FAILED}),
    O.DELIVERY_FAILED: frozenset({O.DELIVERED, O.CLOSED}),
    O.DELIVERED: frozenset({O.CLOSED}),
    O.CLOSED: frozenset(),
    O.CANCELLED: frozenset(),
}
RETURN_EDGES: Mapping[str, frozenset[str]] = {
    R.REQUESTED: frozenset({R.AUTHORISED, R.CANCELLED}),
    R.AUTHORISED: frozenset({R.RECEIVED, R.CANCELLED}),
    R.RECEIVED: frozenset({R.INSPECTED}),
    R.INSPECTED: frozenset({R.REFUNDED, R.REPLACED, R.EXCHANGED}),
    R.REFUNDED: frozenset({R.CLOSED}),
    R.REPLACED: frozenset({R.CLOSED}),
    R.EXCHANGED: frozenset({R.CLOSED}),
    R.CLOSED: frozenset(),
    R.CANCELLED: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Machine:
    name: str
    edges: Mapping[str, frozenset[str]]

    def reachable(self, state: str) -> frozenset[str]:
        seen: set[str] = set()
        todo = list(self.edges.get(state, ()))
        while todo:
            nxt = todo.pop()
            if nxt not in seen:
                seen.add(nxt)
                todo.extend(self.edges.get(nxt, ()))
        return frozenset(seen)

    def refusal(self, current: str, new: str) -> str | None:
        """None when ``current -> new`` may be applied, else the reason it may not."""
        if current == new or new in self.reachable(current):
            return None
        if not self.edges.get(current):
            return f"{self.name} is {current}, a final state: it cannot become {new}."
        allowed = ", ".join(sorted(self.edges[current]))
        return (f"{self.name} cannot go from {current} to {new}: from {current} it can only "
                f"move on to {allowed} (or a state after them).")


ORDER = Machine("order", ORDER_EDGES)
RETURN = Machine("return", RETURN_EDGES)
