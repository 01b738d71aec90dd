"""One real `frontoffice serve` on a seeded SQLite database and one headless Debian chromium for
the browser tests (no `playwright install`: the browser is the system's).

The browser lives for the module, not the session: Playwright's synchronous API keeps an event
loop running in the test thread while it is open, which would refuse every later test of the
same pytest worker that runs a loop of its own (the in-process API tests). The server (a process
of its own) lives for the session: the modules share one seeded brand, each acting on people of
its own. The browser tests carry one xdist group, so they run together on one worker."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from frontoffice.console.roles import Role
from tests.browser.seed import Seeded, seed
from tests.support.server import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "browser" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "docs" / "console"
CHROMIUM = "/usr/bin/chromium"
LOGIN_FAILURES = 3


@pytest.fixture(scope="session")
def seeded_server(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[tuple[ServerProcess, Seeded]]:
    folder = tmp_path_factory.mktemp("console")
    shutil.copyfile(sqlite_template, folder / "frontoffice.db")
    url = f"sqlite:///{folder / 'frontoffice.db'}"
    seeded = seed(url)
    server = ServerProcess(url, folder, env_extra={
        "FRONTOFFICE_CONSOLE_LOGIN_FAILURES": str(LOGIN_FAILURES)})
    server.start()
    try:
        yield server, seeded
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser, seeded_server: tuple[ServerProcess, Seeded]) -> Iterator[Page]:
    context = browser.new_context(base_url=seeded_server[0].url, locale="en-GB",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(5000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def sign_in(page: Page, seeded_server: tuple[ServerProcess, Seeded]) -> Callable[[Role], Page]:
    seeded = seeded_server[1]

    def as_role(role: Role) -> Page:
        page.goto("/console/login")
        page.fill("#login", seeded.login(role))
        page.fill("#password", seeded.password)
        page.click("button[type=submit]")
        page.wait_for_url("**/console/w/shop")
        return page

    return as_role


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))")
    return [v for v in found if v["impact"] in ("serious", "critical")]


def screenshot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
