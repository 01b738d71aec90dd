"""Consent, identity and privacy: purposes, region packs, TCF/GPP, the consent ledger, the policy check.

Pure domain: no I/O except reading the packaged data files under `data/`. See docs/consent.md.
"""

from frontoffice.consent.capture import (
    Proof,
    from_api,
    from_gpc,
    from_gpp,
    from_segment_context,
    from_tc,
    from_tcf,
)
from frontoffice.consent.decision import Decision, PurposeRule
from frontoffice.consent.errors import ConsentDataError, ConsentStringError
from frontoffice.consent.gpp import GPPString, UsNat, decode_gpp_string
from frontoffice.consent.ledger import (
    ConsentChange,
    ConsentState,
    apply,
    effective,
    fold,
    hash_with_salt,
    new_change,
    state_of,
)
from frontoffice.consent.merge import Conflict, MergeOutcome, merge_consent
from frontoffice.consent.packs import REGIONS, STRICTEST, RegionPack, load_packs, pack_for
from frontoffice.consent.policy import Reduction, check, reduce_event
from frontoffice.consent.purposes import Purpose, load_catalogue
from frontoffice.consent.region import Evidence, Resolution, evidence_from_traits, resolve_region
from frontoffice.consent.tcf import TCString, decode_tc_string

__all__ = [
    "REGIONS",
    "STRICTEST",
    "Conflict",
    "ConsentChange",
    "ConsentDataError",
    "ConsentState",
    "ConsentStringError",
    "Decision",
    "Evidence",
    "GPPString",
    "MergeOutcome",
    "Proof",
    "Purpose",
    "PurposeRule",
    "Reduction",
    "RegionPack",
    "Resolution",
    "TCString",
    "UsNat",
    "apply",
    "check",
    "decode_gpp_string",
    "decode_tc_string",
    "effective",
    "evidence_from_traits",
    "fold",
    "from_api",
    "from_gpc",
    "from_gpp",
    "from_segment_context",
    "from_tc",
    "from_tcf",
    "hash_with_salt",
    "load_catalogue",
    "load_packs",
    "merge_consent",
    "new_change",
    "pack_for",
    "reduce_event",
    "resolve_region",
    "state_of",
]
