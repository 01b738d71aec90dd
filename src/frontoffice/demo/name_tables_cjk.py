"""Name tables for Japan, Korea and China, written for the demo, each one string split at run time.

* Family names with their share of the population in percent where it is well known (Korea:
  김 21.5, 이 14.7, 박 8.4; China: 王, 李, 张 about 7 each), as ``native:Roman1,Roman2:percent``;
  Japanese ones as ``kanji:reading`` (Zipf weights by rank; Japan has no dominant name).
* Japanese given names as ``kanji:reading`` per gender. Hepburn spellings (passport ``Sato``,
  input-method ``Satou``, ``Satoh``) are derived from the reading in :mod:`frontoffice.demo.names`.
* Korean and Chinese given names are compositions, as most of them are in life: two Hangul
  syllables (``민`` + ``준``), or one or two Han characters, drawn from the syllables and characters
  given names are made of, per gender, as ``native:romanisation`` (``현:hyeon,hyun``: Revised
  Romanisation first, then the older spellings people keep).
"""

from __future__ import annotations

JP_FAMILY = """
佐藤:さとう 鈴木:すずき 高橋:たかはし 田中:たなか 伊藤:いとう 渡辺:わたなべ 山本:やまもと
中村:なかむら 小林:こばやし 加藤:かとう 吉田:よしだ 山田:やまだ 佐々木:ささき 山口:やまぐち
松本:まつもと 井上:いのうえ 木村:きむら 林:はやし 斎藤:さいとう 清水:しみず 山崎:やまざき 森:もり
池田:いけだ 橋本:はしもと 阿部:あべ 石川:いしかわ 山下:やました 中島:なかじま 石井:いしい
小川:おがわ 前田:まえだ 岡田:おかだ 長谷川:はせがわ 藤田:ふじた 後藤:ごとう 近藤:こんどう
村上:むらかみ 遠藤:えんどう 青木:あおき 坂本:さかもと 福田:ふくだ 太田:おおた 西村:にしむら
藤井:ふじい 金子:かねこ 岡本:おかもと 藤原:ふじわら 中野:なかの 三浦:みうら 原田:はらだ
中川:なかがわ 松田:まつだ 竹内:たけうち 小野:おの 田村:たむら 中山:なかやま 和田:わだ 石田:いしだ
森田:もりた 上田:うえだ 原:はら 内田:うちだ 柴田:しばた 酒井:さかい 宮崎:みやざき 横山:よこやま
高木:たかぎ 安藤:あんどう 宮本:みやもと 大野:おおの 小島:こじま 谷口:たにぐち 今井:いまい
工藤:くどう 高田:たかだ 増田:ますだ 丸山:まるやま 杉山:すぎやま 村田:むらた 大塚:おおつか
新井:あらい 小山:こやま 平野:ひらの 藤本:ふじもと 上野:うえの 野口:のぐち 武田:たけだ 松井:まつい
千葉:ちば 岩崎:いわさき 菅原:すがわら 木下:きのした 久保:くぼ 佐野:さの 野村:のむら 松尾:まつお
市川:いちかわ 菊地:きくち 杉本:すぎもと 古川:ふるかわ 大西:おおにし 島田:しまだ 水野:みずの
桜井:さくらい 高野:たかの 吉川:よしかわ 山内:やまうち 西田:にしだ 飯田:いいだ 西川:にしかわ
小松:こまつ 北村:きたむら 安田:やすだ 五十嵐:いがらし 川口:かわぐち 平田:ひらた 関:せき 中田:なかた
久保田:くぼた 服部:はっとり 岩田:いわた 土屋:つちや 川崎:かわさき 福島:ふくしま 本田:ほんだ 辻:つじ
樋口:ひぐち 秋山:あきやま 田口:たぐち 永井:ながい 山中:やまなか 中西:なかにし 吉村:よしむら
川上:かわかみ 石原:いしはら 大橋:おおはし 松岡:まつおか 馬場:ばば 浜田:はまだ 森本:もりもと
星野:ほしの 矢野:やの 浅野:あさの 大久保:おおくぼ 松下:まつした 吉岡:よしおか 小池:こいけ 野田:のだ
荒木:あらき 内藤:ないとう 松浦:まつうら 熊谷:くまがい 黒田:くろだ 尾崎:おざき 永田:ながた
川村:かわむら 望月:もちづき 田辺:たなべ 松村:まつむら 荒井:あらい
"""

