"""The namesake pass in the live matcher, on SQLite and PostgreSQL: after a match run, a person
known by little more than a rare name joins the only other person of that name; namesakes whose
facts disagree, a pair a reviewer rejected and a common name stay apart."""

from __future__ import annotations

from typing import Any

from frontoffice.identity import review_service as identity_review
from frontoffice.identity.live_match import MatchConfig
from frontoffice.services import identity
from frontoffice.services.identity import IdentityHub
from frontoffice.storage.identity_review_sql import ReviewSql
from frontoffice.storage.identity_sql import IdentitySql
from frontoffice.storage.sql import SqlStore
from tests.integration.identity_review_support import model_json
from tests.integration.identity_support import Brand, brand, identify

CROWD = 150
"""People with names of their own, so that a name shared by two of them is rare (about 4 / 150
people of it expected by chance, under the 0.05 bar)."""
SYLLABLES = ("ba", "ko", "ri", "te", "lu", "mo", "vi", "sa", "de", "no", "pa", "gu")


def _word(i: int, ending: str) -> str:
    a, b, c = i % 12, i // 12 % 12, i // 144 % 12
    return (SYLLABLES[a] + SYLLABLES[b] + SYLLABLES[c] + ending).capitalize()


def send_crowd(b: Brand) -> None:
    b.send("web", *(identify(f"w-crowd-{i}", "2026-01-01T09:00:00Z", user=f"cus_crowd_{i}",
                             firstName=_word(i, "n"), lastName=_word(i * 7 + 3, "sky"),
                             address={"country": "DE"}) for i in range(CROWD)))


def modelled_brand(store: SqlStore) -> Brand:
    b = brand(store)
    ReviewSql(store).save_model(b.workspace_id, model_json(), 0)
    return b


def crowded_brand(store: SqlStore, *people: tuple[str, dict[str, Any]]) -> Brand:
    """A brand of ``CROWD`` web customers with distinct names (and logins), then ``people``
    (source, identify event), with the workspace's model."""
    b = modelled_brand(store)
    send_crowd(b)
    for source, event in people:
        b.send(source, event)
    return b


def zinaida(mid: str, **traits: Any) -> dict[str, Any]:
    return identify(mid, "2026-02-01T10:00:00Z", firstName="Zinaida", lastName="Vorontsova",
                    **({"address": {"country": "RU"}} | traits))


WEB_ZINAIDA = ("web", zinaida("w-zina", user="cus_zina", email="zina77@mail.ru", birthday="1961-01-02"))


def person_of(store: SqlStore, b: Brand, source: str, mid: str) -> str:
    rid = b.rid(source, mid)
    return IdentitySql(store).persons_of(b.workspace_id, [rid])[rid]


def test_a_profile_sharing_only_a_rare_name_joins_its_person_and_the_merge_says_why(store: SqlStore) -> None:
    b = crowded_brand(store, WEB_ZINAIDA, ("app", zinaida("a-zina", anon="anon-zina")))
    report = IdentityHub(store).match(b.workspace_id)
    assert report.namesakes == 1, report
    person = person_of(store, b, "web", "w-zina")
    assert person_of(store, b, "app", "a-zina") == person
    [merge] = [h for h in identity.history(store, b.workspace_id, person) if h["kind"] == "merged"]
    assert merge["evidence"]["rule"] == "namesake"
    assert merge["evidence"]["detail"].startswith("the only people named zinaida vorontsova, where about ")
    assert "no birth date, postcode, phone or email disagrees" in merge["evidence"]["detail"]
    assert "(namesake pass: joined below 0.05 expected)" in merge["evidence"]["detail"]


def test_the_namesake_pass_sees_the_merges_of_the_same_run(store: SqlStore) -> None:
    address = {"country": "RU", "postalCode": "190000"}
    receipt = ("pos", zinaida("R-zina", anon="anon-receipt", address=address))
    web = ("web", zinaida("w-zina", user="cus_zina", email="zina77@mail.ru", birthday="1961-01-02",
                          address=address))
    b = crowded_brand(store, web, receipt, ("app", zinaida("a-zina", anon="anon-zina")))
    report = IdentityHub(store).match(b.workspace_id)
    assert (report.merged, report.namesakes) == (1, 1), report  # the receipt by weight, then the profile
    person = person_of(store, b, "web", "w-zina")
    assert person_of(store, b, "pos", "R-zina") == person_of(store, b, "app", "a-zina") == person
    merges = [h for h in identity.history(store, b.workspace_id, person) if h["kind"] == "merged"]
    assert [h["evidence"]["rule"] for h in merges] == ["probabilistic", "namesake"]


def test_namesakes_whose_birth_dates_differ_stay_two_people(store: SqlStore) -> None:
    b = crowded_brand(store, WEB_ZINAIDA, ("pos", zinaida("R-zina", anon="anon-zina", birthday="1990-05-06")))
    assert IdentityHub(store).match(b.workspace_id).namesakes == 0
    assert person_of(store, b, "pos", "R-zina") != person_of(store, b, "web", "w-zina")


def test_a_common_name_joins_nobody(store: SqlStore) -> None:
    kims = [("web", identify(f"w-kim-{i}", "2026-02-01T10:00:00Z", user=f"cus_kim_{i}",
                             firstName=_word(i + 500, "jun"), lastName="Kim", address={"country": "KR"}))
            for i in range(10)]
    minjun = [("web", identify("w-minjun", "2026-02-01T11:00:00Z", user="cus_minjun", firstName="Minjun",
                               lastName="Kim", email="mj@naver.com", address={"country": "KR"})),
              ("app", identify("a-minjun", "2026-02-01T12:00:00Z", anon="anon-minjun", firstName="Minjun",
                               lastName="Kim", address={"country": "KR"}))]
    b = crowded_brand(store, *kims, *minjun)
    assert IdentityHub(store).match(b.workspace_id).namesakes == 0
    assert person_of(store, b, "app", "a-minjun") != person_of(store, b, "web", "w-minjun")


def test_a_pair_rejected_in_the_review_queue_is_not_joined_by_the_namesake_pass(store: SqlStore) -> None:
    b = modelled_brand(store)
    address = {"country": "RU", "postalCode": "190000"}
    b.send("web", identify("w-olimpiada", "2026-01-02T10:00:00Z", user="cus_olimpiada", firstName="Olimpiada",
                           lastName="Shcherbatova", email="olimp@mail.ru", address=address))
    b.send("pos", identify("R-olimpiada", "2026-01-03T10:00:00Z", anon="anon-olimpiada",
                           firstName="Olimpiada", lastName="Shcherbatova", address=address))
    hub = IdentityHub(store, MatchConfig(auto_weight=30))  # a brand that reviews what others merge
    assert hub.match(b.workspace_id).queued == 1
    [item] = identity_review.review_items(store, b.workspace_id)
    identity_review.decide(store, hub, b.workspace_id, item["id"], False, "user kim", "aunt and niece")
    # The brand grows and Olimpiada Shcherbatova becomes a rare name. Zinaida Vorontsova's two
    # profiles arrive too, and the same pass joins them.
    send_crowd(b)
    b.send(*WEB_ZINAIDA)
    b.send("app", zinaida("a-zina", anon="anon-zina"))
    report = hub.match(b.workspace_id)
    assert report.namesakes == 1, report
    assert person_of(store, b, "app", "a-zina") == person_of(store, b, "web", "w-zina")
    assert person_of(store, b, "pos", "R-olimpiada") != person_of(store, b, "web", "w-olimpiada")
