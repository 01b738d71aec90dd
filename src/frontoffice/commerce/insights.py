"""Commerce read models for the console: the projected orders, returns, products and alerts
read in one query (SQLAlchemy Core, rows by name), and per product the return rate and reasons
of each supplier, so two suppliers of one product can be compared side by side; the same
figures summed per product and per supplier (as ``traits.product_view`` counts them)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy as sa

from frontoffice.commerce.traits import ORDERS_NOT_COUNTED, PROBLEM_REASONS
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema


def documents(store: SqlStore, ws: str, kinds: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
    """The current documents of ``kinds`` in the workspace, by kind."""
    entities = schema(store.dialect).tables["commerce_entities"]
    statement = (sa.select(entities.c.kind, entities.c.doc)
                 .where(entities.c.workspace_id == ws, entities.c.kind.in_(kinds))
                 .order_by(entities.c.kind, entities.c.entity_id))
    found: dict[str, list[dict[str, Any]]] = {k: [] for k in kinds}
    with store.connect() as conn:
        for row in conn.execute(statement):
            found[row.kind].append(orjson.loads(row.doc))
    return found


@dataclass
class SupplierLine:
    """One supplier of one product: units sold and returned, why, and the problem returns."""

    product_id: str
    supplier_id: str
    sold: int = 0
    returned: int = 0
    problems: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    @property
    def return_rate(self) -> float:
        return self.returned / self.sold if self.sold else 0.0


@dataclass(frozen=True, slots=True)
class ProductSuppliers:
    product_id: str
    name: str
    suppliers: list[SupplierLine]


def by_product_and_supplier(store: SqlStore, ws: str) -> list[ProductSuppliers]:
    """Every product with its suppliers' figures (a line's supplier is its ``supplier_id``, else
    the product's first listed supplier; problems are defect returns and lines on a failed
    delivery, as the product view counts them); products with the most suppliers first."""
    docs = documents(store, ws, ("order", "return", "variant", "product", "alert"))
    failed = {a["order_id"] for a in docs["alert"] if a["type"] == "shipment.failed"}
    variants = {v["sku"]: v for v in docs["variant"]}
    names = {p["product_id"]: p.get("name", "") for p in docs["product"]}
    lines: dict[tuple[str, str], SupplierLine] = {}
    line_of: dict[tuple[str, int], SupplierLine] = {}
    for order in docs["order"]:
        if order["status"] in ORDERS_NOT_COUNTED:
            continue
        for line in order["lines"]:
            variant = variants.get(line["sku"], {})
            product = variant.get("product_id", line["sku"])
            supplier = line.get("supplier_id") or (variant.get("supplier_ids") or ["unknown"])[0]
            entry = lines.setdefault((product, supplier), SupplierLine(product, supplier))
            entry.sold += line["qty"]
            entry.problems += line["qty"] if order["order_id"] in failed else 0
            line_of[(order["order_id"], line["line_no"])] = entry
    for r in docs["return"]:
        returned = line_of.get((r["order_id"], r["line_no"]))
        if returned is None or r["status"] == "cancelled":
            continue
        returned.returned += r["qty"]
        returned.reasons[r["reason"]] += r["qty"]
        returned.problems += r["qty"] if r["reason"] in PROBLEM_REASONS else 0
    grouped: dict[str, list[SupplierLine]] = defaultdict(list)
    for (product, _), entry in sorted(lines.items()):
        grouped[product].append(entry)
    return sorted((ProductSuppliers(p, names.get(p, ""), s) for p, s in grouped.items()),
                  key=lambda p: (-len(p.suppliers), p.product_id))


def rates(products: list[ProductSuppliers], by: str) -> list[dict[str, Any]]:
    """The figures summed ``by`` "product" or "supplier": the most problems first, then returns."""
    sums: dict[str, SupplierLine] = {}
    for product in products:
        for line in product.suppliers:
            key = line.product_id if by == "product" else line.supplier_id
            total = sums.setdefault(key, SupplierLine(line.product_id, line.supplier_id))
            total.sold += line.sold
            total.returned += line.returned
            total.problems += line.problems
            total.reasons.update(line.reasons)
    return sorted(({"id": key, "units_sold": s.sold, "units_returned": s.returned,
                    "return_rate": round(s.return_rate, 3), "problems": s.problems,
                    "problem_rate": round(s.problems / s.sold, 3) if s.sold else 0.0,
                    "return_reasons": dict(s.reasons)} for key, s in sums.items()),
                  key=lambda row: (-row["problem_rate"], -row["return_rate"], row["id"]))
