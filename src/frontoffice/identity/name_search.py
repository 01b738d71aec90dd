"""Find people by a name typed in any script or order: Иванов finds Ivanov, やまだ たろう finds
山田 太郎 when the readings agree. Pure: the names come from the ``People`` port."""

from __future__ import annotations

from collections.abc import Iterable

from frontoffice.identity.normalise.names import NameKeys, name_keys


def find_by_name(names: Iterable[tuple[str, str, str]], text: str, limit: int) -> list[str]:
    """Person ids of ``names`` (``(person_id, given, family)``) matching ``text``, whole matches
    first, then in the order given."""
    wanted = name_keys(text, "")
    if not (wanted.given_keys or wanted.family_keys):
        return []
    whole, partial = [], []
    for person_id, given, family in names:
        score = _score(wanted, name_keys(given, family))
        if score == 2:
            whole.append(person_id)
        elif score == 1:
            partial.append(person_id)
    return [*whole, *partial][:limit]


def _score(wanted: NameKeys, found: NameKeys) -> int:
    """2: every part asked for matches a part of the name (in either order); 1: one of two
    parts does; 0: none."""
    asked = [k for k in (wanted.given_keys, wanted.family_keys) if k]
    theirs = found.given_keys | found.family_keys
    hits = sum(1 for keys in asked if keys & theirs)
    if hits == len(asked) or wanted.whole_keys & found.whole_keys:
        return 2
    return 1 if hits else 0
