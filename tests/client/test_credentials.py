"""F1.1 "Rester connecté": the refresh token goes to a secure OS keyring, or nowhere — never to a file."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked

from coffreo_desktop.client import paths
from coffreo_desktop.client.credentials import (
    LOCAL_SERVER_KEY,
    CredentialStore,
    credential_key,
    embedded_credential_id,
)
from coffreo_desktop.client.settings import Settings

SERVER = "https://serveur.exemple.fr"
TOKEN = "jeton-de-renouvellement-7f3a9c"


def _files_containing(root: Path, secret: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_saved_credentials_load_back_and_are_forgotten(memory_keyring: KeyringBackend) -> None:
    store = CredentialStore()
    assert store.is_secure()
    assert store.save(SERVER, "marie.durand@exemple.fr", TOKEN)
    assert store.load(SERVER) == ("marie.durand@exemple.fr", TOKEN)

    store.forget(SERVER)
    assert store.load(SERVER) is None
    store.forget(SERVER)  # forgetting twice is not an error


def test_each_server_has_its_own_entry(memory_keyring: KeyringBackend) -> None:
    store = CredentialStore()
    store.save(SERVER, "a@exemple.fr", "jeton-a")
    store.save("https://autre.exemple.fr", "b@exemple.fr", "jeton-b")
    assert store.load(SERVER) == ("a@exemple.fr", "jeton-a")
    assert store.load("https://autre.exemple.fr") == ("b@exemple.fr", "jeton-b")
    assert CredentialStore(service="autre-application").load(SERVER) is None


def test_embedded_server_keeps_one_entry_whatever_its_port(memory_keyring: KeyringBackend) -> None:
    # The embedded server listens on a new free port at each start: its entry must survive that.
    store = CredentialStore()
    store.save("http://127.0.0.1:41234", "admin@demo.coffreo.fr", TOKEN)
    assert store.load("http://127.0.0.1:50123") == ("admin@demo.coffreo.fr", TOKEN)
    assert credential_key("http://127.0.0.1:41234/") == LOCAL_SERVER_KEY
    assert credential_key(SERVER + "/") == SERVER


def test_demo_and_plain_local_servers_keep_separate_entries(memory_keyring: KeyringBackend) -> None:
    # A remembered demo session must never be presented to (nor forgotten by) the real local server.
    store = CredentialStore()
    store.save(embedded_credential_id(demo=True), "admin@demo.coffreo.fr", "jeton-demo")
    assert store.load(embedded_credential_id(demo=False)) is None
    store.save(embedded_credential_id(demo=False), "marie.durand@exemple.fr", "jeton-local")
    store.forget(embedded_credential_id(demo=False))
    assert store.load(embedded_credential_id(demo=True)) == ("admin@demo.coffreo.fr", "jeton-demo")
    assert embedded_credential_id(demo=False) == LOCAL_SERVER_KEY == credential_key("http://127.0.0.1:5000")


def test_secrets_are_in_the_keyring_not_in_any_file(
    memory_keyring: KeyringBackend, desktop_home: Path
) -> None:
    Settings(mode="remote", server_url=SERVER, last_email="a@exemple.fr", remember_me=True).save()
    assert CredentialStore().save(SERVER, "a@exemple.fr", TOKEN)
    assert any(TOKEN in value for value in memory_keyring.entries.values())  # type: ignore[attr-defined]
    assert _files_containing(desktop_home, TOKEN) == []


def test_without_secure_keyring_nothing_is_stored(
    failing_keyring: KeyringBackend, desktop_home: Path
) -> None:
    store = CredentialStore()
    assert store.is_secure() is False
    assert store.save(SERVER, "a@exemple.fr", TOKEN) is False
    assert store.load(SERVER) is None
    store.forget(SERVER)  # no exception either
    assert not list(paths.config_dir().iterdir())
    assert _files_containing(desktop_home, TOKEN) == []


def test_null_keyring_is_not_secure(null_keyring: KeyringBackend) -> None:
    assert CredentialStore().is_secure() is False
    assert CredentialStore().save(SERVER, "a@exemple.fr", TOKEN) is False


class PlaintextKeyring(KeyringBackend):
    """Stands for keyrings.alt's plain-text file keyring: viable, high priority, but not secure."""

    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.written: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.written.append(password)

    def delete_password(self, service: str, username: str) -> None:
        return None


class LowPriorityKeyring(KeyringBackend):
    """A backend that calls itself unsuitable (priority below 1)."""

    priority = 0.5  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("must not be written to")

    def delete_password(self, service: str, username: str) -> None:
        return None


@pytest.mark.parametrize("backend_class", [PlaintextKeyring, LowPriorityKeyring])
def test_plaintext_or_unrecommended_backends_are_refused(backend_class: type[KeyringBackend]) -> None:
    previous = keyring.get_keyring()
    backend = backend_class()
    keyring.set_keyring(backend)
    try:
        store = CredentialStore()
        assert store.is_secure() is False
        assert store.save(SERVER, "a@exemple.fr", TOKEN) is False
        assert getattr(backend, "written", []) == []
    finally:
        keyring.set_keyring(previous)


def test_locked_keyring_refusal_is_not_fatal(
    memory_keyring: KeyringBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(*args: object) -> None:
        raise KeyringLocked("verrouillé")

    monkeypatch.setattr(memory_keyring, "set_password", locked)
    monkeypatch.setattr(memory_keyring, "get_password", locked)
    store = CredentialStore()
    assert store.save(SERVER, "a@exemple.fr", TOKEN) is False
    assert store.load(SERVER) is None


def test_unreadable_entry_is_ignored(memory_keyring: KeyringBackend) -> None:
    memory_keyring.set_password("coffreo-desktop", SERVER, "pas du json")
    assert CredentialStore().load(SERVER) is None
