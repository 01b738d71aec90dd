"""Reading a collector request body: size limits, gzip, UTF-8 and JSON, each with its reason."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator
from typing import Any

import orjson

from frontoffice.domain import jsontext


class BodyError(Exception):
    """A request refused as a whole; ``status`` and ``code`` go into the JSON error."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _too_large(limit: int) -> BodyError:
    return BodyError(413, "payload_too_large",
                     f"Request body is over the {limit}-byte limit; send smaller batches.")


async def read_limited(
    stream: AsyncIterator[bytes], content_length: str | None, limit: int
) -> bytes:
    if content_length is not None:
        try:
            declared = int(content_length)
        except ValueError:
            raise BodyError(400, "invalid_request", "Content-Length is not a number.") from None
        if declared > limit:
            raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in stream:
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def decompress(body: bytes, encoding: str | None, limit: int) -> bytes:
    encoding = (encoding or "identity").strip().lower()
    if encoding in {"identity", ""}:
        return body
    if encoding not in {"gzip", "x-gzip", "deflate"}:
        raise BodyError(415, "unsupported_encoding",
                        f"Content-Encoding {encoding!r} is not supported; use gzip or none.")
    wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    parts: list[bytes] = []
    size = 0
    rest = body
    while True:  # a gzip body may hold several members, one after another
        inflater = zlib.decompressobj(wbits)
        try:
            data = inflater.decompress(rest, limit + 1 - size)
        except zlib.error as exc:
            raise BodyError(400, "invalid_encoding",
                            f"Body is not valid {encoding} data ({exc}).") from None
        size += len(data)
        parts.append(data)
        if size > limit or inflater.unconsumed_tail:
            raise _too_large(limit)
        if not inflater.eof:
            raise BodyError(400, "invalid_encoding", f"{encoding} body is truncated.")
        rest = inflater.unused_data
        if not rest or "gzip" not in encoding:
            break
    if rest:
        raise BodyError(400, "invalid_encoding", f"Data follows the end of the {encoding} stream.")
    return b"".join(parts)


def parse_json(data: bytes) -> Any:
    if not data.strip():
        raise BodyError(400, "invalid_json", "Request body is empty; send a JSON object.")
    try:
        return jsontext.loads(data)
    except orjson.JSONDecodeError as exc:
        reason = str(exc)
        if "utf-8" in reason.lower() or "surrogate" in reason.lower():
            raise BodyError(400, "invalid_encoding",
                            f"Body is not valid UTF-8 ({reason}); encode JSON as UTF-8.") from None
        if "depth limit" in reason.lower() or "recursion" in reason.lower():
            raise BodyError(400, "too_deep", "JSON nests too deeply.") from None
        raise BodyError(400, "invalid_json", f"Body is not valid JSON: {reason}.") from None
