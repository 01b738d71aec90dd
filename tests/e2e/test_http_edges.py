"""The HTTP layer of the real server process, spoken to over raw sockets.

Bodies are limited before they are read and the admin API authenticates before it reads one, so
a huge body costs the server no memory; slow clients are timed out; one address cannot hold more
than its share of connections; and the errors the HTTP layer answers itself are JSON too.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from tests.e2e.conftest import Live, sqlite_url, start_live

pytestmark = pytest.mark.e2e

BIG = 52 * 1024 * 1024
SETTINGS = {"FRONTOFFICE_HEADER_TIMEOUT_SECONDS": "1", "FRONTOFFICE_BODY_TIMEOUT_SECONDS": "1",
            "FRONTOFFICE_MAX_CONNECTIONS_PER_CLIENT": "4"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    folder: Path = tmp_path_factory.mktemp("http-edges")
    started = start_live(sqlite_url(folder), folder, SETTINGS)
    yield started
    started.server.stop()


def peak_rss_bytes(pid: int) -> int:
    """The most memory the process has held at once (VmHWM: freed memory does not hide a peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmHWM for process {pid}")


def big_json() -> bytes:
    """A valid JSON body of 52 MB: parsed, it would take well over a gigabyte."""
    pad = b"[" + b"1," * (BIG // 2 - 64) + b"1]"
    return b'{"name": "big", "region": "EU", "pad": ' + pad + b"}"


def connect(live: Live, source: str = "127.0.0.1") -> socket.socket:
    sock = socket.socket()
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", live.server.port))
    sock.settimeout(10)
    return sock


def read_answer(sock: socket.socket) -> tuple[int, dict[str, str], dict[str, Any]]:
    """The status, headers and JSON body of the one response the server sends, then closes."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass  # the server closed with our unread bytes in its buffer: what it sent is read
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, orjson.loads(body)


def send_all(sock: socket.socket, data: bytes) -> None:
    """Send as much of ``data`` as the server takes; it may answer and close midway."""
    view = memoryview(data)
    try:
        while view:
            sent = sock.send(view[:1 << 20])
            view = view[sent:]
    except (BrokenPipeError, ConnectionResetError):
        pass


def post_head(path: str, *lines: str) -> bytes:
    return "\r\n".join([f"POST {path} HTTP/1.1", "Host: fo", *lines, "", ""]).encode()


# -- item 6: bodies limited before they are read, authentication before parsing -----------------

@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_52_mb_body_without_a_token_is_refused_at_once_and_costs_the_server_no_memory(
        server: Live, framing: str) -> None:
    body = big_json()
    if framing == "chunked":  # no declared length: the server must not read it to refuse it
        head = post_head("/api/v1/workspaces", "Content-Type: application/json",
                         "Transfer-Encoding: chunked")
        payload = head + b"".join(b"%x\r\n%s\r\n" % (len(part), part)
                                  for part in (body[i:i + (1 << 20)] for i in range(0, len(body), 1 << 20)))
        payload += b"0\r\n\r\n"
    else:
        head = post_head("/api/v1/workspaces", "Content-Type: application/json",
                         f"Content-Length: {len(body)}")
        payload = head + body
    before = peak_rss_bytes(server.server.proc.pid)  # type: ignore[union-attr]
    started = time.monotonic()
    with connect(server) as sock:
        send_all(sock, payload)
        status, headers, answer = read_answer(sock)
    took = time.monotonic() - started
    grown = peak_rss_bytes(server.server.proc.pid) - before  # type: ignore[union-attr]
    assert grown < 50 * 1024 * 1024, f"the server's peak memory grew by {grown / 1e6:.0f} MB"
    assert took < 5, f"answered after {took:.1f} s"
    assert status in (401, 413), answer
    assert answer["code"] in ("unauthorized", "payload_too_large") and answer["message"]
    assert headers["connection"] == "close"  # the rest of the upload is never read


def test_a_chunked_body_over_the_api_limit_is_refused_413_even_with_a_valid_token(server: Live) -> None:
    chunk = b"x" * 100_000
    head = post_head("/api/v1/workspaces", f"Authorization: Bearer {server.tenant.token}",
                     "Content-Type: application/json", "Transfer-Encoding: chunked")
    with connect(server) as sock:
        send_all(sock, head + b"%x\r\n%s\r\n" % (len(chunk), chunk) * 30)  # 3 MB > 1 MB
        status, _, answer = read_answer(sock)
    assert (status, answer["code"]) == (413, "payload_too_large"), answer


def test_three_concurrent_52_mb_bodies_do_not_stall_the_health_check(server: Live) -> None:
    body = big_json()
    payload = post_head("/api/v1/workspaces", "Content-Type: application/json",
                        f"Content-Length: {len(body)}") + body

    def flood() -> None:
        for _ in range(3):
            with connect(server) as sock:
                send_all(sock, payload)
                read_answer(sock)

    senders = [threading.Thread(target=flood) for _ in range(3)]
    for sender in senders:
        sender.start()
    slowest = 0.0
    while any(s.is_alive() for s in senders):
        started = time.monotonic()
        assert httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200
        slowest = max(slowest, time.monotonic() - started)
        time.sleep(0.05)
    for sender in senders:
        sender.join()
    assert slowest < 1.0, f"/healthz took {slowest:.2f} s"


# -- item 7: slow clients timed out, connections capped per address ------------------------------

def test_a_client_that_never_finishes_its_headers_is_answered_408_after_the_header_timeout(
        server: Live) -> None:
    with connect(server) as sock:
        started = time.monotonic()
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: fo\r\nX-Slow: ")
        status, _, answer = read_answer(sock)
    assert (status, answer["code"]) == (408, "request_timeout"), answer
    assert 0.9 < time.monotonic() - started < 4


def test_a_client_that_dribbles_its_body_is_answered_408_when_it_pauses_past_the_body_timeout(
        server: Live) -> None:
    with connect(server) as sock:
        started = time.monotonic()
        sock.sendall(post_head("/v1/batch", "Content-Type: application/json", "Content-Length: 1000"))
        for part in (b'{"ba', b'tch"'):  # a byte now and then, slower than the timeout allows
            sock.sendall(part)
            time.sleep(1.5)
        status, _, answer = read_answer(sock)
    assert (status, answer["code"]) == (408, "request_timeout"), answer
    assert time.monotonic() - started < 6


def test_one_address_cannot_hold_more_connections_than_its_cap_while_others_are_served(
        server: Live) -> None:
    held = [connect(server) for _ in range(4)]
    try:
        with connect(server) as one_too_many:
            status, _, answer = read_answer(one_too_many)
        assert (status, answer["code"]) == (429, "too_many_connections"), answer
        with connect(server, source="127.0.0.2") as other:  # another client address
            other.sendall(b"GET /healthz HTTP/1.1\r\nHost: fo\r\nConnection: close\r\n\r\n")
            status, _, answer = read_answer(other)
        assert (status, answer["status"]) == (200, "ok")
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.2)  # the server sees the closes
    with connect(server) as again:
        again.sendall(b"GET /healthz HTTP/1.1\r\nHost: fo\r\nConnection: close\r\n\r\n")
        assert read_answer(again)[0] == 200


# -- item 14: the errors of the HTTP layer itself are JSON ---------------------------------------

@pytest.mark.parametrize("request_bytes", [
    b"GARBAGE\r\n\r\n",
    b"GET /healthz HTTP/9\r\nHost: fo\r\n\r\n",
    post_head("/v1/batch", "Content-Length: ten") + b"{}",
    post_head("/v1/batch", "Content-Length: 2", "Content-Length: 3") + b"{}",
    post_head("/v1/batch", "Transfer-Encoding: chunked") + b"zz\r\n{}\r\n0\r\n\r\n",
], ids=["request-line", "http-version", "content-length-text", "content-length-twice", "bad-chunk"])
def test_a_request_that_is_not_valid_http_is_answered_400_in_json(server: Live,
                                                                  request_bytes: bytes) -> None:
    with connect(server) as sock:
        sock.sendall(request_bytes)
        status, headers, answer = read_answer(sock)
    assert status == 400
    assert headers["content-type"] == "application/json"
    assert answer["code"] == "invalid_http" and "HTTP/1.1" in answer["message"]
