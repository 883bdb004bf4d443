"""Errors the API turns into RFC 9457 problem+json, with a stable code and a French detail."""

from __future__ import annotations

from typing import Any


class ProblemError(Exception):
    """Raised by services and rules; the app's handler answers ``status`` with ``code`` and ``detail``."""

    status = 400
    default_code = "bad_request"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code or self.default_code
        if status is not None:
            self.status = status
        self.headers = headers or {}
        self.extra = extra


class Unauthenticated(ProblemError):
    status = 401
    default_code = "unauthenticated"

    def __init__(self, detail: str = "Session expirée, veuillez vous reconnecter.", **kw: Any) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"}, **kw)


class Forbidden(ProblemError):
    status = 403
    default_code = "forbidden"


class NotFound(ProblemError):
    status = 404
    default_code = "not_found"


class Conflict(ProblemError):
    status = 409
    default_code = "conflict"


class Gone(ProblemError):
    status = 410
    default_code = "gone"


class Invalid(ProblemError):
    status = 422
    default_code = "validation_error"


class TooLarge(ProblemError):
    status = 413
    default_code = "too_large"


class Throttled(ProblemError):
    status = 429
    default_code = "throttled"

    def __init__(self, detail: str, *, retry_after: int, **kw: Any) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)}, **kw)


class DataDirError(Exception):
    """The data folder cannot be used (newer version, damaged); the message is French, nothing changed."""
