"""Runs IAB's reference libraries (tests/node, installed by `npm ci --prefix tests/node`) under node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

NODE_DIR = Path(__file__).resolve().parents[2] / "node"
INSTALL = "npm ci --prefix tests/node"


def reference_lines(script: str, *args: object) -> list[dict[str, Any]]:
    """One JSON object per line printed by `node tests/node/<script> args…`; fails (never skips) when
    node or the pinned packages are missing, naming the command that installs them."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node is not on PATH: the differential consent tests need node ≥ 20, then `{INSTALL}`")
    for package in ("@iabtechlabtcf/core", "@iabgpp/cmpapi"):
        if not (NODE_DIR / "node_modules" / package / "package.json").is_file():
            pytest.fail(f"{package} is missing from {NODE_DIR / 'node_modules'}: run `{INSTALL}` first")
    done = subprocess.run([node, str(NODE_DIR / script), *map(str, args)], cwd=NODE_DIR,
                          capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        pytest.fail(f"node {script} failed ({done.returncode}): {done.stderr[-2000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line]
