"""GPP string encoder (header with Fibonacci-coded section ids, usnat and US state sections), from the
spec's layout."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from frontoffice.consent.bits import BitWriter
from frontoffice.consent.gpp import (
    GPP_TYPE,
    GPP_VERSION,
    USNAT_LAYOUT,
    USNAT_MSPA,
    USNAT_NOTICES,
    USNAT_OPT_OUTS,
    UsNat,
)
from frontoffice.consent.gpp_us import LAYOUTS, SENSITIVE_SEGMENT, SUBSECTION_GPC, Field, UsSection


def write_fibonacci_ranges(w: BitWriter, ids: Iterable[int]) -> None:
    runs: list[tuple[int, int]] = []
    for i in sorted(set(ids)):
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    w.uint(len(runs), 12)
    last = 0
    for start, end in runs:
        w.flag(start != end)
        w.fibonacci(start - last)
        if start != end:
            w.fibonacci(end - start)
        last = end


def encode_gpp_header(section_ids: Iterable[int]) -> str:
    w = BitWriter()
    w.uint(GPP_TYPE, 6)
    w.uint(GPP_VERSION, 6)
    write_fibonacci_ranges(w, section_ids)
    return w.b64()


def encode_gpp_string(sections: Mapping[int, str]) -> str:
    """Section id → already-encoded section body, e.g. {2: tc_string, 7: encode_usnat(...)}."""
    ids = sorted(sections)
    return "~".join([encode_gpp_header(ids), *(sections[i] for i in ids)])


def encode_usnat(u: UsNat) -> str:
    n_sensitive, n_child = USNAT_LAYOUT[u.version]
    counts = len(u.sensitive_data_processing), len(u.known_child_sensitive_data_consents)
    if counts != (n_sensitive, n_child):
        raise ValueError(f"usnat v{u.version} needs {n_sensitive} sensitive and {n_child} child fields")
    w = BitWriter()
    w.uint(u.version, 6)
    for name in USNAT_NOTICES + USNAT_OPT_OUTS:
        w.uint(getattr(u, name), 2)
    for v in (*u.sensitive_data_processing, *u.known_child_sensitive_data_consents, u.personal_data_consents):
        w.uint(v, 2)
    for name in USNAT_MSPA:
        w.uint(getattr(u, name), 2)
    out = w.b64()
    if u.gpc is not None:
        g = BitWriter()
        g.uint(SUBSECTION_GPC, 2)
        g.flag(u.gpc)
        out += "." + g.b64()
    return out


def _write(w: BitWriter, fields: tuple[Field, ...], values: Mapping[str, int | tuple[int, ...]]) -> None:
    for f in fields:
        name = f if isinstance(f, str) else f[0]
        v = values[name]
        for item in v if isinstance(v, tuple) else (v,):
            w.uint(item, 2)


def encode_us_section(s: UsSection) -> str:
    """A US state section; `s.fields` must hold every field of the state's layout."""
    layout = LAYOUTS[s.section_id]
    w = BitWriter()
    w.uint(s.version, 6)
    _write(w, layout.core, s.fields)
    out = w.b64()
    if layout.second == "gpc" and s.gpc is not None:
        g = BitWriter()
        g.uint(SUBSECTION_GPC, 2)
        g.flag(s.gpc)
        out += "." + g.b64()
    elif layout.second == "sensitive" and "sensitive_data_processing" in s.fields:
        g = BitWriter()
        _write(g, SENSITIVE_SEGMENT, s.fields)
        out += "." + g.b64()
    return out
