"""Hand-written name tables for Japan, Korea and China, with the romanisations people use.

Japanese rows carry kanji, hiragana and Hepburn-style romaji spellings (the first is the common
passport spelling; ``ou``/``oh`` long-vowel variants follow). Korean given names are written in
Revised Romanisation with a hyphen (``Min-jun``); the joined (``Minjun``) and spaced
(``Min Jun``) forms are derived in :mod:`frontoffice.demo.names`. Chinese rows give pinyin first,
then Wade-Giles or Cantonese spellings seen on foreign-issued documents.
Rows are ordered from most to least common.
"""

from __future__ import annotations

JpFamilyRow = tuple[str, str, tuple[str, ...]]
JpGivenRow = tuple[str, str, str, tuple[str, ...]]
HanFamilyRow = tuple[str, tuple[str, ...]]
HanGivenRow = tuple[str, str, tuple[str, ...]]

JP_FAMILY: tuple[JpFamilyRow, ...] = (
    ("佐藤", "さとう", ("Sato", "Satou", "Satoh")), ("鈴木", "すずき", ("Suzuki",)),
    ("高橋", "たかはし", ("Takahashi",)), ("田中", "たなか", ("Tanaka",)),
    ("伊藤", "いとう", ("Ito", "Itou", "Itoh")), ("渡辺", "わたなべ", ("Watanabe",)),
    ("山本", "やまもと", ("Yamamoto",)), ("中村", "なかむら", ("Nakamura",)),
    ("小林", "こばやし", ("Kobayashi",)), ("加藤", "かとう", ("Kato", "Katou", "Katoh")),
    ("吉田", "よしだ", ("Yoshida",)), ("山田", "やまだ", ("Yamada",)), ("佐々木", "ささき", ("Sasaki",)),
    ("山口", "やまぐち", ("Yamaguchi",)), ("松本", "まつもと", ("Matsumoto",)),
    ("井上", "いのうえ", ("Inoue",)), ("木村", "きむら", ("Kimura",)), ("林", "はやし", ("Hayashi",)),
    ("斎藤", "さいとう", ("Saito", "Saitou", "Saitoh")), ("清水", "しみず", ("Shimizu", "Simizu")),
    ("山崎", "やまざき", ("Yamazaki", "Yamasaki")), ("森", "もり", ("Mori",)),
    ("池田", "いけだ", ("Ikeda",)), ("橋本", "はしもと", ("Hashimoto",)), ("阿部", "あべ", ("Abe",)),
    ("石川", "いしかわ", ("Ishikawa",)), ("前田", "まえだ", ("Maeda",)),
    ("藤田", "ふじた", ("Fujita", "Huzita")), ("小川", "おがわ", ("Ogawa",)),
    ("後藤", "ごとう", ("Goto", "Gotou", "Gotoh")), ("近藤", "こんどう", ("Kondo", "Kondou", "Kondoh")),
    ("大野", "おおの", ("Ono", "Ohno", "Oono")),
)

JP_GIVEN: tuple[JpGivenRow, ...] = (
    ("m", "太郎", "たろう", ("Taro", "Tarou", "Taroh")), ("f", "花子", "はなこ", ("Hanako",)),
    ("m", "翔太", "しょうた", ("Shota", "Shouta", "Syota")), ("f", "陽菜", "ひな", ("Hina",)),
    ("m", "大輔", "だいすけ", ("Daisuke",)), ("f", "結衣", "ゆい", ("Yui",)),
    ("m", "健太", "けんた", ("Kenta",)), ("f", "美咲", "みさき", ("Misaki",)),
    ("m", "拓也", "たくや", ("Takuya",)), ("f", "さくら", "さくら", ("Sakura",)),
    ("m", "直樹", "なおき", ("Naoki",)), ("f", "葵", "あおい", ("Aoi",)), ("m", "蓮", "れん", ("Ren",)),
    ("f", "凛", "りん", ("Rin",)), ("m", "悠真", "ゆうま", ("Yuma", "Yuuma")), ("f", "愛", "あい", ("Ai",)),
    ("m", "陽翔", "はると", ("Haruto",)), ("f", "優子", "ゆうこ", ("Yuko", "Yuuko", "Yuhko")),
    ("m", "湊", "みなと", ("Minato",)), ("f", "恵子", "けいこ", ("Keiko",)),
    ("m", "大和", "やまと", ("Yamato",)), ("f", "由美", "ゆみ", ("Yumi",)),
    ("m", "誠", "まこと", ("Makoto",)), ("f", "真由美", "まゆみ", ("Mayumi",)),
    ("m", "浩二", "こうじ", ("Koji", "Kouji", "Kohji")), ("f", "彩", "あや", ("Aya",)),
    ("m", "隆", "たかし", ("Takashi",)), ("f", "芽依", "めい", ("Mei",)),
    ("m", "一郎", "いちろう", ("Ichiro", "Ichirou")), ("f", "千尋", "ちひろ", ("Chihiro",)),
    ("m", "健一", "けんいち", ("Kenichi", "Ken'ichi")),
)

