"""Find people by a name typed in any script or order: Иванов finds Ivanov, やまだ たろう finds
山田 太郎 when the readings agree. Pure: the names come from the ``People`` port.

A :class:`NameIndex` keeps each person's phonetic name keys, so a search compares key sets and
never romanises the population again."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from frontoffice.normalise.names import name_keys


@dataclass(frozen=True, slots=True)
class _Entry:
    person_id: str
    parts: frozenset[str]  # phonetic keys of the given and family name
    whole: frozenset[str]  # of the whole name in both orders


class NameIndex:
    def __init__(self, names: Iterable[tuple[str, str, str]]) -> None:
        """``names``: ``(person_id, given, family)``, in the order results are given."""
        self._entries = []
        for person_id, given, family in names:
            keys = name_keys(given, family)
            self._entries.append(_Entry(person_id, keys.given_keys | keys.family_keys, keys.whole_keys))

    def find(self, text: str, limit: int) -> list[str]:
        """People whose every asked part matches a part of their name (in either order) first,
        then those matching one of two parts."""
        wanted = name_keys(text, "")
        asked = [k for k in (wanted.given_keys, wanted.family_keys) if k]
        if not asked:
            return []
        whole, partial = [], []
        for entry in self._entries:
            hits = sum(1 for keys in asked if keys & entry.parts)
            if hits == len(asked) or wanted.whole_keys & entry.whole:
                whole.append(entry.person_id)
            elif hits:
                partial.append(entry.person_id)
        return [*whole, *partial][:limit]


def find_by_name(names: Iterable[tuple[str, str, str]], text: str, limit: int) -> list[str]:
    """One search without keeping the index."""
    return NameIndex(names).find(text, limit)
