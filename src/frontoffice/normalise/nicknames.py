"""Nickname groups of a given name: Bill ~ William, Саша ~ Aleksandr, Kate ~ Ekaterina.

Each group of :data:`~.nickname_data.NICKNAME_GROUPS` is keyed by the same phonetic spelling keys
that :func:`~.names.name_keys` gives a record's given name, so a group is found whatever script or
romanisation the record used. The index is built on first use (no work at import time).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from frontoffice.normalise.nickname_data import NICKNAME_GROUPS
from frontoffice.normalise.scripts import Script, detect_script


def _country_of(name: str) -> str | None:
    """The country whose romanisation a table entry is read with (Cyrillic entries are Russian)."""
    return "RU" if detect_script(name) is Script.CYRILLIC else None


@functools.cache
def _index() -> dict[str, frozenset[str]]:
    from frontoffice.normalise.names import name_keys

    found: dict[str, set[str]] = {}
    for group in NICKNAME_GROUPS:
        label = group[0].casefold()
        for name in group:
            for key in name_keys(name, "x", _country_of(name)).given_keys:
                found.setdefault(key, set()).add(label)
    return {key: frozenset(labels) for key, labels in found.items()}


def nickname_groups(given_keys: Iterable[str]) -> frozenset[str]:
    """The nickname groups (labelled by their first, formal name) a given name belongs to, from its
    spelling keys (``NameKeys.given_keys``); empty when the name is in no group."""
    index = _index()
    out: set[str] = set()
    for key in given_keys:
        out |= index.get(key, frozenset())
    return frozenset(out)
