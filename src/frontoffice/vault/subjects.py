"""Whose data an event record is: its subject, and every identifier it carries.

A subject and an identifier are both written ``kind:value`` (the consent subject form).

- The *subject* decides which key encrypts the record. Its form (:func:`canonical`: e-mail
  addresses lower-cased, phone numbers reduced to their digits, everything else stripped) names
  the subject keys already stored, so it never changes.
- The *identifiers* decide whether an erased person's suppression list stops the record. Each
  is keyed in every form it may be listed under (:func:`matching_keys`): identity's normal form
  (the one normaliser, :mod:`frontoffice.normalise.keys`: NFKC, case and mailbox-provider
  folding, E.164), and the canonical forms of the raw and of the normal value, the only forms
  erasures stored before identity's normaliser served the list too. A variant identity would
  resolve to an erased identifier (``ＡＮＡ＠googlemail.com``, fullwidth digits, a national
  number) is therefore on the list.

Pure functions: no I/O.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from frontoffice.domain.events import EventRecord
from frontoffice.normalise import Normalised, normalise_order_ref, quoted_order
from frontoffice.normalise.keys import identifier_key, record_country

COMMERCE_FAMILY = "commerce"
CONSENT_FAMILY = "consent"
INBOX_FAMILY = "inbox"
CUSTOMER_KINDS = ("user_id", "email", "buyer_id", "phone")  # commerce ``customer`` fields, in order
# the inbox's ``customer``: commerce's kinds, and a social profile's ``network:handle`` (its
# anonymous id)
INBOX_CUSTOMER_KINDS = (*CUSTOMER_KINDS, "anonymous_id")
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


def _customer_kinds(record: EventRecord) -> tuple[str, ...]:
    return INBOX_CUSTOMER_KINDS if record.family == INBOX_FAMILY else CUSTOMER_KINDS


def _customer(payload: Mapping[str, Any], kinds: tuple[str, ...] = CUSTOMER_KINDS) -> list[str]:
    customer = payload.get("customer")
    if not isinstance(customer, dict):
        return []
    return [c for kind in kinds if (c := canonical(kind, customer.get(kind)))]


def matching_keys(kind: str, value: object, country: str | None = None) -> frozenset[str]:
    """Every ``kind:value`` the suppression list may hold ``value`` under: its canonical form,
    identity's normal form, and the canonical form of that (``phone:4915…`` for ``+4915…``).
    ``country``: the region of a phone number written without its country code."""
    if value is None or isinstance(value, (dict, list, bool)):
        return frozenset()
    return _matching_keys(kind, str(value), country)


@functools.lru_cache(maxsize=1 << 16)
def _matching_keys(kind: str, text: str, country: str | None) -> frozenset[str]:
    """Cached: admitting a batch keys the same ids and contacts again and again."""
    legacy = canonical(kind, text)
    if legacy is None:
        return frozenset()
    normal = identifier_key(kind, text, country)
    if normal is None:
        return frozenset((legacy,))
    return frozenset((legacy, normal, canonical(kind, normal.partition(":")[2]) or normal))


def _subject_keys(subject: str, country: str | None = None) -> frozenset[str]:
    kind, sep, value = subject.partition(":")
    return matching_keys(kind.strip(), value, country) if sep else frozenset()


def _order_ref(properties: object) -> str | None:
    """``order_ref:VALUE`` of the order a tracking event quotes, as the identity graph (whose
    identifiers an erasure lists) normalises it: ``#ord 1001`` is ``order_ref:ORD1001``."""
    raw = quoted_order(properties)
    ref = normalise_order_ref(raw) if raw else None
    return canonical("order_ref", ref.value) if isinstance(ref, Normalised) else None


def subject_of(record: EventRecord) -> str | None:
    """The one subject whose key encrypts this record: userId, else anonymousId, else for a
    commerce record its customer (user_id, e-mail, buyer id, phone — the first given), for an
    inbox record its customer likewise (or a social profile's anonymous id), for a consent record
    its ``subject``. None: the record is about nobody (stock, prices...)."""
    if record.user_id:
        return canonical("user_id", record.user_id)
    if record.anonymous_id:
        return canonical("anonymous_id", record.anonymous_id)
    if record.family in (COMMERCE_FAMILY, INBOX_FAMILY):
        keys = _customer(_payload(record), _customer_kinds(record))
        return keys[0] if keys else None
    if record.family == CONSENT_FAMILY:
        subject = _payload(record).get("subject")
        return canonical_subject(subject) if isinstance(subject, str) else None
    return None


def identifiers_of(record: EventRecord) -> set[str]:
    """Every identifier of the record the suppression list is checked against, in each form it
    may be listed under (:func:`matching_keys`): its ids, the e-mail and phone in its traits, the
    order it quotes, a commerce record's customer, a consent record's subject, and its subject."""
    payload = _payload(record)
    context = payload.get("context")
    context = context if isinstance(context, dict) else {}
    blocks = [b for b in (context.get("traits"), payload.get("traits")) if isinstance(b, dict)]
    country = record_country({k: v for b in blocks for k, v in b.items()}, context)
    found: set[str] = set()
    for kind, value in (("user_id", record.user_id), ("anonymous_id", record.anonymous_id),
                        ("user_id", record.previous_id), ("anonymous_id", record.previous_id)):
        found |= matching_keys(kind, value)  # an alias's previousId: either kind
    for block in blocks:
        for kind in TRAIT_KINDS:
            found |= matching_keys(kind, block.get(kind), country)
    customer = payload.get("customer")
    if isinstance(customer, dict):
        for kind in _customer_kinds(record):
            found |= matching_keys(kind, customer.get(kind), country)
    if quoted := _order_ref(payload.get("properties")):
        found.add(quoted)  # a call or message about an erased person's order, from anywhere
    if record.family == COMMERCE_FAMILY and (order := canonical("order", payload.get("order_id"))):
        found.add(order)  # an erased person's orders: their late shipments and returns stop too
    subject = payload.get("subject") if record.family == CONSENT_FAMILY else None
    if isinstance(subject, str):
        found |= _subject_keys(subject, country)
    if (own := subject_of(record)) is not None:
        found.add(own)
    return found


def identifier_subjects(pairs: Iterable[tuple[str, str]]) -> set[str]:
    """Identity-graph identifiers ``(kind, value)`` as every key the suppression list needs."""
    return {key for kind, value in pairs for key in matching_keys(kind, value)}
