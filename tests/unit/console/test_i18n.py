"""Every message the console shows is translated into Japanese and German; dates, numbers and
names follow the viewer's locale and script."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from frontoffice import capabilities
from frontoffice.console.i18n import (
    DYNAMIC,
    choose,
    name_markup,
    number,
    po_paths,
    template_dirs,
    translations,
    when,
)
from frontoffice.console.roles import Role

ROOT = Path(__file__).resolve().parents[3]
NODE = ROOT / "tests" / "browser" / "node"


def used_messages() -> set[str]:
    extracted = {str(msg) for folder in template_dirs() for _, _, msg, _, _ in extract_from_dir(
        str(folder), method_map=[("**.html", "jinja2")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n"}})}
    titles = {p.title for c in capabilities.every() for p in c.console_pages}
    return extracted | titles | set(DYNAMIC)


@pytest.mark.parametrize("locale", ["ja", "de"])
def test_every_message_the_console_shows_is_translated(locale: str) -> None:
    translated = set()
    for path in po_paths(locale):
        with path.open("rb") as f:
            catalog = read_po(f, locale=locale)
        translated |= {str(m.id) for m in catalog if m.id and m.string and not m.fuzzy}
    assert sorted(used_messages() - translated) == []
    assert translations(locale).gettext("Sign in") != "Sign in"


def test_the_dynamic_messages_include_every_role() -> None:
    assert {r.value for r in Role} <= set(DYNAMIC)


def test_the_users_setting_wins_over_the_browsers_which_wins_over_english() -> None:
    assert choose("ja", "de-DE,de;q=0.9") == "ja"
    assert choose(None, "fr-FR, de;q=0.8, en;q=0.5") == "de"
    assert choose(None, "fr-FR") == "en"
    assert choose(None, None) == "en"


def test_dates_and_numbers_are_written_the_viewers_way() -> None:
    assert number(1234567.5, "de") == "1.234.567,5"
    assert number(1234567.5, "en") == "1,234,567.5"
    assert when("2026-03-05T14:00:00.000Z", "ja") == "2026/03/05 14:00:00"
    assert when("2026-03-05T14:00:00.000Z", "de") == "05.03.2026, 14:00:00"


def test_a_name_carries_the_language_that_picks_its_scripts_glyphs() -> None:
    assert str(name_markup("やまだ たろう")) == '<bdi lang="ja">やまだ たろう</bdi>'
    assert str(name_markup("김민준")) == '<bdi lang="ko">김민준</bdi>'
    assert str(name_markup("Иванов")) == '<bdi lang="ru">Иванов</bdi>'
    assert str(name_markup("Müller <b>")) == "<bdi>Müller &lt;b&gt;</bdi>"


def test_the_vendored_htmx_is_the_release_the_lock_file_pins() -> None:
    lock = json.loads((NODE / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/htmx.org"]["version"]
    installed = NODE / "node_modules" / "htmx.org"
    assert json.loads((installed / "package.json").read_text(encoding="utf-8"))["version"] == pinned
    vendored = ROOT / "src" / "frontoffice" / "console" / "static" / "htmx.min.js"
    assert vendored.read_bytes() == (installed / "dist" / "htmx.min.js").read_bytes()
