"""The suite's own machinery: tests marked with one `xdist_group` run on one test worker, so the
demo, the seeded console and the ingest bench are started once per group, not once per worker
(pytest 9.2 silently dropped the grouping: every worker started its own demo)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

GROUPED = '''
import os
import pytest

pytestmark = pytest.mark.xdist_group("shared")


def test_{name}_{n}():
    with open("ran.txt", "a") as ran:
        ran.write("{name}_{n} " + os.environ["PYTEST_XDIST_WORKER"] + "\\n")
'''


def test_tests_of_one_xdist_group_in_different_files_run_on_one_worker(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / f"test_{name}.py").write_text(
            "\n".join(GROUPED.format(name=name, n=n) for n in range(3)), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadgroup",
         "-q", str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    ran = (tmp_path / "ran.txt").read_text(encoding="utf-8").splitlines()
    assert len(ran) == 9, ran
    assert len({line.split()[1] for line in ran}) == 1, ran