JP_GIVEN_M = """
翔太:しょうた 大輔:だいすけ 健太:けんた 拓也:たくや 直樹:なおき 蓮:れん 悠真:ゆうま 陽翔:はると
湊:みなと 大和:やまと 誠:まこと 浩二:こうじ 隆:たかし 一郎:いちろう 健一:けんいち 太郎:たろう
大樹:だいき 樹:いつき 颯太:そうた 悠斗:ゆうと 亮:りょう 学:まなぶ 明:あきら 浩:ひろし 茂:しげる
清:きよし 修:おさむ 聡:さとし 進:すすむ 豊:ゆたか 実:みのる 勝:まさる 正:ただし 和也:かずや
達也:たつや 哲也:てつや 雄一:ゆういち 秀樹:ひでき 浩之:ひろゆき 康弘:やすひろ 正樹:まさき
裕太:ゆうた 祐介:ゆうすけ 健二:けんじ 亮太:りょうた 翼:つばさ 駿:しゅん 拓海:たくみ 海斗:かいと
陸:りく 蒼空:そら 朝陽:あさひ 律:りつ 新:あらた 結翔:ゆいと 悠人:ゆうと 大地:だいち 直人:なおと
慎也:しんや 俊介:しゅんすけ 賢治:けんじ 敏夫:としお 和夫:かずお 義男:よしお 幸男:ゆきお 智也:ともや
圭太:けいた 恭平:きょうへい 翔平:しょうへい 優太:ゆうた 瑛太:えいた
"""

JP_GIVEN_F = """
花子:はなこ 陽菜:ひな 結衣:ゆい 美咲:みさき さくら:さくら 葵:あおい 凛:りん 愛:あい 優子:ゆうこ
恵子:けいこ 由美:ゆみ 真由美:まゆみ 彩:あや 芽依:めい 千尋:ちひろ 陽葵:ひまり 紬:つむぎ 結菜:ゆいな
澪:みお 莉子:りこ 咲良:さくら 彩花:あやか 幸子:さちこ 七海:ななみ 萌:もえ 心春:こはる 美月:みづき
楓:かえで 紀子:のりこ 裕子:ゆうこ 明美:あけみ 直美:なおみ 久美子:くみこ 洋子:ようこ 京子:きょうこ
智子:ともこ 美香:みか 香織:かおり 麻衣:まい 舞:まい 沙織:さおり 由紀:ゆき 愛子:あいこ 真理:まり
美穂:みほ 彩乃:あやの 遥:はるか 瞳:ひとみ 優奈:ゆうな 美優:みゆ 未来:みらい 菜々子:ななこ
桃子:ももこ 亜美:あみ 理恵:りえ 里美:さとみ 加奈子:かなこ 純子:じゅんこ 和子:かずこ 節子:せつこ
文子:ふみこ 弘子:ひろこ 美智子:みちこ 千夏:ちなつ 結愛:ゆあ 琴音:ことね 詩織:しおり 沙也加:さやか
朋美:ともみ 絵美:えみ 真央:まお 佳奈:かな
"""

