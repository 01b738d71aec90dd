"""A small brand for the live probabilistic tier: a web profile and a store receipt of the same
person in two scripts, and twins (web and store) that only a person can tell apart.

The model is trained once per session on a demo brand (Splink EM needs more than a handful of
records to learn from) and saved as the test workspace's model, as `frontoffice identity train`
would after a real load.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any

from frontoffice.demo import generate
from frontoffice.identity.probabilistic import train
from frontoffice.identity.review_store import ReviewSql
from frontoffice.storage.sql import SqlStore
from tests.integration.identity_support import Brand, brand, identify

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.identity_quality import demo_records  # noqa: E402


def _address(postcode: str, city: str, country: str, street: str = "") -> dict[str, str]:
    found = {"postalCode": postcode, "city": city, "country": country, "street": street}
    return {k: v for k, v in found.items() if v}


def _person(given: str, family: str, birthday: str, address: dict[str, str], **ids: str) -> dict[str, Any]:
    return {"firstName": given, "lastName": family, "birthday": birthday, "address": address, **ids}


IVANOV_WEB = _person("Sergei", "Ivanov", "1985-03-14", _address("101000", "Moskva", "RU"),
                     email="s.ivanov@mail.ru")
IVANOV_POS = _person("Сергей", "Иванов", "1985-03-14", _address("101000", "Москва", "RU"), loyaltyId="L-100")
ANNA_WEB = _person("Anna", "Schmidt", "2001-04-04", _address("80331", "München", "DE", "Lindenweg 3"),
                   email="anna.schmidt@posteo.de")
LENA_POS = _person("Lena", "Schmidt", "2001-04-04", _address("80331", "München", "DE", "Lindenweg 3"),
                   loyaltyId="L-200")


@functools.lru_cache(maxsize=1)
def model_json() -> str:
    return train(demo_records(generate(seed=7, people=300))).to_json()


def review_brand(store: SqlStore, name: str = "acme") -> Brand:
    """Web profiles first, store receipts later (a receipt's loyalty card is its userId)."""
    b = brand(store, name)
    ReviewSql(store).save_model(b.workspace_id, model_json(), 0)
    b.send("web", identify("w-ivanov", "2026-01-01T10:00:00Z", user="cus_ivanov", **IVANOV_WEB),
           identify("w-anna", "2026-01-01T10:05:00Z", user="cus_anna", **ANNA_WEB))
    b.send("pos", receipt("R-ivanov", "2026-02-01T12:00:00Z", IVANOV_POS),
           receipt("R-lena", "2026-02-01T12:30:00Z", LENA_POS))
    return b


def receipt(mid: str, ts: str, traits: dict[str, Any]) -> dict[str, Any]:
    return identify(mid, ts, user=traits["loyaltyId"], **traits)
