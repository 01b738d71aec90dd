"""Strict bit-level reading and writing for IAB consent strings (TCF, GPP).

Reading never invents bits: asking for a bit past the end raises `ConsentStringError` naming the
field, so a cut-off string can never decode as "consented".
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from itertools import compress

from frontoffice.consent.errors import ConsentStringError

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_VALID = frozenset(ALPHABET)
_TRUTH = bytes.maketrans(b"01", b"\x00\x01")  # '0'/'1' characters → falsy/truthy bytes


def b64url_to_bits(text: str, what: str) -> str:
    """Unpadded base64url → '0'/'1' string. Rejects empty input, padding and foreign characters."""
    if not text:
        raise ConsentStringError(f"{what} is empty")
    if not _VALID.issuperset(text):
        pos, bad = next((i, c) for i, c in enumerate(text) if c not in _VALID)
        raise ConsentStringError(f"{what}: character {bad!r} at position {pos} is not base64url")
    raw = base64.urlsafe_b64decode(text + "A" * (-len(text) % 4))
    return format(int.from_bytes(raw, "big"), f"0{len(raw) * 8}b")[:len(text) * 6]


def bits_to_b64url(bits: str) -> str:
    """'0'/'1' string → unpadded base64url, zero-padding to a whole byte, then to a whole sextet."""
    bits += "0" * (-len(bits) % 8)
    bits += "0" * (-len(bits) % 6)
    return "".join(ALPHABET[int(bits[i:i + 6], 2)] for i in range(0, len(bits), 6))


def padded_lengths(data_bits: int) -> frozenset[int]:
    """The lengths a conforming encoder pads `data_bits` of fields to with zero bits: a whole byte and
    then a whole base64 character (base64url of bytes: iabtcf-java, the GPP encoders), or a whole
    24-bit base64 group (IAB's JavaScript TCF encoder). Any other length is a cut or an addition."""
    to_byte = -(-data_bits // 8) * 8
    return frozenset({-(-to_byte // 6) * 6, -(-data_bits // 24) * 24})


class BitReader:
    __slots__ = ("bits", "pos", "what")

    def __init__(self, bits: str, what: str) -> None:
        self.bits = bits
        self.pos = 0
        self.what = what

    def _take(self, n: int, field: str) -> str:
        end = self.pos + n
        if end > len(self.bits):
            raise ConsentStringError(
                f"{self.what} is truncated: field {field} needs bits {self.pos}-{end - 1} "
                f"but the string has {len(self.bits)} bits", self.pos)
        chunk = self.bits[self.pos:end]
        self.pos = end
        return chunk

    def uint(self, n: int, field: str) -> int:
        return int(self._take(n, field), 2)

    def flag(self, field: str) -> bool:
        return self.uint(1, field) == 1

    def bitset(self, n: int, field: str) -> frozenset[int]:
        """n bits → the set of 1-based positions that are 1."""
        selectors = self._take(n, field).encode("ascii").translate(_TRUTH)
        return frozenset(compress(range(1, n + 1), selectors))

    def letters(self, count: int, field: str) -> str:
        out = []
        for _ in range(count):
            at = self.pos
            v = self.uint(6, field)
            if v > 25:
                raise ConsentStringError(f"{self.what}: {field} letter value {v} is not A-Z", at)
            out.append(chr(ord("A") + v))
        return "".join(out)

    def fibonacci(self, field: str) -> int:
        """A Fibonacci-coded positive integer (Zeckendorf bits F(2)=1, F(3)=2, … ended by '11')."""
        value, a, b, prev = 0, 1, 2, "0"
        start = self.pos
        while True:
            if self.pos >= len(self.bits):
                raise ConsentStringError(f"{self.what} is truncated inside Fibonacci field {field}", start)
            bit = self.bits[self.pos]
            self.pos += 1
            if bit == "1" and prev == "1":
                return value
            if bit == "1":
                value += a
            a, b, prev = b, a + b, bit

    def expect_padding(self) -> None:
        """After the last field only zero bits up to a boundary of `padded_lengths` may follow."""
        if "1" in self.bits[self.pos:]:
            raise ConsentStringError(f"{self.what} has non-zero bits after its last field", self.pos)
        ends = padded_lengths(self.pos)
        if len(self.bits) not in ends:
            raise ConsentStringError(
                f"{self.what} has {len(self.bits) - self.pos} bits after its last field; padding ends "
                f"at bit {' or '.join(map(str, sorted(ends)))}, not {len(self.bits)}", self.pos)


class BitWriter:
    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts: list[str] = []

    def uint(self, value: int, n: int) -> None:
        if value < 0 or value >= 1 << n:
            raise ValueError(f"{value} does not fit in {n} bits")
        self.parts.append(format(value, f"0{n}b") if n else "")

    def flag(self, value: bool) -> None:
        self.parts.append("1" if value else "0")

    def bitset(self, ids: Iterable[int], n: int) -> None:
        chosen = set(ids)
        if any(i < 1 or i > n for i in chosen):
            raise ValueError(f"ids {sorted(chosen)} out of range 1..{n}")
        self.parts.append("".join("1" if i in chosen else "0" for i in range(1, n + 1)))

    def letters(self, text: str) -> None:
        for ch in text:
            self.uint(ord(ch) - ord("A"), 6)

    def fibonacci(self, value: int) -> None:
        if value < 1:
            raise ValueError("Fibonacci coding needs a positive integer")
        fibs = [1, 2]
        while fibs[-1] <= value:
            fibs.append(fibs[-1] + fibs[-2])
        out = ["0"] * (len(fibs) - 1)
        for i in range(len(fibs) - 2, -1, -1):
            if fibs[i] <= value:
                out[i] = "1"
                value -= fibs[i]
        self.parts.append("".join(out).rstrip("0") + "1")

    def bits(self) -> str:
        return "".join(self.parts)

    def b64(self) -> str:
        return bits_to_b64url(self.bits())
