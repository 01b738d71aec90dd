"""Secrets the database keeps for others (commerce webhook secrets, destination signing secrets),
sealed under the master key: a copy of the database file, its WAL or a dump shows none of them.

A stored secret is ``sealed:v1:`` and the base64 of ``vault.sealing.seal_value`` under the
keyring's ``secrets`` key, bound to its table and row so a sealed value copied to another row
does not open. Databases written before sealing hold plain text: ``open_secret`` still reads it
and says it is plain, and the store that read it seals it in place (a lazy upgrade on read).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from frontoffice.vault.keys import WrongMasterKey
from frontoffice.vault.keystore import Vault
from frontoffice.vault.sealing import TamperedRow, open_value, seal_value

PREFIX = "sealed:v1:"


@dataclass(frozen=True, slots=True)
class Opened:
    value: str
    plain: bool  # stored in plain text by an older frontoffice: seal it


def _context(table: str, workspace_id: str, row_id: str) -> bytes:
    return f"stored-secret\x1f{table}\x1f{workspace_id}\x1f{row_id}".encode()


def seal_secret(vault: Vault, table: str, workspace_id: str, row_id: str, value: str) -> str:
    blob = seal_value(vault.keyring.secrets, _context(table, workspace_id, row_id), value)
    return PREFIX + base64.b64encode(blob).decode("ascii")


def open_secret(vault: Vault, table: str, workspace_id: str, row_id: str, stored: str) -> Opened:
    if not stored.startswith(PREFIX):
        return Opened(stored, plain=True)
    try:
        blob = base64.b64decode(stored.removeprefix(PREFIX), validate=True)
        return Opened(open_value(vault.keyring.secrets, _context(table, workspace_id, row_id), blob),
                      plain=False)
    except (binascii.Error, TamperedRow) as exc:
        raise WrongMasterKey(
            f"The secret of {row_id!r} in {table} does not open: the master key "
            "(FRONTOFFICE_MASTER_KEY or the key file) differs from the one it was sealed with, or "
            "the row was altered. Restore the right key, or set a new secret.") from exc
