"""The Diffusion pilotée API seen from the desktop (F4): campaigns of an agency or a brand, their
documents, launch/close/duplicate, and the tracking of deliveries. No Qt; every call through
:meth:`ApiClient.request`."""

from __future__ import annotations

import builtins
import contextlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.json_fields import (
    check,
    decode,
    opt_date,
    opt_datetime,
    opt_int,
    opt_str,
    parse_datetime,
)

ScopeKind = Literal["agency", "brand"]
#: Bytes written per chunk when saving an export (the answer is written piece by piece, never re-joined).
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Scope:
    """Where campaigns live: one agency ("Diffusion Agence") or one brand ("Diffusion Marque")."""

    kind: ScopeKind
    id: int
    name: str

    def params(self) -> dict[str, int]:
        """The query parameters naming the scope on the list/options/create routes."""
        return {"agency_id": self.id} if self.kind == "agency" else {"brand_id": self.id}


@dataclass(frozen=True, slots=True)
class CampaignDocument:
    """One PDF a campaign delivers."""

    id: int
    title: str
    file_name: str
    size: int
    pages: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CampaignDocument:
        return cls(
            id=check(data["id"], int, "id"),
            title=check(data["title"], str, "title"),
            file_name=check(data["file_name"], str, "file_name"),
            size=check(data["size"], int, "size"),
            pages=check(data["pages"], int, "pages"),
        )


@dataclass(frozen=True, slots=True)
class Campaign:
    """A campaign as the server describes it; ``version`` goes back with every change (409 when stale)."""

    id: int
    name: str
    scope: ScopeKind
    agency_id: int | None
    brand_id: int | None
    scope_name: str
    state: str  # domain.states.CampaignState values: draft | active | closed
    status_label: str  # "Sauvegardée" | "Planifiée" | "En cours" | "Archivée"
    on_payslips: bool
    on_contracts: bool
    retroactive_from: date | None
    cadre_filter: str
    client_filter_id: int | None
    client_filter_name: str | None
    signed: bool
    starts_on: date | None
    ends_on: date | None
    documents: tuple[CampaignDocument, ...]
    deliveries: int
    version: int
    created_at: datetime
    created_by_name: str
    activated_at: datetime | None
    closed_at: datetime | None

    @property
    def scope_obj(self) -> Scope:
        """The campaign's own scope (agency or brand), e.g. to open the wizard on it."""
        ident = self.agency_id if self.scope == "agency" else self.brand_id
        return Scope(self.scope, ident or 0, self.scope_name)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Campaign:
        scope = check(data["scope"], str, "scope")
        if scope not in ("agency", "brand"):
            raise ValueError("scope inconnu")
        return cls(
            id=check(data["id"], int, "id"),
            name=check(data["name"], str, "name"),
            scope="agency" if scope == "agency" else "brand",
            agency_id=opt_int(data, "agency_id"),
            brand_id=opt_int(data, "brand_id"),
            scope_name=check(data.get("scope_name") or "", str, "scope_name"),
            state=check(data["state"], str, "state"),
            status_label=check(data["status_label"], str, "status_label"),
            on_payslips=check(data["on_payslips"], bool, "on_payslips"),
            on_contracts=check(data["on_contracts"], bool, "on_contracts"),
            retroactive_from=opt_date(data, "retroactive_from"),
            cadre_filter=check(data.get("cadre_filter") or "all", str, "cadre_filter"),
            client_filter_id=opt_int(data, "client_filter_id"),
            client_filter_name=opt_str(data, "client_filter_name"),
            signed=check(data["signed"], bool, "signed"),
            starts_on=opt_date(data, "starts_on"),
            ends_on=opt_date(data, "ends_on"),
            documents=tuple(
                CampaignDocument.from_json(check(d, dict, "document")) for d in data.get("documents") or []
            ),
            deliveries=check(data.get("deliveries", 0), int, "deliveries"),
            version=check(data["version"], int, "version"),
            created_at=parse_datetime(check(data["created_at"], str, "created_at")),
            created_by_name=check(data.get("created_by_name") or "", str, "created_by_name"),
            activated_at=opt_datetime(data, "activated_at"),
            closed_at=opt_datetime(data, "closed_at"),
        )


