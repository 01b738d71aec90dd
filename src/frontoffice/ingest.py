"""An ingest process of the collector's pool (``python -m frontoffice.ingest``, started by
``collector/pool.py``): the ingest role's parts from ``bootstrap``, serving the API process's
request frames (``collector/member.py``)."""

from __future__ import annotations

import argparse
import signal
import socket
import sys
from pathlib import Path

from frontoffice.bootstrap import Role, bootstrap
from frontoffice.collector.member import serve_member
from frontoffice.settings import Settings

SWITCH_INTERVAL_S = 0.001


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="An ingest process of frontoffice's collector.")
    parser.add_argument("--fd", type=int, required=True, help="inherited socket")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    # Ctrl-C reaches every process of the terminal's group: the pool stops its members (by
    # closing their socket, once they have answered what they accepted), not the signal.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The committer gives up the GIL in every SQLite call and then waits for it while the
    # request-parsing thread runs; that wait holds the pool's shared lock. A shorter switch
    # interval than the default 5 ms gives it back sooner.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    settings = Settings.load(overrides={"data_dir": args.data_dir, "database_url": args.database_url})
    serve_member(socket.socket(fileno=args.fd), bootstrap(settings, Role.INGEST))


if __name__ == "__main__":
    main()
