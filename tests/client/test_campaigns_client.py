"""The campaigns client (F4) against the real backend over HTTP: typed campaigns and synthesis, a
retroactive launch that delivers at once, recipients page by page, counts per day, the CSV export's rows,
closing (and the 409 of a stale or repeated close), duplicating."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Awaitable, Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import select

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.campaigns import Campaign, CampaignsApi, Delivery, Scope
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.domain.exports import CSV_DELIMITER
from coffreo_desktop.server.db.models import Agency
from tests.client.documents_backend import ADMIN, PASSWORDS, deposit_payslip, pdf_bytes, served, today
from tests.support import ServerHarness

T = TypeVar("T")


@pytest.fixture
def base_url(server: ServerHarness) -> Iterator[str]:
    with served(server) as url:
        yield url


def run(base_url: str, scenario: Callable[[CampaignsApi], Awaitable[T]]) -> T:
    async def main() -> T:
        api = ApiClient(base_url)
        await api.login(ADMIN, PASSWORDS[ADMIN])
        try:
            return await scenario(CampaignsApi(api))
        finally:
            await api.aclose()

    return asyncio.run(main())


def agency_scope(server: ServerHarness, code: str = "PAR11") -> Scope:
    return Scope("agency", server.agency_id(code), code)


async def launched_retroactive(
    campaigns: CampaignsApi, scope: Scope, pdf: Path, start: date, name: str = "Note mutuelle"
) -> Campaign:
    """A payslip campaign started ``start`` (in the past) and launched: delivered at once on the server."""
    draft = await campaigns.create(
        scope,
        {
            "name": name,
            "on_payslips": True,
            "on_contracts": False,
            "retroactive": True,
            "starts_on": start.isoformat(),
        },
    )
    with_doc = await campaigns.add_document(draft.id, draft.version, pdf, "Notice mutuelle 2026")
    return await campaigns.launch(with_doc.id, with_doc.version)


def deposit_again(server: ServerHarness, agency: str, matricule: str) -> None:
    """A second payslip (the previous month's) for an employee who already has one, via the ERP route."""
    with server.session() as s:
        brand_id = s.scalars(select(Agency.brand_id).where(Agency.id == server.agency_id(agency))).one()
    end = today(server).replace(day=1) - timedelta(days=1)
    response = server.client.post(
        "/api/v1/ingest/documents",
        headers=server.integration_key(brand_id),
        files={"file": ("paie-2.pdf", pdf_bytes(f"Bulletin 2 {matricule}"), "application/pdf")},
        data={
            "agency": agency,
            "type": "payslip",
            "matricule": matricule,
            "period_start": end.replace(day=1).isoformat(),
            "period_end": end.isoformat(),
        },
    )
    assert response.status_code == 201, response.text


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf_bytes("Notice de la mutuelle"))
    return path


def test_draft_round_trip_keeps_every_field_and_scope_params(
    server: ServerHarness, base_url: str, pdf: Path
) -> None:
    scope = agency_scope(server)
    assert scope.params() == {"agency_id": scope.id}
    assert Scope("brand", 7, "Marque").params() == {"brand_id": 7}
    start = today(server) + timedelta(days=10)

    async def scenario(campaigns: CampaignsApi) -> tuple[Campaign, Campaign, Campaign]:
        draft = await campaigns.create(
            scope,
            {
                "name": "Livret sécurité",
                "on_payslips": False,
                "on_contracts": True,
                "cadre_filter": "non_cadre",
                "starts_on": start.isoformat(),
                "ends_on": (start + timedelta(days=30)).isoformat(),
            },
        )
        added = await campaigns.add_document(draft.id, draft.version, pdf, "Livret")
        fetched = await campaigns.get(draft.id)
        return draft, added, fetched

    draft, added, fetched = run(base_url, scenario)
    assert draft.state == "draft" and draft.status_label == "Sauvegardée"
    assert draft.scope == "agency" and draft.agency_id == scope.id and draft.brand_id is None
    assert draft.on_contracts and not draft.on_payslips and draft.cadre_filter == "non_cadre"
    assert draft.starts_on == start and draft.ends_on == start + timedelta(days=30)
    assert draft.documents == ()
    assert added.version > draft.version
    assert [(d.title, d.file_name, d.pages) for d in added.documents] == [("Livret", "notice.pdf", 1)]
    assert added.documents[0].size == pdf.stat().st_size
    assert fetched == added


