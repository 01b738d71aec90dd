"""Countries the demo brand sells in: cities, postcodes, streets, phone plans, email providers.

Phone templates are national significant numbers: ``N`` is a digit 2-9, ``X`` any digit; the
numbers drawn from them are checked with ``phonenumbers`` in :mod:`frontoffice.demo.phones`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

COUNTRIES = ("US", "DE", "JP", "KR", "CN", "RU")


@dataclass(frozen=True)
class City:
    name: str
    region: str
    postcode_lo: int
    postcode_hi: int
    landline: str
    districts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Country:
    code: str
    language: str
    locale: str
    currency: str
    utc_offset_hours: int
    cities: tuple[City, ...]
    streets: tuple[str, ...]
    mobile: tuple[str, ...]
    email_domains: tuple[str, ...]
    ip_prefixes: tuple[str, ...]


_US = Country(
    "US", "en", "en-US", "USD", -5,
    (
        City("New York", "NY", 10001, 10292, "212NXXXXXX"),
        City("Los Angeles", "CA", 90001, 90089, "213NXXXXXX"),
        City("Chicago", "IL", 60601, 60661, "312NXXXXXX"), City("Houston", "TX", 77001, 77099, "713NXXXXXX"),
        City("Seattle", "WA", 98101, 98199, "206NXXXXXX"), City("Boston", "MA", 2108, 2137, "617NXXXXXX"),
        City("Austin", "TX", 78701, 78759, "512NXXXXXX"), City("Miami", "FL", 33101, 33199, "305NXXXXXX"),
        City("Denver", "CO", 80201, 80239, "303NXXXXXX"),
        City("San Francisco", "CA", 94102, 94134, "415NXXXXXX"),
    ),
    ("Main", "Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Park", "Sunset",
     "Lincoln", "Jefferson", "Highland", "Madison"),
    (),  # US mobiles share the city's area codes
    ("gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com", "aol.com"),
    ("73", "98", "24", "68", "71"),
)
_DE = Country(
    "DE", "de", "de-DE", "EUR", 1,
    (
        City("Berlin", "Berlin", 10115, 14199, "30NXXXXXXX"),
        City("Hamburg", "Hamburg", 20095, 22769, "40NXXXXXXX"),
        City("München", "Bayern", 80331, 81929, "89NXXXXXXX"),
        City("Köln", "Nordrhein-Westfalen", 50667, 51149, "221NXXXXXX"),
        City("Frankfurt am Main", "Hessen", 60306, 60599, "69NXXXXXXX"),
        City("Stuttgart", "Baden-Württemberg", 70173, 70629, "711NXXXXXX"),
        City("Düsseldorf", "Nordrhein-Westfalen", 40210, 40629, "211NXXXXXX"),
        City("Leipzig", "Sachsen", 4103, 4357, "341NXXXXXX"),
    ),
    ("Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Goethestraße", "Gartenstraße", "Lindenallee",
     "Am Markt", "Kirchgasse", "Bergstraße", "Waldweg", "Schulstraße", "Friedrichstraße", "Mozartstraße",
     "Rosenweg"),
    ("151XXXXXXXX", "152XXXXXXXX", "160XXXXXXX", "170XXXXXXX", "171XXXXXXX", "176XXXXXXXX"),
    ("gmail.com", "web.de", "gmx.de", "t-online.de", "gmx.net", "posteo.de"),
    ("91", "84", "87", "93", "79"),
)
_JP = Country(
    "JP", "ja", "ja-JP", "JPY", 9,
    (
        City("新宿区", "東京都", 1600000, 1699999, "3NXXXXXXX"),
        City("渋谷区", "東京都", 1500000, 1509999, "3NXXXXXXX"),
        City("世田谷区", "東京都", 1540000, 1580099, "3NXXXXXXX"),
        City("大阪市北区", "大阪府", 5300000, 5310099, "6NXXXXXXX"),
        City("横浜市中区", "神奈川県", 2310000, 2310099, "45NXXXXXX"),
        City("名古屋市中区", "愛知県", 4600000, 4600099, "52NXXXXXX"),
        City("札幌市中央区", "北海道", 600000, 640099, "11NXXXXXX"),
        City("福岡市博多区", "福岡県", 8120000, 8120099, "92NXXXXXX"),
        City("京都市中京区", "京都府", 6040000, 6048999, "75NXXXXXX"),
    ),
    ("本町", "中央", "栄町", "緑町", "桜木町", "旭町", "新町", "東町", "西町", "南町", "錦", "神南"),
    ("90NXXXXXXX", "80NXXXXXXX", "70NXXXXXXX"),
    ("gmail.com", "yahoo.co.jp", "docomo.ne.jp", "icloud.com", "ezweb.ne.jp", "softbank.ne.jp"),
    ("126", "153", "118", "60", "133"),
)
_KR = Country(
    "KR", "ko", "ko-KR", "KRW", 9,
    (
        City(
            "서울특별시", "서울특별시", 1000, 8999, "2NXXXXXXX",
            ("강남구", "마포구", "송파구", "종로구", "서초구", "영등포구"),
        ),
        City("부산광역시", "부산광역시", 46000, 49999, "51NXXXXXX", ("해운대구", "부산진구", "수영구")),
        City("인천광역시", "인천광역시", 21000, 23999, "32NXXXXXX", ("연수구", "남동구", "부평구")),
        City("대구광역시", "대구광역시", 41000, 43999, "53NXXXXXX", ("수성구", "중구", "달서구")),
        City("대전광역시", "대전광역시", 34000, 35999, "42NXXXXXX", ("유성구", "서구")),
        City("성남시", "경기도", 13100, 13699, "31NXXXXXX", ("분당구", "수정구")),
    ),
    ("중앙로", "평화로", "시민로", "문화로", "번영로", "대학로", "역삼로", "한강대로", "은행로", "공원로"),
    ("10NXXXXXXX",),
    ("naver.com", "daum.net", "gmail.com", "hanmail.net", "kakao.com", "nate.com"),
    ("211", "121", "175", "58", "112"),
)
_CN = Country(
    "CN", "zh", "zh-CN", "CNY", 8,
    (
        City("北京市", "北京市", 100000, 102699, "10NXXXXXXX", ("朝阳区", "海淀区", "东城区", "西城区")),
        City("上海市", "上海市", 200000, 201999, "21NXXXXXXX", ("浦东新区", "徐汇区", "静安区", "黄浦区")),
        City("广州市", "广东省", 510000, 510999, "20NXXXXXXX", ("天河区", "越秀区", "海珠区")),
        City("深圳市", "广东省", 518000, 518999, "755NXXXXXXX", ("南山区", "福田区", "罗湖区")),
        City("成都市", "四川省", 610000, 610999, "28NXXXXXXX", ("武侯区", "锦江区", "青羊区")),
        City("杭州市", "浙江省", 310000, 310999, "571NXXXXXXX", ("西湖区", "上城区", "拱墅区")),
        City("武汉市", "湖北省", 430000, 430999, "27NXXXXXXX", ("武昌区", "江汉区", "洪山区")),
    ),
    ("人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "长江路", "胜利路", "文化路", "光明路"),
    ("139XXXXXXXX", "138XXXXXXXX", "186XXXXXXXX", "177XXXXXXXX", "150XXXXXXXX", "158XXXXXXXX", "189XXXXXXXX"),
    ("qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "139.com"),
    ("114", "223", "113", "36", "183"),
)
_RU = Country(
    "RU", "ru", "ru-RU", "RUB", 3,
    (
        City("Москва", "Москва", 101000, 129999, "495NXXXXXX"),
        City("Санкт-Петербург", "Санкт-Петербург", 190000, 199999, "812NXXXXXX"),
        City("Новосибирск", "Новосибирская область", 630000, 630999, "383NXXXXXX"),
        City("Екатеринбург", "Свердловская область", 620000, 620999, "343NXXXXXX"),
        City("Казань", "Республика Татарстан", 420000, 420999, "843NXXXXXX"),
        City("Нижний Новгород", "Нижегородская область", 603000, 603999, "831NXXXXXX"),
        City("Краснодар", "Краснодарский край", 350000, 350999, "861NXXXXXX"),
    ),
    ("ул. Ленина", "ул. Гагарина", "ул. Пушкина", "ул. Садовая", "ул. Советская", "ул. Молодёжная",
     "ул. Школьная", "ул. Лесная", "ул. Центральная", "ул. Профсоюзная", "пр-т Мира", "пр-т Ленина"),
    ("91NXXXXXXX", "92NXXXXXXX", "98NXXXXXXX", "90NXXXXXXX", "96NXXXXXXX"),
    ("yandex.ru", "mail.ru", "gmail.com", "rambler.ru", "bk.ru", "list.ru"),
    ("95", "178", "188", "46", "217"),
)

_BY_CODE = {c.code: c for c in (_US, _DE, _JP, _KR, _CN, _RU)}


def country(code: str) -> Country:
    try:
        return _BY_CODE[code]
    except KeyError:
        known = ", ".join(COUNTRIES)
        raise ValueError(f"unknown country {code!r}; the demo brand sells in {known}") from None


def postcode(code: str, n: int) -> str:
    if code == "JP":
        return f"{n // 10000:03d}-{n % 10000:04d}"
    return f"{n:06d}" if code in ("CN", "RU") else f"{n:05d}"


def street_address(rng: random.Random, code: str, city: City) -> str:
    """A street line as it is written locally (house number placement, blocks, flats)."""
    streets = country(code).streets
    street = rng.choice(streets)
    n = rng.randint(1, 199)
    if code == "US":
        suffix = rng.choice(("St", "Ave", "Blvd", "Rd", "Dr", "Ln"))
        unit = f", Apt {rng.randint(1, 30)}{rng.choice('ABCD')}" if rng.random() < 0.3 else ""
        return f"{rng.randint(10, 9999)} {street} {suffix}{unit}"
    if code == "DE":
        return f"{street} {n}{rng.choice(('', '', '', 'a', 'b'))}"
    if code == "JP":
        room = f" {rng.choice(('サンハイツ', 'メゾン', 'コーポ'))}{rng.randint(1, 9)}0{rng.randint(1, 9)}"
        return f"{street}{rng.randint(1, 5)}丁目{rng.randint(1, 30)}-{rng.randint(1, 20)}" + (
            room if rng.random() < 0.4 else ""
        )
    if code == "KR":
        flat = f" {rng.randint(101, 112)}동 {rng.randint(1, 25)}0{rng.randint(1, 4)}호"
        return f"{rng.choice(city.districts)} {street} {n}" + (flat if rng.random() < 0.6 else "")
    if code == "CN":
        unit = f"{rng.randint(1, 30)}栋{rng.randint(1, 30)}0{rng.randint(1, 4)}室"
        return f"{rng.choice(city.districts)}{street}{n}号{unit}"
    return f"{street}, д. {n}, кв. {rng.randint(1, 300)}"
