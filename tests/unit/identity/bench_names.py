"""Speed of name keys and name similarity, and how often Japanese kanji names meet their readings.

Not a test (pytest does not collect it): run ``.venv/bin/python -m tests.unit.identity.bench_names``.
It belongs in ``bench/`` once the identity package lands there.
"""

from __future__ import annotations

import random
import time

from frontoffice.normalise import name_keys, name_similarity
from frontoffice.normalise.name_data_jp import JP_NAME_READINGS
from frontoffice.normalise.translit import romanise

_GIVEN = {
    "US": ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Emily"],
    "DE": ["Lukas", "Anna", "Jürgen", "Julia", "Björn", "Sören", "Bärbel", "Käthe", "Jörg", "Dörte"],
    "RU": ["Александр", "Анна", "Алексей", "Мария", "Дмитрий", "Елена", "Сергей", "Наталья", "Юлия", "Фёдор"],
    "JP": ["太郎", "花子", "翔太", "陽菜", "大輔", "結衣", "健太", "美咲", "たろう", "Shota"],
    "KR": ["민준", "서연", "서준", "서윤", "도윤", "지우", "Min-jun", "Seo-yeon", "Ji-hoon", "하준"],
    "CN": ["伟", "芳", "娜", "秀英", "敏", "静", "Wei", "Fang", "Xiuying", "浩然"],
}
_FAMILY = {
    "US": [
        "Smith",
        "Johnson",
        "Williams",
        "Brown",
        "Jones",
        "Garcia",
        "Miller",
        "O'Brien",
        "McDonald",
        "Lee",
    ],
    "DE": [
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Schäfer",
        "Weiß",
        "Groß",
        "Köhler",
    ],
    "RU": [
        "Иванов",
        "Смирнов",
        "Кузнецов",
        "Попов",
        "Соколов",
        "Ivanova",
        "Petrov",
        "Фёдоров",
        "Зайцев",
        "Щербаков",
    ],
    "JP": ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "やまだ", "Sato", "Satoh", "山本"],
    "KR": ["김", "이", "박", "최", "정", "Kim", "Lee", "Park", "Choi", "강"],
    "CN": ["王", "李", "张", "刘", "陈", "Wang", "Li", "Zhang", "Wong", "黄"],
}

# Japanese names and readings NOT in JP_NAME_READINGS: how the dictionary reader alone does on
# common names.
HELD_OUT_JP = {
    "given": (
        "大地 だいち|海斗 かいと|琴音 ことね|真央 まお|香織 かおり|純子 じゅんこ|"
        "京子 きょうこ|拓 たく|大介 だいすけ|浩之 ひろゆき|秀樹 ひでき|正樹 まさき|"
        "康介 こうすけ|亮太 りょうた|翔平 しょうへい|悠 ゆう|涼 りょう|駿 しゅん|"
        "智也 ともや|優 ゆう|彩乃 あやの|美紀 みき|良子 よしこ|弘子 ひろこ|"
        "和子 かずこ|和也 かずや|達也 たつや|雄一 ゆういち|麻衣 まい|美穂 みほ|"
        "愛子 あいこ|七瀬 ななせ|健二 けんじ|剛史 たけし|恵美 えみ|裕太 ゆうた|"
        "結子 ゆいこ|陽子 ようこ|美奈子 みなこ"
    ),
    "family": (
        "山下 やました|中島 なかじま|石井 いしい|岡田 おかだ|長谷川 はせがわ|村上 むらかみ|"
        "遠藤 えんどう|青木 あおき|坂本 さかもと|福田 ふくだ|太田 おおた|西村 にしむら|"
        "藤井 ふじい|金子 かねこ|岡本 おかもと|藤原 ふじわら|中野 なかの|三浦 みうら|"
        "原田 はらだ|中川 なかがわ|松田 まつだ|竹内 たけうち|小野 おの|田村 たむら|"
        "中山 なかやま|和田 わだ|石田 いしだ|森田 もりた|上田 うえだ|柴田 しばた|"
        "酒井 さかい|工藤 くどう|横山 よこやま|宮崎 みやざき|宮本 みやもと|内田 うちだ|"
        "高木 たかぎ|安藤 あんどう|島田 しまだ|谷口 たにぐち"
    ),
}


def _rows(text: str) -> list[tuple[str, str]]:
    return [(kanji, kana) for kanji, kana in (row.split() for row in text.split("|"))]


