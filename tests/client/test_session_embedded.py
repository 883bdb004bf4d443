"""F1.1 against a real embedded backend: "Rester connecté", restart from the keyring, logout forgets."""

from __future__ import annotations

import asyncio

import pytest
from keyring.backend import KeyringBackend

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.credentials import CredentialStore
from coffreo_desktop.client.errors import ServerUnreachable
from coffreo_desktop.client.models import Me
from coffreo_desktop.client.session import Session

pytestmark = pytest.mark.embedded_server

ADMIN = "admin@demo.coffreo.fr"


async def _login(server_url: str, password: str, *, remember: bool) -> tuple[Me, bool]:
    async with ApiClient(server_url) as api:
        session = Session(api, CredentialStore(), server_url=server_url)
        me = await session.login(ADMIN, password, remember=remember)
        session.close()
        return me, session.remembered


async def _resume(server_url: str) -> Me | None:
    """What the next start of the application does."""
    async with ApiClient(server_url) as api:
        session = Session(api, CredentialStore(), server_url=server_url)
        try:
            return await session.resume()
        finally:
            session.close()  # waits for the keyring copy of the rotated token


def test_stay_logged_in_then_restart_logs_in_from_the_keyring(
    server_url: str, demo_passwords: dict[str, str], memory_keyring: KeyringBackend
) -> None:
    me, remembered = asyncio.run(_login(server_url, demo_passwords[ADMIN], remember=True))
    assert remembered
    stored = CredentialStore().load(server_url)
    assert stored is not None and stored[0] == ADMIN

    resumed = asyncio.run(_resume(server_url))
    assert resumed is not None and resumed.id == me.id
    after_first_restart = CredentialStore().load(server_url)
    assert after_first_restart is not None and after_first_restart[1] != stored[1], "token rotated in keyring"

    # A second restart works too: the keyring followed the rotation.
    assert asyncio.run(_resume(server_url)) is not None


def test_login_without_stay_logged_in_stores_nothing_and_drops_an_old_entry(
    server_url: str, demo_passwords: dict[str, str], memory_keyring: KeyringBackend
) -> None:
    asyncio.run(_login(server_url, demo_passwords[ADMIN], remember=True))
    _, remembered = asyncio.run(_login(server_url, demo_passwords[ADMIN], remember=False))
    assert remembered is False
    assert CredentialStore().load(server_url) is None
    assert asyncio.run(_resume(server_url)) is None


def test_logout_forgets_the_stored_session(
    server_url: str, demo_passwords: dict[str, str], memory_keyring: KeyringBackend
) -> None:
    async def scenario() -> None:
        async with ApiClient(server_url) as api:
            session = Session(api, CredentialStore(), server_url=server_url)
            await session.login(ADMIN, demo_passwords[ADMIN], remember=True)
            assert CredentialStore().load(server_url) is not None
            await session.logout()
            session.close()
            assert session.me is None and not session.remembered

    asyncio.run(scenario())
    assert CredentialStore().load(server_url) is None
    assert asyncio.run(_resume(server_url)) is None


def test_refused_stored_token_is_forgotten(server_url: str, memory_keyring: KeyringBackend) -> None:
    CredentialStore().save(server_url, ADMIN, "jeton-revoque")
    assert asyncio.run(_resume(server_url)) is None
    assert CredentialStore().load(server_url) is None


def test_without_secure_keyring_the_session_stays_in_memory(
    server_url: str, demo_passwords: dict[str, str], failing_keyring: KeyringBackend
) -> None:
    me, remembered = asyncio.run(_login(server_url, demo_passwords[ADMIN], remember=True))
    assert me.email == ADMIN
    assert remembered is False
    assert asyncio.run(_resume(server_url)) is None


def test_unreachable_server_keeps_the_stored_session(
    closed_port_url: str, memory_keyring: KeyringBackend
) -> None:
    CredentialStore().save(closed_port_url, ADMIN, "jeton-a-garder")
    with pytest.raises(ServerUnreachable):
        asyncio.run(_resume(closed_port_url))
    assert CredentialStore().load(closed_port_url) == (ADMIN, "jeton-a-garder")
