"""The API client against a real embedded backend on loopback: login, /me, token rotation and renewal."""

from __future__ import annotations

import asyncio

import pytest

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.errors import ApiError, SessionExpired
from coffreo_desktop.client.models import Me
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.services import Feature

pytestmark = pytest.mark.embedded_server

ADMIN = "admin@demo.coffreo.fr"
DIFFUSION = "diffusion@demo.coffreo.fr"
ACOMPTES = "acomptes@demo.coffreo.fr"
RESTREINT = "restreint@demo.coffreo.fr"


def test_health_says_the_server_is_embedded(server_url: str) -> None:
    async def scenario() -> dict[str, object]:
        async with ApiClient(server_url) as api:
            return await api.health()

    health = asyncio.run(scenario())
    assert health["status"] == "ok"
    assert health["mode"] == "embedded"


def test_admin_logs_in_and_sees_every_agency_with_all_rights(
    server_url: str, demo_passwords: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with ApiClient(server_url) as api:
            tokens = await api.login(ADMIN, demo_passwords[ADMIN])
            assert tokens.access_token and tokens.refresh_token and tokens.expires_in > 0
            assert api.refresh_token == tokens.refresh_token
            me = await api.me()
        assert me.email == ADMIN
        assert me.display_name and me.display_name != ADMIN
        assert len(me.agencies) >= 4
        assert all(Right.ADMIN in agency.rights for agency in me.agencies)
        assert [a.name for a in me.agencies] == sorted(a.name for a in me.agencies)
        assert {Feature.DOCUMENTS, Feature.RIGHTS, Feature.EMPLOYEES, Feature.CLIENTS} <= set(me.features)

    asyncio.run(scenario())


def test_wrong_password_is_refused_in_french(server_url: str, demo_passwords: dict[str, str]) -> None:
    async def scenario() -> None:
        async with ApiClient(server_url) as api:
            with pytest.raises(ApiError) as caught:
                await api.login(DIFFUSION, demo_passwords[DIFFUSION] + "x")
            assert not api.authenticated
        assert caught.value.status == 401
        assert caught.value.code == "invalid_credentials"
        assert str(caught.value) == "Adresse e-mail ou mot de passe incorrect."

    asyncio.run(scenario())


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(server_url: str) -> None:
    async def scenario() -> None:
        async with ApiClient(server_url) as api:
            with pytest.raises(ApiError) as caught:
                await api.login("personne@demo.coffreo.fr", "un mot de passe quelconque")
        assert caught.value.code == "invalid_credentials"

    asyncio.run(scenario())


def test_users_see_only_agencies_where_they_hold_rights(
    server_url: str, demo_passwords: dict[str, str]
) -> None:
    async def me_of(email: str) -> Me:
        async with ApiClient(server_url) as api:
            await api.login(email, demo_passwords[email])
            return await api.me()

    admin = asyncio.run(me_of(ADMIN))
    restricted = asyncio.run(me_of(RESTREINT))
    advances = asyncio.run(me_of(ACOMPTES))

    assert restricted.agencies and all(agency.rights for agency in restricted.agencies)
    assert {a.id for a in restricted.agencies} < {a.id for a in admin.agencies}
    assert advances.agencies and all(agency.rights == {Right.ACOMPTES} for agency in advances.agencies)
    assert Feature.RIGHTS not in advances.features and Feature.CAMPAIGNS not in advances.features


def test_refresh_token_rotates_and_a_reused_one_is_refused(
    server_url: str, demo_passwords: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with ApiClient(server_url) as first, ApiClient(server_url) as second:
            await first.login(DIFFUSION, demo_passwords[DIFFUSION])
            original = first.refresh_token
            assert original is not None

            rotated = await second.resume(original)
            assert rotated.refresh_token != original
            assert (await second.me()).email == DIFFUSION

            async with ApiClient(server_url) as thief:
                with pytest.raises(ApiError) as caught:
                    await thief.resume(original)
                assert caught.value.status == 401
                assert caught.value.code == "invalid_refresh_token"
                # Replaying a dead token revokes the whole session, the rotated token included.
                with pytest.raises(ApiError):
                    await thief.resume(rotated.refresh_token)

    asyncio.run(scenario())


def test_refused_access_token_is_renewed_once_for_concurrent_requests(
    server_url: str, demo_passwords: dict[str, str]
) -> None:
    renewed: list[str] = []

    async def scenario() -> None:
        async with ApiClient(server_url, on_refresh_token=renewed.append) as api:
            await api.login(ADMIN, demo_passwords[ADMIN])
            api._access_token = "jeton-corrompu"  # what an expired access token looks like to the server
            results = await asyncio.gather(*(api.me() for _ in range(6)))
            assert {me.email for me in results} == {ADMIN}
            # One renewal only: a second one would have replayed a rotated refresh token.
            assert renewed == [api.refresh_token]

    asyncio.run(scenario())


def test_session_expires_when_the_refresh_is_refused(server_url: str, demo_passwords: dict[str, str]) -> None:
    async def scenario() -> None:
        async with ApiClient(server_url) as api:
            await api.login(ADMIN, demo_passwords[ADMIN])
            api._access_token = "jeton-corrompu"
            api._refresh_token = "renouvellement-corrompu"
            with pytest.raises(SessionExpired) as caught:
                await api.me()
            assert str(caught.value) == "Session expirée, veuillez vous reconnecter."
            assert not api.authenticated

    asyncio.run(scenario())


def test_logout_revokes_the_refresh_token(server_url: str, demo_passwords: dict[str, str]) -> None:
    async def scenario() -> None:
        async with ApiClient(server_url) as api:
            await api.login(DIFFUSION, demo_passwords[DIFFUSION])
            token = api.refresh_token
            assert token is not None
            await api.logout()
            assert not api.authenticated
            with pytest.raises(SessionExpired):
                await api.me()
        async with ApiClient(server_url) as other:
            with pytest.raises(ApiError) as caught:
                await other.resume(token)
            assert caught.value.status == 401

    asyncio.run(scenario())


def test_contact_support_works_without_login(server_url: str) -> None:
    async def scenario() -> None:
        async with ApiClient(server_url) as api:
            support = await api.support()
            assert "@" in support.email and support.phone
            reference = await api.send_support_message(
                "marie.durand@exemple.fr", "Accès", "Je n'arrive pas à me connecter depuis ce matin."
            )
            assert reference

    asyncio.run(scenario())
