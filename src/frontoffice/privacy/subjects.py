"""Whose data an event record is: its subject, and every identifier it carries.

A subject and an identifier are both written ``kind:value`` (the consent subject form), with
the value canonicalised so the same person's value written twice gives the same string:
e-mail addresses lower-cased, phone numbers reduced to their digits, everything else stripped.
The subject decides which key encrypts the record; the identifiers decide whether an erased
person's suppression list stops it. Pure functions: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from frontoffice.domain.events import EventRecord
from frontoffice.identity.normalise import Normalised, normalise_order_ref, quoted_order

COMMERCE_FAMILY = "commerce"
CONSENT_FAMILY = "consent"
CUSTOMER_KINDS = ("user_id", "email", "buyer_id", "phone")  # commerce ``customer`` fields, in order
TRAIT_KINDS = ("email", "phone")


def canonical(kind: str, value: object) -> str | None:
    """``kind:value`` in canonical form, or None when there is no value."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    if kind == "email":
        text = text.lower()
    elif kind == "phone":
        text = "".join(ch for ch in text if ch.isdigit())
    return f"{kind}:{text}" if text else None


def canonical_subject(subject: str) -> str | None:
    """A ``kind:value`` string given from outside (a consent subject), canonicalised."""
    kind, sep, value = subject.partition(":")
    return canonical(kind.strip(), value) if sep else None


def _payload(record: EventRecord) -> Mapping[str, Any]:
    try:
        data = orjson.loads(record.payload)
    except orjson.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def _customer(payload: Mapping[str, Any]) -> list[str]:
    customer = payload.get("customer")
    if not isinstance(customer, dict):
        return []
    return [c for kind in CUSTOMER_KINDS if (c := canonical(kind, customer.get(kind)))]


def _order_ref(properties: object) -> str | None:
    """``order_ref:VALUE`` of the order a tracking event quotes, as the identity graph (whose
    identifiers an erasure lists) normalises it: ``#ord 1001`` is ``order_ref:ORD1001``."""
    raw = quoted_order(properties)
    ref = normalise_order_ref(raw) if raw else None
    return canonical("order_ref", ref.value) if isinstance(ref, Normalised) else None


def subject_of(record: EventRecord) -> str | None:
    """The one subject whose key encrypts this record: userId, else anonymousId, else for a
    commerce record its customer (user_id, e-mail, buyer id, phone — the first given), for a
    consent record its ``subject``. None: the record is about nobody (stock, prices...)."""
    if record.user_id:
        return canonical("user_id", record.user_id)
    if record.anonymous_id:
        return canonical("anonymous_id", record.anonymous_id)
    if record.family == COMMERCE_FAMILY:
        keys = _customer(_payload(record))
        return keys[0] if keys else None
    if record.family == CONSENT_FAMILY:
        subject = _payload(record).get("subject")
        return canonical_subject(subject) if isinstance(subject, str) else None
    return None


def identifiers_of(record: EventRecord) -> set[str]:
    """Every identifier of the record the suppression list is checked against: its ids, the
    e-mail and phone in its traits, the order it quotes, a commerce record's customer, a consent
    record's subject."""
    found = {c for kind, value in (("user_id", record.user_id),
                                   ("anonymous_id", record.anonymous_id),
                                   ("user_id", record.previous_id),
                                   ("anonymous_id", record.previous_id))  # alias: either
             if (c := canonical(kind, value))}
    payload = _payload(record)
    traits: list[Any] = [payload.get("traits")]
    context = payload.get("context")
    if isinstance(context, dict):
        traits.append(context.get("traits"))
    for block in traits:
        if isinstance(block, dict):
            found.update(c for kind in TRAIT_KINDS if (c := canonical(kind, block.get(kind))))
    found.update(_customer(payload))
    if quoted := _order_ref(payload.get("properties")):
        found.add(quoted)  # a call or message about an erased person's order, from anywhere
    if record.family == COMMERCE_FAMILY and (order := canonical("order", payload.get("order_id"))):
        found.add(order)  # an erased person's orders: their late shipments and returns stop too
    subject = subject_of(record)
    if subject:
        found.add(subject)
    return found


def identifier_subjects(pairs: Iterable[tuple[str, str]]) -> set[str]:
    """Identity-graph identifiers ``(kind, value)`` as canonical ``kind:value`` strings."""
    return {c for kind, value in pairs if (c := canonical(kind, value))}
