"""The encrypted offline cache (F2.9): small named blobs under cache_dir()/"hors-ligne", AES-256-GCM.

The key lives in the OS keyring only: without a secure keyring there is no cache at all. Every call
blocks (keyring, disk): the GUI runs them on the STORE lane, or before Qt starts.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from coffreo_desktop.client.credentials import CredentialStore
from coffreo_desktop.client.models import Me
from coffreo_desktop.client.paths import cache_dir

log = logging.getLogger(__name__)

OFFLINE_FOLDER = "hors-ligne"
NONCE_BYTES = 12  # 96 bits, the size GCM is designed for
KEY_BYTES = 32
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
_SUFFIX = ".bin"


def offline_dir() -> Path:
    return cache_dir() / OFFLINE_FOLDER


def derive_key(key: bytes, purpose: str) -> bytes:
    """A 32-byte key for one use of the cache key (HKDF-SHA256): separate uses never share a key."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode()).derive(key)


@dataclass(frozen=True)
class StoredEntry:
    """A stored blob as the file system sees it (nothing decrypted): its name, size and identity."""

    name: str
    size: int
    mtime_ns: int
    inode: int


class EncryptedStore:
    """Named blobs, each file ``nonce || AES-GCM(data)`` with the name as associated data.

    The name is bound to the ciphertext, so one file renamed over another fails authentication.
    """

    def __init__(self, folder: Path, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("la clé du cache hors ligne doit faire 32 octets")
        self.folder = folder
        self._aead = AESGCM(key)

    @classmethod
    def open(cls, credentials: CredentialStore, *, create: bool = True) -> EncryptedStore | None:
        """The store of this user, or None when no key exists (no secure keyring, or ``create`` off)."""
        key = credentials.cache_key(create=create)
        return None if key is None else cls(offline_dir(), key)

    def _path(self, name: str) -> Path:
        if not _NAME.match(name):
            raise ValueError(f"nom d'entrée de cache invalide : {name!r}")
        return self.folder / (name + _SUFFIX)

    def put(self, name: str, data: bytes) -> None:
        path = self._path(name)
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.folder, 0o700)
        nonce = os.urandom(NONCE_BYTES)
        blob = nonce + self._aead.encrypt(nonce, data, name.encode())
        # Temp file in the same folder + fsync + replace: a crash leaves the old file or the new one.
        fd, temp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")  # created 0600
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(blob)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def get(self, name: str) -> bytes | None:
        """The data, or None when missing; a damaged or foreign file is deleted (never logged)."""
        path = self._path(name)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            if len(blob) <= NONCE_BYTES:
                raise InvalidTag
            return self._aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], name.encode())
        except InvalidTag:
            log.warning("Entrée du cache hors ligne illisible (%s) : elle est supprimée", name)
            path.unlink(missing_ok=True)
            return None

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

    def entries(self, prefix: str = "") -> list[StoredEntry]:
        """The blobs whose name starts with ``prefix``, from the directory listing (no decryption)."""
        found: list[StoredEntry] = []
        try:
            scan = os.scandir(self.folder)
        except FileNotFoundError:
            return found
        with scan:
            for item in scan:
                name = item.name.removesuffix(_SUFFIX)
                if item.name == name or not name.startswith(prefix) or not _NAME.match(name):
                    continue
                try:
                    info = item.stat()
                except FileNotFoundError:
                    continue  # removed meanwhile (another instance of the app)
                found.append(StoredEntry(name, info.st_size, info.st_mtime_ns, info.st_ino))
        return found

    def clear(self) -> None:
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.is_file() and (path.suffix == _SUFFIX or path.name.startswith(".tmp-")):
                path.unlink(missing_ok=True)


# ---- the last known profile (the main window opens from it while the session resumes) --------------
def profile_name(credential_id: str) -> str:
    """The cache entry of a session's profile: a hash, so the file name says nothing of the server."""
    return "profil-" + hashlib.sha256(credential_id.encode()).hexdigest()[:16]


def load_profile(credentials: CredentialStore, credential_id: str) -> Me | None:
    """The last profile saved for this session, or None (no key, no entry, unreadable entry)."""
    store = EncryptedStore.open(credentials, create=False)
    if store is None:
        return None
    name = profile_name(credential_id)
    data = store.get(name)
    if data is None:
        return None
    try:
        return Me.from_json(json.loads(data))
    except (ValueError, TypeError):
        log.warning("Profil du cache hors ligne illisible : il est supprimé")
        store.delete(name)
        return None


def save_profile(credentials: CredentialStore, credential_id: str, me: Me) -> bool:
    """Keep ``me`` for the next start; False when no secure keyring allows a cache."""
    store = EncryptedStore.open(credentials, create=True)
    if store is None:
        return False
    try:
        store.put(profile_name(credential_id), json.dumps(me.to_json()).encode())
    except OSError as exc:
        log.warning("Profil non enregistré dans le cache hors ligne (%s)", type(exc).__name__)
        return False
    return True


def delete_profile(credentials: CredentialStore, credential_id: str) -> None:
    """Forget the profile; its file goes even when the key is gone (it could not be read anyway)."""
    (offline_dir() / (profile_name(credential_id) + _SUFFIX)).unlink(missing_ok=True)
