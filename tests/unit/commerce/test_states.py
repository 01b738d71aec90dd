"""Order and return lifecycles: every move, allowed and refused, with its reason."""

from __future__ import annotations

import itertools

import pytest

from frontoffice.commerce.schemas import OrderStatus, ReturnStatus
from frontoffice.commerce.states import ORDER, ORDER_EDGES, RETURN, RETURN_EDGES, Machine

ORDER_PATH = ["pending", "confirmed", "partially_fulfilled", "fulfilled", "delivered", "closed"]
RETURN_PATH = ["requested", "authorised", "received", "inspected", "refunded", "closed"]


def _pairs(machine: Machine, states: list[str]) -> list[tuple[Machine, str, str]]:
    return [(machine, a, b) for a, b in itertools.product(states, states)]


ALL = (_pairs(ORDER, [s.value for s in OrderStatus])
       + _pairs(RETURN, [s.value for s in ReturnStatus]))


def test_every_status_has_a_row_in_its_machine() -> None:
    assert set(ORDER_EDGES) == {s.value for s in OrderStatus}
    assert set(RETURN_EDGES) == {s.value for s in ReturnStatus}


@pytest.mark.parametrize(("machine", "current", "new"), ALL,
                         ids=[f"{m.name}:{a}->{b}" for m, a, b in ALL])
def test_a_move_is_allowed_exactly_when_the_new_state_is_reachable(machine: Machine, current: str,
                                                                   new: str) -> None:
    refusal = machine.refusal(current, new)
    if current == new or new in machine.reachable(current):
        assert refusal is None
    else:
        assert refusal is not None and current in refusal and new in refusal


@pytest.mark.parametrize(("path", "machine"), [(ORDER_PATH, ORDER), (RETURN_PATH, RETURN)])
def test_each_direct_edge_of_the_happy_path_is_allowed(path: list[str], machine: Machine) -> None:
    for a, b in itertools.pairwise(path):
        assert b in machine.edges[a]
        assert machine.refusal(a, b) is None


def test_a_final_state_refuses_everything_else_and_says_it_is_final() -> None:
    assert "final state" in (ORDER.refusal("cancelled", "confirmed") or "")
    assert "final state" in (RETURN.refusal("closed", "requested") or "")


def test_going_back_names_the_states_it_could_move_to() -> None:
    reason = ORDER.refusal("fulfilled", "pending") or ""
    assert "delivered" in reason and "delivery_failed" in reason


def test_skipping_forward_is_allowed_because_webhooks_get_missed() -> None:
    assert ORDER.refusal("pending", "delivered") is None
    assert RETURN.refusal("requested", "refunded") is None


def test_a_return_can_be_cancelled_only_before_it_is_received() -> None:
    assert RETURN.refusal("authorised", "cancelled") is None
    assert RETURN.refusal("received", "cancelled") is not None


def test_the_machines_have_no_cycles_so_any_delivery_order_converges() -> None:
    for machine in (ORDER, RETURN):
        for state in machine.edges:
            assert state not in machine.reachable(state)
