"""The demo brand's hand-written tables, read from package data files (``demo/data/``).

``names.json``: one list of entries per table, most common first (the generator samples them
with Zipf weights over their rank; exponents in :mod:`frontoffice.demo.names`):

* US, DE, RU (``US_FAMILY``, ``DE_GIVEN_M``, ...): ``Name=Alt1,Alt2`` lists the nicknames or
  other spellings a person also types (``William=Bill,Will``, ``Александр=Саша``); ``_`` stands
  for a space. German umlaut foldings, Russian transliterations and feminine forms are derived.
* Korean and Chinese family names: ``native:Roman1,Roman2:percent`` (their share of the
  population where it is well known: 김 21.5, 王 about 7); Japanese ones ``kanji:reading``.
* Japanese given names: ``kanji:reading`` per gender (Hepburn spellings are derived).
* Korean and Chinese given names are compositions, as most of them are in life: syllables or
  characters per gender (``KR_FIRST_M`` + ``KR_SECOND_M``, ``CN_GIVEN_F``) as
  ``native:romanisation`` (``현:hyeon,hyun``: Revised Romanisation first, then older spellings).

``messages.json``: support message ``templates`` and ``subjects`` per language and intent
(placeholders ``{order_id}``, ``{item}``, ``{size}``, ``{days}``; ``{item}`` sits where no article,
case ending or particle has to agree with it), category ``items`` per language, and
``sign_offs`` (``{name}``) per language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any


def _read(name: str) -> Any:
    return json.loads(files("frontoffice.demo").joinpath("data", name).read_text(encoding="utf-8"))


@cache
def name_table(table: str) -> tuple[str, ...]:
    """The entries of one name table (``US_FAMILY``, ``KR_FIRST_M``, ...), in their order."""
    tables: dict[str, list[str]] = _read("names.json")
    return tuple(tables[table])


Phrases = dict[str, dict[str, tuple[str, ...]]]


@dataclass(frozen=True, slots=True)
class MessageTables:
    templates: Phrases
    """language → intent → message bodies"""
    subjects: Phrases
    """language → intent → email subjects"""
    items: dict[str, dict[str, str]]
    """language → product category → the noun a customer writes"""
    sign_offs: dict[str, tuple[str, ...]]
    """language → email sign-offs"""


def _phrases(raw: dict[str, dict[str, list[str]]]) -> Phrases:
    return {lang: {intent: tuple(texts) for intent, texts in by.items()} for lang, by in raw.items()}


@cache
def message_tables() -> MessageTables:
    raw = _read("messages.json")
    return MessageTables(_phrases(raw["templates"]), _phrases(raw["subjects"]), raw["items"],
                         {lang: tuple(texts) for lang, texts in raw["sign_offs"].items()})
