""" "Rester connecté" through a server's bad moments: a proxy's 502/503 or a 429 keep the stored token,
only a refused token is forgotten, and logout forgets it before waiting for the server.

A reverse proxy in front of a restarting server answers by itself, and a server that hangs is hard to
get from the real backend: a transport plays them (the real refusal is in test_session_embedded.py).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

import httpx
import pytest
from keyring.backend import KeyringBackend

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.credentials import CredentialStore
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.client.session import Session

SERVER = "https://serveur.exemple.fr"
ADMIN = "admin@exemple.fr"
STORED = "rt_jeton-enregistre"
ME = {
    "id": 1,
    "email": ADMIN,
    "first_name": "Claire",
    "last_name": "Martin",
    "agencies": [],
    "brands": [],
    "features": [],
}
TOKENS = {"access_token": "at_nouveau", "refresh_token": "rt_nouveau", "expires_in": 900}

Handler = Callable[[httpx.Request], Awaitable[httpx.Response]]


def _json(status: int, body: object, **headers: str) -> httpx.Response:
    content_type = "application/problem+json" if status >= 400 else "application/json"
    return httpx.Response(
        status, content=json.dumps(body).encode(), headers={"Content-Type": content_type, **headers}
    )


def _problem(status: int, code: str, detail: str, **headers: str) -> httpx.Response:
    return _json(status, {"status": status, "code": code, "detail": detail}, **headers)


async def _resume_through(handler: Handler) -> None:
    async with ApiClient(SERVER, transport=httpx.MockTransport(handler)) as api:
        session = Session(api, CredentialStore(), server_url=SERVER)
        try:
            await session.resume()
        finally:
            session.close()


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(
            lambda: httpx.Response(
                502, content=b"<html>Bad Gateway</html>", headers={"Content-Type": "text/html"}
            ),
            id="proxy-502",
        ),
        pytest.param(lambda: httpx.Response(503, content=b"Service Unavailable"), id="proxy-503"),
        pytest.param(
            lambda: _problem(429, "too_many_requests", "Trop de requêtes.", **{"Retry-After": "30"}), id="429"
        ),
    ],
)
def test_server_failing_during_resume_keeps_the_stored_session(
    answer: Callable[[], httpx.Response], memory_keyring: KeyringBackend
) -> None:
    CredentialStore().save(SERVER, ADMIN, STORED)

    async def handler(request: httpx.Request) -> httpx.Response:
        return answer()

    with pytest.raises(ApiError) as caught:
        asyncio.run(_resume_through(handler))
    assert caught.value.status in (429, 502, 503)
    assert CredentialStore().load(SERVER) == (ADMIN, STORED), "a retry must find the token again"


def test_token_refused_by_the_server_is_forgotten(memory_keyring: KeyringBackend) -> None:
    CredentialStore().save(SERVER, ADMIN, STORED)

    async def handler(request: httpx.Request) -> httpx.Response:
        return _problem(401, "invalid_refresh_token", "Session expirée, veuillez vous reconnecter.")

    asyncio.run(_resume_through(handler))
    assert CredentialStore().load(SERVER) is None


def test_logout_forgets_the_stored_session_before_the_server_answers(memory_keyring: KeyringBackend) -> None:
    answer_logout = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/auth/token"):
            return _json(200, TOKENS)
        if request.url.path.endswith("/me"):
            return _json(200, ME)
        await answer_logout.wait()  # /auth/logout: a server that takes its time (up to the timeout)
        return httpx.Response(204)

    async def scenario() -> None:
        async with ApiClient(SERVER, transport=httpx.MockTransport(handler)) as api:
            session = Session(api, CredentialStore(), server_url=SERVER)
            await session.login(ADMIN, "mot-de-passe", remember=True)
            assert CredentialStore().load(SERVER) == (ADMIN, "rt_nouveau")
            logout = asyncio.ensure_future(session.logout())
            for _ in range(100):  # the keyring thread's turn: well under a second
                if CredentialStore().load(SERVER) is None:
                    break
                await asyncio.sleep(0.01)
            assert CredentialStore().load(SERVER) is None, "forgotten while the server has not answered"
            assert not logout.done()
            answer_logout.set()
            await logout
            session.close()

    asyncio.run(scenario())
