"""The promoted bandit's exploration policy worked out without VW's text parser.

A ``cb_explore_adf`` model with epsilon-greedy exploration over a linear ``cb_adf`` learner
(``--cb_type mtr``, ``-q SA``) scores every action as VW's ``inline_predict`` does: one float32
sum, in VW's order, of the action's features (namespace ``A``), the constant, the shared features
(``S``, which ``cb_adf`` appends to each action) and the ``S × A`` quadratic features, each
weight found with VW's own hashing (``hash_space``/``hash_feature``, asked once per feature and
kept). The best score (lowest cost) takes ``1 − ε`` shared among the actions tied with it (within
VW's relative tolerance), every action ``ε / K``: VW's ``cb_explore_adf_greedy``, in float32.

The weights are read once when the model is loaded (a promoted version never changes), so a
decision costs a few numpy operations instead of parsing 101 example lines. Learning stays on VW
(``Bandit.learn``, off the request path). ``tests/unit/decisions/test_bandit_scorer.py`` checks
the scores and the policy are VW's own, bit for bit, across random models and contexts.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import orjson
import vowpalwabbit

Features = Mapping[str, str | float]
FNV_PRIME = 16777619  # VW's quadratic hash: (FNV_PRIME · first) ^ second
CONSTANT_HASH = 11650396  # VW's constant feature (``constant`` namespace, value 1)
KNOWN_MAX = 200_000  # features whose hash is kept (ids, categories, buckets, rounded numbers)
TIE_TOLERANCE = np.float32(1e-4)  # VW's default tolerance for tied scores (``are_same_rel``)
OPTIONS = {"--bit_precision", "--cb_adf", "--cb_explore_adf", "--cb_type", "--csoaa_ldf",
           "--csoaa_rank", "--epsilon", "--initial_regressor",
           "--no_predict", "--no_stdin", "--quadratic", "--quiet", "--random_seed"}
"""VW's options of a model made with ``bandit.ARGS``: anything else (another exploration, more
interactions, regularisation) would score differently, so the scorer refuses it."""
POW10_PROBED = 45  # float32 spans 1e-45 .. 3e38
_PLAIN = re.compile(r"(-?)(\d+)(?:\.(\d+))?(?:e(-?\d+))?")  # what VW's own parser reads
_UNSAFE = re.compile(r"[\s|:]+")


@lru_cache(maxsize=65536)
def token(value: str) -> str:
    """A name or value as VW's text format can hold it."""
    return _UNSAFE.sub("_", value) or "_"


@lru_cache(maxsize=65536)
def pair(key: str, value: str) -> str:
    """``key=value`` as VW reads a categorical feature (ids, categories and buckets repeat)."""
    return f"{token(key)}={token(value)}"


def number(value: float) -> str:
    """A numeric feature's value as written for VW."""
    return f"{float(value):.6g}"


