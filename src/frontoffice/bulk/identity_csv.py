"""Resolve any person-record CSV through the product's own code path (external benchmarks).

``resolve_csv`` does in one process what a user does with the CLI: a throwaway workspace in a
temporary SQLite database, ``frontoffice import`` of the file with a mapping made from the column
mapping (identify events), ``frontoffice resolve`` (shared identifiers, then the probabilistic
tier and the namesake pass, as the live matcher runs them) and the record -> person mapping that
``people export`` writes. So the figures it gives are the product's, not a look-alike pipeline's.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from frontoffice.bulk.importer import ImportJob, import_file
from frontoffice.bulk.mapping import parse_mapping
from frontoffice.domain.events import Limits
from frontoffice.identity.live_match import MatchConfig
from frontoffice.identity.probabilistic import DEFAULT_AUTO_WEIGHT, DEFAULT_REVIEW_WEIGHT, ColumnMapping
from frontoffice.services.identity import IdentityHub
from frontoffice.settings import Settings
from frontoffice.storage import open_configured_store
from frontoffice.storage.identity_sql import IdentitySql
from frontoffice.tenancy.service import create_source, create_workspace

_TRAITS = {"given_name": "firstName", "surname": "lastName", "birth_date": "birthDate",
           "national_id": "nationalId"}
_ADDRESS = {"street_number": "streetNumber", "street": "street", "street_line2": "line2", "city": "city",
            "postcode": "postalCode", "state": "state"}


def event_mapping(mapping: ColumnMapping, default_country: str | None = None) -> dict[str, Any]:
    """The import mapping (docs/import.md) that turns each row into an identify event."""
    traits: dict[str, Any] = {trait: {"column": getattr(mapping, field)}
                              for field, trait in _TRAITS.items() if getattr(mapping, field)}
    address = {key: {"column": getattr(mapping, field)}
               for field, key in _ADDRESS.items() if getattr(mapping, field)}
    if address:
        traits["address"] = address
    if mapping.country:
        traits["country"] = {"column": mapping.country}
    elif default_country:
        traits["country"] = default_country
    return {"type": "identify", "message_id": {"column": mapping.id},
            "anonymous_id": {"column": mapping.id}, "traits": traits}


def resolve_csv(
    path: Path | str,
    mapping: ColumnMapping | Mapping[str, str],
    *,
    default_country: str | None = None,
    threshold: float = DEFAULT_AUTO_WEIGHT,
) -> dict[str, str]:
    """Record id (the ``id`` column) -> person id, for every row the import took (the model is
    trained on the file itself, without labels; ``threshold`` is the auto-merge weight)."""
    columns = mapping if isinstance(mapping, ColumnMapping) else ColumnMapping.of(mapping)
    with tempfile.TemporaryDirectory(prefix="frontoffice-resolve-") as folder:
        settings = Settings.load(environ={}, overrides={
            "database_url": f"sqlite:///{Path(folder) / 'resolve.db'}", "data_dir": folder})
        store = open_configured_store(settings, upgrade=True)
        try:
            workspace = create_workspace(store, "resolve_csv")
            source, _ = create_source(store, workspace.id, "csv", "import")
            job = ImportJob(Path(path), workspace.id, source.id,
                            parse_mapping(event_mapping(columns, default_country)),
                            Limits(settings.max_event_bytes, settings.max_json_depth), "csv")
            import_file(store, job)
            hub = IdentityHub(store, MatchConfig(threshold, min(threshold, DEFAULT_REVIEW_WEIGHT)))
            hub.catch_up(workspace.id)
            hub.match(workspace.id)
            return {record.partition(":")[2]: person
                    for record, _, person in IdentitySql(store).mapping(workspace.id)}
        finally:
            store.close()
