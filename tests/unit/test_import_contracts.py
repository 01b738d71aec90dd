"""The import contracts of pyproject.toml ([tool.importlinter]) hold, and break on a bad import.

Each breaking case copies the package to a temporary tree, adds one import where the layers
forbid it, and runs the real ``lint-imports`` on the copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
ACYCLIC = "No import cycles between frontoffice's packages"
PURE = "The domain, consent and identity's rules import no storage"
API_ON_TOP = "Only the composition root (bootstrap) and the CLI import the HTTP API"
STORAGE_BELOW = "Storage imports no use case, capability service or entry point"


def lint_imports(src: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src), "COLUMNS": "400"}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
                          cwd=src.parent, env=env, capture_output=True, text=True, timeout=120,
                          check=False)


def broken(result: subprocess.CompletedProcess[str]) -> set[str]:
    """The names of the contracts the run reports broken."""
    names = {ACYCLIC, PURE, API_ON_TOP, STORAGE_BELOW}
    return {n for n in names for line in result.stdout.splitlines()
            if line.startswith(n) and " BROKEN" in line}


def copy_with(tmp_path: Path, module: str, line: str) -> Path:
    """A copy of the package with ``line`` added at the end of ``module`` (a path under it)."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "frontoffice", src / "frontoffice",
                    ignore=shutil.ignore_patterns("__pycache__"))
    target = src / "frontoffice" / module
    target.write_text(target.read_text() + f"\n{line}\n")
    return src


def test_the_import_contracts_hold() -> None:
    result = lint_imports(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert broken(result) == set()


def test_a_storage_import_in_the_domain_breaks_the_pure_domain_contract(tmp_path: Path) -> None:
    src = copy_with(tmp_path, "domain/tenancy.py", "from frontoffice.storage import sql  # noqa")
    result = lint_imports(src)
    assert result.returncode != 0
    assert PURE in broken(result)


def test_a_database_driver_in_consent_breaks_the_pure_domain_contract(tmp_path: Path) -> None:
    src = copy_with(tmp_path, "consent/policy.py", "import sqlite3  # noqa")
    result = lint_imports(src)
    assert result.returncode != 0
    assert broken(result) == {PURE}


def test_a_consent_rule_reading_through_consents_own_store_breaks_the_pure_domain_contract(
        tmp_path: Path) -> None:
    # consent's stores sit in its package beside the rules; the rules still may not use them.
    src = copy_with(tmp_path, "consent/merge.py", "from frontoffice.consent import store  # noqa")
    result = lint_imports(src)
    assert result.returncode != 0
    assert PURE in broken(result)


def test_an_import_back_from_outbound_into_bulk_breaks_the_acyclic_contract(tmp_path: Path) -> None:
    # bulk's exporter asks outbound's gate: the gate importing the exporter closes a cycle.
    src = copy_with(tmp_path, "outbound/gate.py", "from frontoffice.bulk import exporter  # noqa")
    result = lint_imports(src)
    assert result.returncode != 0
    assert broken(result) == {ACYCLIC}
    assert ".outbound -> .bulk" in result.stdout or ".bulk -> .outbound" in result.stdout


def test_a_capability_importing_the_http_api_breaks_the_contracts(tmp_path: Path) -> None:
    src = copy_with(tmp_path, "vault/keystore.py", "from frontoffice.api import jsonresponse  # noqa")
    result = lint_imports(src)
    assert result.returncode != 0
    assert API_ON_TOP in broken(result)


def test_storage_importing_a_use_case_breaks_the_storage_contract(tmp_path: Path) -> None:
    src = copy_with(tmp_path, "storage/private_files.py",
                    "from frontoffice.tenancy import service as tenancy  # noqa")
    result = lint_imports(src)
    assert result.returncode != 0
    assert STORAGE_BELOW in broken(result)
