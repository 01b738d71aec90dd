"""Message templates, localised (en, de, ja, ko, ru, zh), with the person's name written the
way their language writes it (family name first with an honorific in Japanese and Korean)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

LOCALES = ("en", "de", "ja", "ko", "ru", "zh")
NAME_FORMS = {"en": "{given}", "de": "{given}", "ru": "{given}", "ja": "{family} {given} 様",
              "ko": "{family}{given} 님", "zh": "{family}{given}"}
NO_NAME = {"en": "there", "de": "zusammen", "ja": "お客様", "ko": "고객님", "ru": "друзья", "zh": "顾客"}

DATA = resources.files("frontoffice.outbound") / "data" / "messages.yaml"


@cache
def templates() -> Mapping[str, Mapping[str, Mapping[str, str]]]:
    """Template id → language → subject and body (``outbound/data/messages.yaml``)."""
    loaded: Mapping[str, Mapping[str, Mapping[str, str]]] = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return loaded


def locale_of(value: Any) -> str:
    """``de-AT`` → ``de``; anything not supported → ``en``."""
    code = str(value or "en").replace("_", "-").split("-")[0].lower()
    return code if code in LOCALES else "en"


def render(template_id: str, variables: Mapping[str, Any]) -> tuple[str, str, str]:
    """(subject, body, locale) of a template for the message's variables (``locale``, ``given``,
    ``family`` and the template's own)."""
    locale = locale_of(variables.get("locale"))
    found = templates()[template_id][locale]
    subject, body = found["subject"], found["body"]
    given, family = str(variables.get("given") or ""), str(variables.get("family") or "")
    name = NAME_FORMS[locale].format(given=given, family=family).strip() if given or family \
        else NO_NAME[locale]
    values = {k: str(v) for k, v in variables.items()} | {"name": name}
    return subject.format_map(_Missing(values)), body.format_map(_Missing(values)), locale


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""
