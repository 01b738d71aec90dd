"""The bandit's scorer is VW's own policy without VW's text parser: the same scores, bit for bit,
and the same exploration probabilities as ``vowpalwabbit`` predicting on the text examples."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import vowpalwabbit

from frontoffice.decisions.bandit import Bandit, lines
from frontoffice.decisions.bandit_scorer import Scorer


def _context(rng: random.Random) -> dict[str, str | float]:
    return {"channel": rng.choice(["web", "email"]), "placement": rng.choice(["home", "cart"]),
            "daypart": str(rng.randrange(4)), "returns": rng.choice(["low", "mid", "high"]),
            "orders": str(rng.randrange(5))}


def _action(rng: random.Random, i: int, plain: bool = False) -> dict[str, str | float]:
    """``plain``: no affinity and the same buckets, so actions the model never saw tie."""
    return {"id": f"a{i}", "kind": rng.choice(["product", "offer"]),
            "category": ("dresses", "shoes", "coats")[i % 3],
            "ekv": "5" if plain else str(rng.randrange(8)),
            "kept": "0.8" if plain else f"{rng.random():.1f}",
            "affinity": 0.0 if plain else round(rng.random(), 4),
            **({"tag_new in": "1"} if i % 4 == 0 else {})}


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Bandit, Any]]:
    """A trained model served as the arbiter serves it, and VW reading the same bytes."""
    rng = random.Random(5)
    trained = Bandit(epsilon=0.2)
    for _ in range(250):
        actions = [_action(rng, rng.randrange(40)) for _ in range(rng.randrange(2, 9))]
        trained.learn(_context(rng), actions, rng.randrange(len(actions)),
                      rng.choice([1.0, -1.0, 0.5, 4.0]), 0.2)
    blob = trained.to_bytes()
    trained.close()
    path = Path(tmp_path_factory.mktemp("vw")) / "model.vw"
    path.write_bytes(blob)
    vw = vowpalwabbit.Workspace(f"--quiet -i {path}")
    served = Bandit(blob)
    yield served, vw
    served.close()
    vw.finish()


def _vw(vw: Any, shared: dict[str, str | float], actions: list[dict[str, str | float]]
        ) -> tuple[np.ndarray[Any, Any], list[float]]:
    examples = vw.parse(lines(shared, actions))
    vw.predict(examples)
    scores = np.array([e.get_partial_prediction() for e in examples[1:]], dtype=np.float32)
    pmf = [float(p) for p in examples[0].get_action_scores()]
    vw.finish_example(examples)
    return scores, pmf


def test_the_scorer_gives_vws_scores_and_probabilities_bit_for_bit(
        model: tuple[Bandit, Any]) -> None:
    served, vw = model
    scorer = Scorer(vw, threading.Lock())
    rng = random.Random(7)
    ties = 0
    for query in range(120):
        plain = query % 4 == 0  # unseen ids with equal features: VW's ties (and near ties)
        actions = [_action(rng, 1000 + i if plain else rng.randrange(60), plain)
                   for i in range(rng.choice([1, 2, 7, 40, 100]))]
        shared = _context(rng)
        scores, pmf = _vw(vw, shared, actions)
        assert np.array_equal(scorer.scores(shared, actions), scores)
        assert scorer.pmf(shared, actions) == pmf
        ties += sum(1 for p in pmf if p == max(pmf)) > 1
        total = sum(pmf)
        assert served.pmf(shared, actions) == [p / total for p in pmf]
    assert ties >= 5  # the tie rule was exercised


def test_numbers_are_read_as_vws_own_parser_reads_them(model: tuple[Bandit, Any]) -> None:
    """VW's text parser is not always the nearest float32 (0.0001 is one ulp off): the scorer
    uses VW's value, so affinities score as they do in VW."""
    _, vw = model
    scorer = Scorer(vw, threading.Lock())
    shared = {"channel": "web"}
    rng = random.Random(11)
    numbers = [a / 10000 for a in range(0, 10001, 7)]  # affinities: rounded to 4 places
    numbers += [rng.uniform(-1e3, 1e3) for _ in range(300)] + [
        1e-5, -3.2e-7, 4.5e-12, 1.5e6, -2.5e7, 123456.7, 0.1 + 0.2]  # 1e+06: VW's strtof
    for start in range(0, len(numbers), 100):
        actions: list[dict[str, str | float]] = [
            {"id": "a1", "affinity": a} for a in numbers[start:start + 100]]
        scores, pmf = _vw(vw, shared, actions)
        assert np.array_equal(scorer.scores(shared, actions), scores)
        assert scorer.pmf(shared, actions) == pmf


def test_a_bandit_that_learns_scores_with_its_new_weights() -> None:
    rng = random.Random(3)
    bandit = Bandit(epsilon=0.1)
    shared = _context(rng)
    actions = [_action(rng, i) for i in range(4)]
    assert bandit.pmf(shared, actions) == pytest.approx([0.25] * 4)  # all tied at 0
    for _ in range(30):  # only the last action is ever kept
        bandit.learn(shared, actions, 3, 1.0, 0.25)
    assert bandit.pmf(shared, actions) == pytest.approx([0.025, 0.025, 0.025, 0.925])
    bandit.close()


def test_a_model_made_with_other_options_is_refused_not_scored_wrongly() -> None:
    vw = vowpalwabbit.Workspace("--cb_explore_adf --epsilon 0.1 -q SA --l2 0.01 --quiet")
    with pytest.raises(ValueError, match=r"bandit\.ARGS"):
        Scorer(vw, threading.Lock())
    vw.finish()
