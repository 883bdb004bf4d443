"""The salary advances API seen from the desktop (F5.3, F5.4, F5.7): pending and processed requests, one
request's detail with its maximum, the decision (409 when a colleague was first), the pending count the
notifier polls, the agency's policy, and the CSV files streamed to disk. No Qt; every call through
:meth:`ApiClient.request` (the CSV files through :meth:`ApiClient.stream`)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Literal

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.client.export import ExportCancelled, ExportError, RunBlocking
from coffreo_desktop.client.json_fields import (
    check,
    decode,
    opt_date,
    opt_datetime,
    opt_int,
    opt_str,
    parse_datetime,
)
from coffreo_desktop.client.safe_files import discard, sync_and_close, temp_beside
from coffreo_desktop.domain.advances import HISTORY_SORTS, DecisionKind, Maximum, decision_state
from coffreo_desktop.domain.states import AdvanceState

Decision = Literal["accept", "refuse"]
Order = Literal["asc", "desc"]
#: ``progress(bytes_written)``, called on the caller's event loop while a file is saved.
SaveProgress = Callable[[int], None]

#: Bytes written per step when saving a CSV: small enough to notice a cancel quickly.
_CHUNK = 64 * 1024
#: The 409 code of a decision on a request no longer waiting (a colleague, or the worker who cancelled).
ALREADY_PROCESSED = "already_processed"
PAGE_SIZE = 100


class AlreadyProcessed(ApiError):
    """A decision arrived too late: ``str()`` is the server's French sentence naming who and when."""

    def __init__(self, source: ApiError) -> None:
        super().__init__(source.status, source.code, source.detail)


@dataclass(frozen=True, slots=True)
class AdvanceRequest:
    """One request as the staff API describes it (``AdvanceOut``); ``version`` goes back with a decision."""

    id: int
    version: int
    state: AdvanceState
    agency_id: int
    agency_name: str
    employee_id: int
    matricule: str
    first_name: str
    last_name: str
    amount_cents: int | None  # None: the worker asked for "le montant maximum"
    wants_maximum: bool
    comment: str
    created_at: datetime
    granted_cents: int | None
    decision_comment: str
    decided_at: datetime | None
    decided_by_name: str | None
    cancelled_at: datetime | None

    @property
    def decision(self) -> DecisionKind | None:
        """accepted / partial / refused for a decided request, None while sent or once cancelled."""
        if self.state not in (AdvanceState.ACCEPTED, AdvanceState.REFUSED):
            return None
        granted = self.granted_cents if self.state == AdvanceState.ACCEPTED else None
        return decision_state(granted, None if self.wants_maximum else self.amount_cents)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AdvanceRequest:
        return cls(
            id=check(data["id"], int, "id"),
            version=check(data["version"], int, "version"),
            state=AdvanceState(check(data["state"], str, "state")),
            agency_id=check(data["agency_id"], int, "agency_id"),
            agency_name=check(data.get("agency_name") or "", str, "agency_name"),
            employee_id=check(data["employee_id"], int, "employee_id"),
            matricule=check(data.get("matricule") or "", str, "matricule"),
            first_name=check(data.get("first_name") or "", str, "first_name"),
            last_name=check(data.get("last_name") or "", str, "last_name"),
            amount_cents=opt_int(data, "amount_cents"),
            wants_maximum=check(data.get("wants_maximum", False), bool, "wants_maximum"),
            comment=check(data.get("comment") or "", str, "comment"),
            created_at=parse_datetime(check(data["created_at"], str, "created_at")),
            granted_cents=opt_int(data, "granted_cents"),
            decision_comment=check(data.get("decision_comment") or "", str, "decision_comment"),
            decided_at=opt_datetime(data, "decided_at"),
            decided_by_name=opt_str(data, "decided_by_name"),
            cancelled_at=opt_datetime(data, "cancelled_at"),
        )


def maximum_from_json(data: Mapping[str, Any]) -> Maximum:
    """The computed maximum of a detail (``earnings_known`` follows from ``net_earned_cents``)."""
    return Maximum(
        maximum_cents=check(data["maximum_cents"], int, "maximum_cents"),
        percent=check(data["percent"], int, "percent"),
        ceiling_cents=check(data["ceiling_cents"], int, "ceiling_cents"),
        net_earned_cents=opt_int(data, "net_earned_cents"),
        granted_cents=check(data.get("granted_cents", 0), int, "granted_cents"),
        period_start=opt_date(data, "period_start"),
        period_end=opt_date(data, "period_end"),
    )


