"""The inbox's pure rules: routing by skills, capacity and presence; SLA on business hours;
stripping quotes and signatures in six languages; reply headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontoffice.inbox import mail, sla
from frontoffice.inbox.quotes import strip_reply
from frontoffice.inbox.routing import Agent, Need, route
from frontoffice.inbox.sla import Calendar

BERLIN = Calendar.parse("Europe/Berlin", "DE", "09:00-17:00")


def agent(agent_id: str, languages: str = "en", capacity: int = 5, presence: str = "online",
          categories: tuple[str, ...] = (), vip: bool = False) -> Agent:
    return Agent(agent_id, agent_id, "team1", frozenset(languages.split(",")), frozenset(categories),
                 frozenset(), vip, capacity, presence)


def test_routing_picks_the_least_loaded_agent_who_speaks_the_language_and_says_why() -> None:
    agents = [agent("a", "en,de"), agent("b", "de"), agent("c", "ja")]
    choice = route(Need("de", "where_is_my_order", "email", False), agents, {"a": 3, "b": 1})
    assert choice.agent_id == "b"
    assert choice.reason == ("speaks de, handles where_is_my_order on email; "
                             "least loaded of 2 eligible (1/5 open)")


def test_routing_skips_agents_away_or_at_capacity_or_without_the_category() -> None:
    agents = [agent("a", presence="away"), agent("b", capacity=2), agent("c", categories=("praise",)),
              agent("d")]
    assert route(Need("en", "complaint", "email", False), agents, {"b": 2}).agent_id == "d"


def test_when_nobody_is_eligible_the_reason_lists_each_agent() -> None:
    choice = route(Need("ko", "other", "chat", False), [agent("a"), agent("b", "ko", presence="offline")], {})
    assert choice.agent_id is None
    assert choice.reason == "nobody eligible for ko/other/chat: a does not speak ko; b offline"


def test_equal_load_is_broken_by_agent_id_so_routing_is_repeatable() -> None:
    assert route(Need("en", "other", "email", False), [agent("z"), agent("m")], {}).agent_id == "m"


def test_business_time_skips_nights_weekends_and_german_holidays() -> None:
    friday_16 = datetime(2026, 12, 18, 15, 0, tzinfo=UTC)  # 16:00 in Berlin
    # 2 working hours from Friday 16:00: 1 h on Friday, then Monday 09:00 + 1 h
    assert sla.add_business_seconds(BERLIN, friday_16, 2 * 3600) == datetime(2026, 12, 21, 9, 0, tzinfo=UTC)
    before_christmas = datetime(2026, 12, 24, 15, 0, tzinfo=UTC)  # Thursday 16:00; 25th, 26th holidays
    assert sla.add_business_seconds(BERLIN, before_christmas, 2 * 3600) == \
        datetime(2026, 12, 28, 9, 0, tzinfo=UTC)


def test_business_seconds_between_counts_only_working_hours() -> None:
    friday_16 = datetime(2026, 12, 18, 15, 0, tzinfo=UTC)
    assert sla.business_seconds_between(BERLIN, friday_16, friday_16 + timedelta(days=3)) == 3600 * 8


def test_a_pause_moves_the_resolution_target_by_its_business_time() -> None:
    opened = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    high = sla.BUILT_IN["high"]
    plain, paused = sla.dues(BERLIN, high, opened, 0), sla.dues(BERLIN, high, opened, 3600)
    assert plain["first_response_due"] == paused["first_response_due"]
    later = datetime.fromisoformat(paused["resolution_due"]) - datetime.fromisoformat(plain["resolution_due"])
    assert later == timedelta(hours=1)


@pytest.mark.parametrize("reply, kept", [
    ("Thanks, that works.\n\nOn Mon, 7 Dec 2026 at 10:00, Shop <support@shop.example> wrote:\n> old",
     "Thanks, that works."),
    ("Danke!\n\nAm 07.12.2026 um 10:00 schrieb Shop <support@shop.example>:\n> alt", "Danke!"),
    ("ありがとうございます。\n\n2026年12月7日(月) 10:00 Shop <s@x.jp>:\n> 前", "ありがとうございます。"),
    ("감사합니다.\n\n2026년 12월 7일 (월) 오전 10:00, S <s@x.kr>님이 작성:\n> 이전", "감사합니다."),
    ("Спасибо!\n\n7 дек. 2026 г., в 10:00, Shop <support@shop.example> пишет:\n> старое", "Спасибо!"),
    ("谢谢！\n\n在 2026年12月7日 10:00，Shop <support@shop.example> 写道：\n> 旧", "谢谢！"),
    ("Got it.\n\n-----Original Message-----\nFrom: Shop", "Got it."),
    ("Alles klar.\n\nMit freundlichen Grüßen\nAnn", "Alles klar."),
    ("Ok\n\n--\nAnn Example\nCEO", "Ok"),
    ("了解です\n\niPhoneから送信", "了解です"),
    ("好的\n\n发自我的iPhone", "好的"),
    ("Хорошо\n\nОтправлено с iPhone", "Хорошо"),
    ("네 알겠습니다\n\niPhone에서 보냄", "네 알겠습니다"),
])
def test_quoted_replies_and_signatures_are_stripped_in_six_languages(reply: str, kept: str) -> None:
    assert strip_reply(reply) == kept


def test_a_message_that_is_only_a_quote_is_kept_whole() -> None:
    assert strip_reply("> forwarded text") == "> forwarded text"


def test_html_only_mail_is_read_as_text_without_scripts() -> None:
    assert mail.html_to_text("<p>Hello<br>there</p><script>alert(1)</script><p>&amp; bye</p>") == \
        "Hello\nthere\n& bye"


def test_the_subject_key_ignores_reply_prefixes_in_every_language_and_the_token() -> None:
    keys = {mail.subject_key(s) for s in ("Re: Order help", "AW: WG: order help", "回复：Order help",
                                          "Ответ: Order HELP [#T0123456789abcdef]", "Order help")}
    assert keys == {"order help"}
