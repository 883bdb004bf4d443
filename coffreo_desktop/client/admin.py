"""The "Droits et accès" API seen from the desktop (F6.1): the rights matrix of one establishment, one cell
set at a time with the state the user saw, and the creation and removal of accesses. No Qt; every call
through :meth:`ApiClient.request`. Contract: server/api/admin_rights.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.client.json_fields import check, decode
from coffreo_desktop.domain.rights import MATRIX_ORDER, Right

#: 409 codes of the rights endpoints (server/services/admin_rights.py, admin_accesses.py).
RIGHTS_CHANGED = "rights_changed"
LAST_ADMIN = "last_admin"
LAST_RIGHT = "last_right"
DUPLICATE_ACCESS = "duplicate_access"
MailKind = Literal["invitation", "access_granted"]


def _rights(values: Iterable[Any]) -> frozenset[Right]:
    known = set()
    for value in values:
        try:
            known.add(Right(check(value, str, "right")))
        except ValueError:
            continue  # a right a newer server knows: not a column of this desktop
    return frozenset(known)


@dataclass(frozen=True, slots=True)
class ScopeRights:
    """Read-only rights of a matrix row elsewhere: another agency, or a brand."""

    id: int
    name: str
    rights: frozenset[Right]

    def codes(self) -> str:
        """The rights in matrix order, e.g. "D, DL"."""
        return ", ".join(r.value for r in MATRIX_ORDER if r in self.rights)


@dataclass(frozen=True, slots=True)
class UserRights:
    """One row of the matrix: a user and their rights on the establishment (the editable cells)."""

    user_id: int
    first_name: str
    last_name: str
    email: str
    active: bool
    invited: bool
    rights: frozenset[Right]
    other_agencies: tuple[ScopeRights, ...]
    brand_rights: tuple[ScopeRights, ...]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> UserRights:
        return cls(
            user_id=check(data["user_id"], int, "user_id"),
            first_name=check(data.get("first_name") or "", str, "first_name"),
            last_name=check(data.get("last_name") or "", str, "last_name"),
            email=check(data["email"], str, "email"),
            active=check(data.get("active", True), bool, "active"),
            invited=check(data.get("invited", False), bool, "invited"),
            rights=_rights(check(data.get("rights") or [], list, "rights")),
            other_agencies=tuple(
                ScopeRights(
                    check(a["agency_id"], int, "agency_id"),
                    check(a["agency_name"], str, "agency_name"),
                    _rights(check(a.get("rights") or [], list, "rights")),
                )
                for a in check(data.get("other_agencies") or [], list, "other_agencies")
            ),
            brand_rights=tuple(
                ScopeRights(
                    check(b["brand_id"], int, "brand_id"),
                    check(b["brand_name"], str, "brand_name"),
                    _rights(check(b.get("rights") or [], list, "rights")),
                )
                for b in check(data.get("brand_rights") or [], list, "brand_rights")
            ),
        )


@dataclass(frozen=True, slots=True)
class RightsMatrix:
    """``GET /admin/rights``: the users holding a right on the agency, sorted by name by the server."""

    agency_id: int
    version: str
    users: tuple[UserRights, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RightsMatrix:
        return cls(
            agency_id=check(data["agency_id"], int, "agency_id"),
            version=check(data["version"], str, "version"),
            users=tuple(
                UserRights.from_json(check(u, dict, "user")) for u in check(data["users"], list, "users")
            ),
        )


@dataclass(frozen=True, slots=True)
class AccessCreated:
    """``POST /admin/accesses``: the new row; ``created`` False when an existing account got the access."""

    user: UserRights
    created: bool
    mail: MailKind

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AccessCreated:
        mail = check(data.get("mail") or "invitation", str, "mail")
        return cls(
            user=UserRights.from_json(check(data["user"], dict, "user")),
            created=check(data.get("created", True), bool, "created"),
            mail="access_granted" if mail == "access_granted" else "invitation",
        )


class AdminError(ApiError):
    """An ApiError of the rights endpoints kept with its code; ``str()`` is the server's French detail."""

    def __init__(self, source: ApiError) -> None:
        super().__init__(source.status, source.code, source.detail, errors=source.errors)


