"""Pure normalisation for identity resolution: identifiers, names, birth dates and addresses.

No I/O and no database: every function here maps raw values to comparable ones, and says why
when it cannot. Deterministic identifiers return :class:`Normalised` or :class:`Invalid`; names
return :class:`NameKeys` to be scored with :func:`name_similarity`.
"""

from frontoffice.normalise.address import city_key, normalise_postcode, street_key
from frontoffice.normalise.attributes import parse_birth_date
from frontoffice.normalise.fullname import split_full_name
from frontoffice.normalise.identifiers import (
    email_sha256_keys,
    is_mobile,
    normalise_anonymous_id,
    normalise_device_id,
    normalise_email,
    normalise_loyalty_id,
    normalise_marketplace_buyer_id,
    normalise_national_id,
    normalise_order_ref,
    normalise_phone,
    normalise_sha256,
    normalise_user_id,
    phone_sha256_keys,
    quoted_order,
    sha256_hex,
)
from frontoffice.normalise.names import NameKeys, name_keys, name_similarity
from frontoffice.normalise.results import Invalid, Kind, Normalised, Reason, Result
from frontoffice.normalise.scripts import Script, detect_script

__all__ = [
    "Invalid",
    "Kind",
    "NameKeys",
    "Normalised",
    "Reason",
    "Result",
    "Script",
    "city_key",
    "detect_script",
    "email_sha256_keys",
    "is_mobile",
    "name_keys",
    "name_similarity",
    "normalise_anonymous_id",
    "normalise_device_id",
    "normalise_email",
    "normalise_loyalty_id",
    "normalise_marketplace_buyer_id",
    "normalise_national_id",
    "normalise_order_ref",
    "normalise_phone",
    "normalise_postcode",
    "normalise_sha256",
    "normalise_user_id",
    "parse_birth_date",
    "phone_sha256_keys",
    "quoted_order",
    "sha256_hex",
    "split_full_name",
    "street_key",
]
