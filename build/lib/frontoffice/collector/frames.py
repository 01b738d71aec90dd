"""The wire between the API process and its ingest processes: length-prefixed frames.

A request frame carries an id, a small JSON header (workspace, source, type, time...) and the
request body exactly as the client sent it (decompressed), so the API process never parses the
events; a reply frame carries the id and the JSON reply.
"""

from __future__ import annotations

import socket
import struct
from typing import Any

import orjson

REQUEST = struct.Struct(">IQI")  # length of the rest, request id, header length
REPLY = struct.Struct(">IQ")  # length of the rest, request id


def request_frame(request_id: int, header: dict[str, Any], body: bytes) -> bytes:
    head = orjson.dumps(header)
    return REQUEST.pack(8 + 4 + len(head) + len(body), request_id, len(head)) + head + body


def reply_frame(request_id: int, reply: dict[str, Any]) -> bytes:
    data = orjson.dumps(reply)
    return REPLY.pack(8 + len(data), request_id) + data


def _exactly(sock: socket.socket, size: int) -> bytes | None:
    view = bytearray(size)
    got = 0
    while got < size:
        n = sock.recv_into(memoryview(view)[got:], size - got)
        if n == 0:
            return None
        got += n
    return bytes(view)


def read_request(sock: socket.socket) -> tuple[int, dict[str, Any], bytes] | None:
    """The next request, or None when the API process closed its end (or is gone)."""
    prefix = _exactly(sock, REQUEST.size)
    if prefix is None:
        return None
    length, request_id, head_len = REQUEST.unpack(prefix)
    rest = _exactly(sock, length - 12)
    if rest is None:
        return None
    return request_id, orjson.loads(rest[:head_len]), rest[head_len:]
