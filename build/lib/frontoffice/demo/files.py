"""Writing a demo brand to disk. All files are UTF-8; NDJSON files hold one object per line.

Files and their fields:

- ``events.ndjson``: Segment-spec events in time order: ``type`` (identify, track, page,
  screen, alias), ``messageId``, ``timestamp`` (ISO-8601, ``Z``), ``anonymousId`` and/or
  ``userId``, then ``event`` + ``properties`` (track), ``name`` + ``properties`` (page/screen),
  ``traits`` (identify) or ``previousId`` (alias), and ``context`` with ``source`` (web, app,
  marketplace, email, call_centre, social, chat), ``channel``, ``locale`` and, for browsers and
  apps, ``ip``, ``userAgent``, ``device``/``os``/``app``; ``context.traits`` on some.
- ``pos.csv``: one till receipt per row, columns in :data:`frontoffice.demo.pos.POS_COLUMNS`.
- ``pos.mapping.yaml``: the ``frontoffice import`` mapping (docs/import.md) that turns a
  ``pos.csv`` row into an identify call; an empty cell means "not given" and is left out.
- ``marketplace.ndjson``: buyer aliases (record_id, marketplace, buyer_id, display_name,
  email, ship_to_name, ship_to_street, ship_to_city, ship_to_postcode, ship_to_phone, country,
  first_seen).
- ``catalogue.json``: ``{"suppliers": [...], "products": [...]}``; products have product_id,
  name, category, colour, supplier_ids, base_price_usd and variants (sku, size).
- ``locations.json``: warehouses and stores (location_id, kind, name, street, city, postcode,
  region, country, phone, capabilities among ship, bopis, boss, bodfs, curbside, boris).
- ``stock.json``: location_id, sku, product_id, on_hand, committed, incoming.
- ``prices.json``: product_id, channel, currency, list_price, price, percent_off,
  promotion_id, valid_from, valid_to (dates inclusive; a promotion overrides the everyday row).
- ``orders.ndjson``: order_id, channel, marketplace, placed_at, currency, user_id, buyer_id,
  email, phone, customer_name, ship_to, lines (line_no, sku, product_id, name, category, size,
  qty, unit_price, list_price, promotion_id, fulfilment, location_id), total.
- ``shipments.ndjson``: shipment_id, order_id, location_id, mode, carrier, line_nos,
  shipped_at, promised_by, delivered_at (null when failed), status (delivered, failed).
- ``returns.ndjson``: return_id, order_id, line_no, sku, size, qty, reason, method (mail,
  boris), requested_at, received_at, location_id, refund_amount, currency.
- ``messages.ndjson``: message_id, channel (email, chat, social, marketplace), language,
  sent_at, sender (an email address, a chat id, the social profile's ``network:handle`` or
  the marketplace's ``marketplace:buyer id``), sender_name, subject, body, order_id.
- ``ground_truth.csv``: record_id, kind, person_id — the true person behind every record
  above. For evaluation only; person ids appear in no other file.
- ``summary.json``: counts per country and file, return rate, cross-script people and more.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson
import yaml

from frontoffice.demo.brand import DemoBrand
from frontoffice.demo.pos import POS_COLUMNS
from frontoffice.errors import InvalidInput

POS_MAPPING: dict[str, Any] = {
    "type": "identify",
    "message_id": {"column": "receipt_id"},
    "anonymous_id": {"column": "receipt_id"},
    "user_id": {"column": "loyalty_id"},
    "timestamp": {"column": "purchased_at"},
    "traits": {
        "name": {"column": "name"},
        "phone": {"column": "phone"},
        "email": {"column": "email"},
        "birthday": {"column": "birth_date"},
        "loyaltyId": {"column": "loyalty_id"},
        "address": {
            "street": {"column": "street"},
            "city": {"column": "city"},
            "postalCode": {"column": "postcode"},
            "country": {"column": "country"},
        },
    },
    "properties": {
        "store_id": {"column": "store_id"},
        "amount": {"column": "amount", "type": "float"},
        "currency": {"column": "currency"},
    },
}
_HEADER = (
    "# A `frontoffice import` mapping (docs/import.md): each pos.csv row becomes an identify\n"
    "# call of the pos source. Literal values are used as they are; {column: X} takes column X.\n"
    "# birth_date is typed in local formats (MM/DD/YYYY, DD.MM.YYYY, YYYY/MM/DD, ...).\n"
)


def _ndjson(path: Path, items: Iterable[Any]) -> None:
    with path.open("wb") as fh:
        fh.writelines(orjson.dumps(item, option=orjson.OPT_APPEND_NEWLINE) for item in items)


def _json(path: Path, value: Any) -> None:
    path.write_bytes(orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n")


def _csv(path: Path, header: Iterable[str], rows: Iterable[Iterable[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_brand(brand: DemoBrand, out_dir: Path) -> dict[str, Path]:
    """Write all files of ``brand`` into ``out_dir``; returns file name → path, in a fixed order."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InvalidInput(f"{out_dir} exists and is not a directory; choose another output directory")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        name: out_dir / name
        for name in (
            "events.ndjson", "pos.csv", "pos.mapping.yaml", "marketplace.ndjson", "catalogue.json",
            "locations.json", "stock.json", "prices.json", "orders.ndjson", "shipments.ndjson",
            "returns.ndjson", "messages.ndjson", "ground_truth.csv", "summary.json",
        )
    }
    _ndjson(paths["events.ndjson"], brand.events)
    _csv(paths["pos.csv"], POS_COLUMNS, ([row[c] for c in POS_COLUMNS] for row in brand.pos_rows))
    paths["pos.mapping.yaml"].write_text(
        _HEADER + yaml.safe_dump(POS_MAPPING, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    _ndjson(paths["marketplace.ndjson"], brand.marketplace_aliases)
    _json(paths["catalogue.json"], {"suppliers": brand.suppliers, "products": brand.products})
    _json(paths["locations.json"], brand.locations)
    _json(paths["stock.json"], brand.stock)
    _json(paths["prices.json"], brand.prices)
    _ndjson(paths["orders.ndjson"], brand.orders)
    _ndjson(paths["shipments.ndjson"], brand.shipments)
    _ndjson(paths["returns.ndjson"], brand.returns)
    _ndjson(paths["messages.ndjson"], brand.messages)
    _csv(paths["ground_truth.csv"], ("record_id", "kind", "person_id"),
         ((t.record_id, t.kind, t.person_id) for t in brand.ground_truth))
    _json(paths["summary.json"], brand.summary)
    return paths
