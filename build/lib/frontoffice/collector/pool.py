"""The collector's ingest processes, seen from the API process.

Parsing, validating and appending events costs ~30 µs of Python per event; in one process that
work and the HTTP handling share one interpreter lock, which capped ingest at about one core.
With a pool the API process only reads the body, checks the write key and forwards the bytes;
each member (``collector/member.py``) does the rest and answers once the events are durable.
Requests go to the member with the fewest outstanding events. A member that dies fails its
in-flight requests with 503 (the clients retry; dedupe on messageId keeps them exactly once)
and is replaced.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import socket
import subprocess
import sys
from dataclasses import dataclass, field

import orjson

from frontoffice.collector.frames import REPLY, request_frame
from frontoffice.collector.pipeline import Incoming, Reply, refusal
from frontoffice.settings import Settings

log = logging.getLogger(__name__)
STOP_TIMEOUT_S = 30


@dataclass
class _Member:
    process: subprocess.Popen[bytes]
    sock: socket.socket
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    pending: dict[int, tuple[asyncio.Future[Reply], int]] = field(default_factory=dict)
    outstanding: int = 0
    alive: bool = True


class IngestPool:
    def __init__(self, settings: Settings, processes: int) -> None:
        self._settings = settings
        self._size = processes
        self._members: list[_Member] = []
        self._ids = itertools.count(1)
        self._connected: asyncio.Lock | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def size(self) -> int:
        return self._size

    def start(self) -> None:
        self._members = [self._spawn() for _ in range(self._size)]

    def _spawn(self) -> _Member:
        ours, theirs = socket.socketpair()
        args = [sys.executable, "-m", "frontoffice.collector.member", "--fd", str(theirs.fileno()),
                "--data-dir", str(self._settings.data_dir)]
        if self._settings.database_url:
            args += ["--database-url", self._settings.database_url]
        process = subprocess.Popen(args, pass_fds=[theirs.fileno()])
        theirs.close()
        return _Member(process, ours)

    async def _connect(self, member: _Member) -> None:
        member.reader, member.writer = await asyncio.open_connection(sock=member.sock)
        task = asyncio.get_running_loop().create_task(self._read_replies(member))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _ensure_connected(self) -> None:
        if self._connected is None:
            self._connected = asyncio.Lock()
        async with self._connected:
            for member in self._members:
                if member.writer is None:
                    await self._connect(member)

    async def _read_replies(self, member: _Member) -> None:
        assert member.reader is not None
        try:
            while True:
                prefix = await member.reader.readexactly(REPLY.size)
                length, request_id = REPLY.unpack(prefix)
                data = orjson.loads(await member.reader.readexactly(length - 8))
                waiting = member.pending.pop(request_id, None)
                if waiting is None:
                    continue
                future, size = waiting
                member.outstanding -= size
                if not future.done():
                    future.set_result(Reply(data["status"], data["body"], data["headers"]))
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        finally:
            await self._lost(member)

    async def _lost(self, member: _Member) -> None:
        if not member.alive:
            return
        member.alive = False
        failed = refusal(503, "storage_unavailable",
                         "An ingest process stopped while writing; retry (events are deduplicated).",
                         headers={"Retry-After": str(self._settings.retry_after_seconds)})
        for future, _ in member.pending.values():
            if not future.done():
                future.set_result(failed)
        member.pending.clear()
        if member.writer is not None:
            member.writer.close()
        if self._members and member in self._members:
            log.warning("ingest process %s stopped (exit %s); starting another",
                        member.process.pid, member.process.poll())
            # Connected by the next request, under the same lock as every connection.
            self._members[self._members.index(member)] = self._spawn()

    async def submit(self, incoming: Incoming, body: bytes) -> Reply:
        await self._ensure_connected()
        header = {"workspace": incoming.workspace_id, "source": incoming.source_id,
                  "type": incoming.forced_type, "gpc": incoming.gpc,
                  "received_at": incoming.received_at.isoformat(), "path": incoming.path}
        frame_size = max(1, len(body) // 256)
        for _ in range(2):  # a member found dead while sending: the request goes to another
            member = min((m for m in self._members if m.alive and m.writer is not None),
                         key=lambda m: m.outstanding, default=None)
            if member is None or member.writer is None:
                break
            request_id = next(self._ids)
            future: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
            member.pending[request_id] = (future, frame_size)
            member.outstanding += frame_size
            try:
                member.writer.write(request_frame(request_id, header, body))
                await member.writer.drain()
            except (ConnectionError, OSError):
                # The member is gone. If it stored the batch before dying, sending it again
                # only finds duplicates (dedupe on messageId), so another member can take it.
                member.pending.pop(request_id, None)
                member.outstanding -= frame_size
                await self._lost(member)
                continue
            return await future
        return refusal(503, "storage_unavailable", "No ingest process is running; retry.",
                       headers={"Retry-After": str(self._settings.retry_after_seconds)})

    def stop(self) -> None:
        """Close the sockets: each member commits what it accepted, answers and exits."""
        members, self._members = self._members, []
        for member in members:
            member.alive = False
            with contextlib.suppress(OSError):
                member.sock.shutdown(socket.SHUT_WR)
        for member in members:
            try:
                member.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                member.process.kill()
                member.process.wait()
            member.sock.close()
