"""Hand-written support message templates in Japanese, Korean and Chinese.

Placeholders as in :mod:`frontoffice.demo.message_templates`. Korean templates follow
``{item}`` with a noun (``상품``) so no particle has to agree with the item's final consonant.
"""

from __future__ import annotations

from frontoffice.demo.message_templates import Templates

TEMPLATES: Templates = {
    "ja": {
        "where_is_order": (
            "注文番号{order_id}の{item}がまだ届いていません。配送状況を教えていただけますか。",
            "{order_id}の荷物はいつ届きますか？追跡情報が{days}日間更新されていません。",
            "お世話になっております。注文{order_id}の到着予定日を過ぎていますが、何か分かりますか。",
            "注文{order_id}について、配達完了になっていますが受け取っていません。確認をお願いします。",
            "週末に{item}を使いたいので、注文{order_id}の状況を確認していただけると助かります。",
            "配送業者から注文{order_id}が配達できなかったと連絡がありました。どうすればいいですか。",
        ),
        "return_request": (
            "注文{order_id}の{item}を返品したいです。返品ラベルはどうすれば入手できますか。",
            "注文{order_id}の返品手続きをお願いします。{item}がイメージと違いました。",
            "注文{order_id}のうち、{item}だけ返品できますか。",
            "{item}（注文{order_id}）を返送しますので、カードへの返金をお願いします。",
            "返品希望：{order_id}、{item}、未使用・タグ付きです。",
        ),
        "wrong_size": (
            "注文{order_id}の{item}、サイズ{size}が合いませんでした。別のサイズに交換できますか。",
            "{size}を注文しましたが、{item}のサイズが全く合いません。注文番号は{order_id}です。",
            "注文{order_id}：{item}（{size}）のサイズ違いです。交換の方法を教えてください。",
            "サイズ表では{size}で合うはずでしたが、{item}が合いませんでした。注文{order_id}。",
            "注文{order_id}の{item}（{size}）、サイズ交換をお願いします。",
        ),
        "damaged_item": (
            "注文{order_id}の{item}が縫い目がほつれた状態で届きました。残念です。",
            "注文{order_id}の商品に汚れがありました（{item}）。",
            "注文{order_id}：箱がつぶれていて、{item}が破損していました。写真を添付します。",
            "{item}のファスナーが一度使っただけで壊れました。注文番号{order_id}です。",
            "本日注文{order_id}を受け取りましたが、{item}に穴が開いていました。交換か返金をお願いします。",
        ),
        "praise": (
            "注文{order_id}が届きました。{item}がぴったりでとても気に入りました。ありがとうございます！",
            "{order_id}の配送がとても早く、品質も最高です。また注文します。",
            "注文{order_id}の件、迅速にご対応いただきありがとうございました。",
            "{item}は実物の方が素敵でした。注文{order_id}、大満足です。",
            "注文{order_id}が予定より早く、きれいに梱包されて届きました。ありがとうございます。",
        ),
    },
    "ko": {
        "where_is_order": (
            "주문번호 {order_id} {item} 상품이 아직 도착하지 않았어요. 배송 조회 부탁드립니다.",
            "{order_id} 주문 언제 오나요? 배송 조회가 {days}일째 그대로예요.",
            "안녕하세요, 주문 {order_id} 도착 예정일이 지났는데 혹시 확인 가능할까요?",
            "주문 {order_id} 배송완료로 나오는데 물건을 못 받았습니다. 확인 부탁드려요.",
            "주말에 입어야 해서요, 주문 {order_id} 배송 상황 좀 확인해 주세요. ({item} 상품)",
            "택배 기사님이 주문 {order_id} 배송을 못 했다고 하시네요. 어떻게 하면 되나요?",
        ),
        "return_request": (
            "주문 {order_id}의 {item} 상품 반품하고 싶어요. 반품 라벨은 어떻게 받나요?",
            "주문 {order_id} 반품 접수 부탁드립니다. {item} 상품이 생각했던 것과 달라요.",
            "주문 {order_id} 중에 {item} 상품만 부분 반품 가능한가요?",
            "{item} 상품(주문 {order_id}) 반송할게요. 카드로 환불 부탁드립니다.",
            "반품 요청: {order_id}, {item} 상품, 미착용이고 택 그대로 있어요.",
        ),
        "wrong_size": (
            "주문 {order_id} {item} 상품 {size} 사이즈가 안 맞아요. 다른 사이즈로 교환 가능한가요?",
            "{size}로 주문했는데 전혀 안 맞네요 ({item} 상품). 주문번호 {order_id}입니다.",
            "주문 {order_id}: {item} 상품 ({size}) 사이즈가 안 맞습니다. 교환 방법 알려주세요.",
            "사이즈표 보고 {size} 주문했는데 안 맞아요 ({item} 상품). 주문 {order_id}.",
            "주문 {order_id} {item} 상품 {size}, 사이즈 교환 요청드립니다.",
        ),
        "damaged_item": (
            "주문 {order_id} {item} 상품 박음질이 터진 채로 왔어요. 많이 실망스럽네요.",
            "주문 {order_id} 상품에 얼룩이 있어요 ({item} 상품).",
            "주문 {order_id}: 박스가 찌그러져서 {item} 상품이 손상됐어요. 사진 첨부합니다.",
            "{item} 상품 지퍼가 한 번 쓰고 고장 났어요. 주문번호 {order_id}.",
            "오늘 주문 {order_id} 받았는데 {item} 상품에 구멍이 있어요. 교환이나 환불 부탁드려요.",
        ),
        "praise": (
            "주문 {order_id} 잘 받았어요. {item} 상품 사이즈 딱 맞고 너무 마음에 들어요. 감사합니다!",
            "{order_id} 배송 정말 빠르고 품질도 좋아요. 또 주문할게요.",
            "주문 {order_id} 관련해서 빠르게 도와주셔서 감사합니다!",
            "실물이 훨씬 예뻐요 ({item} 상품). 주문 {order_id} 대만족입니다.",
            "주문 {order_id} 예정보다 일찍, 포장도 예쁘게 왔어요. 감사합니다.",
        ),
    },
    "zh": {
        "where_is_order": (
            "你好，我的订单{order_id}（{item}）到现在还没收到，请问包裹在哪里？",
            "订单{order_id}什么时候到？物流信息已经{days}天没有更新了。",
            "您好，订单{order_id}已经过了预计送达时间，有什么消息吗？",
            "订单{order_id}显示已签收，但我并没有收到，麻烦核实一下。",
            "周末要用，麻烦帮我查一下订单{order_id}（{item}）的物流。",
            "快递说订单{order_id}无法派送，现在怎么办？",
        ),
        "return_request": (
            "我想退订单{order_id}里的{item}，退货单怎么获取？",
            "您好，请帮我办理订单{order_id}的退货，{item}和预期不一样。",
            "订单{order_id}可以只退{item}吗？",
            "{item}（订单{order_id}）我寄回去了，请退款到我的银行卡。",
            "退货申请：{order_id}，{item}，未穿过，吊牌还在。",
        ),
        "wrong_size": (
            "订单{order_id}的{item}，{size}码不合适，可以换别的尺码吗？",
            "我买的是{size}，但{item}完全不合身。订单号{order_id}。",
            "订单{order_id}：{item}（{size}）尺码不对，请问怎么换货？",
            "按尺码表{size}应该合适，可是{item}穿不了。订单{order_id}。",
            "订单{order_id}的{item}（{size}）申请换码。",
        ),
        "damaged_item": (
            "订单{order_id}的{item}收到时开线了，很失望。",
            "您好，订单{order_id}收到的{item}上有污渍。",
            "订单{order_id}：箱子被压坏了，{item}也有损坏，照片已附上。",
            "{item}的拉链用了一次就坏了。订单号{order_id}。",
            "今天收到订单{order_id}，{item}上有个洞，请换货或退款。",
        ),
        "praise": (
            "订单{order_id}收到了，{item}非常合身，很喜欢，谢谢！",
            "{order_id}发货超快，质量很好，还会再买。",
            "感谢你们快速处理订单{order_id}的问题！",
            "{item}实物比图片还好看。订单{order_id}，五星好评。",
            "订单{order_id}提前到了，包装也很用心，谢谢。",
        ),
    },
}

