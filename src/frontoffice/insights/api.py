"""The insights API under ``/api/v1/workspaces/{ws}/insights``: the flags (with their evidence),
acknowledge and snooze, a run of the detector, and a metric's daily (or hourly) series for one
slice."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from frontoffice.api.access import require
from frontoffice.api.schemas import error_responses
from frontoffice.bootstrap import Container
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Scope, Workspace
from frontoffice.errors import InvalidInput
from frontoffice.insights import service
from frontoffice.insights.wiring import hub

Reader = Annotated[Workspace, require(Scope.EVENTS_READ)]
Writer = Annotated[Workspace, require(Scope.EVENTS_WRITE)]
STATUSES = ("open", "acknowledged", "snoozed")


class SnoozeIn(BaseModel):
    hours: float = Field(gt=0, le=2160, description="How long the flag stays put aside.")
    by: str = Field("api", max_length=200)


class AckIn(BaseModel):
    by: str = Field("api", max_length=200)


class RunIn(BaseModel):
    as_of: str | None = Field(
        None,
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="Detect as of the end of this day (default: the last day with data).",
    )


def insights_router(c: Container) -> APIRouter:
    stores = c.per_store(lambda store: hub(store, c.settings))

    router = APIRouter(
        prefix="/api/v1/workspaces/{ws}/insights",
        tags=["insights"],
        responses=error_responses(
            {
                400: "Invalid body or query.",
                401: "Missing or unknown API token.",
                403: "The token lacks the scope or belongs to another workspace.",
                404: "No such flag.",
            }
        ),
    )

    @router.get("/flags")
    def list_flags(workspace: Reader, status: Annotated[list[str] | None, Query()] = None) -> dict[str, Any]:
        """The flags, newest first (default: every status), each without its evidence list."""
        wanted = [s for s in (status or []) if s in STATUSES]
        found = stores(workspace.id).flags(workspace.id, wanted)
        return {
            "flags": [
                {k: v for k, v in f.items() if k != "evidence"} | {"evidence_count": len(f["evidence"])}
                for f in found
            ]
        }

    @router.get("/flags/{flag_id}")
    def get_flag(workspace: Reader, flag_id: str) -> dict[str, Any]:
        """One flag: what moved, by how much, since when, against what, its p- and q-values and
        the evidence (the orders, returns, tickets, shipments and listings behind it)."""
        return service.flag(stores(workspace.id), workspace.id, flag_id)

    @router.post("/flags/{flag_id}/acknowledge")
    async def acknowledge(workspace: Writer, flag_id: str, body: AckIn) -> dict[str, Any]:
        return await run_in_threadpool(
            service.acknowledge, stores(workspace.id), workspace.id, flag_id, body.by, now()
        )

    @router.post("/flags/{flag_id}/snooze")
    async def snooze(workspace: Writer, flag_id: str, body: SnoozeIn) -> dict[str, Any]:
        return await run_in_threadpool(
            service.snooze, stores(workspace.id), workspace.id, flag_id, body.hours, body.by, now()
        )

    @router.post("/runs")
    async def run(workspace: Writer, body: RunIn) -> dict[str, Any]:
        """Bring the rollups up to date and run the detector; new findings become flags."""
        ins = stores(workspace.id)
        done = await run_in_threadpool(
            service.run, ins, workspace.id, now(), body.as_of, None, ins.decisions, ins.tasks
        )
        return {"as_of": done.as_of, "findings": done.findings, "raised": done.raised}

    @router.get("/series")
    def series(
        workspace: Reader,
        metric: str,
        dimension: str = "all",
        slice: str = "all",
        end: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
        days: Annotated[int, Query(ge=1, le=400)] = 35,
    ) -> dict[str, Any]:
        """A metric's or a rate's daily series for one slice (``return_rate:damaged``, ``supplier``,
        ``S1``)."""
        return {
            "metric": metric,
            "dimension": dimension,
            "slice": slice,
            "series": service.daily(stores(workspace.id), workspace.id, metric, dimension, slice,
                                    None if end is None else _calendar(end), days),
        }

    @router.get("/series/hourly")
    def series_hourly(
        workspace: Reader,
        metric: str,
        end: Annotated[str, Query(pattern=r"^\d{4}-\d{2}-\d{2}(T\d{2})?$")],
        dimension: str = "all",
        slice: str = "all",
        hours: Annotated[int, Query(ge=1, le=840)] = 168,
    ) -> dict[str, Any]:
        """A rate's (or a metric's) series by UTC hour up to ``end`` (a day: its last hour), for
        the metrics where the hour matters: ``sla_miss_rate``, ``late_delivery_rate``,
        ``failed_delivery_rate`` and what they count."""
        return {
            "metric": metric,
            "dimension": dimension,
            "slice": slice,
            "series": service.hourly(
                stores(workspace.id), workspace.id, metric, dimension, slice, _calendar(end), hours
            ),
        }

    return router


def _calendar(end: str) -> str:
    """``end`` as given when it is a real day (``2026-02-28``) or hour (``2026-02-28T23``): the
    pattern alone lets ``2026-02-30`` through."""
    try:
        datetime.strptime(end, "%Y-%m-%dT%H" if "T" in end else "%Y-%m-%d")
    except ValueError:
        raise InvalidInput(f"end={end} is not a calendar day (YYYY-MM-DD) or hour "
                           "(YYYY-MM-DDTHH, 00-23).") from None
    return end
