"""The demo brand is a client of frontoffice (pyproject's "demo-is-a-client" contract): an
import of a store, a service or the API from the demo breaks `lint-imports`."""

from __future__ import annotations

from pathlib import Path

from tests.unit.test_import_contracts import copy_with, lint_imports

DEMO_IS_A_CLIENT = "The demo brand is a client: it reaches frontoffice through the HTTP API and the"


def _broken(stdout: str) -> bool:
    text = " ".join(stdout.split())  # lint-imports wraps long contract names
    return f"{' '.join(DEMO_IS_A_CLIENT.split())} CLI only BROKEN" in text


def test_the_demo_keeps_to_the_http_api_and_the_cli() -> None:
    result = lint_imports(Path(__file__).resolve().parents[2] / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not _broken(result.stdout)


def test_a_store_import_in_the_demo_breaks_the_client_contract(tmp_path: Path) -> None:
    src = copy_with(tmp_path, "demo/consent_showcase.py", "from frontoffice.storage import sql  # noqa")
    result = lint_imports(src)
    assert result.returncode != 0
    assert _broken(result.stdout), result.stdout


def test_a_service_import_in_the_demo_breaks_the_client_contract(tmp_path: Path) -> None:
    src = copy_with(tmp_path, "demo/tenant.py", "from frontoffice.tenancy import service as tenancy  # noqa")
    result = lint_imports(src)
    assert result.returncode != 0
    assert _broken(result.stdout), result.stdout
