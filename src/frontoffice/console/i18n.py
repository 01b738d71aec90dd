"""UI text through gettext, dates and numbers through Babel, in the viewer's locale.

The catalogues are the ``.po`` files in ``console/locale``; they are compiled in memory when
the console starts (no build step, so a fresh clone works), and English is the source text.
"""

from __future__ import annotations

import gettext
import unicodedata
from datetime import datetime
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from markupsafe import Markup, escape

LOCALES = ("en", "ja", "de")
DOMAIN = "console"
LOCALE_DIR = Path(__file__).parent / "locale"
# message ids the templates translate from a variable (``_(page.title)``, a role, how a search
# found someone, a confirm step's detail): the catalogue test checks them beside the extracted ones
DYNAMIC = ("admin", "marketer", "agent", "lead", "privacy_officer", "category_manager", "person_id",
           "email", "phone", "user_id", "loyalty_id", "marketplace_buyer", "anonymous_id", "device_id",
           "order_ref", "name", "channel", "scopes", "role")


PACKAGE = Path(__file__).parents[1]


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def po_paths(locale: str) -> list[Path]:
    """The console's catalogue, then each capability's own (``frontoffice/<capability>/locale``):
    a capability translates its pages without editing the console's file."""
    own = sorted(p for p in PACKAGE.glob(f"*/locale/{locale}/LC_MESSAGES/{DOMAIN}.po")
                 if p != po_path(locale))
    return [po_path(locale), *own]


def template_dirs() -> list[Path]:
    """The console's templates, then each capability's (``frontoffice/<capability>/templates``)."""
    own = sorted(p for p in PACKAGE.glob("*/templates") if p.parent.name != "console")
    return [LOCALE_DIR.parent / "templates", *own]


@cache
def translations(locale: str) -> gettext.NullTranslations:
    if locale == "en":
        return gettext.NullTranslations()
    first, *rest = po_paths(locale)
    with first.open("rb") as f:
        catalog = read_po(f, locale=locale)
    for path in rest:
        with path.open("rb") as f:
            for message in read_po(f, locale=locale):
                if message.id:
                    catalog[message.id] = message
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def choose(preferred: str | None, accept_language: str | None) -> str:
    """The user's own setting, else the best of the browser's ``Accept-Language``, else English."""
    if preferred in LOCALES:
        return str(preferred)
    wanted = []
    for part in (accept_language or "").split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        if tag:
            wanted.append((weight, tag.replace("-", "_")))
    ordered = [tag for _, tag in sorted(wanted, key=lambda w: -w[0])]
    return negotiate_locale(ordered, list(LOCALES)) or "en"


def when(value: str | datetime | None, locale: str) -> str:
    """An ISO time as the viewer reads it (medium date and time, UTC)."""
    if value is None or value == "":
        return ""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value
    return format_datetime(moment, "medium", tzinfo=moment.tzinfo, locale=Locale.parse(locale))


def number(value: float | int, locale: str) -> str:
    return format_decimal(value, locale=Locale.parse(locale))


def script_lang(text: str) -> str | None:
    """The language tag that picks the right glyphs for a name (kana → ja, hangul → ko, han
    alone → zh, Cyrillic → ru); None for Latin and the rest."""
    kinds = set()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            kinds.add(name.split(" ")[0])
    if {"HIRAGANA", "KATAKANA"} & kinds:
        return "ja"
    if "HANGUL" in kinds:
        return "ko"
    if "CJK" in kinds:
        return "zh"
    if "CYRILLIC" in kinds:
        return "ru"
    return None


def name_markup(text: object) -> Markup:
    """A person's name in a span whose ``lang`` lets the browser pick the script's font."""
    value = "" if text is None else str(text)
    lang = script_lang(value)
    if lang is None:
        return Markup("<bdi>{}</bdi>").format(escape(value))
    return Markup('<bdi lang="{}">{}</bdi>').format(lang, escape(value))
