"""The "Rester connecté" refresh token, kept in the OS keyring only — never in a file (F1.1).

Where no secure keyring exists (a headless Linux, or only a plain-text or file backend), nothing is
stored: the caller keeps the session in memory and tells the user once. Calls block (D-Bus, Keychain),
so the GUI runs them off the UI thread.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend

from coffreo_desktop.client.errors import is_loopback_url

log = logging.getLogger(__name__)

#: The embedded server listens on a new port at each start; its credentials live under a stable key,
#: one per data folder: a session of the demo group must never be resumed against the real local data.
LOCAL_SERVER_KEY = "serveur-local"
DEMO_SERVER_KEY = "serveur-demo"

# Backends that write secrets in the clear or in a file of ours to protect: refused even when viable.
_INSECURE_MODULE_PREFIXES = (
    "keyring.backends.fail",
    "keyring.backends.null",
    "keyrings.alt",
    "keyrings.cryptfile",
)
_INSECURE_NAME_PARTS = ("plaintext", "uncrypted", "file", "null", "fail")

#: The keyring user name of the offline cache's AES key (F2.9).
CACHE_KEY_USERNAME = "cle-cache-hors-ligne"
CACHE_KEY_BYTES = 32


def embedded_credential_id(*, demo: bool) -> str:
    """What to pass as ``server_url`` to the store for the embedded server, with or without the demo."""
    return DEMO_SERVER_KEY if demo else LOCAL_SERVER_KEY


def credential_key(server_url: str) -> str:
    """The keyring user name for a server: its URL, or one fixed key for the embedded (loopback) server."""
    url = server_url.rstrip("/")
    if url in (LOCAL_SERVER_KEY, DEMO_SERVER_KEY):
        return url
    return LOCAL_SERVER_KEY if is_loopback_url(url) else url


def _priority(backend: KeyringBackend) -> float:
    try:
        return float(backend.priority)
    except Exception:
        return -1.0  # a backend whose priority raises is not usable here


def _is_secure_backend(backend: KeyringBackend) -> bool:
    cls = type(backend)
    module = cls.__module__.lower()
    name = cls.__name__.lower()
    if module.startswith(_INSECURE_MODULE_PREFIXES) or any(part in name for part in _INSECURE_NAME_PARTS):
        return False
    # keyring's guidance: priority ≥ 1 for recommended backends; fail is 0, null -1, keyrings.alt < 1.
    return _priority(backend) >= 1


def secure_backend() -> KeyringBackend | None:
    """The keyring backend we may write secrets to, or None.

    keyring's chainer writes to the first of its backends that accepts; we pick the first secure one
    ourselves so a plain-text backend installed next to a real keyring is never used.
    """
    try:
        backend = keyring.get_keyring()
        if isinstance(backend, ChainerBackend):
            return next((b for b in backend.backends if _is_secure_backend(b)), None)
        return backend if _is_secure_backend(backend) else None
    except Exception:
        log.exception("Impossible d'interroger le trousseau du système")
        return None


class CredentialStore:
    """Saves, loads and forgets (email, refresh token) per server in the OS keyring."""

    def __init__(self, service: str = "coffreo-desktop") -> None:
        self.service = service

    def is_secure(self) -> bool:
        """Whether a secure keyring is available; never raises."""
        return secure_backend() is not None

    def backend_name(self) -> str:
        """A short name of the keyring in use, for the "about" or diagnostics; empty when none."""
        backend = secure_backend()
        return str(type(backend).__module__ + "." + type(backend).__name__) if backend else ""

    def save(self, server_url: str, email: str, refresh_token: str) -> bool:
        """Store the credentials; False (and nothing written anywhere) when no secure keyring is usable."""
        backend = secure_backend()
        if backend is None:
            return False
        secret = json.dumps({"email": email, "refresh_token": refresh_token})
        try:
            backend.set_password(self.service, credential_key(server_url), secret)
        except Exception as exc:
            # A locked or refused keyring (each backend raises its own error types): the session then
            # stays in memory, as when no keyring exists.
            log.warning("Le trousseau a refusé l'enregistrement (%s)", type(exc).__name__)
            return False
        return True

    def load(self, server_url: str) -> tuple[str, str] | None:
        """The stored (email, refresh token) for this server, or None."""
        backend = secure_backend()
        if backend is None:
            return None
        try:
            secret = backend.get_password(self.service, credential_key(server_url))
        except Exception as exc:
            log.warning("Le trousseau n'a pas pu être lu (%s)", type(exc).__name__)
            return None
        if not secret:
            return None
        try:
            data = json.loads(secret)
            email, token = data["email"], data["refresh_token"]
        except (ValueError, KeyError, TypeError):
            log.warning("Entrée du trousseau illisible pour ce serveur : elle est ignorée")
            return None
        if not isinstance(email, str) or not isinstance(token, str) or not token:
            return None
        return email, token

    def cache_key(self, create: bool) -> bytes | None:
        """The offline cache's 32-byte key; made (and stored) with ``create``. None: no secure keyring,
        or no key yet without ``create`` — then nothing may be cached."""
        backend = secure_backend()
        if backend is None:
            return None
        try:
            stored = backend.get_password(self.service, CACHE_KEY_USERNAME)
        except Exception as exc:
            log.warning("Le trousseau n'a pas pu être lu (%s)", type(exc).__name__)
            return None
        if stored:
            try:
                key = base64.b64decode(stored, validate=True)
            except (binascii.Error, ValueError):
                key = b""
            if len(key) == CACHE_KEY_BYTES:
                return key
            log.warning("Clé du cache hors ligne illisible : une nouvelle est créée")
        if not create:
            return None
        key = os.urandom(CACHE_KEY_BYTES)
        try:
            backend.set_password(self.service, CACHE_KEY_USERNAME, base64.b64encode(key).decode())
        except Exception as exc:
            log.warning("Le trousseau a refusé la clé du cache (%s)", type(exc).__name__)
            return None
        return key

    def forget(self, server_url: str) -> None:
        """Remove the stored credentials of this server; nothing stored is not an error."""
        backend = secure_backend()
        if backend is None:
            return
        try:
            backend.delete_password(self.service, credential_key(server_url))
        except keyring.errors.PasswordDeleteError:
            pass  # nothing was stored
        except Exception as exc:
            log.warning("Le trousseau n'a pas pu effacer l'entrée (%s)", type(exc).__name__)