@dataclass(frozen=True, slots=True)
class AdvanceDetail:
    """What the processing pane shows: the request, the maximum now, the worker's other requests."""

    request: AdvanceRequest
    maximum: Maximum
    past: tuple[AdvanceRequest, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AdvanceDetail:
        return cls(
            request=AdvanceRequest.from_json(check(data["request"], dict, "request")),
            maximum=maximum_from_json(check(data["maximum"], dict, "maximum")),
            past=tuple(
                AdvanceRequest.from_json(check(item, dict, "past")) for item in data.get("past") or []
            ),
        )


@dataclass(frozen=True, slots=True)
class AdvancePage:
    """One page of a list: the rows, the cursor of the next page (None at the end), the total."""

    items: tuple[AdvanceRequest, ...]
    next_cursor: str | None
    total: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AdvancePage:
        return cls(
            items=tuple(
                AdvanceRequest.from_json(check(item, dict, "item"))
                for item in check(data["items"], list, "items")
            ),
            next_cursor=opt_str(data, "next_cursor"),
            total=check(data["total"], int, "total"),
        )


@dataclass(frozen=True, slots=True)
class PendingCount:
    """The requests waiting in the caller's DA agencies; ``latest_id`` grows when a new one arrives."""

    total: int
    by_agency: Mapping[int, int]
    latest_id: int | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PendingCount:
        by_agency = check(data.get("by_agency") or {}, dict, "by_agency")
        return cls(
            total=check(data["total"], int, "total"),
            by_agency={int(key): check(value, int, "by_agency") for key, value in by_agency.items()},
            latest_id=opt_int(data, "latest_id"),
        )


@dataclass(frozen=True, slots=True)
class AdvanceFilters:
    """The filters both lists share: one agency (None: all the caller's DA agencies) and Paris dates."""

    agency_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.agency_id is not None:
            params["agency_id"] = self.agency_id
        if self.date_from is not None:
            params["date_from"] = self.date_from.isoformat()
        if self.date_to is not None:
            params["date_to"] = self.date_to.isoformat()
        return params


class AdvancesApi:
    """The ``/advances`` endpoints of agency staff holding the right DA."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    async def pending(
        self, filters: AdvanceFilters = AdvanceFilters(), cursor: str | None = None, limit: int = PAGE_SIZE
    ) -> AdvancePage:
        """One page of the requests to process, oldest first."""
        params = {**filters.params(), "limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = await self.api.request("GET", "/advances/pending", params=params)
        return decode(response, AdvancePage.from_json)

    async def pending_count(self, etag: str | None = None) -> tuple[PendingCount | None, str | None]:
        """The pending count, or None when it has not changed since ``etag`` (a cheap 304); and the ETag
        to send next time."""
        headers = {"If-None-Match": etag} if etag else {}
        response = await self.api.request("GET", "/advances/pending/count", headers=headers)
        new_etag = response.headers.get("ETag") or etag
        if response.status_code == 304:
            return None, new_etag
        return decode(response, PendingCount.from_json), new_etag

    async def history(
        self,
        filters: AdvanceFilters = AdvanceFilters(),
        sort: str = "decided_at",
        order: Order = "desc",
        cursor: str | None = None,
        limit: int = PAGE_SIZE,
    ) -> AdvancePage:
        """One page of the processed requests (accepted, refused, cancelled) in the order asked."""
        params = {**_history_params(filters, sort, order), "limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = await self.api.request("GET", "/advances/history", params=params)
        return decode(response, AdvancePage.from_json)

    async def detail(self, request_id: int) -> AdvanceDetail:
        response = await self.api.request("GET", f"/advances/{request_id}")
        return decode(response, AdvanceDetail.from_json)

    async def decide(
        self, request_id: int, decision: Decision, amount_text: str | None, comment: str, version: int
    ) -> AdvanceRequest:
        """Accept (``amount_text`` in euros as typed, None: the amount asked or the maximum) or refuse.

        Raises :class:`AlreadyProcessed` when a colleague or the worker was first (409), ApiError 422
        for an amount the server refuses (its detail names the maximum).
        """
        amount = amount_text.strip() if amount_text and amount_text.strip() else None
        body = {
            "decision": decision,
            "amount": amount if decision == "accept" else None,
            "comment": comment,
            "version": version,
        }
        try:
            response = await self.api.request("POST", f"/advances/{request_id}/decision", json=body)
        except ApiError as exc:
            if exc.status == 409:
                raise AlreadyProcessed(exc) from exc
            raise
        return decode(response, AdvanceRequest.from_json)

    async def save_history_csv(
        self,
        filters: AdvanceFilters,
        sort: str,
        order: Order,
        target: Path,
        *,
        progress: SaveProgress | None = None,
        cancelled: Callable[[], bool] | None = None,
        run_blocking: RunBlocking = asyncio.to_thread,
    ) -> int:
        """Save the history of ``filters`` as CSV at ``target``; returns the bytes written. Disk calls go
        through ``run_blocking`` (the GUI passes its STORE lane)."""
        params = _history_params(filters, sort, order)
        return await self._save("/advances/history.csv", params, target, progress, cancelled, run_blocking)

    async def save_payroll_csv(
        self,
        filters: AdvanceFilters,
        target: Path,
        *,
        progress: SaveProgress | None = None,
        cancelled: Callable[[], bool] | None = None,
        run_blocking: RunBlocking = asyncio.to_thread,
    ) -> int:
        """Save the payroll file (accepted advances decided in the period, to deduct on the next pay)."""
        params = filters.params()
        return await self._save("/advances/payroll.csv", params, target, progress, cancelled, run_blocking)

    async def _save(
        self,
        path: str,
        params: Mapping[str, Any],
        target: Path,
        progress: SaveProgress | None,
        cancelled: Callable[[], bool] | None,
        run_blocking: RunBlocking,
    ) -> int:
        # Streamed from the socket to a file beside the target, renamed once complete: a cancel, a full
        # disk or a failure never leaves half a file nor damages an existing one. Every disk call runs in
        # a thread (the GUI loop stays responsive on a slow share); disk errors become export's French ones.
        target = Path(target)
        temp: Path | None = None
        out: IO[bytes] | None = None
        written = 0
        try:
            temp = await run_blocking(temp_beside, target)
            out = await run_blocking(open, temp, "wb")
            async with self.api.stream("GET", path, params=dict(params), timeout=300.0) as response:
                pending = bytearray()
                async for chunk in response.aiter_bytes():
                    if cancelled is not None and cancelled():
                        raise ExportCancelled()
                    pending += chunk
                    if len(pending) >= _CHUNK:
                        written += await run_blocking(out.write, bytes(pending))
                        pending.clear()
                        if progress is not None:
                            progress(written)
                if cancelled is not None and cancelled():
                    raise ExportCancelled()
                if pending:
                    written += await run_blocking(out.write, bytes(pending))
            await run_blocking(sync_and_close, out)
            out = None
            await run_blocking(os.replace, temp, target)
        except OSError as exc:
            discard(out, temp)
            raise ExportError.from_os_error(exc, target.parent) from exc
        except BaseException:
            # A cancel (ExportCancelled, or the task cancelled while awaiting) or a server error.
            discard(out, temp)
            raise
        if progress is not None:
            progress(written)
        return written

    async def policy(self, agency_id: int) -> AgencyPolicy:
        """The agency's advance policy (percent of the net earned, ceiling), right DA."""
        response = await self.api.request("GET", "/advances/policy", params={"agency_id": agency_id})
        return decode(response, AgencyPolicy.from_json)

    async def set_policy(self, agency_id: int, percent: int, ceiling_text: str) -> AgencyPolicy:
        """Change the agency's policy (right A): ``ceiling_text`` in euros as typed; 422 in French."""
        response = await self.api.request(
            "PUT",
            "/advances/policy",
            params={"agency_id": agency_id},
            json={"percent": percent, "ceiling": ceiling_text.strip()},
        )
        return decode(response, AgencyPolicy.from_json)


@dataclass(frozen=True, slots=True)
class AgencyPolicy:
    """One agency's rules (F5.6): the maximum is ``percent`` % of the net earned, within ``ceiling_cents``."""

    agency_id: int
    percent: int
    ceiling_cents: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AgencyPolicy:
        return cls(
            agency_id=check(data["agency_id"], int, "agency_id"),
            percent=check(data["percent"], int, "percent"),
            ceiling_cents=check(data["ceiling_cents"], int, "ceiling_cents"),
        )


def _history_params(filters: AdvanceFilters, sort: str, order: Order) -> dict[str, Any]:
    if sort not in HISTORY_SORTS:
        raise ValueError(f"Tri inconnu : {sort}")
    return {**filters.params(), "sort": sort, "order": order}
