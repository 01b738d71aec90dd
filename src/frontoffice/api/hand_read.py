"""A route that reads its own request: its body and its bearer token, with one thread hop.

FastAPI answers a route declared with a token dependency and a pydantic body by solving a tree of
dependencies, a workspace read in a thread of its own and the body's validation on the event loop:
about a millisecond of CPU a request, a sixth of a ``decide``. ``decide`` is called on every page
view, so it reads its request with these helpers instead, and answers every refused request as
FastAPI would have (``tests/integration/test_decide_requests.py``):

1. the body first: broken JSON is 422 before the token is looked at (FastAPI reads the body before
   it solves dependencies); a body that cannot be decoded is 400;
2. then the token (401), the workspace and the scope (403, 404): ``HandChecked.workspace``;
3. then the body's first error, named by its place (``body.n``): ``validated``.

The route's OpenAPI operation is declared with ``documented``: the same body schema (a component
reference) and security requirement the dependency form would have produced.
"""

from __future__ import annotations

import email.message
import json
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException

from frontoffice.api.access import SCHEME, authorised_workspace, container
from frontoffice.domain.tenancy import ApiToken, Scope, Workspace
from frontoffice.tenancy.tokens import TokenCache

M = TypeVar("M", bound=BaseModel)
MISSING: Any = object()  # no body at all
_BODIES: dict[str, type[BaseModel]] = {}  # the models hand-read bodies refer to, by component name


def documented(model: type[BaseModel], scope: Scope | None = None) -> dict[str, Any]:
    """``openapi_extra`` of a route that reads ``model`` (and checks a token holding ``scope``)
    itself: the request body as a component reference, and the security requirement."""
    _BODIES[model.__name__] = model
    extra: dict[str, Any] = {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}}
    if scope is not None:
        extra["security"] = [{SCHEME: [scope.value]}]
    return extra


def hand_read_bodies() -> list[type[BaseModel]]:
    """The models ``documented`` bodies refer to: the OpenAPI document adds them as components."""
    return list(_BODIES.values())


def _is_json(content_type: str) -> bool:
    if content_type == "application/json":
        return True
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json"))


async def json_body(request: Request) -> Any:
    """The body as FastAPI reads one for a pydantic model: parsed when the content type is JSON,
    the raw bytes under any other (or none), ``MISSING`` when empty."""
    raw = await request.body()
    if not raw:
        return MISSING
    content_type = request.headers.get("content-type")
    if not content_type or not _is_json(content_type):
        return raw
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass  # what orjson refuses the standard parser may read (NaN, big integers, UTF-16)
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise RequestValidationError([{"type": "json_invalid", "loc": ("body", exc.pos),
                                       "msg": "JSON decode error", "input": {},
                                       "ctx": {"error": exc.msg}}]) from exc
    except ValueError as exc:
        raise HTTPException(status_code=400, detail="There was an error parsing the body") from exc


def validated(model: type[M], body: Any) -> M:
    """``body`` (from ``json_body``) as ``model``; its errors located under ``body``."""
    if body is MISSING:
        raise RequestValidationError([{"type": "missing", "loc": ("body",),
                                       "msg": "Field required", "input": None}])
    try:
        return model.model_validate(body, from_attributes=True)  # as FastAPI validates a body
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])}
                                      for e in exc.errors()]) from exc


@dataclass(frozen=True, slots=True)
class HandChecked:
    """A request's bearer token, checked the way ``require(scope)`` checks it: a token the
    cache remembers is answered on the event loop (``of``), any other is looked up by
    ``workspace``, which runs in the route's thread with the workspace read."""

    request: Request
    tokens: TokenCache
    authorization: str | None
    remembered: ApiToken | None

    @classmethod
    def of(cls, request: Request) -> HandChecked:
        tokens = container(request).tokens
        authorization = request.headers.get("authorization")
        return cls(request, tokens, authorization, tokens.remembered(authorization))

    def workspace(self, scope: Scope, ws: str) -> Workspace:
        """The path's workspace if the token holds ``scope`` there (401, 403, 404 otherwise)."""
        token = self.remembered or self.tokens.authenticate(self.authorization)
        return authorised_workspace(container(self.request).store, token, scope, ws)
