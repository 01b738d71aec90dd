"""Commerce's stock rule for holds, without a database."""

from __future__ import annotations

import pytest

from frontoffice.commerce.holds import InsufficientStock, admit_hold
from frontoffice.commerce.ports import Position


def stock(on_hand: int, committed: int) -> Position:
    return Position("D-M", "ST", on_hand, committed, 0, 1)


def test_a_hold_takes_what_is_on_hand_less_committed_and_already_held() -> None:
    assert admit_hold("D-M", "ST", 3, stock(10, 4), 2) == 1
    assert admit_hold("D-M", "ST", 4, stock(10, 4), 2) == 0


def test_a_hold_beyond_availability_is_refused_and_says_how_many_are_left() -> None:
    with pytest.raises(InsufficientStock, match=r"Only 4 of D-M available at ST; cannot hold 5"):
        admit_hold("D-M", "ST", 5, stock(10, 4), 2)


def test_a_location_without_a_stock_position_has_nothing_to_hold() -> None:
    with pytest.raises(InsufficientStock, match="Only 0 of D-M available at WH"):
        admit_hold("D-M", "WH", 1, None, 0)


def test_oversold_stock_is_reported_as_none_available_not_a_negative_count() -> None:
    with pytest.raises(InsufficientStock, match="Only 0 of"):
        admit_hold("D-M", "ST", 1, stock(2, 3), 0)