class _Hashed:
    """Features seen so far: an id each, and by id their hash and value in numpy arrays (id 0:
    nothing, the padding of a short row). Written under the scorer's lock: the arrays first, then
    the id, so a reader holding an id finds it in the arrays it reads afterwards."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str, str | float], int] = {}
        self.by_name: dict[tuple[str, str], dict[str | float, int]] = {}  # (ns, name): value -> id
        self.orders: dict[tuple[str, ...], list[str]] = {}  # names as given -> as VW reads them
        self.hashes = np.zeros(1024, dtype=np.uint64)
        self.values = np.zeros(1024, dtype=np.float32)
        self.size = 1

    def add(self, key: tuple[str, str, str | float], hashed: int, value: float) -> int:
        if self.size == len(self.hashes):
            self.hashes = np.concatenate([self.hashes, np.zeros_like(self.hashes)])
            self.values = np.concatenate([self.values, np.zeros_like(self.values)])
        found = self.size
        self.hashes[found], self.values[found] = hashed, value
        self.size += 1
        self.ids[key] = found
        self.by_name.setdefault(key[:2], {})[key[2]] = found
        return found


class Scorer:
    """The exploration policy of one loaded model, safe to call from any thread."""

    def __init__(self, vw: vowpalwabbit.Workspace, lock: threading.Lock) -> None:
        """``lock``: the one every use of ``vw`` holds (the caller holds it while this runs)."""
        args = str(vw.get_arguments()).split()
        unknown = {a for a in args if a.startswith("-")} - OPTIONS
        if unknown or args[args.index("--quadratic") + 1] != "SA":
            raise ValueError(f"A model trained with {' '.join(args)} is not the one this scorer "
                             "reproduces (bandit.ARGS); score it with VW's predict.")
        self._epsilon = np.float32(args[args.index("--epsilon") + 1])
        size = int(vw.num_weights())
        self._mask = np.uint64(size - 1)
        weights = np.zeros(size, dtype=np.float32)
        for w in orjson.loads(vw.json_weights())["weights"]:
            weights[w["index"]] = w["value"]
        self._weights = weights
        self._vw = vw
        self._spaces = {ns: int(vw.hash_space(ns)) for ns in ("S", "A")}
        self._lock = lock  # VW's parser and the cache's growth
        self._hashed = _Hashed()  # replaced, never emptied, when it reaches KNOWN_MAX
        powers = range(-POW10_PROBED, POW10_PROBED + 1)  # VW's: 1eN reads as 1 × its power N
        self._pow10 = {p: np.float32(v) for p, v in
                       zip(powers, self._parsed([f"1e{p}" for p in powers]), strict=True)}

    def _feature(self, hashed: _Hashed, ns: str, key: str, value: str | float) -> int:
        """The id of one feature, hashed as VW's text parser reads ``bandit.lines``:
        ``name=value`` categorical (value 1), a number as written (``.6g``)."""
        with self._lock:
            found = hashed.ids.get((ns, key, value))
            if found is not None:
                return found
            if isinstance(value, str):
                return hashed.add((ns, key, value), int(self._vw.hash_feature(
                    pair(key, value), self._spaces[ns])), 1.0)
            return hashed.add((ns, key, value), int(self._vw.hash_feature(
                token(key), self._spaces[ns])), self._number(number(value)))

    def _number(self, text: str) -> float:
        """The float32 VW's text parser reads from ``text``. Its own parser is not always the
        nearest float32: it reads the digits into a float32 and multiplies by its float32 power
        of ten (``_pow10``, read from VW itself); any other form VW reads with ``strtof``."""
        found = _PLAIN.fullmatch(text)
        if found is not None:
            sign, whole, decimals, exponent = found.groups()
            digits = whole + (decimals or "")
            power = int(exponent or 0) - len(decimals or "")
            if len(digits.lstrip("0")) <= 7 and power in self._pow10:  # digits exact in float32
                value = np.float32(int(digits)) * self._pow10[power]
                return float(-value if sign else value)
        return self._parsed([text])[0]

    def _parsed(self, texts: list[str]) -> list[float]:
        """``texts`` as VW's text parser reads them (the caller holds the lock)."""
        parsed = self._vw.parse([f"|n v:{t}" for t in texts])
        try:  # VW drops a zero feature: its namespace n is then absent
            return [float(e.feature_weight(0, 0))
                    if e.num_namespaces() and e.namespace(0) == ord("n") else 0.0
                    for e in parsed]
        finally:
            self._vw.finish_example(parsed)

    def _row(self, hashed: _Hashed, ns: str, features: Features) -> list[int]:
        """The ids of the features in the order of ``bandit.lines`` (sorted by name). A zero VW
        drops is kept: it adds ±0 to every sum, which changes none."""
        keys = tuple(features)
        order = hashed.orders.get(keys)
        if order is None:
            order = hashed.orders[keys] = sorted(keys)
        ids = hashed.ids
        row = [ids.get((ns, key, features[key])) for key in order]
        if None in row:
            return [self._feature(hashed, ns, key, features[key]) for key in order]
        return row  # type: ignore[return-value]  # no None in it

    def _rows(self, hashed: _Hashed, actions: Sequence[Features]) -> npt.NDArray[np.intp]:
        """``_row`` of every action (namespace ``A``), padded with id 0 to the longest: worked
        out a feature name at a time over the actions that have the same names (most have), so
        a decision looks each value up in one dict per name instead of one tuple per feature."""
        groups: dict[tuple[str, ...], list[int]] = {}
        for i, a in enumerate(actions):
            groups.setdefault(tuple(a), []).append(i)
        width = max(map(len, groups), default=0)
        out = np.zeros((len(actions), width), dtype=np.intp)
        for keys, members in groups.items():
            order = hashed.orders.get(keys)
            if order is None:
                order = hashed.orders[keys] = sorted(keys)
            feats = [actions[i] for i in members]
            columns: list[list[int | None]] = []
            for key in order:
                values = [f[key] for f in feats]
                known = hashed.by_name.get(("A", key))
                column: list[int | None] = list(map(known.get, values)) if known is not None else [None]
                if None in column:
                    column = [self._feature(hashed, "A", key, v) for v in values]
                columns.append(column)
            if columns:
                out[members, :len(order)] = np.array(columns, dtype=np.intp).T
        return out

    def scores(self, shared: Features, actions: Sequence[Features]) -> npt.NDArray[np.float32]:
        """Each action's cost estimate, exactly VW's ``partial_prediction``."""
        hashed = self._hashed
        if len(hashed.ids) >= KNOWN_MAX:
            with self._lock:
                hashed = self._hashed = _Hashed()
        k = len(actions)
        ids = self._rows(hashed, actions)
        s_ids = np.array(self._row(hashed, "S", shared), dtype=np.intp)
        a_hash, a_value = hashed.hashes[ids], hashed.values[ids]
        sh, sv = hashed.hashes[s_ids], hashed.values[s_ids]
        w, mask = self._weights, self._mask
        linear = w[(a_hash & mask).astype(np.intp)] * a_value  # padding: value 0, adds nothing
        constant = np.full((k, 1), w[int(np.uint64(CONSTANT_HASH) & mask)], dtype=np.float32)
        shared_terms = np.broadcast_to(w[(sh & mask).astype(np.intp)] * sv, (k, len(sh)))
        # S outer, A inner, as VW walks a quadratic interaction
        quad_index = ((sh[None, :, None] * np.uint64(FNV_PRIME)) ^ a_hash[:, None, :]) & mask
        quad = w[quad_index.astype(np.intp)] * (sv[None, :, None] * a_value[:, None, :])
        terms = np.concatenate([linear, constant, shared_terms, quad.reshape(k, -1)], axis=1)
        return np.add.accumulate(terms, axis=1, dtype=np.float32)[:, -1]  # sequential, as VW sums

    def pmf(self, shared: Features, actions: Sequence[Features]) -> list[float]:
        """VW's epsilon-greedy probabilities, in action order (float32 values as VW's)."""
        scores = self.scores(shared, actions)
        k = len(actions)
        order = np.argsort(scores, kind="stable")  # VW's order: lowest cost first, then index
        ranked = scores[order]
        best = ranked[0]
        # VW's ``are_same_rel``: |a − b| ≤ 1e-4 · (|a| + |b|), in float32, from the best on
        same = np.abs(ranked - best) <= TIE_TOLERANCE * (np.abs(ranked) + np.abs(best))
        tied = k if same.all() else int(np.argmin(same))
        prob = np.float32(self._epsilon / np.float32(k))
        top = np.float32(prob + np.float32((np.float32(1.0) - self._epsilon) / np.float32(tied)))
        out = [float(prob)] * k
        for i in order[:tied]:
            out[int(i)] = float(top)
        return out
