"""The "Mes clients" API seen from the desktop (F6.3): the client companies of an establishment, reminders,
and per client its users' rights, added, deleted and reminded. No Qt; every call through
:meth:`ApiClient.request`. Server side: server/api/clients_admin.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.client.json_fields import check, decode, opt_datetime, parse_datetime
from coffreo_desktop.domain.limits import CLIENT_REMINDER_BATCH

ClientStatus = Literal["activé", "invité", "non activé"]
#: The mail sent to a user just added: an activation link, or (the address already has a client-space
#: account) a notice of the new access.
AddedMail = Literal["invitation", "access_granted", "other"]
ClientRight = Literal["view_contracts", "sign_contracts", "invoices", "timesheets"]
#: The matrix columns, in the server's order.
CLIENT_RIGHTS: tuple[ClientRight, ...] = ("view_contracts", "sign_contracts", "invoices", "timesheets")
CIVILITIES = ("M.", "Mme")
RIGHTS_CHANGED = "rights_changed"
DUPLICATE_USER = "duplicate_user"
_STATUSES: tuple[ClientStatus, ...] = ("activé", "invité", "non activé")
_MAILS: tuple[AddedMail, ...] = ("invitation", "access_granted")


@dataclass(frozen=True, slots=True)
class ClientCompany:
    """One line of "Mes clients"."""

    id: int
    code: str
    name: str
    siret: str
    status: ClientStatus
    created_at: datetime
    activated_at: datetime | None
    users: int
    users_activated: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ClientCompany:
        status = check(data["status"], str, "status")
        return cls(
            id=check(data["id"], int, "id"),
            code=check(data["code"], str, "code"),
            name=check(data["name"], str, "name"),
            siret=check(data.get("siret", ""), str, "siret"),
            status=next((s for s in _STATUSES if s == status), "non activé"),
            created_at=parse_datetime(check(data["created_at"], str, "created_at")),
            activated_at=opt_datetime(data, "activated_at"),
            users=check(data["users"], int, "users"),
            users_activated=check(data["users_activated"], int, "users_activated"),
        )


@dataclass(frozen=True, slots=True)
class ClientUser:
    """A user of a client company and their rights (a row of the client's matrix)."""

    id: int
    email: str
    civility: str
    first_name: str
    last_name: str
    rights: frozenset[ClientRight]
    created_at: datetime
    activated_at: datetime | None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def activated(self) -> bool:
        return self.activated_at is not None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ClientUser:
        codes = [check(r, str, "right") for r in check(data["rights"], list, "rights")]
        return cls(
            id=check(data["id"], int, "id"),
            email=check(data["email"], str, "email"),
            civility=check(data.get("civility", ""), str, "civility"),
            first_name=check(data["first_name"], str, "first_name"),
            last_name=check(data["last_name"], str, "last_name"),
            # A right a newer server knows is not a column of this desktop: left out.
            rights=frozenset(r for r in CLIENT_RIGHTS if r in codes),
            created_at=parse_datetime(check(data["created_at"], str, "created_at")),
            activated_at=opt_datetime(data, "activated_at"),
        )


@dataclass(frozen=True, slots=True)
class ClientUsers:
    client: ClientCompany
    users: list[ClientUser]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ClientUsers:
        return cls(
            client=ClientCompany.from_json(check(data["client"], dict, "client")),
            users=[ClientUser.from_json(check(u, dict, "user")) for u in check(data["users"], list, "users")],
        )


@dataclass(frozen=True, slots=True)
class ClientUserAdded:
    """ "Ajouter un utilisateur" answered: the new row and which mail the server queued for it."""

    user: ClientUser
    mail: AddedMail

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ClientUserAdded:
        mail = check(data.get("mail", ""), str, "mail")
        return cls(
            user=ClientUser.from_json(check(data["user"], dict, "user")),
            # A kind a newer server knows is worded generically rather than refused.
            mail="invitation"
            if mail == "invitation"
            else "access_granted"
            if mail == "access_granted"
            else "other",
        )


@dataclass(frozen=True, slots=True)
class SkippedReminder:
    """Not reminded: ``until`` is when it becomes possible again (None: nobody left to remind)."""

    id: int
    name: str
    until: datetime | None
    reason: str


@dataclass(frozen=True, slots=True)
class ReminderReport:
    reminded: int
    skipped: list[SkippedReminder]
    #: Users not reminded inside clients of a bulk reminder (within 24 hours, same address as another).
    skipped_users: list[SkippedReminder] = field(default_factory=list)

    def merged(self, later: ReminderReport) -> ReminderReport:
        """This report followed by ``later``'s (the next chunk of a selection): counts added, lists joined."""
        return ReminderReport(
            reminded=self.reminded + later.reminded,
            skipped=[*self.skipped, *later.skipped],
            skipped_users=[*self.skipped_users, *later.skipped_users],
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReminderReport:
        return cls(
            reminded=check(data["reminded"], int, "reminded"),
            skipped=_skipped(check(data["skipped"], list, "skipped")),
            skipped_users=_skipped(check(data.get("skipped_users") or [], list, "skipped_users")),
        )


def _skipped(rows: list[Any]) -> list[SkippedReminder]:
    return [
        SkippedReminder(
            id=check(s["id"], int, "id"),
            name=check(s["name"], str, "name"),
            until=opt_datetime(s, "until"),
            reason=check(s.get("reason", ""), str, "reason"),
        )
        for s in rows
    ]


def client_reminder_chunks(client_ids: Iterable[int]) -> list[list[int]]:
    """A selection (each id once, in order) cut into requests the server accepts: ``CLIENT_REMINDER_BATCH``
    clients at most each."""
    ids = list(dict.fromkeys(client_ids))
    return [ids[i : i + CLIENT_REMINDER_BATCH] for i in range(0, len(ids), CLIENT_REMINDER_BATCH)]


class ClientRightChanged(ApiError):
    """409: a colleague changed the cell first. ``current`` is the user's row now (None: deleted)."""

    def __init__(self, source: ApiError, current: ClientUser | None) -> None:
        super().__init__(source.status, source.code, source.detail, errors=source.errors)
        self.current = current


class ClientsApi:
    """The ``/admin/clients`` endpoints of users holding "A" on an establishment."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    async def clients(self, agency_id: int) -> list[ClientCompany]:
        response = await self.api.request("GET", "/admin/clients", params={"agency_id": agency_id})
        return decode(
            response, lambda d: [ClientCompany.from_json(check(c, dict, "client")) for c in d["clients"]]
        )

    async def remind_clients(self, agency_id: int, client_ids: Iterable[int]) -> ReminderReport:
        """Mail the invitation again to the users of these clients who have not activated (once per 24 h
        each: the others come back in ``skipped`` with the time a new reminder is possible). A selection
        larger than ``CLIENT_REMINDER_BATCH`` goes in several requests (each committed on its own), their
        reports merged; an error stops at the chunk it hit, the earlier ones stay done."""
        report = ReminderReport(reminded=0, skipped=[])
        # No id at all still asks the server, which says in French to choose a client.
        for chunk in client_reminder_chunks(client_ids) or [[]]:
            report = report.merged(await self.remind_clients_chunk(agency_id, chunk))
        return report

    async def remind_clients_chunk(self, agency_id: int, client_ids: Sequence[int]) -> ReminderReport:
        """One request of :meth:`remind_clients`: ``CLIENT_REMINDER_BATCH`` clients at most (more: 422)."""
        response = await self.api.request(
            "POST",
            "/admin/clients/remind",
            params={"agency_id": agency_id},
            json={"client_ids": list(client_ids)},
        )
        return decode(response, ReminderReport.from_json)

    async def users(self, agency_id: int, client_id: int) -> ClientUsers:
        response = await self.api.request(
            "GET", f"/admin/clients/{client_id}/users", params={"agency_id": agency_id}
        )
        return decode(response, ClientUsers.from_json)

    async def set_right(
        self,
        agency_id: int,
        client_id: int,
        user_id: int,
        right: ClientRight,
        granted: bool,
        expected: bool,
        *,
        email: str,
    ) -> ClientUser:
        """Set one cell to ``granted`` if it still is ``expected``; the updated row. Raises
        :class:`ClientRightChanged` with the current row, ApiError 404 (user or client gone).

        ``email`` is the user's address as shown, here and in delete_user/remind_user: if the user was
        deleted and their id given to a newcomer, the server answers 404 instead of acting on the newcomer."""
        try:
            response = await self.api.request(
                "PUT",
                f"/admin/clients/{client_id}/users/{user_id}/rights/{right}",
                params={"agency_id": agency_id},
                json={"granted": granted, "expected": expected, "email": email},
            )
        except ApiError as exc:
            if exc.status == 409 and exc.code == RIGHTS_CHANGED:
                current = await self._current_row(exc, agency_id, client_id, user_id)
                raise ClientRightChanged(exc, current) from exc
            raise
        return decode(response, ClientUser.from_json)

    async def _current_row(
        self, exc: ApiError, agency_id: int, client_id: int, user_id: int
    ) -> ClientUser | None:
        """The row the 409 carries (``user``); read again when the error does not keep it."""
        extra = getattr(exc, "extra", None)
        carried = extra.get("user") if isinstance(extra, Mapping) else None
        if isinstance(carried, Mapping):
            try:
                return ClientUser.from_json(carried)
            except (KeyError, TypeError, ValueError):
                pass  # not the expected shape: ask the server
        found = await self.users(agency_id, client_id)
        return next((u for u in found.users if u.id == user_id), None)

    async def add_user(
        self,
        agency_id: int,
        client_id: int,
        *,
        email: str,
        civility: str,
        first_name: str,
        last_name: str,
        rights: Iterable[ClientRight],
    ) -> ClientUserAdded:
        """Add a user and say which mail follows (``mail``). ApiError 422 ``invalid_email``/``invalid_name``/
        ``invalid_civility``, 409 ``duplicate_user``."""
        wanted = set(rights)
        body = {
            "email": email.strip(),
            "civility": civility,
            "first_name": first_name.strip(),
            "last_name": last_name.strip(),
            "rights": [r for r in CLIENT_RIGHTS if r in wanted],
        }
        response = await self.api.request(
            "POST", f"/admin/clients/{client_id}/invitations", params={"agency_id": agency_id}, json=body
        )
        return decode(response, ClientUserAdded.from_json)

    async def delete_user(self, agency_id: int, client_id: int, user_id: int, *, email: str) -> None:
        """ApiError 404 ``client_user_not_found`` when it was deleted meanwhile."""
        await self.api.request(
            "DELETE",
            f"/admin/clients/{client_id}/users/{user_id}",
            params={"agency_id": agency_id, "email": email},
        )

    async def remind_user(
        self, agency_id: int, client_id: int, user_id: int, *, email: str
    ) -> ReminderReport:
        """ApiError 409 ``already_activated``; inside 24 hours the report says until when."""
        response = await self.api.request(
            "POST",
            f"/admin/clients/{client_id}/users/{user_id}/remind",
            params={"agency_id": agency_id, "email": email},
        )
        return decode(response, ReminderReport.from_json)
