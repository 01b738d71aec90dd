"""The worker's projections split between two processes (setting ``worker_own_process``): the
second runs the named ones, the first every other, a name no projection has is refused, and a
second worker the setting does not name would project its projections twice."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from frontoffice.errors import InvalidInput
from frontoffice.settings import Settings
from frontoffice.worker import chosen, names, run


@dataclass
class Named:
    name: str


EVERY = [Named("identity"), Named("consent"), Named("segments"), Named("insights")]


def test_the_two_workers_run_every_projection_once_and_in_order() -> None:
    apart = names(" segments , insights,")
    first = chosen(EVERY, (), apart)  # type: ignore[arg-type]
    second = chosen(EVERY, apart, ())  # type: ignore[arg-type]
    assert [p.name for p in first] == ["identity", "consent"]
    assert [p.name for p in second] == ["segments", "insights"]
    assert [p.name for p in chosen(EVERY, (), names(None))] == [p.name for p in EVERY]  # type: ignore[arg-type]


def test_a_projection_name_no_projection_has_is_refused_with_the_known_ones() -> None:
    with pytest.raises(InvalidInput, match=r"Unknown projection.*segmnts.*use any of: identity"):
        chosen(EVERY, names("segmnts"), ())  # type: ignore[arg-type]


def test_a_worker_of_its_own_refuses_to_start_unless_the_other_worker_leaves_its_projections_out(
        tmp_path: Path) -> None:
    stopped = threading.Event()
    stopped.set()  # a worker that starts stops at its first check
    with pytest.raises(InvalidInput, match="set worker_own_process"):
        run(Settings.load({}, overrides={"data_dir": tmp_path}), stopped, only=names("segments"))
