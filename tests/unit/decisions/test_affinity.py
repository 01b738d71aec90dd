"""The workspace recommender decide asks: collaborative scores for people it knows, content
scores for products nobody kept yet, popularity for people with no history; refitted when old."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from frontoffice.decisions.affinity import MAX_KEPT_SCORES, Fitted, Recommender
from frontoffice.decisions.recs import Collaborative, Interaction


@dataclass
class FakeInteractions:
    rows: list[Interaction] = field(default_factory=list)
    attributes: dict[str, set[str]] = field(default_factory=dict)
    reads: int = 0

    def kept(self, ws: str) -> tuple[list[Interaction], dict[str, set[str]]]:
        self.reads += 1
        return list(self.rows), dict(self.attributes)


def _shop() -> FakeInteractions:
    """Dress lovers (d1, d2 together) and boot lovers (b1, b2 together)."""
    rows = []
    for n in range(6):
        rows += [Interaction(f"dl{n}", "d1"), Interaction(f"dl{n}", "d2")]
        rows += [Interaction(f"bl{n}", "b1"), Interaction(f"bl{n}", "b2")]
    rows += [Interaction("ann", "d1"), Interaction("pop", "b1")]
    return FakeInteractions(rows, {"d1": {"dresses"}, "d2": {"dresses"}, "b1": {"boots"},
                                   "b2": {"boots"}})


def test_a_known_person_is_scored_by_what_people_like_them_kept() -> None:
    scores = Recommender(_shop())("ws", "ann", {"d2": {"dresses"}, "b2": {"boots"}})
    assert scores["d2"] > scores["b2"]


def test_a_product_nobody_kept_is_scored_by_its_content() -> None:
    scores = Recommender(_shop())("ws", "ann", {"d9": {"dresses", "linen"}, "b9": {"boots"}})
    assert scores == {"d9": pytest.approx(0.5), "b9": 0.0}


def test_a_person_with_no_history_gets_popularity() -> None:
    scores = Recommender(_shop())("ws", "new", {"b1": set(), "d2": set(), "zz": set()})
    assert scores["b1"] > scores["d2"] and "zz" not in scores


def test_the_model_is_refitted_only_when_older_than_its_ttl() -> None:
    shop, clock = _shop(), [0.0]
    rec = Recommender(shop, ttl_s=60, clock=lambda: clock[0])
    rec("ws", "ann", {"d2": set()})
    rec("ws", "ann", {"d2": set()})
    assert shop.reads == 1
    clock[0] = 61
    rec("ws", "ann", {"d2": set()})
    assert shop.reads == 2


def test_a_persons_scores_are_scaled_by_the_best_of_the_candidates_asked() -> None:
    shop = _shop()
    shop.rows.append(Interaction("ann", "b1"))
    rec = Recommender(shop)
    both = rec("ws", "ann", {"d2": {"dresses"}, "b2": {"boots"}})
    alone = rec("ws", "ann", {"b2": {"boots"}})  # the person's scores reused, scaled anew
    assert both["d2"] == 1.0 and 0.0 < both["b2"] < 1.0
    assert alone == {"b2": 1.0}


def test_a_persons_scores_follow_the_model_when_it_is_refitted() -> None:
    shop, clock = _shop(), [0.0]
    rec = Recommender(shop, ttl_s=60, clock=lambda: clock[0])
    before = rec("ws", "ann", {"d2": set(), "b2": set()})
    shop.rows += [Interaction("ann", "b1"), Interaction("ann", "b1"), Interaction("ann", "b2")]
    assert rec("ws", "ann", {"d2": set(), "b2": set()}) == before  # the same fit
    clock[0] = 61
    after = rec("ws", "ann", {"d2": set(), "b2": set()})
    assert after["b2"] > before["b2"]


def test_the_scores_kept_per_fit_start_over_once_they_reach_their_bound() -> None:
    shop = _shop()
    model = Collaborative("knn").fit(shop.rows)
    fitted = Fitted(model, {}, {}, {}, 0.0)
    fitted.raw.update(dict.fromkeys((f"p{n}" for n in range(MAX_KEPT_SCORES // len(model.items))),
                                    None))
    scores = fitted.scores("ann", {"d2": set()})
    assert scores == {"d2": 1.0} and list(fitted.raw) == ["ann"]
