"""Macros: a saved reply per language with variables (``{{customer.name}}``, ``{{ticket.id}}``,
``{{order.id}}``, ``{{order.status}}``, ``{{agent.name}}``) and the status or tags it sets. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from frontoffice.inbox.model import InboxError

_VARIABLE = re.compile(r"\{\{\s*([a-z_]+)\.([a-z_]+)\s*\}\}")


def body_for(macro: Mapping[str, Any], language: str | None) -> str:
    """The macro's text in ``language``, else in English, else its first."""
    bodies: Mapping[str, str] = macro["bodies"]
    if not bodies:
        raise InboxError(f"Macro {macro['id']!r} has no text; save it with at least one language.")
    return bodies.get(language or "", bodies.get("en", next(iter(bodies.values()))))


def render(template: str, values: Mapping[str, Mapping[str, Any]]) -> str:
    """Fill the variables; one that has no value is refused (never sent as ``{{…}}``)."""

    def fill(m: re.Match[str]) -> str:
        value = values.get(m.group(1), {}).get(m.group(2))
        if value in (None, ""):
            raise InboxError(f"The macro needs {m.group(0)}, which this ticket has no value for; "
                             "write the reply by hand or choose another macro.")
        return str(value)

    return _VARIABLE.sub(fill, template)
