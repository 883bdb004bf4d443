"""The encrypted offline cache (F2.9): AES-GCM round trip, tampering, wrong key, no keyring, permissions."""

from __future__ import annotations

import logging
import stat

import pytest
from keyring.backend import KeyringBackend

from coffreo_desktop.client.credentials import CACHE_KEY_USERNAME, CredentialStore
from coffreo_desktop.client.models import Me
from coffreo_desktop.client.offline_store import (
    EncryptedStore,
    delete_profile,
    load_profile,
    offline_dir,
    profile_name,
    save_profile,
)
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.services import Feature, Service
from tests.support import MemoryKeyring

SECRET = "Liste des salariés — ne pas divulguer".encode()


def sample_me(first_name: str = "Camille") -> Me:
    return Me.from_json(
        {
            "id": 7,
            "email": "camille@exemple.fr",
            "first_name": first_name,
            "last_name": "Martin",
            "agencies": [
                {
                    "id": 3,
                    "code": "LYO1",
                    "name": "Lyon Part-Dieu",
                    "city": "Lyon",
                    "brand_id": 1,
                    "brand_name": "Intérim Plus",
                    "company_id": 2,
                    "company_name": "Intérim Plus SAS",
                    "rights": [r.value for r in list(Right)[:3]],
                    "services": [s.value for s in Service],
                }
            ],
            "brands": [{"id": 1, "code": "IP", "name": "Intérim Plus", "rights": [next(iter(Right)).value]}],
            "features": [f.value for f in Feature],
        }
    )


def open_store() -> EncryptedStore:
    store = EncryptedStore.open(CredentialStore())
    assert store is not None
    return store


def test_me_to_json_round_trips_through_from_json() -> None:
    me = sample_me()
    assert Me.from_json(me.to_json()) == me


def test_a_blob_comes_back_and_is_not_stored_in_the_clear(memory_keyring: MemoryKeyring) -> None:
    store = open_store()
    store.put("profil-abc", SECRET)
    assert store.get("profil-abc") == SECRET
    raw = (offline_dir() / "profil-abc.bin").read_bytes()
    assert SECRET not in raw and b"salari" not in raw
    # A new nonce at each write: the same data never gives the same file.
    store.put("profil-abc", SECRET)
    assert (offline_dir() / "profil-abc.bin").read_bytes() != raw
    assert store.get("missing") is None


def test_the_key_is_kept_in_the_keyring_and_reused(memory_keyring: MemoryKeyring) -> None:
    first = CredentialStore().cache_key(create=True)
    assert first is not None and len(first) == 32
    assert memory_keyring.get_password("coffreo-desktop", CACHE_KEY_USERNAME)
    assert CredentialStore().cache_key(create=False) == first


def test_a_tampered_file_reads_as_missing_and_is_deleted(
    memory_keyring: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store()
    store.put("profil-abc", SECRET)
    path = offline_dir() / "profil-abc.bin"
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 0x01
    path.write_bytes(bytes(blob))
    with caplog.at_level(logging.WARNING):
        assert store.get("profil-abc") is None
    assert not path.exists()
    assert "salari" not in caplog.text


def test_a_file_renamed_over_another_fails_authentication(memory_keyring: MemoryKeyring) -> None:
    store = open_store()
    store.put("profil-a", SECRET)
    (offline_dir() / "profil-a.bin").rename(offline_dir() / "profil-b.bin")
    assert store.get("profil-b") is None


def test_a_truncated_file_reads_as_missing(memory_keyring: MemoryKeyring) -> None:
    store = open_store()
    store.put("profil-abc", SECRET)
    (offline_dir() / "profil-abc.bin").write_bytes(b"court")
    assert store.get("profil-abc") is None
    assert not (offline_dir() / "profil-abc.bin").exists()


def test_another_key_cannot_read_the_cache(memory_keyring: MemoryKeyring) -> None:
    open_store().put("profil-abc", SECRET)
    other = EncryptedStore(offline_dir(), bytes(32))
    assert other.get("profil-abc") is None


def test_a_lost_key_leaves_nothing_readable(memory_keyring: MemoryKeyring) -> None:
    save_profile(CredentialStore(), "serveur-demo", sample_me())
    memory_keyring.delete_password("coffreo-desktop", CACHE_KEY_USERNAME)
    assert load_profile(CredentialStore(), "serveur-demo") is None


def test_without_a_secure_keyring_there_is_no_key_and_nothing_is_written(
    null_keyring: KeyringBackend,
) -> None:
    assert CredentialStore().cache_key(create=True) is None
    assert EncryptedStore.open(CredentialStore()) is None
    assert not save_profile(CredentialStore(), "serveur-demo", sample_me())
    assert not offline_dir().exists() or not any(offline_dir().iterdir())


def test_files_are_private_to_the_user(memory_keyring: MemoryKeyring) -> None:
    store = open_store()
    store.put("profil-abc", SECRET)
    assert stat.S_IMODE(offline_dir().stat().st_mode) == 0o700
    assert stat.S_IMODE((offline_dir() / "profil-abc.bin").stat().st_mode) == 0o600
    assert [p.name for p in offline_dir().iterdir()] == ["profil-abc.bin"]  # no temp file left


def test_delete_and_clear_remove_the_files(memory_keyring: MemoryKeyring) -> None:
    store = open_store()
    store.put("profil-a", SECRET)
    store.put("profil-b", SECRET)
    store.delete("profil-a")
    assert store.get("profil-a") is None and store.get("profil-b") == SECRET
    store.clear()
    assert list(offline_dir().iterdir()) == []


def test_invalid_names_are_refused(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(ValueError):
        open_store().put("../ailleurs", SECRET)


def test_the_profile_is_saved_per_session_and_deleted(memory_keyring: MemoryKeyring) -> None:
    credentials = CredentialStore()
    me = sample_me()
    assert save_profile(credentials, "https://coffreo.exemple.fr", me)
    assert load_profile(credentials, "https://coffreo.exemple.fr") == me
    assert load_profile(credentials, "serveur-demo") is None
    name = profile_name("https://coffreo.exemple.fr")
    assert name.startswith("profil-") and "coffreo" not in name
    delete_profile(credentials, "https://coffreo.exemple.fr")
    assert load_profile(credentials, "https://coffreo.exemple.fr") is None
