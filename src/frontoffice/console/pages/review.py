"""The identity review queue: pairs by match weight (filtered by a weight range, paginated),
one pair side by side with its weight broken down by field, accept or reject it, and a whole
weight range at once after a preview of what would change (identity's bulk review service)."""

from __future__ import annotations

import math

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from frontoffice.console.kit import PAGE_SIZE, ConsoleKit, Posted, Viewer, page_of
from frontoffice.domain.tenancy import Scope
from frontoffice.errors import InvalidInput, NotFound
from frontoffice.identity import review_bulk as bulk
from frontoffice.identity import review_service
from frontoffice.identity.review_breakdown import breakdown
from frontoffice.identity.review_store import ReviewSql


def _weight(text: str | None, default: float) -> float:
    if text is None or not text.strip():
        return default
    try:
        return float(text)
    except ValueError:
        raise InvalidInput(f"A match weight is a number (e.g. 12.5), not {text!r}.") from None


def _range(low: str | None, high: str | None) -> bulk.WeightRange:
    return bulk.WeightRange(_weight(low, -math.inf), _weight(high, math.inf))


def review_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/identity/review")
    admin, form = kit.viewer(Scope.IDENTITY_ADMIN), kit.posted(Scope.IDENTITY_ADMIN)
    hubs = kit.container.hubs.identity

    def by(viewer: Viewer) -> str:
        user = viewer.session.user
        return f"console user {user.login} ({user.user_id})"

    @router.get("", response_class=HTMLResponse)
    def queue(request: Request, min: str = "", max: str = "", viewer: Viewer = admin) -> HTMLResponse:
        page = page_of(request)
        total, items = bulk.by_weight(kit.data(viewer), viewer.workspace.id, weights=_range(min, max),
                                      offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
        return kit.render(request, viewer, "review_queue.html", items=items, total=total, page=page,
                          more=total > page * PAGE_SIZE, low=min, high=max)

    @router.get("/{review_id}", response_class=HTMLResponse)
    def item(request: Request, review_id: int, viewer: Viewer = admin) -> HTMLResponse:
        sql = ReviewSql(kit.data(viewer))
        found = sql.item(viewer.workspace.id, review_id)
        if found is None:
            raise NotFound(f"No review {review_id}; pick one from the review queue.")
        fields = breakdown(sql.state(viewer.workspace.id).model, found.explanation)
        keys = sorted({k for side in (found.side_a, found.side_b) for k in side}
                      - {"record_id", "person_id"})
        return kit.render(request, viewer, "review_item.html", item=found, fields=fields, keys=keys)

    @router.post("/bulk", response_class=HTMLResponse)
    def decide_range(request: Request, posted: Posted = form) -> HTMLResponse:
        viewer, ws = posted.viewer, posted.viewer.workspace.id
        accept = posted.form.get("action") == "accept"
        weights = _range(posted.form.get("min"), posted.form.get("max"))
        if not posted.confirmed:
            plan = bulk.preview(kit.data(viewer), ws, accept, weights)
            return kit.render(request, viewer, "review_confirm.html", plan=plan, fields=posted.form,
                              item=None)
        plan = bulk.decide_range(kit.data(viewer), hubs(ws), ws, accept, weights, by(viewer),
                                 posted.form.get("reason", ""))
        kit.audit(viewer, f"review.bulk_{plan.action}", f"[{weights.low:g}, {weights.high:g}): "
                  f"{plan.selected} pairs")
        return kit.render(request, viewer, "done.html", back=f"{kit.base(viewer)}/identity/review")

    @router.post("/{review_id}", response_class=HTMLResponse)
    def decide(request: Request, review_id: int, posted: Posted = form) -> HTMLResponse:
        viewer, ws = posted.viewer, posted.viewer.workspace.id
        accept = posted.form.get("action") == "accept"
        if not posted.confirmed:
            found = ReviewSql(kit.data(viewer)).item(ws, review_id)
            if found is None:
                raise NotFound(f"No review {review_id}; pick one from the review queue.")
            return kit.render(request, viewer, "review_confirm.html", item=found, accept=accept,
                              fields=posted.form, plan=None)
        review_service.decide(kit.data(viewer), hubs(ws), ws, review_id, accept, by(viewer),
                              posted.form.get("reason", ""))
        kit.audit(viewer, "review.accept" if accept else "review.reject", str(review_id))
        return kit.render(request, viewer, "done.html", back=f"{kit.base(viewer)}/identity/review")

    return router