KR_FAMILY = """
김:Kim,Gim:21.5 이:Lee,Yi,Rhee:14.7 박:Park,Bak,Pak:8.4 최:Choi,Choe:4.7 정:Jung,Jeong,Chung:4.3
강:Kang,Gang:2.4 조:Cho,Jo:2.1 윤:Yoon,Yun:2.1 장:Jang,Chang:2.0 임:Lim,Im:1.7 한:Han:1.5
오:Oh,O:1.5 서:Seo,Suh:1.5 신:Shin,Sin:1.4 권:Kwon,Gwon:1.4 황:Hwang:1.4 안:Ahn,An:1.4 송:Song:1.3
류:Ryu,Yoo:1.2 전:Jeon,Jun,Chun:1.1 홍:Hong:1.1 고:Ko,Go:0.9 문:Moon,Mun:0.9 양:Yang:0.9
손:Son,Sohn:0.9 배:Bae:0.8 백:Baek,Paik:0.8 허:Heo,Hur:0.6 유:Yoo,Yu:0.6 남:Nam:0.6 심:Shim,Sim:0.5
노:Noh,Roh:0.4 하:Ha:0.4 곽:Kwak,Gwak:0.4 성:Sung,Seong:0.4 차:Cha:0.4 주:Joo,Ju:0.4 우:Woo:0.4
구:Koo,Gu:0.4 민:Min:0.3 진:Jin:0.3 나:Na,Ra:0.3 지:Ji:0.3 엄:Eom,Um:0.3 변:Byun,Byeon:0.3
채:Chae:0.3 원:Won:0.3 천:Cheon,Chun:0.2 방:Bang:0.2 공:Kong,Gong:0.2 현:Hyun,Hyeon:0.2 함:Ham:0.2
여:Yeo:0.2 염:Yeom:0.2 추:Choo,Chu:0.1 도:Do:0.1 석:Seok,Suk:0.1 설:Seol,Sul:0.1 마:Ma:0.1
길:Gil,Kil:0.1 표:Pyo:0.05 명:Myung,Myeong:0.05 남궁:Namgung,Namkoong:0.04 황보:Hwangbo:0.02
제갈:Jegal:0.01 선우:Sunwoo:0.01
"""

KR_FIRST_M = """
민:min 서:seo 도:do 예:ye 시:si 하:ha 주:ju 지:ji 준:jun 현:hyeon,hyun 동:dong 성:seong,sung 상:sang
영:yeong,young 정:jeong,jung 재:jae 승:seung 진:jin 태:tae 우:u,woo 건:geon,gun 유:yu,yoo
윤:yun,yoon 종:jong 석:seok,suk
"""
KR_SECOND_M = """
준:jun,joon 호:ho 우:u,woo 훈:hun,hoon 민:min 혁:hyeok,hyuk 수:su,soo 현:hyeon,hyun 진:jin 원:won
석:seok,suk 빈:bin 규:gyu,kyu 철:cheol,chul 환:hwan 찬:chan 율:yul 재:jae 영:yeong,young 기:gi,ki
용:yong 완:wan 식:sik
"""
KR_FIRST_F = """
서:seo 지:ji 민:min 하:ha 수:su,soo 예:ye 윤:yun,yoon 채:chae 은:eun 다:da 소:so 유:yu,yoo 미:mi
혜:hye 영:yeong,young 현:hyeon,hyun 세:se 나:na 가:ga 주:ju 선:seon,sun 정:jeong,jung
"""
KR_SECOND_F = """
연:yeon 윤:yun,yoon 우:u,woo 현:hyeon,hyun 서:seo 은:eun 아:a,ah 민:min 빈:bin 영:yeong,young 진:jin
희:hui,hee 경:gyeong,kyung 정:jeong,jung 린:rin 원:won 인:in 지:ji 나:na 미:mi 숙:suk,sook 주:ju
혜:hye 율:yul
"""

