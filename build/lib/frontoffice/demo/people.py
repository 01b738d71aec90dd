"""The true people behind every record: names in every spelling they use, contacts, sizes.

A :class:`Person` is the ground truth; records in the generated files are noisy views of one.
:class:`PersonFactory` keeps emails, phone numbers and social handles unique across people
(except where :mod:`frontoffice.demo.population` shares them on purpose, in households).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import accumulate

from frontoffice.demo import names as nm
from frontoffice.demo.phones import Phone, draw_phone
from frontoffice.demo.places import City, country, postcode, street_address
from frontoffice.demo.sizes import APPAREL, SHOE, WAIST, sizes_for
from frontoffice.demo.timeline import IdMint, rng_uuid

NON_LATIN_COUNTRIES = ("JP", "KR", "CN", "RU")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True)
class Address:
    street: str
    city: str
    postcode: str
    region: str
    country: str


@dataclass(frozen=True)
class Device:
    device_id: str
    os: str
    model: str
    anonymous_id: str


@dataclass(frozen=True)
class Person:
    person_id: str
    country: str
    gender: str
    names: tuple[nm.NameForm, ...]
    birth_date: str
    address: Address
    emails: tuple[str, ...]
    phones: tuple[Phone, ...]
    devices: tuple[Device, ...]
    browser_ids: tuple[str, ...]
    user_ids: tuple[str, ...]
    loyalty_id: str | None
    social_handle: str | None
    apparel_size: str
    waist_size: str
    shoe_size: str
    home_ip: str
    first_day: int
    activity: float
    kin: str

    def true_size(self, category: str) -> str:
        system = sizes_for(category)
        if system is WAIST:
            return self.waist_size
        return self.shoe_size if system is SHOE else self.apparel_size

    def pick_name(self, rng: random.Random, latin_share: float) -> tuple[nm.NameForm, str]:
        """A spelling for one record and the full name as typed; romanised with ``latin_share``."""
        latin = [f for f in self.names if f.script == "latin"]
        local = [f for f in self.names if f.script != "latin"]
        if latin and rng.random() < latin_share:
            form = rng.choice(latin)
        else:  # mostly the native spelling; sometimes kana (JP) or the nickname
            form = local[-1] if rng.random() < 0.2 else local[0]
        return form, nm.full_name(rng, self.country, form)

    def account_email(self, user_id: str) -> str:
        """The email an account was registered with (a second account uses another address)."""
        return self.emails[self.user_ids.index(user_id) % len(self.emails)]


@cache
def _cum_weights(n: int) -> tuple[float, ...]:
    return tuple(accumulate(1 / (i + 1) ** 0.9 for i in range(n)))


def rank_pick(rng: random.Random, parts: tuple[nm.NamePart, ...]) -> nm.NamePart:
    """A name drawn with the weights of its table (how common it is in the country)."""
    return rng.choices(parts, weights=[p.weight for p in parts])[0]


@cache
def given_by_gender(code: str, gender: str) -> tuple[nm.NamePart, ...]:
    return tuple(p for p in nm.given_names(code) if p.gender == gender)


@cache
def _cumulative(code: str, gender: str | None) -> tuple[float, ...]:
    parts = given_by_gender(code, gender) if gender else nm.family_names(code)
    return tuple(accumulate(p.weight for p in parts))


def pick_given(rng: random.Random, code: str, gender: str) -> nm.NamePart:
    """A given name of ``gender``, as common as it is in the country (weights summed once)."""
    return rng.choices(given_by_gender(code, gender), cum_weights=_cumulative(code, gender))[0]


def pick_family(rng: random.Random, code: str) -> nm.NamePart:
    """A family name, as common as it is in the country."""
    return rng.choices(nm.family_names(code), cum_weights=_cumulative(code, None))[0]


def ascii_token(text: str) -> str:
    """Lower-case ASCII letters and digits only, as in an email local part."""
    folded = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    return _NOT_ALNUM.sub("", folded)


_DOTLESS_DOMAINS = frozenset({"gmail.com", "googlemail.com"})


def mailbox(address: str) -> str:
    """The mailbox an address delivers to: lower case, dots dropped where the provider ignores them."""
    local, _, domain = address.lower().partition("@")
    if domain in _DOTLESS_DOMAINS:
        return local.replace(".", "") + "@gmail.com"
    return f"{local}@{domain}"


def random_ip(rng: random.Random, code: str) -> str:
    prefix = rng.choice(country(code).ip_prefixes)
    return f"{prefix}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


_IOS_MODELS = ("iPhone14,5", "iPhone15,2", "iPhone15,4", "iPhone16,1", "iPhone17,3")
_ANDROID_MODELS = {
    "KR": ("SM-S928N", "SM-S918N", "SM-A546N"),
    "CN": ("HUAWEI P60", "Xiaomi 14", "OPPO Find X7", "vivo X100"),
}
_IOS_SHARE = {"US": 0.55, "DE": 0.4, "JP": 0.65, "KR": 0.25, "CN": 0.25, "RU": 0.35}


class PersonFactory:
    """Makes people one at a time, keeping emails, phones and handles unique across them."""

    def __init__(self, rng: random.Random, mint: IdMint) -> None:
        self.rng = rng
        self.mint = mint
        self.count = 0

    def single(self, code: str, kin: str = "") -> Person:
        rng = self.rng
        gender = rng.choice("fm")
        given = pick_given(rng, code, gender)
        return self.make(code, gender, given, pick_family(rng, code), kin=kin)

    def make(
        self,
        code: str,
        gender: str,
        given: nm.NamePart,
        family: nm.NamePart,
        *,
        kin: str = "",
        birth_date: str | None = None,
        address: Address | None = None,
        shared_email: str | None = None,
        shared_phone: Phone | None = None,
    ) -> Person:
        rng, ctry = self.rng, country(code)
        self.count += 1
        names = nm.person_forms(rng, code, given, nm.family_for(family, gender, code))
        if birth_date is None:
            age = int(rng.triangular(18, 78, 33))
            born = date(2026, 1, 1) - timedelta(days=age * 365 + rng.randrange(365))
            birth_date = born.isoformat()
        if address is None:
            address = self.address(code)
        city = next(c for c in ctry.cities if c.name == address.city)
        emails = self.emails(code, names, int(birth_date[:4]), shared_email)
        phones = [self.phone(code, ctry.mobile or (city.landline,), mobile=True)]
        if rng.random() < 0.1:
            phones.append(self.phone(code, ctry.mobile or (city.landline,), mobile=True))
        if shared_phone is not None:
            phones.append(shared_phone)
        elif rng.random() < 0.12:
            phones.append(self.phone(code, (city.landline,), mobile=False))
        accounts = 0 if rng.random() < 0.28 else (2 if rng.random() < 0.08 else 1)
        devices = 0 if rng.random() < 0.45 else (2 if rng.random() < 0.1 else 1)
        apparel = min(max(round(rng.gauss(2.3 if gender == "m" else 1.6, 1.0)), 0), len(APPAREL) - 1)
        waist = min(max(apparel + rng.choice((-1, 0, 0, 1)) + (gender == "m"), 0), len(WAIST) - 1)
        shoe = round(rng.gauss(43.0, 1.5) if gender == "m" else rng.gauss(38.5, 1.3))
        return Person(
            person_id=f"person-{self.count:06d}",
            country=code,
            gender=gender,
            names=names,
            birth_date=birth_date,
            address=address,
            emails=emails,
            phones=tuple(phones),
            devices=tuple(self.device(code) for _ in range(devices)),
            browser_ids=tuple(rng_uuid(rng) for _ in range(1 + (rng.random() < 0.3))),
            user_ids=tuple(self.mint.hex("cus_", 12) for _ in range(accounts)),
            loyalty_id=self.mint.digits("LY", 10) if rng.random() < 0.35 else None,
            social_handle=self.handle(names) if rng.random() < 0.35 else None,
            apparel_size=APPAREL[apparel],
            waist_size=WAIST[waist],
            shoe_size=f"EU{min(max(shoe, 36), 46)}",
            home_ip=random_ip(rng, code),
            first_day=rng.randrange(0, 240),
            activity=rng.lognormvariate(0.0, 0.6),
            kin=kin,
        )

    def address(self, code: str) -> Address:
        rng, ctry = self.rng, country(code)
        city: City = rng.choices(ctry.cities, cum_weights=_cum_weights(len(ctry.cities)))[0]
        return Address(
            street=street_address(rng, code, city),
            city=city.name,
            postcode=postcode(code, rng.randint(city.postcode_lo, city.postcode_hi)),
            region=city.region,
            country=code,
        )

    def phone(self, code: str, templates: tuple[str, ...], mobile: bool) -> Phone:
        while True:
            phone = draw_phone(self.rng, code, templates, mobile)
            if self.mint.claim(phone.e164):
                return phone

    def emails(self, code: str, names: tuple[nm.NameForm, ...], year: int, shared: str | None) -> tuple[str,
        ...]:
        rng = self.rng
        domains = country(code).email_domains
        latin = [f for f in names if f.script == "latin"] or [names[0]]
        found: list[str] = []
        for _ in range(rng.choices((1, 2, 3), weights=(5, 3.5, 1.5))[0]):
            form = rng.choice(latin)
            g, f = ascii_token(form.given) or "user", ascii_token(form.family) or "mail"
            domain = rng.choices(domains, cum_weights=_cum_weights(len(domains)))[0]
            if domain == "qq.com" and rng.random() < 0.6:
                local = str(rng.randint(10_000_000, 2_999_999_999))
            else:
                local = rng.choice(
                    (f"{g}.{f}", f"{g}{f}", f"{g[0]}{f}", f"{f}.{g}", f"{g}_{f}{year % 100:02d}",
                     f"{g}{year}", f"{f}{g[0]}{year % 100:02d}", f"{g}.{f}{rng.randint(1, 99)}")
                )
            found.append(self.claim_email(local, domain))
        if shared is not None:
            found.insert(rng.randrange(len(found) + 1), shared)
        return tuple(found)

    def claim_email(self, local: str, domain: str) -> str:
        """A free address: one mailbox belongs to one person, and Gmail ignores dots in the local
        part (``mayumi.sato@`` and ``mayumisato@`` are one mailbox), so the mailbox is claimed."""
        candidate = f"{local}@{domain}"
        while not self.mint.claim(mailbox(candidate)):
            candidate = f"{local}{self.rng.randint(1, 9999)}@{domain}"
        return candidate

    def handle(self, names: tuple[nm.NameForm, ...]) -> str:
        form = self.rng.choice([f for f in names if f.script == "latin"] or [names[0]])
        g, f = ascii_token(form.given) or "fan", ascii_token(form.family) or "style"
        base = self.rng.choice((f"{g}.{f}", f"{g}_{f[:3]}", f"{g}{f}", f"its{g}"))
        handle = base
        while not self.mint.claim("@" + handle):
            handle = f"{base}{self.rng.randint(1, 999)}"
        return handle

    def device(self, code: str) -> Device:
        rng = self.rng
        if rng.random() < _IOS_SHARE[code]:
            return Device(rng_uuid(rng).upper(), "ios", rng.choice(_IOS_MODELS), rng_uuid(rng))
        models = _ANDROID_MODELS.get(code, ("SM-S921B", "Pixel 8", "Pixel 7a", "SM-A546B", "Xiaomi 13T"))
        return Device(f"{rng.getrandbits(64):016x}", "android", rng.choice(models), rng_uuid(rng))
