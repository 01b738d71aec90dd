"""Hand-written support message templates in English, German and Russian.

Placeholders: ``{order_id}``, ``{item}`` (a category noun in the language), ``{size}``,
``{days}``. German and Russian templates keep ``{item}`` in a parenthesis or after a colon so
no article or case ending has to agree with it.
"""

from __future__ import annotations

Templates = dict[str, dict[str, tuple[str, ...]]]

TEMPLATES: Templates = {
    "en": {
        "where_is_order": (
            "Hi, I placed order {order_id} ({item}) a while ago and it still hasn't arrived. Where is it?",
            "Where is my order {order_id}? The tracking hasn't updated in {days} days.",
            "Hello, my package for order {order_id} was supposed to be here already. Any news?",
            "Order {order_id} - tracking says delivered but there is nothing at my door.",
            "Hey, can someone check on order {order_id}? I need the {item} for a trip this weekend.",
            "Hi there, the courier says they couldn't deliver order {order_id}. What happens now?",
        ),
        "return_request": (
            "I'd like to return the {item} from order {order_id}. How do I get a return label?",
            "Hello, please start a return for order {order_id}. Not what I expected ({item}).",
            "Can I return part of order {order_id}? Just the {item}.",
            "Hi, I want to send back the {item} (order {order_id}) and get a refund to my card.",
            "Return request for {order_id}: {item}, unworn, tags still on.",
        ),
        "wrong_size": (
            "Size {size} didn't work for me ({item}, order {order_id}). Can I swap it for another size?",
            "Hi, I ordered {size} but it doesn't fit me at all ({item}). Order {order_id}. Exchange please?",
            "Order {order_id}: wrong fit on the {item} ({size}). What's the exchange process?",
            "Your size chart said {size} would fit me but it doesn't ({item}). Order {order_id}.",
            "Sizing issue with order {order_id} - the {item} in {size}. I'd like a different size.",
        ),
        "damaged_item": (
            "The {item} from order {order_id} arrived with a torn seam. Very disappointed.",
            "Hi, my order {order_id} came damaged - there's a stain on the {item}.",
            "Order {order_id}: the box was crushed and the {item} got damaged. Photos attached.",
            "The zip on the {item} broke the first time I used it. Order {order_id}.",
            "Received order {order_id} today and there's a hole in the {item}. Replacement or refund please.",
        ),
        "praise": (
            "Just got order {order_id}. Love the {item}, perfect fit. Thank you!",
            "Super fast delivery on {order_id}, great quality. Will order again.",
            "Thanks for the quick help with order {order_id}! Really happy with the {item}.",
            "Even nicer in person than in the photos ({item}). Order {order_id} - 10/10.",
            "Wanted to say thanks - order {order_id} arrived early and beautifully packed.",
        ),
    },
    "de": {
        "where_is_order": (
            "Hallo, ich habe vor {days} Tagen bestellt (Bestellung {order_id}, Artikel: {item}) und "
            "noch nichts erhalten. Wo ist mein Paket?",
            "Wo bleibt meine Bestellung {order_id}? Die Sendungsverfolgung steht seit {days} Tagen still.",
            "Guten Tag, meine Bestellung {order_id} sollte längst da sein. Gibt es Neuigkeiten?",
            "Bestellung {order_id}: laut Tracking zugestellt, aber bei mir ist nichts angekommen.",
            "Könnten Sie bitte nach Bestellung {order_id} schauen? Ich brauche den Artikel ({item}) "
            "fürs Wochenende.",
            "Der Paketdienst konnte Bestellung {order_id} nicht zustellen. Wie geht es jetzt weiter?",
        ),
        "return_request": (
            "Ich möchte einen Artikel aus Bestellung {order_id} zurückschicken ({item}). Wie bekomme ich ein "
            "Retourenetikett?",
            "Guten Tag, bitte eine Retoure für Bestellung {order_id} anlegen. Der Artikel ({item}) "
            "entspricht nicht meinen Erwartungen.",
            "Kann ich Bestellung {order_id} teilweise zurückgeben? Nur den Artikel: {item}.",
            "Hallo, ich sende den Artikel ({item}, Bestellung {order_id}) zurück und hätte gern das "
            "Geld zurück.",
            "Retourenwunsch zu {order_id}: {item}, ungetragen, Etiketten noch dran.",
        ),
        "wrong_size": (
            "Der Artikel ({item}) in Größe {size} aus Bestellung {order_id} passt nicht. Kann ich "
            "umtauschen?",
            "Hallo, ich habe {size} bestellt, aber es passt überhaupt nicht ({item}). Bestellung {order_id}.",
            "Bestellung {order_id}: falsche Passform beim Artikel ({item}, {size}). Wie läuft der Umtausch?",
            "Laut Größentabelle sollte mir {size} passen, tut es aber nicht ({item}). Bestellung {order_id}.",
            "Größenproblem bei Bestellung {order_id} – Artikel: {item} in {size}. Bitte andere Größe.",
        ),
        "damaged_item": (
            "Der Artikel ({item}) aus Bestellung {order_id} kam mit aufgerissener Naht an. Sehr "
            "enttäuschend.",
            "Hallo, Bestellung {order_id} ist beschädigt angekommen – Fleck auf dem Artikel ({item}).",
            "Bestellung {order_id}: Karton zerdrückt, Artikel beschädigt ({item}). Fotos anbei.",
            "Der Reißverschluss ist beim ersten Tragen kaputtgegangen ({item}). Bestellung {order_id}.",
            "Bestellung {order_id} heute erhalten, im Artikel ({item}) ist ein Loch. Bitte Ersatz oder "
            "Erstattung.",
        ),
        "praise": (
            "Bestellung {order_id} ist da. Der Artikel ({item}) sitzt perfekt. Vielen Dank!",
            "Super schnelle Lieferung bei {order_id}, tolle Qualität. Ich bestelle wieder.",
            "Danke für die schnelle Hilfe mit Bestellung {order_id}! Sehr zufrieden.",
            "In echt noch schöner als auf den Fotos ({item}). Bestellung {order_id} – top.",
            "Wollte nur Danke sagen – Bestellung {order_id} kam früher als gedacht und schön verpackt.",
        ),
    },
    "ru": {
        "where_is_order": (
            "Здравствуйте, я оформил(а) заказ {order_id} ({item}), но он до сих пор не пришёл. Где посылка?",
            "Где мой заказ {order_id}? Трек-номер не обновлялся уже {days} дней.",
            "Добрый день, заказ {order_id} должен был прийти ещё на прошлой неделе. Есть новости?",
            "Заказ {order_id}: в отслеживании написано «доставлено», но я ничего не получал(а).",
            "Проверьте, пожалуйста, заказ {order_id}. Товар ({item}) нужен мне к выходным.",
            "Курьер не смог доставить заказ {order_id}. Что теперь делать?",
        ),
        "return_request": (
            "Хочу вернуть товар из заказа {order_id} ({item}). Как получить этикетку для возврата?",
            "Здравствуйте, оформите, пожалуйста, возврат по заказу {order_id}. Товар ({item}) не подошёл.",
            "Можно вернуть часть заказа {order_id}? Только товар: {item}.",
            "Добрый день, отправляю обратно товар ({item}, заказ {order_id}), прошу вернуть деньги на карту.",
            "Заявка на возврат по {order_id}: {item}, не носил(а), бирки на месте.",
        ),
        "wrong_size": (
            "Товар ({item}) размера {size} из заказа {order_id} не подошёл по размеру. Можно обменять?",
            "Здравствуйте, заказал(а) {size}, но совсем не подходит ({item}). Заказ {order_id}.",
            "Заказ {order_id}: не тот размер ({item}, {size}). Как оформить обмен?",
            "По таблице размеров мне должен был подойти {size}, но нет ({item}). Заказ {order_id}.",
            "Проблема с размером в заказе {order_id}: {item}, размер {size}. Нужен другой размер.",
        ),
        "damaged_item": (
            "Товар ({item}) из заказа {order_id} пришёл с разошедшимся швом. Очень расстроен(а).",
            "Здравствуйте, заказ {order_id} пришёл повреждённым: на товаре ({item}) пятно.",
            "Заказ {order_id}: коробка смята, товар повреждён ({item}). Фото прикладываю.",
            "Молния сломалась при первой же носке ({item}). Заказ {order_id}.",
            "Сегодня получил(а) заказ {order_id}, на товаре ({item}) дырка. Прошу замену или возврат денег.",
        ),
        "praise": (
            "Получил(а) заказ {order_id}. Товар ({item}) сидит идеально. Спасибо!",
            "Очень быстрая доставка заказа {order_id}, отличное качество. Буду заказывать ещё.",
            "Спасибо за быструю помощь с заказом {order_id}! Всё отлично.",
            "Вживую ещё лучше, чем на фото ({item}). Заказ {order_id} — 10 из 10.",
            "Хочу сказать спасибо: заказ {order_id} пришёл раньше срока и красиво упакован.",
        ),
    },
}

