"""The trend drawn on the server: from the first day with data, the flag's start marked."""

from __future__ import annotations

from frontoffice.insights.trend import draw


def point(day: int, value: float, exposure: float | None) -> dict[str, object]:
    rate = value / exposure if exposure else None
    return {"day": f"2026-09-{day:02d}", "value": value, "exposure": exposure, "rate": rate}


def test_a_trend_starts_at_its_first_day_with_data_and_marks_each_flags_start() -> None:
    series = [point(1, 0, 0), point(2, 0, 0), point(3, 1, 10), point(4, 5, 10), point(5, 6, 10)]
    drawn = draw(series, "2026-09-04", "2026-09-04", marked=("2026-09-04", "2026-09-05", "2026-08-01"))
    assert drawn.first == "2026-09-03" and drawn.last == "2026-09-05"
    assert len(drawn.points.split()) == 3 and drawn.top == 0.6
    assert drawn.marker_x == drawn.window_x == drawn.marks[0] and len(drawn.marks) == 2  # August: not drawn


def test_a_rate_is_drawn_only_where_it_has_something_to_count() -> None:
    drawn = draw([point(1, 1, 10), point(2, 0, 0), point(3, 0, 10)], None, None)
    assert [p.split(",")[0] for p in drawn.points.split()] == ["24.0", "616.0"]  # the 2nd: a gap
    empty = draw([point(d, 0, 0) for d in range(1, 6)], None, None)
    assert (empty.first, empty.last, empty.points, empty.marks) == ("2026-09-01", "2026-09-05", "", ())
