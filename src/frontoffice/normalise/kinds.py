"""The kinds of identifier a person can be known by (identity's model and the normalisers
share them; a pure leaf)."""

from __future__ import annotations

from enum import StrEnum


class IdKind(StrEnum):
    USER_ID = "user_id"  # the brand's login / customer id (userId)
    ANONYMOUS_ID = "anonymous_id"  # a browser or app install (anonymousId)
    EMAIL = "email"
    PHONE = "phone"  # E.164
    DEVICE_ID = "device_id"
    LOYALTY_ID = "loyalty_id"
    MARKETPLACE_BUYER = "marketplace_buyer"  # "<marketplace>:<buyer id>"
    NATIONAL_ID = "national_id"
    EMAIL_SHA256 = "email_sha256"
    PHONE_SHA256 = "phone_sha256"
    ORDER_REF = "order_ref"  # an order the event names (properties.order_id): its checkout, a call quoting it
