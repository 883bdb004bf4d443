"""The "Mes salariés" API seen from the desktop (F6.2): a page of the establishment's employees (filter,
search as you type, keyset cursor), the vault counts, reminders with the server's 24-hour answer, and an
employee's folder. No Qt; every call through :meth:`ApiClient.request`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.documents import _check, _decode, _opt_datetime, parse_datetime
from coffreo_desktop.domain.documents import DocumentType

PATH = "/admin/employees"
PAGE_SIZE = 50


class EmployeeStatus(StrEnum):
    """The filters "tous", "activés", "non activés" (the server's values)."""

    ALL = "tous"
    ACTIVATED = "actives"
    NOT_ACTIVATED = "non_actives"


def _str(data: Mapping[str, Any], name: str) -> str:
    return _check(data[name], str, name)


def _int(data: Mapping[str, Any], name: str) -> int:
    return _check(data[name], int, name)


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
            activated=_check(data["activated"], bool, "activated"),
            created_at=parse_datetime(_str(data, "created_at")),
            activated_at=_opt_datetime(data, "activated_at"),
            last_document_at=_opt_datetime(data, "last_document_at"),
        )


@dataclass(frozen=True, slots=True)
class EmployeesPage:
    items: tuple[EmployeeRow, ...]
    next_cursor: str | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EmployeesPage:
        items = _check(data["items"], list, "items")
        cursor = data.get("next_cursor")
        return cls(
            items=tuple(EmployeeRow.from_json(_check(i, dict, "item")) for i in items),
            next_cursor=None if cursor is None else _check(cursor, str, "next_cursor"),
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
    reminded: int
    reminded_ids: tuple[int, ...]
    skipped: tuple[Skipped, ...]
    not_sent: tuple[NotSent, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReminderOutcome:
        skipped = [_check(s, dict, "skipped") for s in _check(data["skipped"], list, "skipped")]
        not_sent = [_check(s, dict, "not_sent") for s in _check(data["not_sent"], list, "not_sent")]
        return cls(
            reminded=_int(data, "reminded"),
            reminded_ids=tuple(
                _check(i, int, "reminded_ids") for i in _check(data["reminded_ids"], list, "ids")
            ),
            skipped=tuple(
                Skipped(_int(s, "id"), _str(s, "name"), parse_datetime(_str(s, "until"))) for s in skipped
            ),
            not_sent=tuple(NotSent(_int(s, "id"), _str(s, "name"), _str(s, "reason")) for s in not_sent),
        )


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
        agencies = [_check(a, dict, "agencies") for a in _check(data["agencies"], list, "agencies")]
        docs = [_check(d, dict, "documents") for d in _check(data["documents"], list, "documents")]
        return cls(
            id=_int(data, "id"),
            matricule=_str(data, "matricule"),
            civility=_str(data, "civility"),
            first_name=_str(data, "first_name"),
            last_name=_str(data, "last_name"),
            email=_str(data, "email"),
            phone=_str(data, "phone"),
            address=_str(data, "address"),
            birth_date=None if birth is None else date.fromisoformat(_check(birth, str, "birth_date")),
            created_at=parse_datetime(_str(data, "created_at")),
            vault_created_at=_opt_datetime(data, "vault_created_at"),
            vault_activated_at=_opt_datetime(data, "vault_activated_at"),
            edelivery_opposed_at=_opt_datetime(data, "edelivery_opposed_at"),
            last_document_at=_opt_datetime(data, "last_document_at"),
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
        return _decode(await self._api.request("GET", PATH, params=params), EmployeesPage.from_json)

    async def counts(self, agency_id: int) -> EmployeeCounts:
        response = await self._api.request("GET", f"{PATH}/counts", params={"agency_id": agency_id})
        return _decode(response, EmployeeCounts.from_json)

    async def remind(self, agency_id: int, employee_ids: list[int]) -> ReminderOutcome:
        response = await self._api.request(
            "POST", f"{PATH}/reminders", params={"agency_id": agency_id}, json={"employee_ids": employee_ids}
        )
        return _decode(response, ReminderOutcome.from_json)

    async def remind_all_not_activated(self, agency_id: int) -> ReminderOutcome:
        response = await self._api.request(
            "POST", f"{PATH}/reminders", params={"agency_id": agency_id}, json={"all_not_activated": True}
        )
        return _decode(response, ReminderOutcome.from_json)

    async def folder(self, agency_id: int, employee_id: int) -> EmployeeFolder:
        response = await self._api.request("GET", f"{PATH}/{employee_id}", params={"agency_id": agency_id})
        return _decode(response, EmployeeFolder.from_json)
