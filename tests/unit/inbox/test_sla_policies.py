"""SLA policies per priority, channel and segment on business-hours calendars per team and region;
next-response rounds; warnings, breaches and the escalation a breach or an angry VIP causes. On
fakes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontoffice.errors import InvalidInput
from frontoffice.inbox import intake, service, slas, team
from frontoffice.inbox.sla import Calendar, Targets, add_business_seconds
from frontoffice.inbox.sla_policy import Policy, choose
from tests.fakes.inbox import MONDAY_10, FakeCustomers, FakeSegments, fake_desk
from tests.unit.inbox.mails import customer_mail

WS = "ws1"
HOURS = {"first_response_hours": 1, "next_response_hours": 1, "resolution_hours": 1}


def policy(pid: str, priority: str | None = None, channel: str | None = None,
           segment: str | None = None) -> Policy:
    return Policy(pid, priority, channel, segment, Targets(1, 1, 1))


def test_the_most_specific_matching_policy_wins_and_the_priority_has_built_in_targets() -> None:
    policies = [policy("any-chat", channel="chat"), policy("vip-chat", channel="chat", segment="vip"),
                policy("urgent", priority="urgent")]
    assert choose(policies, "normal", "chat", lambda s: s == "vip").policy_id == "vip-chat"
    assert choose(policies, "normal", "chat", lambda s: False).policy_id == "any-chat"
    assert choose(policies, "normal", "email", lambda s: True).policy_id == "built-in:normal"


def test_a_regions_public_holidays_stop_the_clock_where_the_countrys_do_not() -> None:
    berlin = Calendar.parse("Europe/Berlin", "DE", "09:00-17:00")
    bavaria = Calendar.parse("Europe/Berlin", "DE", "09:00-17:00", subdivision="BY")
    tuesday_16 = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)  # Epiphany (6 January) is Bavarian only
    assert add_business_seconds(berlin, tuesday_16, 2 * 3600) == datetime(2027, 1, 6, 9, 0, tzinfo=UTC)
    assert add_business_seconds(bavaria, tuesday_16, 2 * 3600) == datetime(2027, 1, 7, 9, 0, tzinfo=UTC)


def test_a_vip_chat_runs_on_the_vip_chat_policy_in_its_teams_calendar_and_moves_with_the_priority() -> None:
    desk = fake_desk(segments=FakeSegments({("p1", "vip")}),
                     customers=FakeCustomers(people={("email", "ann@example.com"): "p1"}))
    slas.save_policy(desk, WS, "vip-chat", {"channel": "chat", "segment": "vip", **HOURS,
                                            "first_response_hours": 0.5}, MONDAY_10)
    slas.save_policy(desk, WS, "vip-chat-urgent", {"priority": "urgent", "channel": "chat", "segment": "vip",
                                                   **HOURS, "resolution_hours": 4}, MONDAY_10)
    slas.save_calendar(desk, WS, "tokyo", {"timezone": "Asia/Tokyo", "country": "JP", "hours": "09:00-18:00",
                                           "teams": ["jp"]}, MONDAY_10)
    team.configure_agent(desk, WS, "kenji", {"languages": ["en"], "team": "jp"}, MONDAY_10)
    item = intake.Incoming("chat", "c1", "email", "ann@example.com", "Ann", "", "hello", ())
    t = service.ticket(desk, WS, intake.receive(desk, WS, item, MONDAY_10).ticket_id or "")
    clock = t.doc["sla"]
    assert (t.assignee, clock["policy"], clock["calendar"]) == ("kenji", "vip-chat", "tokyo")
    # Monday 18:00 in Tokyo: closed; half an hour after Tuesday's 09:00 opening
    assert clock["first_response_due"] == "2026-12-08T00:30:00+00:00"
    moved = service.update(desk, WS, t.ticket_id, {"priority": "urgent"}, "lead", MONDAY_10)
    assert moved.doc["sla"]["policy"] == "vip-chat-urgent"
    assert moved.doc["sla"]["resolution_due"] == "2026-12-08T04:00:00+00:00"  # 4 h from Tuesday 09:00 JST
    elsewhere = service.update(desk, WS, t.ticket_id, {"team": "eu"}, "lead", MONDAY_10)
    assert elsewhere.doc["sla"]["calendar"] == "default"  # Berlin: 4 h from Monday 10:00
    assert elsewhere.doc["sla"]["resolution_due"] == "2026-12-07T13:00:00+00:00"


def test_a_message_after_a_response_opens_a_next_response_round_warned_breached_and_escalated() -> None:
    desk = fake_desk()
    slas.save_policy(desk, WS, "fast", {**HOURS, "next_response_hours": 2, "first_response_hours": 8,
                                        "resolution_hours": 40}, MONDAY_10)
    team.configure_agent(desk, WS, "anna", {"languages": ["en"], "team": "eu"}, MONDAY_10)
    team.configure_agent(desk, WS, "lena", {"team": "eu", "lead": True}, MONDAY_10)
    tid = intake.receive_email(desk, WS, customer_mail("hello"), MONDAY_10).ticket_id or ""
    service.reply(desk, WS, tid, "anna", MONDAY_10 + timedelta(hours=1), text="Looking into it")
    again = customer_mail("still nothing?", message_id="<c2@example.com>")
    intake.receive_email(desk, WS, again, MONDAY_10 + timedelta(hours=2))  # 12:00 Berlin: due 14:00
    assert slas.sweep(desk, WS, MONDAY_10 + timedelta(hours=3, minutes=45)) == []
    since = (MONDAY_10 + timedelta(hours=2)).isoformat()
    assert service.ticket(desk, WS, tid).doc["sla"]["warned"] == [f"next_response@{since}"]
    late = MONDAY_10 + timedelta(hours=4, minutes=30)
    assert slas.sweep(desk, WS, late) == [(tid, "next_response")]
    assert slas.sweep(desk, WS, late) == []  # once per round
    t = service.ticket(desk, WS, tid)
    assert (t.assignee, "escalated" in t.doc["tags"]) == ("lena", True)
    assert t.doc["assignments"][-1]["reason"] == ("escalated: next response SLA breached; to lena, lead of "
                                                  "team eu, least loaded (0/10 open)")
    service.reply(desk, WS, tid, "lena", late, text="Sorry: here it is")
    assert service.ticket(desk, WS, tid).doc["next_responses"] == 1
    assert slas.sweep(desk, WS, late + timedelta(days=1)) == []  # answered: no round open


def test_a_pending_ticket_warns_and_breaches_nothing_until_the_customer_answers() -> None:
    desk = fake_desk()
    tid = intake.receive_email(desk, WS, customer_mail("hello"), MONDAY_10).ticket_id or ""
    service.reply(desk, WS, tid, "anna", MONDAY_10, text="Which size?", status="pending")
    assert slas.sweep(desk, WS, MONDAY_10 + timedelta(days=60)) == []
    assert "warned" not in service.ticket(desk, WS, tid).doc["sla"]


@pytest.mark.parametrize("doc, says", [
    ({"timezone": "Mars/Olympus", "hours": "09:00-17:00"}, "Unknown time zone 'Mars/Olympus'"),
    ({"timezone": "Europe", "hours": "09:00-17:00"}, "Unknown time zone 'Europe'"),
    ({"timezone": "UTC", "country": "XX", "hours": "09:00-17:00"}, "No public holidays for 'XX'"),
    ({"timezone": "UTC", "hours": "17:00-09:00"}, "close after they open"),
    ({"timezone": "UTC", "hours": "9 to 5"}, "HH:MM-HH:MM"),
])
def test_a_calendar_the_clock_cannot_run_on_is_refused_saying_what_to_give(doc: dict[str, str],
                                                                          says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        slas.save_calendar(fake_desk(), WS, "c", doc, MONDAY_10)


def test_a_policy_without_positive_targets_is_refused() -> None:
    with pytest.raises(InvalidInput, match="resolution_hours is the business hours"):
        slas.save_policy(fake_desk(), WS, "p", {**HOURS, "resolution_hours": 0}, MONDAY_10)


def test_an_agent_going_offline_hands_on_their_tickets_saying_they_are_offline() -> None:
    desk = fake_desk()
    team.configure_agent(desk, WS, "anna", {"languages": ["en"]}, MONDAY_10)
    tid = intake.receive_email(desk, WS, customer_mail("where is it"), MONDAY_10).ticket_id or ""
    team.configure_agent(desk, WS, "ben", {"languages": ["en"]}, MONDAY_10)
    team.configure_agent(desk, WS, "anna", {"presence": "offline"}, MONDAY_10)
    t = service.ticket(desk, WS, tid)
    assert t.assignee == "ben"
    assert t.doc["assignments"][-1]["reason"].startswith("re-routing: anna is offline; speaks en")


def test_an_angry_vip_with_no_lead_online_is_left_to_the_teams_queue_saying_so() -> None:
    desk = fake_desk(segments=FakeSegments({("p1", "vip")}),
                     customers=FakeCustomers(people={("email", "ann@example.com"): "p1"}))
    team.configure_agent(desk, WS, "anna", {"languages": ["en"], "team": "eu"}, MONDAY_10)
    team.configure_agent(desk, WS, "lena", {"team": "eu", "lead": True, "presence": "away"}, MONDAY_10)
    receipt = intake.receive_email(desk, WS, customer_mail("awful"), MONDAY_10)
    t = service.ticket(desk, WS, receipt.ticket_id or "")
    assert (t.assignee, "escalated" in t.doc["tags"]) == ("anna", True)
    assert t.doc["assignments"][-1]["reason"] == ("escalated: negative sentiment (0.9) from a VIP customer; "
                                                  "no lead online: left to team eu's queue")


def test_replaying_the_log_rebuilds_the_clocks_escalations_and_actions_exactly() -> None:
    import orjson

    from frontoffice.inbox import actions, model
    from tests.fakes.inbox import FakeInbox

    desk = fake_desk(customers=FakeCustomers(people={("email", "ann@example.com"): "p1"},
                                             orders={"p1": [{"order_id": "SO-1", "status": "pending"}]}))
    slas.save_policy(desk, WS, "fast", {**HOURS, "next_response_hours": 2}, MONDAY_10)
    slas.save_calendar(desk, WS, "bavaria", {"timezone": "Europe/Berlin", "country": "DE",
                                             "subdivision": "BY", "hours": "08:00-16:00", "teams": ["eu"]},
                       MONDAY_10)
    team.configure_agent(desk, WS, "anna", {"languages": ["en"], "team": "eu"}, MONDAY_10)
    team.configure_agent(desk, WS, "lena", {"team": "eu", "lead": True}, MONDAY_10)
    tid = intake.receive_email(desk, WS, customer_mail("hello"), MONDAY_10).ticket_id or ""
    service.reply(desk, WS, tid, "anna", MONDAY_10, text="On it", status="pending")
    intake.receive_email(desk, WS, customer_mail("and?", message_id="<c2@example.com>"), MONDAY_10)
    slas.sweep(desk, WS, MONDAY_10 + timedelta(days=3))
    actions.cancel(desk, WS, tid, "SO-1", "twice", "lena", MONDAY_10 + timedelta(days=3))
    replayed = FakeInbox()
    for rec in desk.inbox.log:  # type: ignore[attr-defined]
        model.apply(replayed, WS, rec.type, orjson.loads(rec.payload))
    assert replayed.tickets(WS) == desk.inbox.tickets(WS)
    assert replayed.messages(WS, tid) == desk.inbox.messages(WS, tid)
    for kind in ("agent", "sla_policy", "calendar"):
        assert replayed.entities(WS, kind) == desk.inbox.entities(WS, kind)
    t = replayed.tickets(WS)[0]
    assert (t.assignee, t.doc["sla"]["calendar"], t.doc["actions"][0]["action"]) == \
        ("lena", "bavaria", "cancel")


def test_the_customers_answer_ends_the_pause_and_the_clock_runs_again() -> None:
    desk = fake_desk()
    tid = intake.receive_email(desk, WS, customer_mail("hello"), MONDAY_10).ticket_id or ""
    due = service.ticket(desk, WS, tid).doc["sla"]["resolution_due"]
    service.reply(desk, WS, tid, "anna", MONDAY_10, text="Which size?", status="pending")
    answer = customer_mail("Size M", message_id="<c2@example.com>")
    intake.receive_email(desk, WS, answer, MONDAY_10 + timedelta(hours=2))
    t = service.ticket(desk, WS, tid)
    assert (t.status, t.doc["sla"]["paused_since"], t.doc["sla"]["paused_seconds"]) == ("open", None, 7200)
    assert t.doc["sla"]["resolution_due"] > due
    assert (tid, "resolution") in slas.sweep(desk, WS, MONDAY_10 + timedelta(days=30))