@dataclass(frozen=True, slots=True)
class Synthesis:
    """The tracking header of a scope: running and planned campaigns, deliveries of the running ones."""

    running: int
    planned: int
    deliveries: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Synthesis:
        return cls(
            running=check(data["running"], int, "running"),
            planned=check(data["planned"], int, "planned"),
            deliveries=check(data["deliveries"], int, "deliveries"),
        )


@dataclass(frozen=True, slots=True)
class CampaignOptions:
    """What the wizard may offer for a scope."""

    signed_available: bool
    clients: tuple[tuple[int, str], ...]
    max_retroactive_days: int
    max_document_size: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CampaignOptions:
        clients = tuple(
            (check(c["id"], int, "client.id"), check(c["name"], str, "client.name"))
            for c in (check(item, dict, "client") for item in data.get("clients") or [])
        )
        return cls(
            signed_available=check(data["signed_available"], bool, "signed_available"),
            clients=clients,
            max_retroactive_days=check(data["max_retroactive_days"], int, "max_retroactive_days"),
            max_document_size=check(data["max_document_size"], int, "max_document_size"),
        )


@dataclass(frozen=True, slots=True)
class Delivery:
    """One recipient of a campaign and when its documents were delivered."""

    employee_id: int
    matricule: str
    first_name: str
    last_name: str
    agency_name: str
    delivered_at: datetime

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Delivery:
        return cls(
            employee_id=check(data["employee_id"], int, "employee_id"),
            matricule=check(data["matricule"], str, "matricule"),
            first_name=check(data["first_name"], str, "first_name"),
            last_name=check(data["last_name"], str, "last_name"),
            agency_name=check(data.get("agency_name") or "", str, "agency_name"),
            delivered_at=parse_datetime(check(data["delivered_at"], str, "delivered_at")),
        )


@dataclass(frozen=True, slots=True)
class DailyCount:
    """Deliveries of one day (Europe/Paris), for the chart."""

    day: date
    count: int


def _range(from_: date | None, to: date | None) -> dict[str, str]:
    params: dict[str, str] = {}
    if from_ is not None:
        params["from"] = from_.isoformat()
    if to is not None:
        params["to"] = to.isoformat()
    return params


