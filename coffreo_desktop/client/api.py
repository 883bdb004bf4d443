"""The async HTTP client of the API (httpx): tokens, one refresh on 401, problem+json → ``ApiError``.

Every call goes through :meth:`ApiClient.request`, the one place that authenticates, renews the session
and turns failures into French errors; endpoint methods only shape payloads.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import httpx

from coffreo_desktop import __version__
from coffreo_desktop.client.errors import ApiError, ServerUnreachable, SessionExpired, is_loopback_url
from coffreo_desktop.client.models import Me, SupportInfo, Tokens

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"

T = TypeVar("T")
#: The members every problem+json answer has; the others travel in ``ApiError.extra``.
PROBLEM_MEMBERS = frozenset({"type", "title", "status", "detail", "code", "errors", "instance"})


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: rare for our server, the detail already says when to retry


def error_from_response(response: httpx.Response) -> ApiError:
    """Build the ApiError of a 4xx/5xx answer; a page that is not problem+json (a proxy) still gets French."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("detail"), str) and isinstance(body.get("code"), str):
        errors = body.get("errors")
        return ApiError(
            status,
            body["code"],
            body["detail"],
            retry_after=_retry_after(response),
            errors=[e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else (),
            extra={k: v for k, v in body.items() if k not in PROBLEM_MEMBERS},
        )
    if status >= 500:
        detail = f"Le serveur a rencontré une erreur (HTTP {status}). Réessayez dans un instant."
    else:
        detail = f"Le serveur a refusé la demande (HTTP {status})."
    return ApiError(status, f"http_{status}", detail, retry_after=_retry_after(response))


class ApiClient:
    """One session's connection to a server: holds the tokens and an ``httpx.AsyncClient``.

    ``on_refresh_token`` is called with each new refresh token the server hands out on rotation
    (automatic refresh and :meth:`resume`), so that a stored copy can follow; not on :meth:`login`.
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 10.0,
        on_refresh_token: Callable[[str], None] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.on_refresh_token = on_refresh_token
        self._http = httpx.AsyncClient(
            base_url=self.base_url + API_PREFIX,
            timeout=timeout,
            transport=transport,
            # A proxy from the environment must not capture the embedded server's loopback traffic.
            trust_env=not is_loopback_url(self.base_url),
            headers={"User-Agent": f"CoffreoDesktop/{__version__}", "Accept": "application/json"},
        )
        self._access_token: str | None = None
        self._refresh_token: str | None = None
        # Concurrent requests refused together must renew the session once: a second refresh would
        # replay a rotated (dead) refresh token, and the server then revokes the whole session.
        self._refresh_lock = asyncio.Lock()

    @property
    def authenticated(self) -> bool:
        return self._access_token is not None

    @property
    def refresh_token(self) -> str | None:
        """The current refresh token (to store in the keyring when the user asked to stay logged in)."""
        return self._refresh_token

    # -- the one place -------------------------------------------------------------------------------

    async def request(
        self, method: str, path: str, *, authenticated: bool = True, **kwargs: Any
    ) -> httpx.Response:
        """Send a request to ``/api/v1{path}``; return the response, or raise ApiError and its subclasses.

        With ``authenticated`` (the default) the access token goes along; a 401 renews the session once
        with the refresh token, then the request is sent again. Request bodies must therefore be
        replayable (bytes, dict, files opened by the caller), not one-shot generators.
        """
        if not authenticated:
            return self._raise_for_status(await self._send(method, path, None, kwargs))
        token = self._access_token
        if token is None:
            raise SessionExpired()
        response = await self._send(method, path, token, kwargs)
        if response.status_code == 401:
            await self._renew_after(token)
            response = await self._send(method, path, self._access_token, kwargs)
            if response.status_code == 401:
                # Even a freshly renewed token is refused: the account was disabled or the session revoked.
                self._clear_tokens()
                raise SessionExpired()
        return self._raise_for_status(response)

    async def _send(
        self, method: str, path: str, token: str | None, kwargs: dict[str, Any]
    ) -> httpx.Response:
        options = dict(kwargs)
        headers = dict(options.pop("headers", None) or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        try:
            return await self._http.request(method, path, headers=headers, **options)
        except httpx.TransportError as exc:
            # Connection refused, DNS, TLS, timeouts: the user can only check the network and retry.
            log.warning("Serveur injoignable %s : %s", self.base_url, type(exc).__name__)
            raise ServerUnreachable(self.base_url) from exc

    @asynccontextmanager
    async def stream(self, method: str, path: str, **kwargs: Any) -> AsyncIterator[httpx.Response]:
        """Like :meth:`request` (authenticated, one renewal on 401, failures as ApiError) but the body is
        not read in memory: iterate ``response.aiter_bytes()`` inside the ``async with`` (large files).
        A connection lost while reading raises ServerUnreachable, as a failed request does."""
        token = self._access_token
        if token is None:
            raise SessionExpired()
        response = await self._open_stream(method, path, token, kwargs)
        try:
            if response.status_code == 401:
                await response.aclose()
                await self._renew_after(token)
                response = await self._open_stream(method, path, self._access_token, kwargs)
                if response.status_code == 401:
                    self._clear_tokens()
                    raise SessionExpired()
            if response.is_error:
                await response.aread()  # the problem+json body, small, names the error in French
                raise error_from_response(response)
            try:
                yield response
            except httpx.TransportError as exc:
                log.warning("Téléchargement interrompu %s : %s", self.base_url, type(exc).__name__)
                raise ServerUnreachable(self.base_url) from exc
        finally:
            await response.aclose()

    async def _open_stream(
        self, method: str, path: str, token: str | None, kwargs: dict[str, Any]
    ) -> httpx.Response:
        options = dict(kwargs)
        headers = dict(options.pop("headers", None) or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        try:
            built = self._http.build_request(method, path, headers=headers, **options)
            return await self._http.send(built, stream=True)
        except httpx.TransportError as exc:
            log.warning("Serveur injoignable %s : %s", self.base_url, type(exc).__name__)
            raise ServerUnreachable(self.base_url) from exc

    @staticmethod
    def _raise_for_status(response: httpx.Response) -> httpx.Response:
        if response.is_error:
            raise error_from_response(response)
        return response

    async def _renew_after(self, refused_token: str) -> None:
        async with self._refresh_lock:
            if self._access_token != refused_token and self._access_token is not None:
                return  # another request renewed the session while this one waited
            refresh = self._refresh_token
            if refresh is None:
                self._clear_tokens()
                raise SessionExpired()
            try:
                await self._refresh(refresh)
            except ApiError as exc:
                if isinstance(exc, ServerUnreachable) or exc.status >= 500:
                    raise  # the server is down, not the session: keep the tokens for a retry
                log.info("Renouvellement de session refusé (%s)", exc.code)
                self._clear_tokens()
                raise SessionExpired() from exc

    async def _refresh(self, refresh_token: str) -> Tokens:
        response = await self.request(
            "POST", "/auth/refresh", authenticated=False, json={"refresh_token": refresh_token}
        )
        tokens = self._adopt(_parse(Tokens.from_json, response))
        if self.on_refresh_token is not None:
            try:
                self.on_refresh_token(tokens.refresh_token)
            except Exception:
                # Storing the new token is a convenience; failing to must not break the user's request.
                log.exception("Le rappel on_refresh_token a échoué")
        return tokens

    def _adopt(self, tokens: Tokens) -> Tokens:
        self._access_token = tokens.access_token
        self._refresh_token = tokens.refresh_token
        return tokens

    def _clear_tokens(self) -> None:
        self._access_token = None
        self._refresh_token = None

    # -- endpoints -----------------------------------------------------------------------------------

    async def health(self) -> dict[str, Any]:
        response = await self.request("GET", "/health", authenticated=False)
        return _parse(_json_object, response)

    async def login(self, email: str, password: str) -> Tokens:
        response = await self.request(
            "POST", "/auth/token", authenticated=False, json={"email": email, "password": password}
        )
        return self._adopt(_parse(Tokens.from_json, response))

    async def resume(self, refresh_token: str) -> Tokens:
        """Open a session from a stored refresh token (which the server rotates: the old one is dead)."""
        async with self._refresh_lock:
            return await self._refresh(refresh_token)

    async def logout(self) -> None:
        """Revoke the session on the server, then forget the tokens; a failure is logged, never raised."""
        refresh = self._refresh_token
        self._clear_tokens()
        if refresh is None:
            return
        try:
            await self.request("POST", "/auth/logout", authenticated=False, json={"refresh_token": refresh})
        except ApiError as exc:
            log.warning("Déconnexion non confirmée par le serveur (%s)", exc.code)

    async def me(self) -> Me:
        return _parse(Me.from_json, await self.request("GET", "/me"))

    async def support(self) -> SupportInfo:
        return _parse(SupportInfo.from_json, await self.request("GET", "/support", authenticated=False))

    async def send_support_message(self, email: str, subject: str, message: str) -> str:
        """Send a message to support ("Contactez-nous"); returns the reference the server gave it."""
        response = await self.request(
            "POST",
            "/support/messages",
            authenticated=False,
            json={"email": email, "subject": subject, "message": message},
        )
        return _parse(lambda d: str(d["reference"]), response)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> ApiClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def _json_object(data: Mapping[str, Any]) -> dict[str, Any]:
    return dict(data)


def _parse(build: Callable[[Mapping[str, Any]], T], response: httpx.Response) -> T:
    """Build a model from a JSON object answer; anything else is the server's fault, said in French."""
    try:
        data = response.json()
        if not isinstance(data, dict):
            raise ValueError("la réponse n'est pas un objet JSON")
        return build(data)
    except (ValueError, KeyError, TypeError) as exc:
        log.error("Réponse inattendue de %s %s : %s", response.request.method, response.request.url.path, exc)
        raise ApiError(
            response.status_code,
            "invalid_response",
            "Le serveur a envoyé une réponse inattendue. Vérifiez que sa version est compatible.",
        ) from exc


class NotYetReachable(httpx.AsyncBaseTransport):
    """A transport for a client whose server is not started yet: every request fails as unreachable.

    The desktop shows its window from the cached profile before the embedded server has a port.
    """

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("serveur local pas encore démarré", request=request)
