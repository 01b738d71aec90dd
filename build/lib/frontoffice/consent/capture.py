"""Capture adapters: API payloads, Segment `context.consent`, TCF and GPP strings, `Sec-GPC: 1`.

Each adapter turns a signal into proposed `ConsentChange`s carrying their proof. Pass the result
through `ledger.effective(state, changes)` before appending, so repeats (GPC arrives on every
request) do not grow the ledger. Decoding errors propagate as `ConsentStringError`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from frontoffice.consent.gpp import (
    CONSENT,
    NO_CONSENT,
    NOT_OPTED_OUT,
    OPTED_OUT,
    GPPString,
    decode_gpp_string,
)
from frontoffice.consent.ledger import ConsentChange, ConsentState, hash_with_salt, new_change
from frontoffice.consent.packs import RegionPack
from frontoffice.consent.purposes import read_data
from frontoffice.consent.tcf import TCString, decode_tc_string
from frontoffice.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Proof:
    """Who/when/where of a capture; IP and user agent are hashed at construction."""

    person_key: str
    source: str
    at: datetime
    notice_version: str | None = None
    ip_hash: str | None = None
    user_agent_hash: str | None = None

    @classmethod
    def of(cls, person_key: str, source: str, at: datetime, salt: bytes, *, ip: str | None = None,
           user_agent: str | None = None, notice_version: str | None = None) -> Proof:
        return cls(person_key, source, at, notice_version, hash_with_salt(ip, salt) if ip else None,
                   hash_with_salt(user_agent, salt) if user_agent else None)

    def change(self, purpose: str, status: str, method: str, raw: str | None, *, explicit: bool = False,
               notice_version: str | None = None) -> ConsentChange:
        return new_change(self.person_key, purpose, status, source=self.source, at=self.at, method=method,
                          notice_version=notice_version or self.notice_version, raw=raw,
                          ip_hash=self.ip_hash, user_agent_hash=self.user_agent_hash, explicit=explicit)


@dataclass(frozen=True, slots=True)
class TcfRule:
    requires: frozenset[int]
    grants: bool


@cache
def _mappings() -> tuple[dict[str, TcfRule], dict[str, tuple[str, ...]]]:
    raw = read_data("capture.yaml")
    tcf = {p: TcfRule(frozenset(int(i) for i in r["requires"]), bool(r["grants"]))
           for p, r in raw["tcf"].items()}
    seg = {str(k).lower(): tuple(str(p) for p in v) for k, v in raw["segment_categories"].items()}
    return tcf, seg


def from_api(payload: Mapping[str, object], proof: Proof) -> list[ConsentChange]:
    """`{"purposes": {"marketing_email": "granted" | "denied" | "withdrawn" | bool, ...},
    "method": "api" | "banner", "explicit": bool, "notice_version": str}`."""
    purposes = payload.get("purposes")
    if not isinstance(purposes, Mapping) or not purposes:
        raise InvalidInput("Consent payload needs a non-empty 'purposes' object, e.g. {\"analytics\": true}.")
    method = payload.get("method", "api")
    if method not in ("api", "banner"):
        raise InvalidInput(f"Consent payload method must be 'api' or 'banner', not {method!r}.")
    notice = payload.get("notice_version")
    raw = json.dumps(payload, sort_keys=True, default=str)
    out = []
    for purpose, value in purposes.items():
        status = {True: "granted", False: "denied"}.get(value, value) if isinstance(value, bool) else value
        out.append(proof.change(str(purpose), str(status), str(method), raw,
                                explicit=payload.get("explicit") is True,
                                notice_version=notice if isinstance(notice, str) else None))
    return out


def from_segment_context(context: Mapping[str, object],
                         proof: Proof) -> tuple[list[ConsentChange], list[str]]:
    """Segment Consent Management `context.consent.categoryPreferences` → (changes, ignored categories)."""
    consent = context.get("consent")
    prefs = consent.get("categoryPreferences") if isinstance(consent, Mapping) else None
    if not isinstance(prefs, Mapping):
        return [], []
    _, seg = _mappings()
    raw = json.dumps(consent, sort_keys=True, default=str)
    chosen: dict[str, bool] = {}
    ignored: list[str] = []
    for category, value in prefs.items():
        purposes = seg.get(str(category).lower().replace(" ", "_"))
        if purposes is None or not isinstance(value, bool):
            ignored.append(str(category))
            continue
        for p in purposes:  # a purpose named by several categories is granted only if all grant it
            chosen[p] = chosen.get(p, True) and value
    changes = [proof.change(p, "granted" if ok else "denied", "tracking_event", raw)
               for p, ok in chosen.items() if p != "essential"]
    return changes, ignored


def tcf_purposes_consented(tc: TCString) -> frozenset[int]:
    """The publisher's own purposes consent when the Publisher TC segment is present, else the core's."""
    return tc.publisher_tc.purposes_consent if tc.publisher_tc is not None else tc.purposes_consent


def from_tc(tc: TCString, raw: str, proof: Proof, method: str = "tcf") -> list[ConsentChange]:
    tcf, _ = _mappings()
    consented = tcf_purposes_consented(tc)
    notice = (f"tcf:gvl-{tc.vendor_list_version}:policy-{tc.tcf_policy_version}"
              f":cmp-{tc.cmp_id}-v{tc.cmp_version}")
    out = []
    for purpose, rule in tcf.items():
        ok = rule.requires <= consented
        if ok and not rule.grants:
            continue
        out.append(proof.change(purpose, "granted" if ok else "denied", method, raw, notice_version=notice))
    return out


def from_tcf(tc_string: str, proof: Proof) -> list[ConsentChange]:
    return from_tc(decode_tc_string(tc_string), tc_string, proof)


def from_gpc(header_value: str | None, pack: RegionPack, proof: Proof,
             state: ConsentState | None = None) -> tuple[list[ConsentChange], str]:
    """`Sec-GPC: 1` → refusals of the pack's GPC purposes where GPC is binding; returns (changes, reason).
    An explicit grant already on record stands (the person opted back in after the signal)."""
    if header_value is None or header_value.strip() != "1":
        return [], "no GPC signal"
    if not pack.gpc_binding:
        return [], f"GPC signal received; not binding in {pack.region}, recorded as a preference only"
    out = []
    for p in sorted(pack.gpc_purposes):
        cur = state.current.get(p) if state else None
        if cur is not None and cur.status == "granted" and cur.explicit:
            continue
        out.append(proof.change(p, "denied", "gpc", "Sec-GPC: 1"))
    return out, f"GPC signal is binding in {pack.region}"


# Our purpose ← the opt-out fields that speak for it in any US section (usnat and every state).
US_OPT_OUTS = (("sale_or_sharing", ("sale_opt_out", "sharing_opt_out")),
               ("targeted_advertising", ("targeted_advertising_opt_out",)))
USPV1_OPT_OUT = {"Y": OPTED_OUT, "N": NOT_OPTED_OUT, "-": 0}


def us_opt_outs(gpp: GPPString) -> dict[str, list[int]]:
    """Every US section's say on sale/sharing, targeted advertising and sensitive data, as opt-out
    values (1 opted out, 2 did not, 0 not applicable). Sensitive-data consents count as opt-outs:
    no consent (1) as opted out, consent (2) as not; their n/a entries say nothing."""
    sections: list[dict[str, tuple[int, ...]]] = []
    if gpp.usnat is not None:
        u = gpp.usnat
        sections.append({"sale_opt_out": (u.sale_opt_out,), "sharing_opt_out": (u.sharing_opt_out,),
                         "targeted_advertising_opt_out": (u.targeted_advertising_opt_out,),
                         "sensitive_data_processing": u.sensitive_data_processing})
    for state in gpp.us_states:
        sections.append({name: state.values(name) for name in state.fields})
    votes: dict[str, list[int]] = {purpose: [] for purpose, _ in US_OPT_OUTS}
    votes["sensitive_data"] = []
    for section in sections:
        for purpose, names in US_OPT_OUTS:
            for name in names:
                votes[purpose] += section.get(name, ())
        sensitive = section.get("sensitive_data_processing", ())
        votes["sensitive_data"] += [OPTED_OUT if v == NO_CONSENT else NOT_OPTED_OUT
                                    for v in sensitive if v in (NO_CONSENT, CONSENT)]
    if gpp.uspv1 is not None:
        votes["sale_or_sharing"].append(USPV1_OPT_OUT[gpp.uspv1.opt_out_sale])
    return votes


def from_gpp(gpp_string: str, pack: RegionPack, proof: Proof,
             state: ConsentState | None = None) -> list[ConsentChange]:
    """TCF EU section → as `from_tcf`; usnat, every US state section and uspv1 → sale/sharing,
    targeted advertising and sensitive data: denied when any section opted out, granted only when
    every value says "did not opt out" (a "not applicable" grants nothing); any GPC sub-section →
    as `Sec-GPC: 1`. Known-child consents are not mapped."""
    gpp = decode_gpp_string(gpp_string)
    out: list[ConsentChange] = []
    if gpp.tcf_eu is not None:
        out += from_tc(gpp.tcf_eu, gpp_string, proof, method="gpp")
    for purpose, values in us_opt_outs(gpp).items():
        if OPTED_OUT in values:
            out.append(proof.change(purpose, "denied", "gpp", gpp_string))
        elif values and all(v == NOT_OPTED_OUT for v in values):
            out.append(proof.change(purpose, "granted", "gpp", gpp_string))
    gpc = [gpp.usnat.gpc] if gpp.usnat is not None else []
    if any([*gpc, *(s.gpc for s in gpp.us_states)]):
        out += from_gpc("1", pack, proof, state)[0]
    return out
