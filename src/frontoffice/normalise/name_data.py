"""Name tables as data: surname spellings, titles and gendered endings.

Romanised forms are lower-case ASCII without spaces. Korean surnames are listed with the
conventional spelling first (Kim, Lee, Park: what passports and Latin records use), then
Revised Romanisation and other spellings. Chinese surnames list Wade-Giles, Cantonese and
Hokkien/Teochew spellings seen on documents from Hong Kong, Taiwan, Singapore and Malaysia.
"""

from __future__ import annotations

KR_SURNAMES: dict[str, tuple[str, ...]] = {
    "김": ("kim", "gim"), "이": ("lee", "yi", "rhee", "i", "ri", "ree"), "박": ("park", "bak", "pak"),
    "최": ("choi", "choe"), "정": ("jung", "jeong", "chung"), "강": ("kang", "gang"), "조": ("cho", "jo"),
    "윤": ("yoon", "yun"), "장": ("jang", "chang"), "임": ("lim", "im", "rim"), "한": ("han",),
    "오": ("oh", "o"), "서": ("seo", "suh"), "신": ("shin", "sin"), "권": ("kwon", "gwon"),
    "황": ("hwang",), "안": ("ahn", "an"), "송": ("song",), "류": ("ryu", "yoo", "yu", "ryoo"),
    "유": ("yoo", "yu"), "전": ("jeon", "jun", "chun"), "홍": ("hong",), "고": ("ko", "go"),
    "문": ("moon", "mun"), "양": ("yang",), "손": ("son", "sohn"), "배": ("bae",), "백": ("baek", "paik"),
    "허": ("heo", "hur", "huh"), "남": ("nam",), "심": ("shim", "sim"), "노": ("noh", "no", "roh"),
    "하": ("ha",), "곽": ("kwak", "gwak"), "성": ("sung", "seong"), "차": ("cha",), "주": ("joo", "ju"),
    "우": ("woo", "u"), "구": ("koo", "gu", "ku"), "민": ("min",), "진": ("jin",), "나": ("na", "ra"),
    "지": ("ji",), "엄": ("eom", "um"), "변": ("byun", "byeon"), "채": ("chae",), "원": ("won",),
    "천": ("cheon", "chun"), "방": ("bang",), "공": ("kong", "gong"), "현": ("hyun", "hyeon"),
    "함": ("ham",), "여": ("yeo", "yuh"), "염": ("yeom", "yum"), "추": ("choo", "chu"), "도": ("do", "doh"),
    "석": ("seok", "suk"), "선": ("sun", "seon"), "설": ("seol", "sul"), "마": ("ma",), "길": ("gil", "kil"),
    "연": ("yeon", "yun"), "표": ("pyo",), "명": ("myung", "myeong"), "기": ("ki", "gi"), "왕": ("wang",),
    "금": ("keum", "geum"), "육": ("yuk",), "인": ("in",), "탁": ("tak",), "국": ("kook", "guk"),
    "경": ("kyung", "gyeong"), "봉": ("bong",), "편": ("pyun", "pyeon"), "용": ("yong",), "예": ("ye",),
    "남궁": ("namgung", "namkoong"), "황보": ("hwangbo",), "제갈": ("jegal",), "선우": ("sunwoo", "seonu"),
    "독고": ("dokgo",),
}
"""Hangul surname → spellings, the conventional one first."""

CN_COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方", "皇甫", "夏侯", "慕容",
        "司徒", "公孙", "公孫", "长孙", "長孫", "尉迟", "尉遲", "令狐", "宇文", "轩辕", "軒轅", "澹台",
        "单于", "單于", "端木", "万俟", "萬俟",
    }
)
KR_COMPOUND_SURNAMES = frozenset(s for s in KR_SURNAMES if len(s) == 2)

CN_SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng", "单": "shan", "單": "shan", "解": "xie", "仇": "qiu", "区": "ou", "區": "ou",
    "朴": "piao", "查": "zha", "乐": "yue", "樂": "yue", "盖": "ge", "蓋": "ge", "缪": "miao", "繆": "miao",
    "翟": "zhai", "尉": "yu", "覃": "qin", "召": "shao", "秘": "bi", "折": "she", "种": "chong",
    "種": "chong", "员": "yun", "員": "yun", "柏": "bai", "薄": "bo", "繁": "po", "黑": "he", "纪": "ji",
    "牟": "mou", "逄": "pang", "宓": "fu", "隗": "wei", "冼": "xian", "洗": "xian", "相": "xiang",
    "葛": "ge", "贾": "jia", "賈": "jia", "谌": "chen", "句": "gou", "乜": "nie", "长孙": "zhangsun",
    "長孫": "zhangsun", "尉迟": "yuchi", "尉遲": "yuchi", "单于": "chanyu", "單于": "chanyu",
    "万俟": "moqi", "萬俟": "moqi", "澹台": "tantai",
}
"""Han surnames whose reading as a surname differs from pypinyin's most common reading."""

