"""Building graph input in the tests' own words."""

from __future__ import annotations

from frontoffice.identity.graph import Node
from frontoffice.identity.model import Identifier, IdKind


def ident(text: str) -> Identifier:
    kind, _, value = text.partition(":")
    return Identifier(IdKind(kind), value)


def node(record_id: str, seq: int, *identifiers: str) -> Node:
    return Node(record_id, seq, tuple(sorted(ident(i) for i in identifiers)))
