"""Size systems per product category, shared by people (true size) and the catalogue (variants)."""

from __future__ import annotations

APPAREL = ("XS", "S", "M", "L", "XL", "XXL")
WAIST = ("W26", "W28", "W30", "W32", "W34", "W36", "W38")
SHOE = tuple(f"EU{n}" for n in range(36, 47))

CATEGORY_SIZES: dict[str, tuple[str, ...]] = {
    "dresses": APPAREL,
    "shirts": APPAREL,
    "jackets": APPAREL,
    "knitwear": APPAREL,
    "jeans": WAIST,
    "shoes": SHOE,
}
CATEGORIES = tuple(CATEGORY_SIZES)


def sizes_for(category: str) -> tuple[str, ...]:
    try:
        return CATEGORY_SIZES[category]
    except KeyError:
        raise ValueError(f"unknown category {category!r}; known: {', '.join(CATEGORIES)}") from None