CN_SURNAME_SPELLINGS: dict[str, tuple[str, ...]] = {
    "wang": ("wong", "ong"), "huang": ("wong", "hwang", "ng", "ooi", "wee"), "li": ("lee", "lei"),
    "zhang": ("chang", "cheung", "teo", "chong"), "liu": ("lau", "lew", "lieu", "low"),
    "chen": ("chan", "chin", "tan", "ting"), "yang": ("yeung", "young", "yeo"), "zhao": ("chao", "chiu"),
    "wu": ("ng", "woo", "goh"), "zhou": ("chow", "chou", "chau"), "xu": ("hsu", "hui", "tsui", "koh"),
    "sun": ("suen", "soon", "sng"), "ma": ("mah",), "zhu": ("chu", "choo"), "hu": ("woo", "foo"),
    "guo": ("kuo", "kwok", "kwek"), "he": ("ho", "hor"), "lin": ("lam", "lim"), "gao": ("kao", "ko", "kou"),
    "luo": ("law", "lo", "loh"), "zheng": ("cheng", "cheang", "tay"), "liang": ("leung", "leong"),
    "xie": ("hsieh", "tse", "chia"), "song": ("sung",), "tang": ("tong", "tng"), "han": ("hon",),
    "feng": ("fung", "fong"), "deng": ("teng", "tang"), "cao": ("tsao", "tso"), "peng": ("pang", "phang"),
    "zeng": ("tseng", "tsang"), "xiao": ("hsiao", "siu"), "tian": ("tien", "tin"), "dong": ("tung",),
    "pan": ("poon", "phua"), "yuan": ("yuen",), "cai": ("tsai", "choi", "chua"), "jiang": ("chiang", "keung"),
    "yu": ("yue", "yee"), "du": ("tu", "to"), "ye": ("yeh", "yip"), "cheng": ("ching",), "wei": ("wai",),
    "su": ("soo", "so"), "lu": ("loo", "lo", "luk"), "ding": ("ting",), "shen": ("shum", "sim"),
    "yao": ("yiu",), "cui": ("tsui", "choi"), "zhong": ("chung",), "tan": ("tam", "tham"),
    "jin": ("kam", "chin"), "shi": ("shih", "sze", "sek"), "jia": ("chia",), "xia": ("hsia", "ha"),
    "fang": ("fong",), "zou": ("chow", "chau"), "xiong": ("hung",), "qiu": ("yau", "chiu", "khoo"),
    "qin": ("chin",), "xue": ("hsueh", "sit"), "yan": ("yim", "ngan"), "lei": ("lui", "louie"),
    "long": ("lung",), "gu": ("ku", "koo"), "gong": ("kung",), "qian": ("chien",),
}
"""Pinyin surname → spellings of it from other romanisation systems."""

CHINESE_COUNTRIES = frozenset({"CN", "HK", "TW", "MO", "SG", "MY"})
KOREAN_COUNTRIES = frozenset({"KR", "KP"})

TITLES = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "herr", "frau", "fr", "hr",
        "mme", "mlle", "jr", "sr", "ii", "iii", "г-н", "г-жа", "господин", "госпожа",
    }
)
"""Whole tokens dropped from Latin and Cyrillic names (compared without dots, case-folded)."""

CJK_HONORIFICS = ("さま", "さん", "様", "殿", "氏", "선생님", "씨", "님", "先生", "女士", "小姐")
"""Suffixes dropped from the end of Japanese, Korean and Chinese names (山田様 → 山田)."""

GENDERED_ENDINGS: tuple[tuple[str, str], ...] = (("", "a"), ("", "ova"), ("i", "a"), ("i", "aia"))
"""``(masculine, feminine)`` endings of the phonetic key: Ivanov/Ivanova, Aleksandr/Aleksandra,
Vishnevsky/Vishnevskaya, Kowalski/Kowalska. Keys that differ only by one of these pairs are
different people (often of one household), not spelling variants."""

GENDERED_MIN_STEM = 3
