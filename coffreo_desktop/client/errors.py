"""Errors the client raises, each with a French message shown to the user as is, and server URL checks."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

SESSION_EXPIRED_DETAIL = "Session expirée, veuillez vous reconnecter."

#: Hosts that mean "this machine": a server there is reached over plain HTTP (no TLS on loopback).
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class ApiError(Exception):
    """An error answered by the server (problem+json) or met on the way to it.

    ``str(error)`` is the French ``detail``, meant to be shown as is; ``code`` is stable for programs.
    """

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        retry_after: float | None = None,
        errors: Sequence[Mapping[str, Any]] = (),
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.retry_after = retry_after
        #: The field errors of a 422 ("validation_error"), as the server listed them.
        self.errors: tuple[Mapping[str, Any], ...] = tuple(errors)
        #: The problem's other members (e.g. the current row a 409 carries), as the server sent them.
        self.extra: Mapping[str, Any] = dict(extra or {})

    def __str__(self) -> str:
        return self.detail

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, code={self.code!r}, detail={self.detail!r})"


class ServerUnreachable(ApiError):
    """No answer from the server: connection refused, DNS failure, timeout, TLS failure."""

    def __init__(self, url: str) -> None:
        super().__init__(
            0,
            "unreachable",
            f"Le serveur est injoignable ({url}). Vérifiez votre connexion puis réessayez.",
        )
        self.url = url


class SessionExpired(ApiError):
    """The access token was refused and no refresh could renew it: the user must log in again."""

    def __init__(self, detail: str = SESSION_EXPIRED_DETAIL) -> None:
        super().__init__(401, "session_expired", detail)


class InvalidServerUrl(ValueError):
    """A server address typed by the user that cannot be used; the message is French."""


def _invalid(text: str, reason: str) -> InvalidServerUrl:
    return InvalidServerUrl(f"Adresse de serveur invalide : « {text} » ({reason}).")


def _check_host(text: str, host: str) -> str:
    """Return the host in its canonical form (lower case, IDNA) or raise InvalidServerUrl."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise _invalid(text, "nom d'hôte incorrect") from exc
    labels = ascii_host.rstrip(".").split(".")
    if not all(_HOST_LABEL.match(label) for label in labels):
        raise _invalid(text, "nom d'hôte incorrect")
    if labels[-1].isdigit() and ascii_host != "localhost":
        # "300.1.1.1" or "10.0.0" look like addresses but are not valid ones.
        raise _invalid(text, "adresse IP incorrecte")
    return ascii_host.rstrip(".")


def normalize_server_url(text: str) -> str:
    """Turn what a user typed into a server base URL: "serveur.exemple.fr" → "https://serveur.exemple.fr".

    HTTPS is assumed when no scheme is given, except on loopback (a local development server has no
    TLS). A trailing "/" or "/api/v1" is dropped: the client adds the API prefix itself.
    """
    raw = text.strip()
    if not raw:
        raise InvalidServerUrl("Adresse de serveur invalide : l'adresse est vide.")
    if any(ch.isspace() for ch in raw):
        raise _invalid(raw, "elle contient des espaces")
    candidate = raw
    if "://" not in candidate:
        host_part = re.split(r"[/:]", candidate, maxsplit=1)[0].lower()
        if candidate.startswith("["):
            host_part = candidate[1:].split("]", 1)[0]
        scheme = "http" if host_part in LOOPBACK_HOSTS or host_part.startswith("127.") else "https"
        candidate = f"{scheme}://{candidate}"
    try:
        parts = urlsplit(candidate)
        port = parts.port
    except ValueError as exc:
        raise _invalid(raw, "port ou format incorrect") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise _invalid(raw, "seuls http:// et https:// sont acceptés")
    if parts.username is not None or parts.password is not None:
        raise _invalid(raw, "identifiants interdits dans l'adresse")
    if parts.query or parts.fragment:
        raise _invalid(raw, "paramètres interdits dans l'adresse")
    if not parts.hostname:
        raise _invalid(raw, "nom de serveur manquant")
    host = _check_host(raw, parts.hostname)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        if port == 0:
            raise _invalid(raw, "port incorrect")
        netloc = f"{netloc}:{port}"
    path = parts.path.rstrip("/")
    if path.lower().endswith("/api/v1"):
        path = path[: -len("/api/v1")]
    return f"{scheme}://{netloc}{path}"


def is_loopback_url(url: str) -> bool:
    """Whether a (normalised) server URL points at this machine."""
    host = (urlsplit(url).hostname or "").lower()
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def is_cleartext_url(url: str) -> bool:
    """True for plain HTTP to another machine: passwords would cross the network unencrypted."""
    return urlsplit(url).scheme == "http" and not is_loopback_url(url)
