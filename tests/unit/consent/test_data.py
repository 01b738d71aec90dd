"""Purposes and packs are data; a bad data file fails loudly with what is wrong."""

from __future__ import annotations

from typing import Any

import pytest

from frontoffice.consent import ConsentDataError, load_catalogue, load_packs
from frontoffice.consent.packs import parse_pack
from frontoffice.consent.purposes import parse_catalogue, read_data


def raw_pack(region: str = "EU") -> dict[str, Any]:
    data: dict[str, Any] = read_data(f"regions/{region}.yaml")
    return data


def test_every_pack_names_its_law_and_every_rule_its_basis() -> None:
    for pack in load_packs().values():
        assert pack.law and pack.dsr.deadline_days > 0 and pack.retention.max_inactive_days > 0
        assert all(rule.basis for rule in pack.rules.values())


def test_every_purpose_declares_legal_bases_and_channels() -> None:
    for purpose in load_catalogue().purposes.values():
        assert purpose.legal_bases and purpose.channels


def test_a_pack_missing_a_purpose_is_refused() -> None:
    raw = raw_pack()
    del raw["purposes"]["profiling"]
    with pytest.raises(ConsentDataError, match=r"missing \['profiling'\]"):
        parse_pack(raw)


def test_an_unknown_mode_is_refused() -> None:
    raw = raw_pack()
    raw["purposes"]["analytics"]["mode"] = "maybe"
    with pytest.raises(ConsentDataError, match="mode must be one of"):
        parse_pack(raw)


def test_a_missing_required_field_says_which() -> None:
    raw = raw_pack()
    del raw["dsr"]["deadline_days"]
    with pytest.raises(ConsentDataError, match="missing 'deadline_days', and has no default"):
        parse_pack(raw)


def test_a_purpose_on_an_undeclared_channel_is_refused() -> None:
    raw: dict[str, Any] = read_data("purposes.yaml")
    raw["purposes"]["analytics"]["channels"] = ["carrier_pigeon"]
    with pytest.raises(ConsentDataError, match="unknown channels"):
        parse_catalogue(raw)


def test_a_missing_data_file_says_to_reinstall() -> None:
    with pytest.raises(ConsentDataError, match="missing from the package"):
        read_data("regions/XX.yaml")
