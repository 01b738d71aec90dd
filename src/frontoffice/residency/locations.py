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

import sqlalchemy as sa

from frontoffice.consent.packs import load_packs
from frontoffice.domain.events import iso, now
from frontoffice.domain.tenancy import Status, Workspace, check_name, new_id
from frontoffice.errors import AlreadyExists, ConfigError, InvalidInput
from frontoffice.storage import URL_PREFIXES, core
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema
from frontoffice.tenancy import service as tenancy


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
        self._table = schema(store.dialect).tables["workspace_locations"]
        self.default = default

    def get(self, workspace_id: str) -> str | None:
        t = self._table.c
        with self._store.connect() as conn:
            found = conn.execute(sa.select(t.data_location).where(t.workspace_id == workspace_id)).first()
        return self.default if found is None else str(found.data_location)

    def forget(self, workspace_id: str) -> None:
        with self._store.begin() as conn:
            conn.execute(self._table.delete().where(self._table.c.workspace_id == workspace_id))

    def set(self, workspace_id: str, location: str) -> None:
        stmt = core.insert(self._table, self._store.dialect).values(
            workspace_id=workspace_id, data_location=location, created_at=iso(now()))
        with self._store.begin() as conn:
            conn.execute(stmt.on_conflict_do_update(
                index_elements=[self._table.c.workspace_id],
                set_={"data_location": stmt.excluded.data_location}))


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
