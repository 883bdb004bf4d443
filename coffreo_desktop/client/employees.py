"""The "Mes salariés" API seen from the desktop (F6.2): a page of the establishment's employees (filter,
search as you type, keyset cursor), the vault counts, reminders with the server's 24-hour answer (a
selection in chunks of ``REMINDER_BATCH``, "relancer tous" one committed batch per call), and an employee's
folder. No Qt; every call through :meth:`ApiClient.request`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.json_fields import check, decode, opt_datetime, parse_datetime
from coffreo_desktop.domain.documents import DocumentType
from coffreo_desktop.domain.limits import REMINDER_BATCH

PATH = "/admin/employees"
PAGE_SIZE = 50


class EmployeeStatus(StrEnum):
    """The filters "tous", "activés", "non activés" (the server's values)."""

    ALL = "tous"
    ACTIVATED = "actives"
    NOT_ACTIVATED = "non_actives"


def _str(data: Mapping[str, Any], name: str) -> str:
    return check(data[name], str, name)


def _int(data: Mapping[str, Any], name: str) -> int:
    return check(data[name], int, name)


@dataclass(frozen=True, slots=True)
class EmployeeRow:
    id: int
    matricule: str
    first_name: str
    last_name: str
    activated: bool
    created_at: datetime
    activated_at: datetime | None
    last_document_at: datetime | None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EmployeeRow:
        return cls(
            id=_int(data, "id"),
            matricule=_str(data, "matricule"),
            first_name=_str(data, "first_name"),
            last_name=_str(data, "last_name"),
            activated=check(data["activated"], bool, "activated"),
            created_at=parse_datetime(_str(data, "created_at")),
            activated_at=opt_datetime(data, "activated_at"),
            last_document_at=opt_datetime(data, "last_document_at"),
        )


@dataclass(frozen=True, slots=True)
class EmployeesPage:
    items: tuple[EmployeeRow, ...]
    next_cursor: str | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EmployeesPage:
        items = check(data["items"], list, "items")
        cursor = data.get("next_cursor")
        return cls(
            items=tuple(EmployeeRow.from_json(check(i, dict, "item")) for i in items),
            next_cursor=None if cursor is None else check(cursor, str, "next_cursor"),
        )


@dataclass(frozen=True, slots=True)
class EmployeeCounts:
    total: int
    created: int
    activated: int
    not_activated: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EmployeeCounts:
        return cls(*(_int(data, n) for n in ("total", "created", "activated", "not_activated")))


@dataclass(frozen=True, slots=True)
class Skipped:
    """Reminded less than 24 hours ago: no new reminder before ``until``."""

    id: int
    name: str
    until: datetime


@dataclass(frozen=True, slots=True)
class NotSent:
    id: int
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReminderOutcome:
    """The answer to one reminder call, or several merged (:meth:`merged`). ``next_after_id``: "relancer
    tous" continues after this employee id (None: the last batch); ``remaining``: how many wait after it."""

    reminded: int
    reminded_ids: tuple[int, ...]
    skipped: tuple[Skipped, ...]
    not_sent: tuple[NotSent, ...]
    next_after_id: int | None = None
    remaining: int = 0

    @property
    def handled(self) -> int:
        """How many employees the call looked at: reminded, skipped or not sent."""
        return self.reminded + len(self.skipped) + len(self.not_sent)

    def merged(self, later: ReminderOutcome) -> ReminderOutcome:
        """This outcome followed by ``later``'s (a later batch): counts and lists added, the cursor its."""
        return ReminderOutcome(
            reminded=self.reminded + later.reminded,
            reminded_ids=self.reminded_ids + later.reminded_ids,
            skipped=self.skipped + later.skipped,
            not_sent=self.not_sent + later.not_sent,
            next_after_id=later.next_after_id,
            remaining=later.remaining,
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReminderOutcome:
        skipped = [check(s, dict, "skipped") for s in check(data["skipped"], list, "skipped")]
        not_sent = [check(s, dict, "not_sent") for s in check(data["not_sent"], list, "not_sent")]
        after = data.get("next_after_id")
        return cls(
            reminded=_int(data, "reminded"),
            reminded_ids=tuple(
                check(i, int, "reminded_ids") for i in check(data["reminded_ids"], list, "ids")
            ),
            skipped=tuple(
                Skipped(_int(s, "id"), _str(s, "name"), parse_datetime(_str(s, "until"))) for s in skipped
            ),
            not_sent=tuple(NotSent(_int(s, "id"), _str(s, "name"), _str(s, "reason")) for s in not_sent),
            next_after_id=None if after is None else check(after, int, "next_after_id"),
            remaining=check(data.get("remaining", 0), int, "remaining"),
        )


#: Nothing reminded yet: the start of a merge.
NO_REMINDER = ReminderOutcome(0, (), (), ())


def reminder_chunks(employee_ids: Sequence[int]) -> list[list[int]]:
    """A selection cut into requests the server accepts (``REMINDER_BATCH`` ids at most each)."""
    return [list(employee_ids[i : i + REMINDER_BATCH]) for i in range(0, len(employee_ids), REMINDER_BATCH)]


@dataclass(frozen=True, slots=True)
class FolderDocument:
    id: int
    title: str
    doc_type: DocumentType
    document_date: date
    delivered_at: datetime


@dataclass(frozen=True, slots=True)
class EmployeeFolder:
    """The employee's folder ("..."): profile, agencies, e-delivery opposition, documents delivered."""

    id: int
    matricule: str
    civility: str
    first_name: str
    last_name: str
    email: str
    phone: str
    address: str
    birth_date: date | None
    created_at: datetime
    vault_created_at: datetime | None
    vault_activated_at: datetime | None
    edelivery_opposed_at: datetime | None
    last_document_at: datetime | None
    agencies: tuple[tuple[int, str], ...]
    documents: tuple[FolderDocument, ...]

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.civility, self.first_name, self.last_name) if p)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EmployeeFolder:
        birth = data.get("birth_date")
        agencies = [check(a, dict, "agencies") for a in check(data["agencies"], list, "agencies")]
        docs = [check(d, dict, "documents") for d in check(data["documents"], list, "documents")]
        return cls(
            id=_int(data, "id"),
            matricule=_str(data, "matricule"),
            civility=_str(data, "civility"),
            first_name=_str(data, "first_name"),
            last_name=_str(data, "last_name"),
            email=_str(data, "email"),
            phone=_str(data, "phone"),
            address=_str(data, "address"),
            birth_date=None if birth is None else date.fromisoformat(check(birth, str, "birth_date")),
            created_at=parse_datetime(_str(data, "created_at")),
            vault_created_at=opt_datetime(data, "vault_created_at"),
            vault_activated_at=opt_datetime(data, "vault_activated_at"),
            edelivery_opposed_at=opt_datetime(data, "edelivery_opposed_at"),
            last_document_at=opt_datetime(data, "last_document_at"),
            agencies=tuple((_int(a, "id"), _str(a, "name")) for a in agencies),
            documents=tuple(
                FolderDocument(
                    id=_int(d, "id"),
                    title=_str(d, "title"),
                    doc_type=DocumentType(_str(d, "doc_type")),
                    document_date=date.fromisoformat(_str(d, "document_date")),
                    delivered_at=parse_datetime(_str(d, "delivered_at")),
                )
                for d in docs
            ),
        )


