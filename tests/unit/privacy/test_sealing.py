"""Sealing an event under its subject's key: round trip, tampering, moved rows, tombstones."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from frontoffice.domain.events import EventRecord
from frontoffice.errors import ConfigError
from frontoffice.vault.keys import Keyring, WrongMasterKey, generate_master_key, key_file_master_key
from frontoffice.vault.sealing import ERASED_FAMILY, TamperedRow, open_sealed, seal, tombstone

MASTER = bytes(range(32))


def _record(**changes: object) -> EventRecord:
    record = EventRecord(
        message_id="m1", family="tracking", type="identify", event=None, user_id="ann@example.com",
        anonymous_id="anon-1", previous_id=None, group_id="g\n1", timestamp="2026-01-01T00:00:00.000Z",
        original_timestamp=None, sent_at=None, received_at="2026-01-01T00:00:01.000Z",
        payload=orjson.dumps({"traits": {"email": "ann@example.com", "name": "Ann\nExample"}}))
    return replace(record, **changes)  # type: ignore[arg-type]


def _cipher(ring: Keyring) -> object:
    return ring.unwrap("ws", "h1", ring.new_wrapped_key("ws", "h1"))


def test_a_sealed_record_opens_to_the_same_ids_and_payload() -> None:
    ring = Keyring(MASTER)
    cipher = ring.unwrap("ws", "h1", ring.new_wrapped_key("ws", "h1"))
    record = _record()
    blob = seal(cipher, "ws", "src", record)
    assert b"ann@example.com" not in blob and b"Ann" not in blob
    stored = replace(record, user_id="hash", anonymous_id=None, group_id=None, payload=blob)
    assert open_sealed(cipher, "ws", "src", stored) == record


def test_a_changed_byte_is_rejected_not_read() -> None:
    ring = Keyring(MASTER)
    cipher = ring.unwrap("ws", "h1", ring.new_wrapped_key("ws", "h1"))
    blob = bytearray(seal(cipher, "ws", "src", _record()))
    blob[-5] ^= 0x01
    with pytest.raises(TamperedRow, match="fails authentication"):
        open_sealed(cipher, "ws", "src", _record(payload=bytes(blob)))


def test_a_ciphertext_copied_to_another_row_does_not_open() -> None:
    ring = Keyring(MASTER)
    cipher = ring.unwrap("ws", "h1", ring.new_wrapped_key("ws", "h1"))
    blob = seal(cipher, "ws", "src", _record())
    with pytest.raises(TamperedRow):
        open_sealed(cipher, "ws", "src", _record(message_id="m2", payload=blob))
    with pytest.raises(TamperedRow):
        open_sealed(cipher, "other-ws", "src", _record(payload=blob))


def test_a_wrapped_key_does_not_open_under_another_master_key() -> None:
    wrapped = Keyring(MASTER).new_wrapped_key("ws", "h1")
    with pytest.raises(WrongMasterKey, match="FRONTOFFICE_MASTER_KEY"):
        Keyring(bytes(32)).unwrap("ws", "h1", wrapped)
    with pytest.raises(WrongMasterKey):
        Keyring(MASTER).unwrap("ws", "h2", wrapped)  # bound to its subject


def test_keyed_hashes_are_stable_per_workspace_and_secret() -> None:
    ring = Keyring(MASTER)
    assert ring.hash("ws", "email:ann@example.com") == Keyring(MASTER).hash("ws", "email:ann@example.com")
    assert ring.hash("ws", "email:ann@example.com") != ring.hash("ws2", "email:ann@example.com")
    assert ring.hash("ws", "email:ann@example.com") != Keyring(bytes(32)).hash("ws", "email:ann@example.com")


def test_an_erased_row_reads_as_a_tombstone_keeping_only_its_place_in_the_log() -> None:
    erased = tombstone(_record())
    assert erased.family == ERASED_FAMILY and erased.user_id is None and erased.anonymous_id is None
    assert erased.payload == b'{"erased":true}' and erased.message_id == "m1"
    assert erased.timestamp == "2026-01-01T00:00:00.000Z"


def test_the_key_file_is_created_once_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    first = key_file_master_key(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert key_file_master_key(path) == first and len(first) == 32


def test_processes_starting_together_agree_on_one_key_and_never_read_a_half_written_file(
        tmp_path: Path) -> None:
    from concurrent.futures import ProcessPoolExecutor

    for round_ in range(5):
        path = tmp_path / f"master-{round_}.key"
        with ProcessPoolExecutor(4) as pool:
            keys = list(pool.map(key_file_master_key, [path] * 16))
        assert len(set(keys)) == 1 and len(keys[0]) == 32
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp files left


def test_a_malformed_master_key_says_how_to_make_one(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    path.write_text("not base64!")
    with pytest.raises(ConfigError, match="privacy new-key"):
        key_file_master_key(path)
    path.write_text(generate_master_key()[:20])
    with pytest.raises(ConfigError):
        key_file_master_key(path)
