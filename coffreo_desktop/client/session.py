"""A logged-in session: login, "Rester connecté" through the keyring, resume at start, logout (F1.1).

No Qt: the GUI awaits these coroutines. Keyring calls block, so they run in a single worker thread,
one after the other, so that a token saved on rotation can never land after a later "forget".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.credentials import CredentialStore
from coffreo_desktop.client.errors import ApiError, SessionExpired
from coffreo_desktop.client.models import Me
from coffreo_desktop.client.offline_store import delete_profile, save_profile

log = logging.getLogger(__name__)

T = TypeVar("T")

#: The server's code for a refresh token it does not (or no longer) accept.
REFUSED_TOKEN_CODE = "invalid_refresh_token"


class Session:
    """Ties an :class:`ApiClient` to the credential store for one server.

    ``remembered`` says whether the refresh token is in the keyring (False when the user did not ask,
    or when no secure keyring exists: the GUI then says the session is kept in memory only).
    """

    def __init__(
        self,
        api: ApiClient,
        credentials: CredentialStore,
        *,
        server_url: str,
        credential_id: str | None = None,
    ) -> None:
        self.api = api
        self.credentials = credentials
        self.server_url = server_url
        #: Under what the keyring keeps this session: the URL, or the embedded server's key for its mode.
        self.credential_id = credential_id or server_url
        self.me: Me | None = None
        self.email: str | None = None
        self.remembered = False
        self._keyring = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coffreo-keyring")
        # The refresh token rotates at each renewal: the keyring copy must follow or the next start
        # would present a dead token. Any hook the caller installed keeps being called.
        self._caller_hook = api.on_refresh_token
        api.on_refresh_token = self._on_refresh_token

    async def login(self, email: str, password: str, *, remember: bool) -> Me:
        """Log in; with ``remember``, keep the refresh token in the keyring (see ``remembered``)."""
        tokens = await self.api.login(email, password)
        self.email = email
        self.me = await self.api.me()
        if remember:
            self.remembered = await self._in_keyring(
                self.credentials.save, self.credential_id, email, tokens.refresh_token
            )
        else:
            # Unticking "Rester connecté" also drops what an earlier login kept.
            self.remembered = False
            await self._in_keyring(self.credentials.forget, self.credential_id)
        await self._keep_profile()
        return self.me

    async def resume(self) -> Me | None:
        """Log in from the keyring; None when nothing is stored or the stored token was refused.

        Only a token the server refused is forgotten. Any other failure (unreachable server, a proxy's
        502/503 while the server restarts, 429) is raised and the token kept for the next attempt.
        """
        stored = await self._in_keyring(self.credentials.load, self.credential_id)
        if stored is None:
            return None
        email, refresh_token = stored
        self.email = email
        self.remembered = True  # so that the rotated token is written back by the hook
        try:
            await self.api.resume(refresh_token)
            self.me = await self.api.me()
        except ApiError as exc:
            if not token_refused(exc):
                raise
            log.info("Session enregistrée refusée par le serveur (%s) : elle est oubliée", exc.code)
            self.remembered = False
            self.me = None
            await self._in_keyring(self.credentials.forget, self.credential_id)
            await self._in_keyring(delete_profile, self.credentials, self.credential_id)
            return None
        await self._keep_profile()
        return self.me

    async def logout(self) -> None:
        """Forget the stored credentials, then close the session on the server (best effort).

        In this order: the server may take its whole timeout to answer, and an application quit
        meanwhile must not leave "Rester connecté" behind.
        """
        self.remembered = False
        self.me = None
        await self._in_keyring(self.credentials.forget, self.credential_id)
        await self._in_keyring(delete_profile, self.credentials, self.credential_id)
        await self.api.logout()

    async def _keep_profile(self) -> None:
        """The profile for the next start's window (remembered sessions only); else none is left."""
        if self.remembered and self.me is not None:
            await self._in_keyring(save_profile, self.credentials, self.credential_id, self.me)
        else:
            await self._in_keyring(delete_profile, self.credentials, self.credential_id)

    def close(self) -> None:
        """Let the keyring worker finish what it was given; call when the session object is dropped."""
        self._keyring.shutdown(wait=True)

    def _on_refresh_token(self, refresh_token: str) -> None:
        if self.remembered and self.email is not None:
            # Submitted now, in order; the result is not awaited (a sync hook inside the event loop).
            future = self._keyring.submit(
                self.credentials.save, self.credential_id, self.email, refresh_token
            )
            future.add_done_callback(_log_failure)
        if self._caller_hook is not None:
            self._caller_hook(refresh_token)

    async def _in_keyring(self, func: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._keyring, func, *args)


def token_refused(exc: ApiError) -> bool:
    """Whether an error of resume means the server refused the stored token (not merely failed)."""
    return isinstance(exc, SessionExpired) or exc.status == 401 or exc.code == REFUSED_TOKEN_CODE


def _log_failure(future: Future[bool]) -> None:
    exc = future.exception()
    if exc is not None:
        log.error("Mise à jour du trousseau échouée : %s", type(exc).__name__)
