"""`make demo` installs the runtime only; `make test` the dev tools and Debian's PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def planned(target: str) -> str:
    """What `make TARGET` would run from scratch (dry run, every target out of date)."""
    outer = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    done = subprocess.run(["make", "-n", "-B", "--no-print-directory", target], cwd=ROOT, env=outer,
                          capture_output=True, text=True, check=True)
    return done.stdout


def test_make_demo_installs_the_runtime_without_the_dev_tools() -> None:
    plan = planned("demo")
    assert "scripts/install_python .venv -e .\n" in plan
    assert "[dev]" not in plan and "system_deps" not in plan
    assert plan.strip().endswith("frontoffice demo run")


def test_make_test_installs_the_dev_tools_and_debian_postgresql_first() -> None:
    plan = planned("test").splitlines()
    dev = next(i for i, line in enumerate(plan) if "-e '.[dev]'" in line)
    deps = plan.index("scripts/system_deps postgresql")
    assert dev < plan.index("scripts/run_tests") and deps < plan.index("scripts/run_tests")


def test_ci_runs_make_test() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_system_deps_installs_nothing_when_postgresql_is_there() -> None:
    assert list(Path("/usr/lib/postgresql").glob("*/bin/initdb")), "the tests need PostgreSQL"
    done = subprocess.run([ROOT / "scripts" / "system_deps", "postgresql"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""


def test_system_deps_says_what_to_run_when_it_cannot_install() -> None:
    as_user = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 and shutil.which("runuser") else []
    done = subprocess.run([*as_user, str(ROOT / "scripts" / "system_deps"), "frontoffice-no-such-package"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "apt-get update && apt-get install -y frontoffice-no-such-package" in done.stderr


def test_make_test_installs_the_reference_consent_libraries_from_their_lock_file_first() -> None:
    plan = planned("test").splitlines()
    npm = next(i for i, line in enumerate(plan) if line.startswith("npm ci --prefix tests/node"))
    assert npm < plan.index("scripts/run_tests")
