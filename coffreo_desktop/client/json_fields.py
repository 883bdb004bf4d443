"""Reading the API's JSON answers, strictly: a foreign or broken answer fails at once as "invalid_response"
(said in French) rather than later in a page; and the API's timestamps, read and written."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import httpx

from coffreo_desktop.client.errors import ApiError

log = logging.getLogger(__name__)

T = TypeVar("T")


def check(value: Any, kind: type[T], name: str) -> T:
    """``value`` if it is a ``kind`` (a bool is not an int), else TypeError naming the field."""
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"{name} : {kind.__name__} attendu")
    return value


def opt_str(data: Mapping[str, Any], name: str) -> str | None:
    value = data.get(name)
    return None if value is None else check(value, str, name)


def opt_date(data: Mapping[str, Any], name: str) -> date | None:
    value = data.get(name)
    return None if value is None else date.fromisoformat(check(value, str, name))


def opt_datetime(data: Mapping[str, Any], name: str) -> datetime | None:
    value = data.get(name)
    return None if value is None else parse_datetime(check(value, str, name))


def opt_int(data: Mapping[str, Any], name: str) -> int | None:
    value = data.get(name)
    return None if value is None else check(value, int, name)


def parse_datetime(text: str) -> datetime:
    """An API timestamp (ISO 8601, "Z" or an offset); a naive one is UTC, as the server stores it."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def format_datetime(moment: datetime) -> str:
    """The API's own form: ISO 8601 in UTC with "Z"."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


def decode(response: httpx.Response, build: Callable[[Mapping[str, Any]], T]) -> T:
    """A model from a JSON object answer; anything else is the server's fault, said in French."""
    return decode_json(response, dict, build)


def decode_list(response: httpx.Response, build: Callable[[Mapping[str, Any]], T]) -> list[T]:
    """A model per item of a JSON array answer (each item an object)."""
    return decode_json(response, list, lambda items: [build(check(item, dict, "item")) for item in items])


def decode_json(response: httpx.Response, kind: type[Any], build: Callable[[Any], T]) -> T:
    """``build`` over the JSON answer if it is a ``kind``; any shape error becomes "invalid_response"."""
    try:
        data = response.json()
        if not isinstance(data, kind):
            raise ValueError("la réponse n'a pas la forme attendue")
        return build(data)
    except (ValueError, KeyError, TypeError) as exc:
        log.error("Réponse inattendue de %s : %s", response.request.url.path, type(exc).__name__)
        raise ApiError(
            response.status_code,
            "invalid_response",
            "Le serveur a envoyé une réponse inattendue. Vérifiez que sa version est compatible.",
        ) from exc
