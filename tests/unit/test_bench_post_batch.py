"""The benchmarks' collector client (bench/ingest.py ``post_batch``) against a server that closes
an idle keep-alive connection, as uvicorn does after 5 s: a sender posting more rarely than that
(bench/segments_latency.py at 150 events/s) sends its next request on a new connection."""

from __future__ import annotations

import asyncio

from bench.ingest import Link, post_batch

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"


async def _closing_after_each_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answer one request, then close the connection (the idle timeout, come at once)."""
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    writer.write(ANSWER)
    await writer.drain()
    writer.close()


def test_a_request_on_a_connection_the_server_closed_while_idle_is_sent_again_on_a_new_one() -> None:
    async def run() -> dict[int, int]:
        server = await asyncio.start_server(_closing_after_each_answer, "127.0.0.1", 0)
        link, statuses = Link(server.sockets[0].getsockname()[1]), {}
        try:
            for _ in range(3):
                await post_batch(link, "a2V5Og==", b'{"batch": []}', statuses)
                await asyncio.sleep(0.01)  # the server's close reaches the client
        finally:
            link.close()
            server.close()
            await server.wait_closed()
        return statuses

    assert asyncio.run(run()) == {200: 3}
