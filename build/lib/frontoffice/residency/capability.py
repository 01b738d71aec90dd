"""Data residency: where each workspace's data is stored."""

from __future__ import annotations

from frontoffice.capability import Capability

CAPABILITY = Capability(name="residency", tables=("workspace_locations",))