class EmployeesApi:
    """The calls of the "Mes salariés" page for one establishment where the user holds "A"."""

    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def page(
        self,
        agency_id: int,
        *,
        status: EmployeeStatus = EmployeeStatus.ALL,
        query: str = "",
        cursor: str | None = None,
        limit: int = PAGE_SIZE,
    ) -> EmployeesPage:
        params: dict[str, Any] = {"agency_id": agency_id, "status": status.value, "limit": limit}
        if query.strip():
            params["q"] = query.strip()[:80]
        if cursor:
            params["cursor"] = cursor
        return decode(await self._api.request("GET", PATH, params=params), EmployeesPage.from_json)

    async def counts(self, agency_id: int) -> EmployeeCounts:
        response = await self._api.request("GET", f"{PATH}/counts", params={"agency_id": agency_id})
        return decode(response, EmployeeCounts.from_json)

    async def remind_chunk(self, agency_id: int, employee_ids: Sequence[int]) -> ReminderOutcome:
        """One request for at most ``REMINDER_BATCH`` ids (see :func:`reminder_chunks`)."""
        if len(employee_ids) > REMINDER_BATCH:
            raise ValueError(f"{REMINDER_BATCH} salariés au plus par demande")
        response = await self._api.request(
            "POST",
            f"{PATH}/reminders",
            params={"agency_id": agency_id},
            json={"employee_ids": list(employee_ids)},
        )
        return decode(response, ReminderOutcome.from_json)

    async def remind(self, agency_id: int, employee_ids: Sequence[int]) -> ReminderOutcome:
        """Remind a selection of any size: one request per chunk, the outcomes merged."""
        outcome = NO_REMINDER
        for chunk in reminder_chunks(employee_ids):
            outcome = outcome.merged(await self.remind_chunk(agency_id, chunk))
        return outcome

    async def remind_all_batch(self, agency_id: int, after_id: int | None = None) -> ReminderOutcome:
        """The next batch of "relancer tous les non activés" after employee ``after_id`` (None: the first),
        committed by the server on its own; continue with the answer's ``next_after_id`` until None."""
        body: dict[str, Any] = {"all_not_activated": True, "after_id": after_id}
        response = await self._api.request(
            "POST", f"{PATH}/reminders", params={"agency_id": agency_id}, json=body
        )
        return decode(response, ReminderOutcome.from_json)

    async def remind_all_not_activated(self, agency_id: int) -> ReminderOutcome:
        """Every batch of "relancer tous" in a row, merged (the desktop page runs them one by one instead)."""
        outcome = await self.remind_all_batch(agency_id)
        while outcome.next_after_id is not None:
            outcome = outcome.merged(await self.remind_all_batch(agency_id, outcome.next_after_id))
        return outcome

    async def folder(self, agency_id: int, employee_id: int) -> EmployeeFolder:
        response = await self._api.request("GET", f"{PATH}/{employee_id}", params={"agency_id": agency_id})
        return decode(response, EmployeeFolder.from_json)