def _japanese_rate(rows: list[tuple[str, str]], given: bool) -> tuple[int, int]:
    """How many kanji names score >= 0.9 against their kana reading (with a fixed other part)."""
    hits = 0
    for kanji, kana in rows:
        a = name_keys(kanji, "山田", "JP") if given else name_keys("太郎", kanji, "JP")
        b = name_keys(kana, "やまだ", "JP") if given else name_keys("たろう", kana, "JP")
        hits += name_similarity(a, b) >= 0.9
    return hits, len(rows)


def _japanese_speed(rng: random.Random) -> tuple[float, float]:
    """name_keys/s on Japanese names with cold caches: 20k records from a pool of common names, and
    10k whose given names (two names run together, ``翔太美咲``) are all distinct, so that every one
    goes through the reader."""
    kanji = [r[0] for part in HELD_OUT_JP.values() for r in _rows(part)] + list(JP_NAME_READINGS)
    kana = [r[1] for part in HELD_OUT_JP.values() for r in _rows(part)]
    pool = kanji + kana + _GIVEN["JP"] + _FAMILY["JP"]
    records = [(rng.choice(pool), rng.choice(pool), "JP") for _ in range(20_000)]
    distinct = list(
        dict.fromkeys((rng.choice(kanji) + rng.choice(kanji), rng.choice(kanji), "JP") for _ in range(12_000))
    )
    rates = []
    for batch in (records, distinct[:10_000]):
        name_keys.cache_clear()
        romanise.cache_clear()
        start = time.perf_counter()
        for r in batch:
            name_keys(*r)
        rates.append(len(batch) / (time.perf_counter() - start))
    return rates[0], rates[1]


def main() -> None:
    rng = random.Random(1)
    countries = list(_GIVEN)
    records = []
    for i in range(100_000):
        country = rng.choice(countries)
        # a suffix on 30% of records makes the name population large, as in a real batch
        suffix = "" if rng.random() < 0.7 else rng.choice("abcdefghij") * (1 + i % 3)
        records.append((rng.choice(_GIVEN[country]) + suffix, rng.choice(_FAMILY[country]), country))
    name_keys.cache_clear()
    start = time.perf_counter()
    keys = [name_keys(*r) for r in records]
    cold = time.perf_counter() - start
    start = time.perf_counter()
    keys = [name_keys(*r) for r in records]
    warm = time.perf_counter() - start
    name_similarity.cache_clear()
    pairs = [(keys[i], keys[(i * 7919 + 1) % len(keys)]) for i in range(len(keys))]
    start = time.perf_counter()
    for a, b in pairs:
        name_similarity.__wrapped__(a, b)
    uncached = time.perf_counter() - start
    distinct = len(set(records))
    unique = [(f"{g}{i}", f, c) for i, (g, f, c) in enumerate(records[:20_000])]
    start = time.perf_counter()
    for r in unique:
        name_keys(*r)
    all_distinct = time.perf_counter() - start
    print(f"name_keys, 100k records ({distinct} distinct names), cold caches: {len(records) / cold:,.0f}/s")
    print(f"name_keys, 100k records, warm cache: {len(records) / warm:,.0f}/s")
    print(f"name_keys, 20k records with all-distinct given names: {len(unique) / all_distinct:,.0f}/s")
    print(f"name_similarity, 100k different pairs, uncached: {len(pairs) / uncached:,.0f}/s")
    pooled, distinct_jp = _japanese_speed(rng)
    print(f"name_keys, 20k Japanese records (kanji, kana, romaji), cold caches: {pooled:,.0f}/s")
    print(f"name_keys, 10k Japanese records with all-distinct kanji given names: {distinct_jp:,.0f}/s")
    for part in ("given", "family"):
        rows = [r for r in _rows(HELD_OUT_JP[part]) if r[0] not in JP_NAME_READINGS]
        hits, total = _japanese_rate(rows, part == "given")
        print(f"Japanese {part} names not in the readings table, kanji vs kana >= 0.9: {hits}/{total}")
    listed = [(k, v[0]) for k, v in JP_NAME_READINGS.items()]
    hits, total = _japanese_rate(listed, True)
    print(f"Japanese names in the readings table, kanji vs first reading >= 0.9: {hits}/{total}")


if __name__ == "__main__":
    main()