SUBJECTS: Templates = {
    "en": {
        "where_is_order": ("Where is my order {order_id}?", "Order {order_id} not arrived"),
        "return_request": ("Return for order {order_id}", "Return request"),
        "wrong_size": ("Wrong size - order {order_id}", "Exchange request {order_id}"),
        "damaged_item": ("Damaged item in order {order_id}", "Order {order_id} arrived damaged"),
        "praise": ("Thank you!", "Great service on {order_id}"),
    },
    "de": {
        "where_is_order": ("Wo ist meine Bestellung {order_id}?", "Bestellung {order_id} nicht angekommen"),
        "return_request": ("Retoure Bestellung {order_id}", "Rücksendung"),
        "wrong_size": ("Falsche Größe – Bestellung {order_id}", "Umtausch {order_id}"),
        "damaged_item": ("Beschädigter Artikel – {order_id}", "Reklamation Bestellung {order_id}"),
        "praise": ("Vielen Dank!", "Lob zu Bestellung {order_id}"),
    },
    "ru": {
        "where_is_order": ("Где мой заказ {order_id}?", "Заказ {order_id} не доставлен"),
        "return_request": ("Возврат по заказу {order_id}", "Заявка на возврат"),
        "wrong_size": ("Не подошёл размер — заказ {order_id}", "Обмен {order_id}"),
        "damaged_item": ("Брак в заказе {order_id}", "Повреждённый товар {order_id}"),
        "praise": ("Спасибо!", "Благодарность за заказ {order_id}"),
    },
}

ITEMS: dict[str, dict[str, str]] = {
    "en": {"dresses": "dress", "shoes": "shoes", "jeans": "jeans", "jackets": "jacket", "shirts": "shirt",
           "knitwear": "sweater"},
    "de": {"dresses": "Kleid", "shoes": "Schuhe", "jeans": "Jeans", "jackets": "Jacke", "shirts": "Hemd",
           "knitwear": "Pullover"},
    "ru": {"dresses": "платье", "shoes": "обувь", "jeans": "джинсы", "jackets": "куртка", "shirts": "рубашка",
           "knitwear": "свитер"},
}

SIGN_OFFS: dict[str, tuple[str, ...]] = {
    "en": ("\n\nThanks,\n{name}", "\n\nBest,\n{name}", "\n\n{name}"),
    "de": ("\n\nViele Grüße\n{name}", "\n\nMit freundlichen Grüßen\n{name}", "\n\nLG {name}"),
    "ru": ("\n\nС уважением,\n{name}", "\n\nСпасибо,\n{name}", "\n\n{name}"),
}