class RightsChanged(AdminError):
    """409: a colleague changed the cell first. ``current`` is the user's row now (None: no longer listed)."""

    def __init__(self, source: ApiError, current: UserRights | None) -> None:
        super().__init__(source)
        self.current = current


class LastAdmin(AdminError):
    """409: the establishment's last administrator cannot lose "A" (nor their access)."""


class LastRight(AdminError):
    """409: switching off a user's only right here; removing the access is the way."""


class DuplicateAccess(AdminError):
    """409: this email already has an access to the establishment."""


class AccessNotFound(AdminError):
    """404: the user or their access here was removed meanwhile; the matrix must be reloaded."""


def _typed(exc: ApiError) -> ApiError:
    if exc.status == 404:
        return AccessNotFound(exc)
    kinds: dict[str, type[AdminError]] = {
        LAST_ADMIN: LastAdmin,
        LAST_RIGHT: LastRight,
        DUPLICATE_ACCESS: DuplicateAccess,
    }
    kind = kinds.get(exc.code) if exc.status == 409 else None
    return kind(exc) if kind is not None else exc


def _row_of(data: Mapping[str, Any]) -> UserRights | None:
    try:
        return UserRights.from_json(data)
    except (KeyError, TypeError, ValueError, ApiError):
        return None


class AdminApi:
    """The ``/admin/rights`` and ``/admin/accesses`` endpoints of users holding "A" on an establishment."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    async def matrix(self, agency_id: int) -> RightsMatrix:
        response = await self.api.request("GET", "/admin/rights", params={"agency_id": agency_id})
        return decode(response, RightsMatrix.from_json)

    async def set_right(
        self, agency_id: int, user_id: int, right: Right, granted: bool, expected: bool
    ) -> UserRights:
        """Set one cell to ``granted`` if it still is ``expected``; the updated row.

        Raises :class:`RightsChanged` (with the current row), :class:`LastAdmin`, :class:`LastRight`,
        :class:`AccessNotFound`.
        """
        try:
            response = await self.api.request(
                "PUT",
                f"/admin/rights/{user_id}/{right.value}",
                params={"agency_id": agency_id},
                json={"granted": granted, "expected": expected},
            )
        except ApiError as exc:
            if exc.status == 409 and exc.code == RIGHTS_CHANGED:
                # The problem carries the current row; read it again only from an older server without it.
                row = exc.extra.get("user")
                current = _row_of(row) if isinstance(row, dict) else None
                if current is None:
                    current = await self._current_row(agency_id, user_id)
                raise RightsChanged(exc, current) from exc
            raise _typed(exc) from exc
        return decode(response, UserRights.from_json)

    async def create_access(
        self, agency_id: int, first_name: str, last_name: str, email: str, rights: Iterable[Right]
    ) -> AccessCreated:
        """Give ``email`` an access with ``rights`` (an invitation mail follows). Raises
        :class:`DuplicateAccess`, ApiError 422 (``invalid_email``, ``invalid_name``, ``no_rights``)."""
        ordered = [r.value for r in MATRIX_ORDER if r in set(rights)]
        body = {
            "first_name": first_name.strip(),
            "last_name": last_name.strip(),
            "email": email.strip(),
            "rights": ordered,
        }
        try:
            response = await self.api.request(
                "POST", "/admin/accesses", params={"agency_id": agency_id}, json=body
            )
        except ApiError as exc:
            raise _typed(exc) from exc
        return decode(response, AccessCreated.from_json)

    async def remove_access(self, agency_id: int, user_id: int) -> None:
        """Remove every right of the user on the establishment.

        Raises :class:`LastAdmin`, :class:`AccessNotFound`.
        """
        try:
            await self.api.request("DELETE", f"/admin/accesses/{user_id}", params={"agency_id": agency_id})
        except ApiError as exc:
            raise _typed(exc) from exc

    async def _current_row(self, agency_id: int, user_id: int) -> UserRights | None:
        matrix = await self.matrix(agency_id)
        return next((u for u in matrix.users if u.user_id == user_id), None)
