"""Processing purposes, declared as data in `data/purposes.yaml`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from frontoffice.consent.errors import ConsentDataError

ANY_CHANNEL = "*"


@dataclass(frozen=True, slots=True)
class Purpose:
    id: str
    title: str
    description: str
    legal_bases: tuple[str, ...]
    channels: frozenset[str]

    def covers(self, channel: str) -> bool:
        return ANY_CHANNEL in self.channels or channel in self.channels


@dataclass(frozen=True, slots=True)
class Catalogue:
    purposes: dict[str, Purpose]
    channels: frozenset[str]


def read_data(name: str) -> Any:
    """Parse one packaged YAML file under `frontoffice/consent/data/`."""
    ref = resources.files("frontoffice.consent").joinpath("data")
    for part in name.split("/"):
        ref = ref.joinpath(part)
    try:
        text = ref.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConsentDataError(f"Consent data file '{name}' is missing from the package; reinstall.") from exc
    return yaml.safe_load(text)


def parse_catalogue(raw: Any) -> Catalogue:
    if not isinstance(raw, dict) or not isinstance(raw.get("purposes"), dict):
        raise ConsentDataError("purposes.yaml must have a 'purposes' mapping.")
    channels = frozenset(str(c) for c in raw.get("channels", []))
    purposes: dict[str, Purpose] = {}
    for pid, spec in raw["purposes"].items():
        if not isinstance(spec, dict):
            raise ConsentDataError(f"Purpose '{pid}' must be a mapping.")
        for key in ("title", "description", "legal_bases", "channels"):
            if key not in spec:
                raise ConsentDataError(f"Purpose '{pid}' is missing '{key}', and has no default.")
        chans = frozenset(str(c) for c in spec["channels"])
        unknown = chans - channels - {ANY_CHANNEL}
        if unknown:
            raise ConsentDataError(f"Purpose '{pid}' names unknown channels {sorted(unknown)}.")
        purposes[str(pid)] = Purpose(str(pid), str(spec["title"]), str(spec["description"]),
                                     tuple(str(b) for b in spec["legal_bases"]), chans)
    return Catalogue(purposes, channels)


@cache
def load_catalogue() -> Catalogue:
    """The packaged purpose catalogue (parsed once per process)."""
    return parse_catalogue(read_data("purposes.yaml"))
