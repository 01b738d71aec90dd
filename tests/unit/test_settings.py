"""Settings are declared once, validated at start, and documented from the declaration."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from frontoffice.errors import ConfigError
from frontoffice.settings import SETTINGS, Settings, settings_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_every_declared_setting_is_a_field_with_the_same_default() -> None:
    assert [s.name for s in SETTINGS] == [f.name for f in fields(Settings)]
    defaults = Settings()
    for s in SETTINGS:
        assert getattr(defaults, s.name) == s.default


def test_docs_list_every_setting_as_declared() -> None:
    assert (ROOT / "docs" / "settings.md").read_text(encoding="utf-8") == settings_markdown(), (
        "docs/settings.md is stale: run `frontoffice settings --markdown > docs/settings.md`")


def test_environment_overrides_file_and_defaults(tmp_path: Path) -> None:
    config = tmp_path / "fo.toml"
    config.write_text('port = 9001\nmax_event_bytes = 1000\n', encoding="utf-8")
    loaded = Settings.load({"FRONTOFFICE_CONFIG": str(config), "FRONTOFFICE_PORT": "9002",
                            "FRONTOFFICE_AUTO_UPGRADE": "no"})
    assert (loaded.port, loaded.max_event_bytes, loaded.auto_upgrade) == (9002, 1000, False)


def test_bad_values_name_the_setting() -> None:
    with pytest.raises(ConfigError, match="FRONTOFFICE_PORT"):
        Settings.load({"FRONTOFFICE_PORT": "eighty"})
    with pytest.raises(ConfigError, match="collector_prefix"):
        Settings.load({"FRONTOFFICE_COLLECTOR_PREFIX": "segment/"})
    with pytest.raises(ConfigError, match="cannot exceed"):
        Settings.load({"FRONTOFFICE_MAX_EVENT_BYTES": "900000"})
    with pytest.raises(ConfigError, match="identity_namesake_max_expected"):
        Settings.load({"FRONTOFFICE_IDENTITY_NAMESAKE_MAX_EXPECTED": "-1"})


def test_unknown_keys_in_the_file_are_refused(tmp_path: Path) -> None:
    config = tmp_path / "fo.toml"
    config.write_text('prot = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown settings \\['prot'\\]"):
        Settings.load({"FRONTOFFICE_CONFIG": str(config)})


def test_embedded_database_lives_in_the_data_dir(tmp_path: Path) -> None:
    loaded = Settings.load({}, overrides={"data_dir": tmp_path})
    assert loaded.resolved_database_url == f"sqlite:///{tmp_path.resolve() / 'frontoffice.db'}"
