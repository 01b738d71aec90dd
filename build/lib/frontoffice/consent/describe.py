"""A decoded TC or GPP string as plain JSON-ready data, for people debugging a CMP's output."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import fields, is_dataclass
from datetime import datetime
from typing import Any, Literal

from frontoffice.consent.gpp import decode_gpp_string
from frontoffice.consent.tcf import RESTRICTION_TYPES, TCString, decode_tc_string

Kind = Literal["auto", "tcf", "gpp"]
Sets = Callable[[Iterable[int]], Any]
GPP_HEADER_START = "DB"  # 6-bit type 3 then 6-bit version 1


def ranges(ids: Iterable[int]) -> str:
    """Ids as runs, `1-5, 8`, or `none`."""
    runs: list[list[int]] = []
    for i in sorted(ids):
        if runs and runs[-1][1] == i - 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs) or "none"


def plain(value: Any, sets: Sets = sorted) -> Any:
    """Dataclasses → dicts, sets of ids → `sets(ids)` (a sorted list by default), tuples → lists,
    datetimes → ISO 8601."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name), sets) for f in fields(value)}
    if isinstance(value, set | frozenset):
        return sets(value)
    if isinstance(value, list | tuple):
        return [plain(v, sets) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v, sets) for k, v in value.items()}
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _tc(tc: TCString, sets: Sets) -> dict[str, Any]:
    out: dict[str, Any] = plain(tc, sets)
    for r in out["publisher_restrictions"]:
        r["restriction"] = RESTRICTION_TYPES[r["restriction_type"]]
    return out


def detect(text: str) -> Literal["tcf", "gpp"]:
    """GPP strings open with their header (`DB…`) or carry `~` between sections; TC strings neither."""
    return "gpp" if text.startswith(GPP_HEADER_START) or "~" in text else "tcf"


def describe(text: str, kind: Kind = "auto", sets: Sets = sorted) -> dict[str, Any]:
    """Decode strictly (raises ConsentStringError with the reason) and describe every field by
    section: {"kind": "tcf", "sections": {"tcf": …}} or {"kind": "gpp", "version", "section_ids",
    "sections": {"tcfeuv2" | "uspv1" | "usnat" | "usca" | …: …}}."""
    chosen = detect(text) if kind == "auto" else kind
    if chosen == "tcf":
        return {"kind": "tcf", "sections": {"tcf": _tc(decode_tc_string(text), sets)}}
    gpp = decode_gpp_string(text)
    sections: dict[str, Any] = {}
    if gpp.tcf_eu is not None:
        sections["tcfeuv2"] = _tc(gpp.tcf_eu, sets)
    if gpp.uspv1 is not None:
        sections["uspv1"] = {**plain(gpp.uspv1), "text": gpp.uspv1.text()}
    if gpp.usnat is not None:
        sections["usnat"] = plain(gpp.usnat)
    for s in gpp.us_states:
        sections[s.name] = {"version": s.version, **plain(s.fields), "gpc": s.gpc}
    return {"kind": "gpp", "version": gpp.version, "section_ids": list(gpp.section_ids), "sections": sections}


def cell(value: Any) -> str:
    """One table cell: lists joined by commas (2-bit values in field order), nested data as k=v."""
    if isinstance(value, list):
        return "; ".join(map(cell, value)) if value and isinstance(value[0], dict) else \
            ", ".join(map(cell, value)) or "none"
    if isinstance(value, dict):
        return " ".join(f"{k}={cell(v)}" for k, v in value.items())
    return "none" if value is None else str(value)
