"""A workspace's data location and the storages configured per location.

A workspace carries a ``data_location`` (an ISO 3166 country code, recorded in
``workspace_locations``; a workspace without a row is in the ``data_location`` setting's country).
A region whose pack requires local residency (``residency: {mode: local, storage: RU}``) can only
get a workspace whose location is that country and for which a storage is configured there
(``storage_locations``: ``{"RU": "sqlite:///…/ru.db"}``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from frontoffice.consent.packs import load_packs
from frontoffice.domain.events import iso, now
from frontoffice.domain.tenancy import Status, Workspace, check_name, new_id
from frontoffice.errors import AlreadyExists, ConfigError, InvalidInput
from frontoffice.services import tenancy
from frontoffice.storage import URL_PREFIXES
from frontoffice.storage.sql import SqlStore


def country_code(value: str, what: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise InvalidInput(
            f"{what} {value!r} is not an ISO 3166 country code; use two letters, e.g. RU or DE."
        )
    return code


def parse_storage_locations(text: str | None) -> dict[str, str]:
    """The ``storage_locations`` setting: a JSON object of country code → database URL."""
    if not text:
        return {}
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"Setting 'storage_locations' is not valid JSON ({exc}); write e.g. "
            '{"RU": "sqlite:///var/lib/frontoffice/ru.db"}.'
        ) from None
    if not isinstance(raw, dict):
        raise ConfigError("Setting 'storage_locations' must be a JSON object of country code → database URL.")
    out: dict[str, str] = {}
    for key, url in raw.items():
        try:
            code = country_code(str(key), "storage_locations key")
        except InvalidInput as exc:
            raise ConfigError(str(exc)) from None
        if not isinstance(url, str) or not url.startswith(URL_PREFIXES):
            raise ConfigError(
                f"storage_locations[{code}] must be a sqlite:///… or postgresql://… URL, got {url!r}."
            )
        out[code] = url
    return out


def required_location(region: str) -> str | None:
    """The country a workspace of this region must store its data in, when its pack says so."""
    pack = load_packs().get(region.upper())
    if pack is None or pack.residency.mode != "local":
        return None
    return pack.residency.storage


class WorkspaceLocations:
    """Reads and records workspace locations in the registry database (the default store)."""

    def __init__(self, store: SqlStore, default: str | None) -> None:
        self._store = store
        self.default = default

    def get(self, workspace_id: str) -> str | None:
        rows = self._store.query(
            "SELECT data_location FROM workspace_locations WHERE workspace_id = ?", (workspace_id,)
        )
        return str(rows[0][0]) if rows else self.default

    def forget(self, workspace_id: str) -> None:
        self._store.execute("DELETE FROM workspace_locations WHERE workspace_id = ?", (workspace_id,))

    def set(self, workspace_id: str, location: str) -> None:
        self._store.execute(
            "INSERT INTO workspace_locations (workspace_id, data_location, created_at) VALUES "
            "(?, ?, ?) ON CONFLICT (workspace_id) DO UPDATE SET data_location = "
            "excluded.data_location",
            (workspace_id, location, iso(now())),
        )


def placement(
    region: str, data_location: str | None, default: str | None, storages: Mapping[str, str]
) -> str | None:
    """The location of a new workspace, or why it cannot be created there."""
    location = country_code(data_location, "data_location") if data_location else default
    required = required_location(region)
    if required is None:
        return location
    if data_location and location != required:
        raise InvalidInput(
            f"Region {region} requires its personal data stored in {required} "
            f"(residency rule of the {region} pack); data_location {location} is not allowed."
        )
    if required not in storages:
        raise InvalidInput(
            f"Region {region} requires a storage located in {required}; configure one with "
            f'FRONTOFFICE_STORAGE_LOCATIONS=\'{{"{required}": "postgresql://…"}}\' and retry.'
        )
    return required


def create_resident_workspace(
    store: SqlStore,
    name: str,
    region: str,
    data_location: str | None,
    default: str | None,
    storages: Mapping[str, str],
) -> tuple[Workspace, str | None]:
    """Create a workspace in the location its region's residency rule demands (checked first).
    The location is recorded before the workspace exists, so no crash can leave a workspace that
    accepts events without its location (an orphan location row is harmless)."""
    location = placement(region, data_location, default, storages)
    check_name("Workspace", name)
    region = region.upper()
    if region not in tenancy.REGIONS:
        raise InvalidInput(f"Unknown region {region!r}; use one of: {', '.join(tenancy.REGIONS)}.")
    if store.workspace(name) is not None:
        raise AlreadyExists(f"Workspace {name!r} already exists.")
    workspace = Workspace(new_id(), name, region, Status.ACTIVE, now())
    locations = WorkspaceLocations(store, default)
    if location is not None:
        locations.set(workspace.id, location)
    try:
        store.add_workspace(workspace)
    except Exception:
        locations.forget(workspace.id)
        raise
    return workspace, location