def test_retroactive_launch_lists_running_campaign_with_its_deliveries_day_by_day(
    server: ServerHarness, base_url: str, pdf: Path, tmp_path: Path
) -> None:
    scope = agency_scope(server)
    start = today(server) - timedelta(days=60)
    target = tmp_path / "destinataires.csv"

    async def scenario(campaigns: CampaignsApi) -> tuple[Campaign, object, list[Delivery], int, object, int]:
        campaign = await launched_retroactive(campaigns, scope, pdf, start)
        synthesis, items = await campaigns.list(scope)
        rows: list[Delivery] = []
        cursor: str | None = None
        total = 0
        while True:
            page, cursor, total = await campaigns.deliveries(campaign.id, None, None, cursor, limit=7)
            rows.extend(page)
            if cursor is None:
                break
        days = await campaigns.daily(campaign.id, None, None)
        written = await campaigns.export_csv(campaign.id, None, None, target)
        return campaign, (synthesis, items), rows, total, days, written

    campaign, (synthesis, items), rows, total, days, written = run(base_url, scenario)  # type: ignore[misc]
    assert campaign.state == "active" and campaign.status_label == "En cours"
    assert campaign.retroactive_from == start
    assert campaign.deliveries > 0, "the demo's payslips since the start must be delivered at once"
    listed = next(c for c in items if c.id == campaign.id)
    assert listed.deliveries == campaign.deliveries
    assert synthesis.running >= 1 and synthesis.deliveries >= campaign.deliveries
    assert total == len(rows) == campaign.deliveries
    assert len({r.employee_id for r in rows}) == len(rows), "one delivery per employee"
    assert sum(d.count for d in days) == total
    assert all(start <= d.day <= today(server) for d in days)
    data = target.read_bytes()
    assert written == len(data) and data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=CSV_DELIMITER))
    assert len(lines) == total + 1
    matricules = {r.matricule for r in rows}
    assert {
        line[next(i for i, h in enumerate(lines[0]) if "atricule" in h)] for line in lines[1:]
    } == matricules
    assert not list(tmp_path.glob(".export-*")), "no temporary file left behind"


def test_deposit_into_running_campaign_adds_one_recipient(
    server: ServerHarness, base_url: str, pdf: Path
) -> None:
    scope = agency_scope(server)

    async def launch(campaigns: CampaignsApi) -> Campaign:
        draft = await campaigns.create(
            scope, {"name": "RGPD", "on_payslips": True, "starts_on": today(server).isoformat()}
        )
        draft = await campaigns.add_document(draft.id, draft.version, pdf, "Notice RGPD")
        return await campaigns.launch(draft.id, draft.version)

    campaign = run(base_url, launch)
    assert campaign.deliveries == 0
    deposit_payslip(server, "PAR11", matricule="CAMP-0001", last_name="Campagne")
    deposit_again(server, "PAR11", "CAMP-0001")

    async def read(campaigns: CampaignsApi) -> tuple[list[Delivery], int]:
        items, _, total = await campaigns.deliveries(campaign.id, today(server), today(server))
        return items, total

    items, total = run(base_url, read)
    assert total == 1 and [i.matricule for i in items] == ["CAMP-0001"]


def test_close_then_stale_or_repeated_close_answers_409_in_french(
    server: ServerHarness, base_url: str, pdf: Path
) -> None:
    scope = agency_scope(server)

    async def scenario(
        campaigns: CampaignsApi,
    ) -> tuple[Campaign, ApiError, ApiError, Campaign, list[Campaign]]:
        campaign = await launched_retroactive(campaigns, scope, pdf, today(server) - timedelta(days=5))
        closed = await campaigns.close(campaign.id, campaign.version)
        with pytest.raises(ApiError) as stale:
            await campaigns.close(campaign.id, campaign.version)
        with pytest.raises(ApiError) as again:
            await campaigns.close(closed.id, closed.version)
        copy = await campaigns.duplicate(campaign.id)
        _, archived = await campaigns.list(scope, state="closed")
        return closed, stale.value, again.value, copy, archived

    closed, stale, again, copy, archived = run(base_url, scenario)
    assert closed.state == "closed" and closed.status_label == "Archivée" and closed.closed_at is not None
    assert stale.status == 409 and stale.code in {"stale_campaign", "already_closed"}
    assert again.status == 409 and again.code == "already_closed"
    assert "clôturée" in again.detail or "Clôtur" in again.detail or "déjà" in again.detail
    assert closed.id in {c.id for c in archived} and all(c.state == "closed" for c in archived)
    assert copy.state == "draft" and copy.name.startswith("Copie de")
    assert copy.starts_on is None and [d.title for d in copy.documents] == [d.title for d in closed.documents]


def test_mail_export_is_accepted_and_document_file_is_the_pdf(
    server: ServerHarness, base_url: str, pdf: Path
) -> None:
    scope = agency_scope(server)

    async def scenario(campaigns: CampaignsApi) -> bytes:
        campaign = await launched_retroactive(campaigns, scope, pdf, today(server) - timedelta(days=20))
        await campaigns.mail_export(campaign.id, today(server) - timedelta(days=20), today(server))
        return await campaigns.document_file(campaign.id, campaign.documents[0].id)

    data = run(base_url, scenario)
    assert data.startswith(b"%PDF")
