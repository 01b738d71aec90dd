"""A review pair's match weight broken down by field: which level of each comparison the pair
reached and the weight the workspace's trained model gives that level.

The queue keeps each pair's explanation ("match weight 31.2 from birth date (exact), …;
against: given name (different)"); the model's comparisons name every level the same way, so
the pair's levels are read back from it and weighed with the model the reviewer sees."""

from __future__ import annotations

from dataclasses import dataclass

from frontoffice.identity.probabilistic.model import Model


@dataclass(frozen=True, slots=True)
class FieldWeight:
    field: str
    level: str
    weight: float


def breakdown(model_json: str | None, explanation: str) -> list[FieldWeight]:
    """The fields the explanation names, strongest evidence first; empty without a model."""
    if not model_json:
        return []
    levels = ((c.description, level) for c in Model.from_json(model_json).comparisons
              for level in c.levels.values())
    known = sorted(((f"{field} ({level.label})", FieldWeight(field, level.label, level.weight))
                    for field, level in levels),
                   key=lambda kv: -len(kv[0]))
    text, found = explanation, []
    for words, field in known:
        if words in text:
            found.append(field)
            text = text.replace(words, "")
    return sorted(found, key=lambda f: -f.weight)