KR_FAMILY: tuple[HanFamilyRow, ...] = (
    ("김", ("Kim", "Gim")), ("이", ("Lee", "Yi", "Rhee")), ("박", ("Park", "Bak", "Pak")),
    ("최", ("Choi", "Choe")), ("정", ("Jung", "Jeong", "Chung")), ("강", ("Kang", "Gang")),
    ("조", ("Cho", "Jo")), ("윤", ("Yoon", "Yun")), ("장", ("Jang", "Chang")), ("임", ("Lim", "Im")),
    ("한", ("Han",)), ("오", ("Oh", "O")), ("서", ("Seo", "Suh")), ("신", ("Shin", "Sin")),
    ("권", ("Kwon", "Gwon")), ("황", ("Hwang",)), ("안", ("Ahn", "An")), ("송", ("Song",)),
    ("류", ("Ryu", "Yoo", "Yu")), ("전", ("Jeon", "Jun", "Chun")), ("홍", ("Hong",)),
    ("고", ("Ko", "Go")), ("문", ("Moon", "Mun")), ("양", ("Yang",)), ("손", ("Son", "Sohn")),
    ("배", ("Bae",)), ("백", ("Baek", "Paik")),
)

KR_GIVEN: tuple[HanGivenRow, ...] = (
    ("m", "민준", ("Min-jun",)), ("f", "서연", ("Seo-yeon",)), ("m", "서준", ("Seo-jun",)),
    ("f", "서윤", ("Seo-yun",)), ("m", "도윤", ("Do-yun",)), ("f", "지우", ("Ji-u", "Ji-woo")),
    ("m", "예준", ("Ye-jun",)), ("f", "서현", ("Seo-hyeon", "Seo-hyun")), ("m", "시우", ("Si-u", "Si-woo")),
    ("f", "민서", ("Min-seo",)), ("m", "하준", ("Ha-jun",)), ("f", "하은", ("Ha-eun",)),
    ("m", "주원", ("Ju-won",)), ("f", "하윤", ("Ha-yun",)), ("m", "지호", ("Ji-ho",)),
    ("f", "윤서", ("Yun-seo", "Yoon-seo")), ("m", "지훈", ("Ji-hun", "Ji-hoon")), ("f", "지민", ("Ji-min",)),
    ("m", "준서", ("Jun-seo",)), ("f", "수빈", ("Su-bin", "Soo-bin")), ("m", "현우", ("Hyeon-u", "Hyun-woo")),
    ("f", "지아", ("Ji-a", "Ji-ah")), ("m", "동현", ("Dong-hyeon", "Dong-hyun")), ("f", "예은", ("Ye-eun",)),
    ("m", "성민", ("Seong-min", "Sung-min")), ("f", "은지", ("Eun-ji",)),
    ("m", "상훈", ("Sang-hun", "Sang-hoon")),
    ("f", "혜진", ("Hye-jin",)), ("m", "영호", ("Yeong-ho", "Young-ho")),
    ("f", "미영", ("Mi-yeong", "Mi-young")),
)

CN_FAMILY: tuple[HanFamilyRow, ...] = (
    ("王", ("Wang", "Wong")), ("李", ("Li", "Lee")), ("张", ("Zhang", "Chang", "Cheung")),
    ("刘", ("Liu", "Lau")), ("陈", ("Chen", "Chan")), ("杨", ("Yang", "Yeung")), ("黄", ("Huang", "Wong")),
    ("赵", ("Zhao", "Chao")), ("吴", ("Wu", "Ng")), ("周", ("Zhou", "Chow")), ("徐", ("Xu", "Hsu", "Tsui")),
    ("孙", ("Sun", "Suen")), ("马", ("Ma",)), ("朱", ("Zhu", "Chu")), ("胡", ("Hu", "Woo")),
    ("郭", ("Guo", "Kwok")), ("何", ("He", "Ho")), ("林", ("Lin", "Lam")), ("高", ("Gao", "Ko")),
    ("罗", ("Luo", "Law", "Lo")), ("郑", ("Zheng", "Cheng")), ("梁", ("Liang", "Leung")),
    ("谢", ("Xie", "Hsieh", "Tse")), ("宋", ("Song", "Sung")), ("唐", ("Tang", "Tong")),
    ("韩", ("Han", "Hon")),
    ("冯", ("Feng", "Fung")), ("许", ("Xu", "Hui")),
)

CN_GIVEN: tuple[HanGivenRow, ...] = (
    ("m", "伟", ("Wei",)), ("f", "芳", ("Fang",)), ("f", "娜", ("Na",)),
    ("f", "秀英", ("Xiuying", "Xiu Ying")),
    ("f", "敏", ("Min",)), ("f", "静", ("Jing",)), ("f", "丽", ("Li",)), ("m", "强", ("Qiang",)),
    ("m", "磊", ("Lei",)), ("m", "军", ("Jun",)), ("m", "洋", ("Yang",)), ("m", "勇", ("Yong",)),
    ("f", "艳", ("Yan",)), ("m", "杰", ("Jie",)), ("f", "娟", ("Juan",)), ("m", "涛", ("Tao",)),
    ("m", "明", ("Ming",)), ("m", "超", ("Chao",)), ("f", "秀兰", ("Xiulan", "Xiu-Lan")),
    ("f", "霞", ("Xia",)),
    ("m", "平", ("Ping",)), ("m", "刚", ("Gang",)), ("f", "桂英", ("Guiying", "Gui Ying")),
    ("m", "建华", ("Jianhua", "Jian-Hua")), ("f", "婷", ("Ting",)), ("m", "浩然", ("Haoran", "Hao Ran")),
    ("m", "子轩", ("Zixuan", "Zi Xuan")), ("f", "欣怡", ("Xinyi", "Xin Yi")), ("m", "宇轩", ("Yuxuan",)),
    ("f", "梓涵", ("Zihan",)),
)
