"""The API client's failures that need no server: unreachable, no session, answers a proxy makes up."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.errors import ApiError, ServerUnreachable, SessionExpired


def test_unreachable_server_is_reported_in_french(closed_port_url: str) -> None:
    async def scenario() -> None:
        async with ApiClient(closed_port_url, timeout=2.0) as api:
            with pytest.raises(ServerUnreachable) as caught:
                await api.login("admin@demo.coffreo.fr", "peu importe")
            error = caught.value
            assert error.status == 0 and error.code == "unreachable"
            assert str(error) == (
                f"Le serveur est injoignable ({closed_port_url}). Vérifiez votre connexion puis réessayez."
            )
            with pytest.raises(ServerUnreachable):
                await api.health()

    asyncio.run(scenario())


def test_unreachable_server_is_an_api_error(closed_port_url: str) -> None:
    async def scenario() -> None:
        async with ApiClient(closed_port_url, timeout=2.0) as api:
            with pytest.raises(ApiError):
                await api.support()

    asyncio.run(scenario())


def test_request_without_session_asks_to_log_in_again() -> None:
    async def scenario() -> None:
        async with ApiClient("https://serveur.exemple.fr") as api:
            with pytest.raises(SessionExpired) as caught:
                await api.me()
            assert str(caught.value) == "Session expirée, veuillez vous reconnecter."

    asyncio.run(scenario())


def test_logout_without_session_does_nothing(closed_port_url: str) -> None:
    async def scenario() -> None:
        async with ApiClient(closed_port_url) as api:
            await api.logout()

    asyncio.run(scenario())


# A reverse proxy in front of a remote server can answer by itself; a real embedded backend never
# sends these, hence a transport that plays the proxy.


def _proxy(status: int, body: bytes, headers: dict[str, str]) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, content=body, headers=headers))


def test_proxy_error_page_becomes_a_french_error() -> None:
    async def scenario() -> None:
        transport = _proxy(502, b"<html>Bad Gateway</html>", {"Content-Type": "text/html"})
        async with ApiClient("https://serveur.exemple.fr", transport=transport) as api:
            with pytest.raises(ApiError) as caught:
                await api.health()
        assert caught.value.status == 502
        assert caught.value.code == "http_502"
        assert "erreur" in str(caught.value)

    asyncio.run(scenario())


def test_retry_after_of_a_throttled_login_is_kept() -> None:
    problem = (
        b'{"type": "https://coffreo.example/problems/login_throttled", "title": "Trop de tentatives",'
        b' "status": 429, "code": "login_throttled",'
        b' "detail": "Trop de tentatives. R\\u00e9essayez dans 5 minutes."}'
    )
    headers = {"Content-Type": "application/problem+json", "Retry-After": "300"}

    async def scenario() -> None:
        async with ApiClient("https://serveur.exemple.fr", transport=_proxy(429, problem, headers)) as api:
            with pytest.raises(ApiError) as caught:
                await api.login("a@exemple.fr", "x")
        assert caught.value.code == "login_throttled"
        assert caught.value.retry_after == 300.0
        assert str(caught.value) == "Trop de tentatives. Réessayez dans 5 minutes."

    asyncio.run(scenario())


def test_answer_of_an_incompatible_server_is_reported() -> None:
    async def scenario() -> None:
        transport = _proxy(200, b'{"token": "x"}', {"Content-Type": "application/json"})
        async with ApiClient("https://serveur.exemple.fr", transport=transport) as api:
            with pytest.raises(ApiError) as caught:
                await api.login("a@exemple.fr", "x")
        assert caught.value.code == "invalid_response"

    asyncio.run(scenario())
