"""`make test` installs what the console's browser tests drive: Debian's chromium and CJK fonts,
and the pinned npm packages (axe-core, htmx)."""

from __future__ import annotations

from tests.unit.test_makefile import planned


def test_make_test_installs_chromium_the_cjk_fonts_and_the_browser_packages_before_the_tests() -> None:
    plan = planned("test").splitlines()
    run = plan.index("scripts/run_tests")
    assert plan.index("scripts/system_deps chromium fonts-noto-cjk") < run
    npm = next(i for i, line in enumerate(plan) if line.startswith("npm ci --prefix tests/browser/node"))
    assert npm < run
