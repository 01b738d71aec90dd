"""The key-encryption key, the keys derived from it, and the small cache of unwrapped subject keys.

One master key (the KEK, 32 bytes) is the root. HKDF derives independent keys from it:
``wrap`` (AES-GCM, wraps each subject's random 256-bit data key), ``hash`` (keyed BLAKE2b,
turns identifiers into values that can be compared but not read: subject-key ids, the
suppression list, the id columns of sealed events) and ``secrets`` (AES-GCM, seals the
secrets frontoffice keeps for others: webhook and signing secrets). Deleting a subject's wrapped key is the
erasure: nothing else can decrypt that subject's rows.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import secrets
import threading
from collections import OrderedDict
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from frontoffice.errors import ConfigError, FrontofficeError
from frontoffice.vault.subjects import canonical

MASTER_KEY_ENV = "FRONTOFFICE_MASTER_KEY"
KEY_FILE_NAME = "master.key"
NONCE_BYTES = 12
CACHE_KEYS = 65_536  # unwrapped subject keys kept per process (~16 MB)
MEMO_HASHES = 262_144  # identifier → keyed hash, per process (~60 MB at most); cleared when full


class WrongMasterKey(FrontofficeError):
    """A wrapped subject key does not open with this master key."""

    code = "wrong_master_key"


def generate_master_key() -> str:
    """A new master key, as FRONTOFFICE_MASTER_KEY expects it (base64 of 32 random bytes)."""
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def parse_master_key(text: str, origin: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ConfigError(f"The master key in {origin} is not base64; generate one with "
                          "`frontoffice privacy new-key`.") from exc
    if len(raw) != 32:
        raise ConfigError(f"The master key in {origin} has {len(raw)} bytes, 32 are needed; "
                          "generate one with `frontoffice privacy new-key`.")
    return raw


def key_file_master_key(path: Path) -> bytes:
    """The key in ``path``, created once (mode 0600). Written to a temporary file and linked into
    place, so a process never reads a key file another one has not finished writing, and two
    processes starting together agree on one key."""
    if not path.exists():
        temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(generate_master_key() + "\n")
                out.flush()
                os.fsync(out.fileno())
            with contextlib.suppress(FileExistsError):  # another process linked its key first
                os.link(temp, path)  # atomic
        finally:
            temp.unlink(missing_ok=True)
    return parse_master_key(path.read_text(encoding="ascii"), str(path))


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"frontoffice/" + purpose
                ).derive(master)


class Keyring:
    """Everything cryptographic the storage layer needs, from one master key."""

    def __init__(self, master: bytes) -> None:
        self._wrap = AESGCM(_derive(master, b"wrap-subject-keys/v1"))
        self._hash_key = _derive(master, b"hash-identifiers/v1")
        self.secrets = AESGCM(_derive(master, b"seal-stored-secrets/v1"))
        self._cache: OrderedDict[tuple[str, str], tuple[bytes, AESGCM]] = OrderedDict()
        self._lock = threading.Lock()  # server threads read pages concurrently
        self._memo: dict[tuple[str, str, str], str | None] = {}

    # -- keyed hashes --------------------------------------------------------------------
    def hash(self, workspace_id: str, value: str) -> str:
        """Keyed BLAKE2b of ``value`` within a workspace: equal inputs give equal outputs, and
        nobody without the master key can test a guess (an e-mail address) against it."""
        data = f"{workspace_id}\x1f{value}".encode()
        return hashlib.blake2b(data, key=self._hash_key, digest_size=16).hexdigest()

    def identifier_hash(self, workspace_id: str, kind: str, value: str | None) -> str | None:
        """``hash`` of the identifier in canonical form (None when it has none), remembered: an
        event stream repeats its userIds and anonymousIds, and the hash is most of sealing's
        cost otherwise. ``kind`` "" takes ``value`` as already canonical (``kind:value``)."""
        if value is None:
            return None
        slot = (workspace_id, kind, value)
        try:
            return self._memo[slot]
        except KeyError:
            pass
        c = canonical(kind, value) if kind else value
        hashed = None if c is None else self.hash(workspace_id, c)
        if len(self._memo) >= MEMO_HASHES:
            self._memo.clear()
        self._memo[slot] = hashed
        return hashed

    # -- subject keys --------------------------------------------------------------------
    def new_wrapped_key(self, workspace_id: str, subject_hash: str) -> bytes:
        return self.new_key(workspace_id, subject_hash)[1]

    def new_key(self, workspace_id: str, subject_hash: str) -> tuple[bytes, bytes]:
        """A fresh subject key and its wrapped form (what the database stores)."""
        key, nonce = secrets.token_bytes(32), secrets.token_bytes(NONCE_BYTES)
        return key, nonce + self._wrap.encrypt(nonce, key, _wrap_aad(workspace_id, subject_hash))

    def remember(self, workspace_id: str, subject_hash: str, key: bytes, wrapped: bytes) -> AESGCM:
        """The cipher of a key, cached while the stored wrapped key stays the same (a key this
        process just stored needs no unwrapping)."""
        cipher = AESGCM(key)
        with self._lock:
            self._cache[(workspace_id, subject_hash)] = (wrapped, cipher)
            if len(self._cache) > CACHE_KEYS:
                self._cache.popitem(last=False)
        return cipher

    def unwrap(self, workspace_id: str, subject_hash: str, wrapped: bytes) -> AESGCM:
        """The subject's cipher; cached while the stored wrapped key stays the same."""
        slot = (workspace_id, subject_hash)
        with self._lock:
            hit = self._cache.get(slot)
            if hit is not None and hit[0] == wrapped:
                self._cache.move_to_end(slot)
                return hit[1]
        try:
            key = self._wrap.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:],
                                     _wrap_aad(workspace_id, subject_hash))
        except InvalidTag as exc:
            raise WrongMasterKey(
                "A subject key does not open with this master key: FRONTOFFICE_MASTER_KEY (or the "
                "key file) differs from the one the data was written with. Restore the right key."
            ) from exc
        return self.remember(workspace_id, subject_hash, key, bytes(wrapped))

    def forget(self, workspace_id: str, subject_hashes: set[str]) -> None:
        self._memo.clear()  # an erased person's identifiers leave this process's memory too
        with self._lock:
            for h in subject_hashes:
                self._cache.pop((workspace_id, h), None)


def _wrap_aad(workspace_id: str, subject_hash: str) -> bytes:
    return f"subject-key\x1f{workspace_id}\x1f{subject_hash}".encode()
