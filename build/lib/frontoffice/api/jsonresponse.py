"""A JSON response rendered with orjson (fast, and handles the bytes we already hold), and the
JSON error every route answers with."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response


class JsonResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None,
          **extra: Any) -> Response:
    return JsonResponse({"code": code, "message": message, **extra}, status_code=status,
                        headers=headers)
