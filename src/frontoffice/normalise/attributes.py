"""Birth dates from the formats people and systems write them in, as ISO dates.

Day-first or month-first is decided by the separator and the record's country: a dot is always
day-first (``03.05.1990``); a slash is month-first in :data:`MONTH_FIRST_COUNTRIES` and day-first
elsewhere; year-first forms (``1990-05-03``, ``1990/05/03``, ``1990年5月3日``) are unambiguous.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from frontoffice.normalise.results import Invalid, Kind, Normalised, Reason, Result

MONTH_FIRST_COUNTRIES = frozenset({"US", "PH", "FM", "MH", "PW", "BZ"})
PLACEHOLDER_DATES = frozenset({"1900-01-01", "1970-01-01", "1899-12-31"})
"""Dates systems write when the real one is unknown; a real person may have one, but too few
to let them merge profiles."""
JAPANESE_ERAS: dict[str, int] = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867}
"""Era name → the year before its first year (平成元年 = 1989)."""
_MONTHS = (
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "jan feb mär apr mai jun jul aug sep okt nov dez",
    "янв фев мар апр мая июн июл авг сен окт ноя дек",
)
MONTH_NAMES: dict[str, int] = {
    **{m: i + 1 for names in _MONTHS for i, m in enumerate(names.split())},
    "mrz": 3,
    "май": 5,
}
"""The first letters of English, German and Russian month names (Russian in the genitive)."""
EARLIEST_YEAR = 1880
_FORMATS_HINT = "use YYYY-MM-DD (or DD.MM.YYYY, MM/DD/YYYY in the US, 1990年5月3日)"
MAX_AGE_YEARS = 130

_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[t ].*)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_ERA = "|".join(JAPANESE_ERAS)
_CJK = re.compile(
    rf"(?:(\d{{4}})|({_ERA})(\d{{1,2}}|元))\s*[年년]\s*(\d{{1,2}})\s*[月월]\s*(\d{{1,2}})\s*[日일]?"
)
_DMY = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{2}|\d{4})")
_WORDY = re.compile(r"(?:(\d{1,2})\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})|([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4}))")


def parse_birth_date(raw: str, country: str | None = None, today: dt.date | None = None) -> Result:
    """An ISO date (``1990-05-03``) or why not. ``today`` enables the future/age checks and
    two-digit years (``03.05.90``); without it a two-digit year is ambiguous."""
    kind, text = Kind.BIRTH_DATE, unicodedata.normalize("NFKC", raw).strip().lower()
    if not text:
        return Invalid(kind, raw, Reason.EMPTY, "no birth date given")
    parts = _parts(text, (country or "").upper(), today)
    if isinstance(parts, Invalid):
        return Invalid(kind, raw, parts.reason, parts.detail)
    if parts is None:
        return Invalid(kind, raw, Reason.FORMAT, _FORMATS_HINT)
    year, month, day = parts
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return Invalid(kind, raw, Reason.OUT_OF_RANGE, f"{year}-{month:02d}-{day:02d} is no calendar date")
    if date.isoformat() in PLACEHOLDER_DATES:
        return Invalid(kind, raw, Reason.GENERIC, "a placeholder systems write when the date is unknown")
    if year < EARLIEST_YEAR or (today and (date > today or today.year - year > MAX_AGE_YEARS)):
        return Invalid(kind, raw, Reason.OUT_OF_RANGE, f"{date.isoformat()} is not a plausible birth date")
    return Normalised(kind, date.isoformat())


def _parts(text: str, country: str, today: dt.date | None) -> tuple[int, int, int] | Invalid | None:
    if m := _YMD.fullmatch(text):
        return int(m[1]), int(m[2]), int(m[3])
    if m := _COMPACT.fullmatch(text):
        return int(m[1]), int(m[2]), int(m[3])
    if m := _CJK.fullmatch(text):
        year = int(m[1]) if m[1] else JAPANESE_ERAS[m[2]] + (1 if m[3] == "元" else int(m[3]))
        return year, int(m[4]), int(m[5])
    if m := _DMY.fullmatch(text):
        return _day_month(int(m[1]), int(m[3]), m[2], m[4], country, today)
    if m := _WORDY.fullmatch(text):
        day_text, name, year_text = (m[1], m[2], m[3]) if m[1] else (m[5], m[4], m[6])
        month = next((n for prefix, n in MONTH_NAMES.items() if name.startswith(prefix)), None)
        return None if month is None else (int(year_text), month, int(day_text))
    return None


def _day_month(
    first: int, second: int, separator: str, year_text: str, country: str, today: dt.date | None
) -> tuple[int, int, int] | Invalid:
    year = int(year_text)
    if len(year_text) == 2:
        if today is None:
            return Invalid(Kind.BIRTH_DATE, "", Reason.AMBIGUOUS, "a two-digit year needs a four-digit one")
        year += 2000 if year <= today.year % 100 else 1900
    if separator == "." or first > 12:
        return year, second, first
    if second > 12 or country in MONTH_FIRST_COUNTRIES:
        return year, first, second
    if not country and first != second:
        return Invalid(Kind.BIRTH_DATE, "", Reason.AMBIGUOUS, "day/month order unknown: give the country")
    return year, second, first
