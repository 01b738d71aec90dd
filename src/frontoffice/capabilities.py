"""The registry of capabilities: the one list the centre iterates.

Adding a capability is a new package with a ``capability.py`` declaring its ``Capability``, and
one line in ``DECLARED`` below; nothing else central changes. The order is the order the app
matches routers, the worker runs projections and an erasure purges: identity first (the
person), consent before commerce (the order the worker and the purge always had).

``register`` adds a capability at run time (a plugin, a test): every reader of the registry
(``every()``) sees it from then on, until it is unregistered.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from frontoffice.capability import Capability
from frontoffice.errors import ConfigError

# module holding each capability's ``CAPABILITY``, in registry order
DECLARED = (
    "frontoffice.storage.capability",
    "frontoffice.tenancy.capability",
    "frontoffice.identity.capability",
    "frontoffice.consent.capability",
    "frontoffice.outbound.capability",
    "frontoffice.destinations.capability",
    "frontoffice.commerce.capability",
    "frontoffice.collector.capability",
    "frontoffice.dsr.capability",
    "frontoffice.privacy.capability",
    "frontoffice.residency.capability",
    "frontoffice.console.capability",
    "frontoffice.segments.capability",
    "frontoffice.decisions.capability",
    "frontoffice.inbox.capability",
    "frontoffice.insights.capability",
)

_lock = threading.Lock()
_added: list[Capability] = []


def declared() -> list[Capability]:
    """The declared capabilities (their modules are imported on the first call, not before)."""
    found = []
    for module in DECLARED:
        capability = getattr(importlib.import_module(module), "CAPABILITY", None)
        if not isinstance(capability, Capability):
            raise ConfigError(f"{module} declares no CAPABILITY = Capability(...); every module "
                              "listed in frontoffice.capabilities.DECLARED must.")
        found.append(capability)
    return found


def every() -> list[Capability]:
    """Every capability, declared ones first, then those registered at run time."""
    with _lock:
        added = list(_added)
    return [*declared(), *added]


def register(capability: Capability) -> None:
    """Add a capability; its name must be new (``unregister`` takes it back)."""
    with _lock:
        names = {c.name for c in [*declared(), *_added]}
        if capability.name in names:
            raise ConfigError(f"A capability named {capability.name!r} is already registered; "
                              "give the new one another name.")
        _added.append(capability)


def unregister(name: str) -> None:
    with _lock:
        _added[:] = [c for c in _added if c.name != name]


@contextmanager
def registered(capability: Capability) -> Iterator[Capability]:
    """``register`` for the duration of a ``with`` block."""
    register(capability)
    try:
        yield capability
    finally:
        unregister(capability.name)
