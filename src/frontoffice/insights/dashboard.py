"""A dashboard per role: which flags and trends a category manager, a service lead, a store
manager or a marketer looks at first, and the use case gathering them (the board's flags, the
workspace's headline trends with every flag's start marked, and each open flag's own trend)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from frontoffice.insights import service
from frontoffice.insights.ports import Insights

CHARTED = 3  # the open flags drawn with their own trend, the surest first


@dataclass(frozen=True, slots=True)
class Board:
    name: str
    title: str
    metrics: tuple[str, ...]  # a flag belongs when its metric is one of these or a kind of one
    headlines: tuple[str, ...]  # the workspace-wide rates drawn on top
    dimensions: tuple[str, ...] = ()  # only flags sliced by these (all when empty)

    def shows(self, flag: dict[str, Any]) -> bool:
        metric = str(flag["metric"])
        return any(metric == m or metric.startswith(m + ":") for m in self.metrics) and (
            not self.dimensions or flag["dimension"] in self.dimensions
        )


BOARDS = (
    Board(  # the category manager's: return reasons are kinds of return_rate (return_rate:damaged)
        "category",
        "Products, suppliers and prices",
        ("return_rate", "ticket_rate", "supplier_return_rate", "price_conflict"),
        ("return_rate", "price_conflicts"),
        ("all", "product", "supplier", "category", "product_supplier"),
    ),
    Board(
        "service",
        "Service: agents, teams and channels",
        ("sla_miss_rate", "sla_breach_rate", "low_csat_rate"),
        ("sla_miss_rate", "low_csat_rate"),
    ),
    Board(
        "stores",
        "Stores and deliveries",
        ("late_delivery_rate", "failed_delivery_rate", "return_rate"),
        ("late_delivery_rate",),
        ("all", "store", "region", "mode", "carrier"),
    ),
    Board(
        "marketing",
        "Channels and prices",
        ("price_conflict", "return_rate", "nba_acceptance_rate"),
        ("price_conflicts", "nba_acceptance_rate"),
        ("all", "channel", "product", "category", "action"),
    ),
)
ROLE_BOARD = {
    "admin": "category",
    "category_manager": "category",
    "lead": "service",
    "agent": "service",
    "marketer": "marketing",
}


def board_of(name: str | None, role: str) -> Board:
    """The board asked for by name, else the role's own (the first for a role with none)."""
    chosen = name or ROLE_BOARD.get(role, BOARDS[0].name)
    return next((b for b in BOARDS if b.name == chosen), BOARDS[0])


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    series: list[dict[str, Any]]
    since: str | None
    window: str | None
    marked: tuple[str, ...]
    flag: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class View:
    board: Board
    flags: list[dict[str, Any]]
    charts: list[Chart]


def _drawable(flag: dict[str, Any]) -> bool:
    return flag["dimension"] != "product_supplier" and not flag["metric"].startswith("supplier_")


def series_of(ins: Insights, ws: str, flag: dict[str, Any], span: int) -> list[dict[str, Any]]:
    """A flag's slice drawn day by day (a price conflict's counts, any other rate's rate)."""
    metric = flag["metric"].replace("price_conflict", "price_conflicts")
    return service.daily(ins, ws, metric, flag["dimension"], flag["slice"], flag["as_of"], span)


def view(ins: Insights, ws: str, board: Board, span: int, statuses: Sequence[str] = ()) -> View:
    flags = [f for f in ins.flags(ws, statuses) if board.shows(f)]
    end = ins.last_day(ws)
    charts = []
    for metric in board.headlines:
        marked = tuple(
            f["since"]
            for f in flags
            if f["since"] and f["metric"].replace("price_conflict", "price_conflicts") == metric
        )
        points = service.daily(ins, ws, metric, "all", "all", end, span)
        charts.append(Chart(metric, points, None, None, marked, None))
    open_ = [f for f in flags if f["status"] == "open" and _drawable(f)]
    surest = sorted(open_, key=lambda f: min(c["q_value"] or 0.0 for c in f["comparisons"]))
    for f in surest[:CHARTED]:
        window = f["comparisons"][0].get("window", [None])[0]
        title = f"{f['metric']} · {service.place(f['dimension'], f['slice'])}"
        charts.append(Chart(title, series_of(ins, ws, f, span), f["since"], window, (), f))
    return View(board, flags, charts)
