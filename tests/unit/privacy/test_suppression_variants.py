"""No spelling of an erased identifier that identity would resolve to it gets past the suppression
list (property-based): identity's normaliser and the list's keys are one (NFKC and fullwidth forms,
case, mailbox-provider folding, dots, +tags, phone formats national and international)."""

from __future__ import annotations

from dataclasses import replace

import orjson
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from frontoffice.domain.events import EventRecord
from frontoffice.normalise.keys import identifier_key
from frontoffice.vault.subjects import canonical, identifier_subjects, identifiers_of

BASE = EventRecord(message_id="m", family="tracking", type="identify", event=None, user_id=None,
                   anonymous_id=None, previous_id=None, group_id=None, timestamp="t",
                   original_timestamp=None, sent_at=None, received_at="t", payload=b"{}")
FOLDS_TAGS = ("gmail.com", "googlemail.com", "outlook.com", "posteo.de")
DOMAINS = (*FOLDS_TAGS, "example-shop.de")
ID_CHARS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789_-"


def _fullwidth(text: str, draw: st.DrawFn) -> str:
    """Some printable ASCII characters of ``text`` as their fullwidth forms (NFKC folds them back)."""
    flags = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    pairs = zip(text, flags, strict=True)
    return "".join(chr(ord(c) + 0xFEE0) if f and "!" <= c <= "~" else c for c, f in pairs)


def _cased(text: str, draw: st.DrawFn) -> str:
    flags = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.upper() if f else c for c, f in zip(text, flags, strict=True))


def _record(**traits: object) -> EventRecord:
    return replace(BASE, payload=orjson.dumps({"traits": traits}))


@st.composite
def email_and_variant(draw: st.DrawFn) -> tuple[str, str]:
    local = draw(st.from_regex(r"[a-z][a-z0-9]{1,10}(\.[a-z0-9]{1,8})?", fullmatch=True))
    domain = draw(st.sampled_from(DOMAINS))
    written = local
    if domain in ("gmail.com", "googlemail.com"):  # Gmail ignores dots and has two domains
        cuts = draw(st.sets(st.integers(1, len(local) - 1), max_size=3))
        written = "".join(("." if i in cuts else "") + c for i, c in enumerate(local.replace(".", "")))
        written = written.replace("..", ".").strip(".")
        domain = draw(st.sampled_from(("gmail.com", "googlemail.com")))
    if domain in FOLDS_TAGS and draw(st.booleans()):
        written += "+" + draw(st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True))
    variant = _cased(written, draw) + draw(st.sampled_from(("@", "＠", "﹫"))) + _cased(domain, draw)
    variant = _fullwidth(variant, draw) if draw(st.booleans()) else variant
    return f"{local}@{domain}", draw(st.sampled_from(("", " ", "\u3000"))) + variant


@st.composite
def phone_and_variant(draw: st.DrawFn) -> tuple[str, str, str | None]:
    """A German mobile number in E.164, a variant of it, and the country the variant's event names."""
    prefix = draw(st.sampled_from(("151", "160", "170", "176")))
    rest = draw(st.from_regex(r"[1-9][0-9]{6}", fullmatch=True))
    last = "" if prefix == "160" else draw(st.from_regex(r"[0-9]", fullmatch=True))
    number = "+49" + prefix + rest + last
    national = number[3:]
    sep = draw(st.sampled_from(("", " ", "-", " / ", ".")))
    groups = [national[:3], national[3:7], national[7:]]
    style = draw(st.sampled_from(("e164", "00", "national")))
    country: str | None = None
    if style == "national":
        written, country = "0" + sep.join(groups), "DE"
    else:
        written = ("+49" if style == "e164" else "0049") + sep + sep.join(groups)
    return number, (_fullwidth(written, draw) if draw(st.booleans()) else written), country


@st.composite
def id_and_variant(draw: st.DrawFn) -> tuple[str, str]:
    if draw(st.booleans()):
        value = str(draw(st.uuids()))
        return value, _fullwidth(value.upper(), draw)
    value = draw(st.text(ID_CHARS, min_size=3, max_size=24).filter(lambda t: t.strip("_-")))
    return value, draw(st.sampled_from(("", " "))) + _fullwidth(value, draw)


def _listed(erased: EventRecord, graph: list[tuple[str, str]]) -> tuple[set[str], set[str]]:
    """The suppression list an erasure writes now, and the one erasures wrote before identity's
    normaliser served the list (canonical forms of the graph's values and of the raw event)."""
    traits = orjson.loads(erased.payload).get("traits", {})
    old = {c for kind, value in graph if (c := canonical(kind, value))}
    old |= {c for kind, value in (("user_id", erased.user_id), ("anonymous_id", erased.anonymous_id),
                                  ("email", traits.get("email")), ("phone", traits.get("phone")))
            if (c := canonical(kind, value))}
    return identifier_subjects(graph) | identifiers_of(erased), old


def _graph(kind: str, value: str) -> list[tuple[str, str]]:
    """The identity graph's identifier of the erased value (values identity refuses, such as
    placeholders, are never in the graph: nobody is merged on them)."""
    normal = identifier_key(kind, value)
    assume(normal is not None)
    assert normal is not None
    return [(kind, normal.partition(":")[2])]


def _assert_suppressed(erased: EventRecord, graph: list[tuple[str, str]], variant: EventRecord,
                       kind: str, raw: str, country: str | None = None) -> None:
    assert identifier_key(kind, raw, country) == f"{kind}:{graph[0][1]}"  # identity: the same person
    new, old = _listed(erased, graph)
    assert identifiers_of(variant) & new, (raw, identifiers_of(variant))
    assert identifiers_of(variant) & old, (raw, "missed by a list written before the change")


@settings(max_examples=300, deadline=None)
@given(email_and_variant())
def test_no_spelling_of_an_erased_email_gets_past_the_suppression_list(case: tuple[str, str]) -> None:
    email, variant = case
    _assert_suppressed(_record(email=email), _graph("email", email), _record(email=variant), "email", variant)


@settings(max_examples=300, deadline=None)
@given(phone_and_variant())
def test_no_format_of_an_erased_phone_gets_past_the_suppression_list(
        case: tuple[str, str, str | None]) -> None:
    number, variant, country = case
    traits: dict[str, object] = {"phone": variant}
    if country:
        traits["address"] = {"country": country}
    _assert_suppressed(_record(phone=number), _graph("phone", number), _record(**traits), "phone", variant,
                       country)


@settings(max_examples=200, deadline=None)
@given(id_and_variant(), st.sampled_from(("user_id", "anonymous_id")))
def test_no_unicode_form_of_an_erased_id_gets_past_the_suppression_list(
        case: tuple[str, str], kind: str) -> None:
    value, variant = case
    erased = replace(BASE, **{kind: value})  # type: ignore[arg-type]
    _assert_suppressed(erased, _graph(kind, value), replace(BASE, **{kind: variant}),  # type: ignore[arg-type]
                       kind, variant)


@given(email_and_variant())
def test_a_consent_capture_under_a_variant_of_an_erased_email_is_suppressed(case: tuple[str, str]) -> None:
    email, variant = case
    capture = replace(BASE, family="consent", type="consent.changed",
                      payload=orjson.dumps({"subject": f"email:{variant}"}))
    _assert_suppressed(_record(email=email), _graph("email", email), capture, "email", variant)
