"""The labels the inbox understands."""

from __future__ import annotations

LANGUAGES = ("en", "de", "ja", "ko", "ru", "zh")
CATEGORIES = ("where_is_my_order", "return_exchange", "damaged_defective", "wrong_size_fit",
              "payment_invoice", "product_question", "complaint", "praise", "other")
SENTIMENTS = ("negative", "neutral", "positive")