SUBJECTS: Templates = {
    "ja": {
        "where_is_order": ("注文{order_id}が届きません", "配送状況の確認（{order_id}）"),
        "return_request": ("返品のお願い（{order_id}）", "返品について"),
        "wrong_size": ("サイズ交換（{order_id}）", "サイズが合いません"),
        "damaged_item": ("不良品について（{order_id}）", "商品破損のご連絡"),
        "praise": ("ありがとうございました", "注文{order_id}のお礼"),
    },
    "ko": {
        "where_is_order": ("주문 {order_id} 배송 문의", "배송 조회 요청"),
        "return_request": ("반품 요청 ({order_id})", "반품 문의"),
        "wrong_size": ("사이즈 교환 ({order_id})", "교환 문의"),
        "damaged_item": ("불량 상품 ({order_id})", "상품 파손 문의"),
        "praise": ("감사합니다!", "주문 {order_id} 후기"),
    },
    "zh": {
        "where_is_order": ("订单{order_id}未收到", "物流查询"),
        "return_request": ("退货申请（{order_id}）", "退货咨询"),
        "wrong_size": ("换码申请（{order_id}）", "尺码问题"),
        "damaged_item": ("商品破损（{order_id}）", "质量问题"),
        "praise": ("谢谢！", "订单{order_id}好评"),
    },
}

ITEMS: dict[str, dict[str, str]] = {
    "ja": {"dresses": "ワンピース", "shoes": "靴", "jeans": "ジーンズ", "jackets": "ジャケット",
        "shirts": "シャツ",
           "knitwear": "ニット"},
    "ko": {"dresses": "원피스", "shoes": "신발", "jeans": "청바지", "jackets": "재킷", "shirts": "셔츠",
           "knitwear": "니트"},
    "zh": {"dresses": "连衣裙", "shoes": "鞋子", "jeans": "牛仔裤", "jackets": "夹克", "shirts": "衬衫",
           "knitwear": "毛衣"},
}

SIGN_OFFS: dict[str, tuple[str, ...]] = {
    "ja": ("\n\n{name}", "\n\nよろしくお願いいたします。\n{name}"),
    "ko": ("\n\n{name} 드림", "\n\n{name}"),
    "zh": ("\n\n{name}", "\n\n谢谢，{name}"),
}
