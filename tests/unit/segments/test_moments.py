"""Moments' rules without a database: the frequency cap, quiet hours in the person's own time
zone, and templates in the person's language with their name written its way."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from frontoffice.outbound.templates import render
from frontoffice.segments.model import DAY_MS, InvalidDefinition
from frontoffice.segments.moments import parse_moment, precheck, quiet_until

MOMENT = parse_moment({"name": "tier_up", "entered": "big_spenders", "cap": {"max": 2, "days": 30},
                       "send": {"channel": "email", "template": "tier_up", "purpose": "marketing_email"},
                       "quiet_hours": {"from": 21, "to": 8}})


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


def test_the_frequency_cap_refuses_with_its_rule_and_counts_only_its_window() -> None:
    noon = ms("2026-12-07T12:00:00")
    assert precheck(MOMENT, noon, [noon - 40 * DAY_MS, noon - DAY_MS], "Europe/Berlin") is None
    refused = precheck(MOMENT, noon, [noon - 2 * DAY_MS, noon - DAY_MS], "Europe/Berlin")
    assert refused is not None and (refused.decision, refused.rule) == ("refused", "frequency-cap")
    assert refused.reason == "fired 2 time(s) in the last 30 days; the cap is 2"


def test_quiet_hours_follow_the_persons_time_zone_and_defer_to_their_end() -> None:
    at = ms("2026-12-07T13:30:00")  # 22:30 in Tokyo, 14:30 in Berlin
    assert quiet_until(MOMENT, at, "Europe/Berlin") is None
    deferred = precheck(MOMENT, at, [], "Asia/Tokyo")
    assert deferred is not None and (deferred.decision, deferred.rule) == ("deferred", "quiet-hours")
    assert deferred.resume_at == ms("2026-12-07T23:00:00")  # 08:00 the next morning in Tokyo
    assert quiet_until(MOMENT, at, "Not/AZone") is None  # unknown zone: UTC, where it is 13:30


@pytest.mark.parametrize(("variables", "subject", "greeting"), [
    ({"locale": "de-AT", "given": "Anna", "family": "Huber"}, "Neue Treuestufe erreicht", "Hallo Anna,"),
    ({"locale": "ja", "given": "太郎", "family": "山田"}, "会員ランクが上がりました", "山田 太郎 様"),
    ({"locale": "ko", "given": "민준", "family": "김"}, "새 등급에 도달했습니다", "김민준 님, 안녕하세요."),
    ({"locale": "zh", "given": "伟", "family": "王"}, "会员等级提升", "王伟，您好："),
    ({"locale": "ru", "given": "Ольга"}, "Новый уровень лояльности", "Здравствуйте, Ольга!"),
    ({"locale": "fr", "given": "Ann"}, "You have reached a new tier", "Hello Ann,"),
    ({"locale": "ja"}, "会員ランクが上がりました", "お客様"),
])
def test_a_template_speaks_the_persons_language_and_writes_their_name_its_way(
        variables: dict[str, str], subject: str, greeting: str) -> None:
    found_subject, body, _ = render("tier_up", variables)
    assert found_subject == subject and body.startswith(greeting)


def test_an_invalid_moment_names_its_path() -> None:
    with pytest.raises(InvalidDefinition) as caught:
        parse_moment({"name": "m", "entered": "s",
                      "send": {"channel": "fax", "template": "t", "purpose": "p"}})
    assert caught.value.path == "$.send.channel"
