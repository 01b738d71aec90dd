"""Deterministic, realistic omnichannel demo brand for trying out and evaluating frontoffice.

>>> from frontoffice.demo import generate, write
>>> brand = generate(seed=7, people=2000)          # doctest: +SKIP
>>> write(brand, Path("demo-data"))                # doctest: +SKIP
"""

from __future__ import annotations

from frontoffice.demo.brand import DemoBrand, TruthRow
from frontoffice.demo.generator import generate, write

__all__ = ["DemoBrand", "TruthRow", "generate", "write"]