CN_FAMILY = """
李:Li,Lee:7.9 王:Wang,Wong:7.1 张:Zhang,Chang,Cheung:6.8 刘:Liu,Lau:5.4 陈:Chen,Chan:4.5
杨:Yang,Yeung:3.1 赵:Zhao,Chao:2.3 黄:Huang,Wong:2.2 周:Zhou,Chow:1.9 吴:Wu,Ng:2.0
徐:Xu,Hsu,Tsui:1.6 孙:Sun,Suen:1.5 胡:Hu,Woo:1.3 朱:Zhu,Chu:1.3 高:Gao,Ko:1.0 林:Lin,Lam:1.0
何:He,Ho:1.2 郭:Guo,Kwok:1.1 马:Ma:1.5 罗:Luo,Law,Lo:0.9 梁:Liang,Leung:0.9 宋:Song,Sung:0.7
郑:Zheng,Cheng:0.9 谢:Xie,Hsieh,Tse:0.8 韩:Han,Hon:0.7 唐:Tang,Tong:0.7 冯:Feng,Fung:0.6
于:Yu,Yue:0.4 董:Dong,Tung:0.5 萧:Xiao,Siu:0.1 程:Cheng,Ching:0.4 曹:Cao,Tsao:0.6 袁:Yuan,Yuen:0.5
邓:Deng,Tang:0.6 许:Xu,Hui:0.7 傅:Fu:0.2 沈:Shen,Shum:0.3 曾:Zeng,Tsang:0.5 彭:Peng,Pang:0.6
吕:Lü,Lu,Lyu:0.3 苏:Su,So:0.3 卢:Lu,Lo:0.3 蒋:Jiang,Chiang:0.4 蔡:Cai,Tsai,Choi:0.4 贾:Jia:0.3
丁:Ding,Ting:0.3 魏:Wei,Ngai:0.3 薛:Xue,Sit:0.2 叶:Ye,Yip:0.4 阎:Yan:0.1 余:Yu,Yue:0.4
潘:Pan,Poon:0.4 杜:Du,Tu:0.4 戴:Dai,Tai:0.1 夏:Xia,Ha:0.2 钟:Zhong,Chung:0.3 汪:Wang,Wong:0.3
田:Tian,Tin:0.5 任:Ren,Yam:0.3 姜:Jiang,Keung:0.3 范:Fan:0.3 方:Fang,Fong:0.2 石:Shi,Shek:0.3
姚:Yao,Yiu:0.3 谭:Tan,Tam:0.3 廖:Liao,Liu:0.3 邹:Zou,Chow:0.2 熊:Xiong,Hung:0.2 金:Jin,Kam:0.3
陆:Lu,Luk:0.3 郝:Hao:0.2 孔:Kong,Hung:0.1 白:Bai,Pak:0.2 崔:Cui,Tsui:0.3 康:Kang,Hong:0.1
毛:Mao,Mo:0.2 邱:Qiu,Yau:0.2 秦:Qin,Chun:0.2 江:Jiang,Kong:0.2 史:Shi,Sze:0.2 顾:Gu,Koo:0.2
侯:Hou,Hau:0.2 邵:Shao,Shiu:0.2 孟:Meng,Mang:0.2 龙:Long,Lung:0.2 万:Wan,Man:0.2 段:Duan,Tuen:0.2
雷:Lei,Lui:0.2 钱:Qian,Chin:0.2 汤:Tang,Tong:0.1 尹:Yin,Wan:0.2 黎:Li,Lai:0.2 易:Yi,Yik:0.1
常:Chang,Sheung:0.1 武:Wu,Mo:0.1 乔:Qiao,Kiu:0.1 贺:He,Ho:0.2 赖:Lai:0.1 龚:Gong,Kung:0.2
文:Wen,Man:0.1 欧阳:Ouyang,Auyeung:0.05 司马:Sima,Szema:0.01 诸葛:Zhuge:0.01
"""

CN_GIVEN_M = """
伟:wei 强:qiang 磊:lei 军:jun 洋:yang 勇:yong 杰:jie 涛:tao 明:ming 超:chao 平:ping 刚:gang 华:hua
建:jian 国:guo 文:wen 斌:bin 辉:hui 鹏:peng 宇:yu 浩:hao 轩:xuan 子:zi 博:bo 俊:jun 峰:feng 亮:liang
龙:long 海:hai 波:bo 志:zhi 东:dong 晨:chen 林:lin 鑫:xin 健:jian 凯:kai 宁:ning 毅:yi 振:zhen
天:tian 泽:ze 睿:rui 航:hang 铭:ming 然:ran 昊:hao 嘉:jia 一:yi
"""
CN_GIVEN_F = ("芳:fang 娜:na 敏:min 静:jing 丽:li 艳:yan 娟:juan 霞:xia 婷:ting 秀:xiu 英:ying 兰:lan 桂:gui "
              "玉:yu 梅:mei 琳:lin 颖:ying 欣:xin 怡:yi 涵:han 梓:zi 雪:xue 慧:hui 佳:jia 璐:lu 琪:qi 莉:li "
              "萍:ping 红:hong 燕:yan 晶:jing 洁:jie 倩:qian 雅:ya 悦:yue 思:si 雨:yu 诗:shi 晓:xiao 月:yue "
              "丹:dan 琴:qin 凤:feng 蕾:lei 薇:wei 婉:wan 宁:ning 可:ke 馨:xin 妍:yan")