class CampaignsApi:
    """The ``/campaigns`` endpoints; mutations carry the ``version`` read (stale: ApiError 409)."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    async def list(self, scope: Scope, state: str | None = None) -> tuple[Synthesis, list[Campaign]]:
        """The synthesis of ``scope`` and its campaigns (newest first), optionally of one state."""
        params: dict[str, Any] = dict(scope.params())
        if state is not None:
            params["state"] = state
        response = await self.api.request("GET", "/campaigns", params=params)

        def build(body: Mapping[str, Any]) -> tuple[Synthesis, list[Campaign]]:
            items = check(body["items"], list, "items")
            return (
                Synthesis.from_json(check(body["synthesis"], dict, "synthesis")),
                [Campaign.from_json(check(item, dict, "item")) for item in items],
            )

        return decode(response, build)

    async def options(self, scope: Scope) -> CampaignOptions:
        response = await self.api.request("GET", "/campaigns/options", params=scope.params())
        return decode(response, CampaignOptions.from_json)

    async def create(self, scope: Scope, config: Mapping[str, Any]) -> Campaign:
        """A new draft in ``scope``; ``config`` holds the body fields of the contract (name, triggers…)."""
        body = {**config, **scope.params()}
        response = await self.api.request("POST", "/campaigns", json=body)
        return decode(response, Campaign.from_json)

    async def get(self, campaign_id: int) -> Campaign:
        response = await self.api.request("GET", f"/campaigns/{campaign_id}")
        return decode(response, Campaign.from_json)

    async def update(self, campaign_id: int, version: int, config: Mapping[str, Any]) -> Campaign:
        response = await self.api.request(
            "PUT", f"/campaigns/{campaign_id}", json={**config, "version": version}
        )
        return decode(response, Campaign.from_json)

    async def delete(self, campaign_id: int, version: int) -> None:
        await self.api.request("DELETE", f"/campaigns/{campaign_id}", params={"version": version})

    async def add_document(self, campaign_id: int, version: int, path: Path, title: str) -> Campaign:
        # Read whole: the request must be replayable after a token refresh, and files are ≤ 5 MB.
        data = path.read_bytes()
        response = await self.api.request(
            "POST",
            f"/campaigns/{campaign_id}/documents",
            data={"title": title, "version": str(version)},
            files={"file": (path.name or "document.pdf", data, "application/pdf")},
            timeout=120.0,
        )
        return decode(response, Campaign.from_json)

    async def remove_document(self, campaign_id: int, version: int, doc_id: int) -> Campaign:
        response = await self.api.request(
            "DELETE", f"/campaigns/{campaign_id}/documents/{doc_id}", params={"version": version}
        )
        return decode(response, Campaign.from_json)

    async def document_file(self, campaign_id: int, doc_id: int) -> bytes:
        response = await self.api.request(
            "GET", f"/campaigns/{campaign_id}/documents/{doc_id}/file", timeout=60.0
        )
        return response.content

    async def launch(self, campaign_id: int, version: int) -> Campaign:
        # A retroactive launch delivers at once on the server: allow it time.
        response = await self.api.request(
            "POST", f"/campaigns/{campaign_id}/launch", json={"version": version}, timeout=120.0
        )
        return decode(response, Campaign.from_json)

    async def close(self, campaign_id: int, version: int) -> Campaign:
        response = await self.api.request(
            "POST", f"/campaigns/{campaign_id}/close", json={"version": version}
        )
        return decode(response, Campaign.from_json)

    async def duplicate(self, campaign_id: int) -> Campaign:
        response = await self.api.request("POST", f"/campaigns/{campaign_id}/duplicate")
        return decode(response, Campaign.from_json)

    async def deliveries(
        self,
        campaign_id: int,
        from_: date | None,
        to: date | None,
        cursor: str | None = None,
        limit: int = 200,
    ) -> tuple[builtins.list[Delivery], str | None, int]:
        """One page of recipients: the rows, the cursor of the next page (None at the end), the total."""
        params: dict[str, Any] = {**_range(from_, to), "limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = await self.api.request("GET", f"/campaigns/{campaign_id}/deliveries", params=params)

        def build(body: Mapping[str, Any]) -> tuple[builtins.list[Delivery], str | None, int]:
            items = check(body["items"], list, "items")
            return (
                [Delivery.from_json(check(item, dict, "item")) for item in items],
                opt_str(body, "next_cursor"),
                check(body["total"], int, "total"),
            )

        return decode(response, build)

    async def daily(self, campaign_id: int, from_: date | None, to: date | None) -> builtins.list[DailyCount]:
        response = await self.api.request(
            "GET", f"/campaigns/{campaign_id}/deliveries/daily", params=_range(from_, to)
        )

        def build(body: Mapping[str, Any]) -> builtins.list[DailyCount]:
            days = (check(d, dict, "day") for d in check(body["days"], list, "days"))
            return [
                DailyCount(date.fromisoformat(check(d["day"], str, "day")), check(d["count"], int, "count"))
                for d in days
            ]

        return decode(response, build)

    async def export_csv(self, campaign_id: int, from_: date | None, to: date | None, target: Path) -> int:
        """Save the recipients of the range as CSV at ``target``; returns the bytes written. Written to a
        temporary file beside it and renamed only once complete, so a failure never leaves half a file."""
        response = await self.api.request(
            "GET", f"/campaigns/{campaign_id}/deliveries.csv", params=_range(from_, to), timeout=300.0
        )
        target = Path(target)
        handle, temp_name = tempfile.mkstemp(prefix=".export-", suffix=".part", dir=target.parent)
        written = 0
        try:
            with os.fdopen(handle, "wb") as out:
                async for chunk in response.aiter_bytes(_CHUNK):
                    out.write(chunk)
                    written += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp_name, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            raise
        return written

    async def mail_export(self, campaign_id: int, from_: date | None, to: date | None) -> None:
        """Have the server mail the CSV of the range to the caller (through its outbox)."""
        await self.api.request(
            "POST",
            f"/campaigns/{campaign_id}/deliveries/mail",
            json={"from": from_.isoformat() if from_ else None, "to": to.isoformat() if to else None},
        )
