"""The demo's name and message tables are package data files, and the brand they make is the
brand the Python literal tables made before them, byte for byte."""

from __future__ import annotations

import hashlib
import tomllib
from fnmatch import fnmatch
from pathlib import Path

from frontoffice.demo import generate, tables, write

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "frontoffice" / "demo" / "data"

# sha256 of every file of the brand `frontoffice demo generate --seed 3 --people 300` wrote
# while the tables were Python literals (demo/name_tables*.py, demo/message_templates*.py).
BEFORE = {
    "catalogue.json": "1b6069dae4ed00b32ec0b45bd970a05ba8f7c87b247bbf37351615cd551bf385",
    "events.ndjson": "d205ffad2f1f1b89d8bf2b9347704e00059d176b2d3fb660a6ea5430c7f5af1c",
    "ground_truth.csv": "e0c70028d27bfd2dfff2715d1d56086c37ac02bd9d6c5ca9e2e5a293fcb419be",
    "locations.json": "78dcfbfc595f2c6ccfa31c8869c93cd3c5ffb3e6a981a99c2d1ad265d3297d30",
    "marketplace.ndjson": "db69e7b0869e113a1bdd1d8d9ce915c6f712626fa0e166b68ac24a13b608e5b1",
    "messages.ndjson": "38778ec46f48c0672f2943b44709413750e647c761c66be8709fb897aeedb4cb",
    "orders.ndjson": "de27f8603d239c3dce9f44d75ebc2db0fc4f9b2b84325154c34584cf13c89b21",
    "pos.csv": "0f9d4794e6236cb35a28ec501d6a1240e916ceeeb6b44c3f0ec6a0fe16adb20f",
    "pos.mapping.yaml": "fc10f1c287b101609c03b94c6d45b80e655781b54ec9fe19fff99c6fbc467036",
    "prices.json": "68e1bdd8280e9800d0807806080e5f97c28d286ee05874c8004dacd50383c5e4",
    "returns.ndjson": "4d5cff82317001166d6759fef47810fc9d058b7e4bc2fd392a55857b6aa05295",
    "shipments.ndjson": "bdddf555545c5888772ebe906b546a49d3928199ae363136748dbfe24977d4b2",
    "stock.json": "4155c5233738f5c8db2854359ee588c7ed697decb9d29b619bb9d9dd3c30823c",
    "summary.json": "81bbde0016924cb67df70dd0ffaceade8fa37038a6053dd320eefd5ac5bf80d7",
}


def test_a_seeded_brand_is_byte_identical_to_the_one_the_python_literal_tables_made(
        tmp_path: Path) -> None:
    paths = write(generate(3, 300), tmp_path)
    written = {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in paths.items()}
    assert written == BEFORE


def test_every_demo_data_file_is_package_data_of_the_wheel() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["frontoffice"]
    shipped = sorted(p.relative_to(ROOT / "src" / "frontoffice").as_posix() for p in DATA.iterdir())
    assert shipped == ["demo/data/messages.json", "demo/data/names.json"]
    assert all(any(fnmatch(path, glob) for glob in globs) for path in shipped), (shipped, globs)


def test_the_tables_are_read_from_the_installed_package_data() -> None:
    assert tables.name_table("KR_FAMILY")[0].startswith("김:")
    assert set(tables.message_tables().templates) == {"en", "de", "ru", "ja", "ko", "zh"}
