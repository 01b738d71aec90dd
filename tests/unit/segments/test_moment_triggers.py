"""Moments' triggers and actions as data, and when a date moment comes for one person: at its hour
on their day where they live, a 29 February kept on the 28th, an anniversary from the year after
the first purchase, a day already begun firing at once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import orjson
import pytest

from frontoffice.outbound.provider import HttpProvider, outcome, sign, verify
from frontoffice.outbound.templates import render
from frontoffice.segments.model import InvalidDefinition
from frontoffice.segments.moment_dates import next_due
from frontoffice.segments.moments import parse_moment


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


@pytest.mark.parametrize("doc", [
    {"name": "rated", "event": {"event": "Rating Given", "where": {"score": "5"}},
     "task": {"template": "thank_you", "purpose": "essential"}},
    {"name": "crm", "entered": "gold", "webhook": {"destination": "crm"}},
    {"name": "bday", "date": {"kind": "birthday", "hour": 9},
     "send": {"channel": "sms", "template": "birthday", "purpose": "marketing_sms"}},
    {"name": "nba", "date": {"kind": "first_purchase_anniversary", "hour": 10},
     "offer": {"channel": "email", "placement": "anniversary", "purpose": "personalisation"}},
])
def test_every_trigger_and_action_reads_back_as_it_was_written(doc: dict[str, object]) -> None:
    saved = parse_moment(doc).as_dict()
    assert parse_moment(saved) == parse_moment(doc)
    assert {k: v for k, v in saved.items() if k != "cap"} == doc


@pytest.mark.parametrize(("doc", "path"), [
    ({"name": "m", "entered": "s", "event": {"event": "X"}, "task": {"template": "t"}}, "$"),
    ({"name": "m", "entered": "s"}, "$"),
    ({"name": "m", "date": {"kind": "nameday"}, "task": {"template": "t"}}, "$.date.kind"),
    ({"name": "m", "event": {"event": "X", "within_days": 3}, "task": {"template": "t"}},
     "$.event.within_days"),
    ({"name": "m", "entered": "s", "offer": {"channel": "fax"}}, "$.offer.channel"),
])
def test_a_moment_has_exactly_one_trigger_and_one_action_and_errors_name_the_path(
        doc: dict[str, object], path: str) -> None:
    with pytest.raises(InvalidDefinition) as caught:
        parse_moment(doc)
    assert caught.value.path == path


def test_a_birthday_comes_at_its_hour_where_the_person_lives() -> None:
    now = ms("2026-11-01T12:00:00")
    seoul = next_due("birthday", date(1990, 11, 2), 9, "Asia/Seoul", now)
    los_angeles = next_due("birthday", date(1990, 11, 2), 9, "America/Los_Angeles", now)
    assert (seoul.at, seoul.occurrence) == (ms("2026-11-02T00:00:00"), "birthday 2026-11-02")
    assert los_angeles.at == ms("2026-11-02T17:00:00")
    assert next_due("birthday", date(1990, 11, 2), 9, "Not/AZone", now).at == ms("2026-11-02T09:00:00")


def test_a_day_already_begun_is_due_at_once_and_the_next_comes_a_year_later() -> None:
    now = ms("2026-11-02T06:00:00")  # 15:00 on 2 November in Seoul
    today = next_due("birthday", date(1990, 11, 2), 9, "Asia/Seoul", now)
    assert (today.at, today.occurrence) == (now, "birthday 2026-11-02")
    after = next_due("birthday", date(1990, 11, 2), 9, "Asia/Seoul", now, after=date(2026, 11, 2))
    assert (after.at, after.occurrence) == (ms("2027-11-02T00:00:00"), "birthday 2027-11-02")


def test_a_leap_day_birthday_is_kept_on_the_28th_and_an_anniversary_waits_a_year() -> None:
    now = ms("2027-01-10T00:00:00")
    assert next_due("birthday", date(2000, 2, 29), 9, "UTC", now).occurrence == "birthday 2027-02-28"
    assert next_due("first_purchase_anniversary", date(2027, 1, 5), 9, "UTC", now).occurrence == \
        "first_purchase_anniversary 2028-01-05"


def test_the_provider_signature_holds_only_for_the_body_it_signs() -> None:
    body = b'{"status":"delivered"}'
    assert verify("s3cret", body, sign("s3cret", body))
    assert not verify("s3cret", b'{"status":"bounced"}', sign("s3cret", body))
    assert not verify("s3cret", body, None)


@pytest.mark.parametrize(("status", "tried", "expected"), [
    (202, 1, ("sent", "HTTP 202 accepted")),
    (400, 1, ("bounced", "HTTP 400: the provider refused it; not retried")),
    (429, 1, ("retrying", "HTTP 429")),
    (503, 3, ("failed", "HTTP 503")),
    (None, 1, ("retrying", "ConnectTimeout")),
])
def test_a_provider_refusal_is_a_bounce_and_anything_else_is_retried_until_the_last_attempt(
        status: int | None, tried: int, expected: tuple[str, str]) -> None:
    response = None if status is None else httpx.Response(status)
    assert outcome(response, "ConnectTimeout", tried, 3) == expected


@pytest.mark.parametrize(("variables", "text"), [
    ({"locale": "ja", "given": "太郎", "family": "山田"}, "山田 太郎 様、お誕生日おめでとうございます。"),
    ({"locale": "zh-CN", "given": "伟", "family": "王"}, "王伟，祝您生日快乐！"),
    ({"locale": "ru", "given": "Ольга", "family": "Иванова"}, "С днём рождения, Ольга!"),
])
def test_an_sms_speaks_the_persons_language_and_writes_their_name_its_way(
        variables: dict[str, str], text: str) -> None:
    title, body, locale = render("birthday", variables)
    sent = orjson.loads(HttpProvider("http://sms", "s", "http://fo").payload("ws", "m1", "sms", "+1", locale,
                                                                             title, body))
    assert (sent["text"], sent["locale"]) == (text, variables["locale"][:2])
    assert sent["status_callback"] == "http://fo/outbound/v1/workspaces/ws/messages/m1/status"
