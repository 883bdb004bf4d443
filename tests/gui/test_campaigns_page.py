"""'Diffusion pilotée' tracking driven like a user on the real embedded demo backend: a launched campaign in
"En cours" with the synthesis, closing it (confirmed) moves it to "Archivées", a stale close shows the 409,
the detail's recipients, chart and CSV export."""

from __future__ import annotations

import asyncio
import csv
import io
import os
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fpdf import FPDF
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.campaigns import Campaign, CampaignsApi, Scope
from coffreo_desktop.domain.exports import CSV_DELIMITER
from coffreo_desktop.domain.services import Feature
from coffreo_desktop.domain.states import CampaignState
from coffreo_desktop.gui.campaign_detail import CampaignDetailDialog
from coffreo_desktop.gui.flow import AppFlow
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.pages.campaigns import TAB_STATES, CampaignsPage
from coffreo_desktop.gui.viewer import ViewerWindow
from tests.gui.helpers import WAIT_MS, log_in, server_call

ADMIN = "admin@demo.coffreo.fr"
#: Where the PNGs of the page and the detail go, for a person to look at (COFFREO_SCREENSHOTS to keep them).
SHOTS = Path(os.environ.get("COFFREO_SCREENSHOTS", "/tmp"))


def paris_today() -> date:
    return datetime.now(ZoneInfo("Europe/Paris")).date()


@pytest.fixture
def window(qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]) -> MainWindow:
    window = log_in(qtbot, make_flow(), ADMIN, demo_passwords[ADMIN])
    window.resize(1400, 850)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    doc = FPDF()
    doc.set_font("Helvetica", size=12)
    doc.add_page()
    doc.text(20, 30, "Notice de la mutuelle")
    path = tmp_path / "notice.pdf"
    path.write_bytes(bytes(doc.output()))
    return path


def open_campaigns(qtbot: QtBot, window: MainWindow) -> CampaignsPage:
    window.open_feature(Feature.CAMPAIGNS)
    page = window.current_page()
    assert isinstance(page, CampaignsPage)
    qtbot.waitUntil(lambda: page.synthesis is not None, timeout=WAIT_MS)
    # Paris 11e: the demo agency with the most payslips, so a retroactive launch delivers.
    agency = next(a for a in window.me.agencies if a.code == "PAR11")
    window.agency_selector.select_agency(agency.id)
    qtbot.waitUntil(lambda: (s := page.scope()) is not None and s.id == agency.id, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.models[CampaignState.ACTIVE].campaigns is not None, timeout=WAIT_MS)
    refreshed(qtbot, page)
    return page


def launch(
    qtbot: QtBot,
    loop: asyncio.AbstractEventLoop,
    api: CampaignsApi,
    scope: Scope,
    pdf: Path,
    name: str,
    start: date,
) -> Campaign:
    """A payslip campaign created and launched through the client (the wizard is another test's)."""

    async def work() -> Campaign:
        draft = await api.create(
            scope,
            {
                "name": name,
                "on_payslips": True,
                "retroactive": start < paris_today(),
                "starts_on": start.isoformat(),
            },
        )
        draft = await api.add_document(draft.id, draft.version, pdf, "Notice mutuelle")
        return await api.launch(draft.id, draft.version)

    result = server_call(loop, qtbot, work())
    assert isinstance(result, Campaign)
    return result


def refreshed(qtbot: QtBot, page: CampaignsPage) -> None:
    generation = page._generation
    before = page.synthesis
    page.refresh()
    qtbot.waitUntil(
        lambda: page.synthesis is not before and page._generation == generation + 1, timeout=WAIT_MS
    )


def test_launched_campaign_is_listed_running_with_the_synthesis_then_closed_to_archived(
    qtbot: QtBot,
    window: MainWindow,
    qt_event_loop: asyncio.AbstractEventLoop,
    pdf: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = open_campaigns(qtbot, window)
    scope = page.scope()
    assert scope is not None and scope.kind == "agency"
    assert page.kind_combo.findText("Diffusion Marque") >= 0, "the admin holds D on the brand"
    running_before = page.synthesis.running if page.synthesis else 0
    campaign = launch(
        qtbot, qt_event_loop, page.api, scope, pdf, "Note mutuelle GUI", paris_today() - timedelta(days=40)
    )
    refreshed(qtbot, page)
    assert page.synthesis is not None and page.synthesis.running == running_before + 1
    assert page.running_label.text().endswith("en cours")
    assert page.select_campaign(campaign.id)
    assert page.current_state() is CampaignState.ACTIVE
    assert page.tabs.tabText(0).startswith("En cours (")
    model = page.models[CampaignState.ACTIVE]
    row = next(r for r, c in enumerate(model.campaigns) if c.id == campaign.id)
    texts = [model.index(row, column).data() for column in range(model.columnCount())]
    assert texts[:3] == ["Note mutuelle GUI", "En cours", "Bulletins de paie"]
    assert texts[3] == (paris_today() - timedelta(days=40)).strftime("%d/%m/%Y")
    assert (
        texts[4] == "Sans fin"
        and texts[5] == "1"
        and int(texts[6].replace("\u202f", "")) == campaign.deliveries
    )
    assert page.close_button.isEnabled() and not page.edit_button.isEnabled()
    page.grab().save(str(SHOTS / "campaigns_page.png"))

    # "Voir les documents": the campaign's only PDF opens in the viewer.
    qtbot.mouseClick(page.documents_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.viewer is not None and page.viewer.isVisible(), timeout=WAIT_MS)
    assert isinstance(page.viewer, ViewerWindow)
    assert page.viewer.viewer.title == "Notice mutuelle" and page.viewer.viewer.data.startswith(b"%PDF")
    page.viewer.close()

    # Sorting by deliveries, descending, puts the biggest first.
    page.tables[CampaignState.ACTIVE].sortByColumn(6, Qt.SortOrder.DescendingOrder)
    counts = [c.deliveries for c in model.campaigns]
    assert counts == sorted(counts, reverse=True)

    asked: list[str] = []

    def confirm(_parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", confirm)
    page.select_campaign(campaign.id)
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    archived = page.models[CampaignState.CLOSED]
    qtbot.waitUntil(lambda: any(c.id == campaign.id for c in archived.campaigns), timeout=WAIT_MS)
    assert asked and "Note mutuelle GUI" in asked[0]
    assert not any(c.id == campaign.id for c in model.campaigns)
    assert "clôturée" in page.message.text()
    assert page.select_campaign(campaign.id) and page.current_state() is CampaignState.CLOSED
    assert not page.close_button.isEnabled()


def test_a_stale_close_shows_the_409_in_french_and_refreshes_the_list(
    qtbot: QtBot,
    window: MainWindow,
    qt_event_loop: asyncio.AbstractEventLoop,
    pdf: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = open_campaigns(qtbot, window)
    scope = page.scope()
    assert scope is not None
    campaign = launch(qtbot, qt_event_loop, page.api, scope, pdf, "Consignes sécurité", paris_today())
    refreshed(qtbot, page)
    assert page.select_campaign(campaign.id)
    # A colleague closes it meanwhile: the page still holds the version it read.
    server_call(qt_event_loop, qtbot, page.api.close(campaign.id, campaign.version))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    generation = page._generation
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)

    def error_box() -> QMessageBox | None:
        return next(
            (w for w in QApplication.topLevelWidgets() if w.objectName() == "userErrorBox" and w.isVisible()),
            None,
        )  # type: ignore[return-value]

    qtbot.waitUntil(lambda: error_box() is not None, timeout=WAIT_MS)
    box = error_box()
    assert box is not None
    text = box.text()
    assert "clôtur" in text.lower() or "modifi" in text.lower(), text
    box.close()
    qtbot.waitUntil(lambda: page._generation > generation, timeout=WAIT_MS)
    archived = page.models[CampaignState.CLOSED]
    qtbot.waitUntil(lambda: any(c.id == campaign.id for c in archived.campaigns), timeout=WAIT_MS)


def test_the_detail_shows_recipients_the_daily_chart_and_exports_the_rows(
    qtbot: QtBot, window: MainWindow, qt_event_loop: asyncio.AbstractEventLoop, pdf: Path, tmp_path: Path
) -> None:
    page = open_campaigns(qtbot, window)
    scope = page.scope()
    assert scope is not None
    start = paris_today() - timedelta(days=80)
    campaign = launch(qtbot, qt_event_loop, page.api, scope, pdf, "Livret d'accueil", start)
    assert campaign.deliveries > 0
    refreshed(qtbot, page)
    assert page.select_campaign(campaign.id)
    qtbot.mouseClick(page.detail_button, Qt.MouseButton.LeftButton)
    detail = page.detail
    assert isinstance(detail, CampaignDetailDialog)
    qtbot.waitExposed(detail)
    assert detail.date_range() == (start, paris_today())
    qtbot.waitUntil(
        lambda: detail.model.total == campaign.deliveries and detail.chart.days != [], timeout=WAIT_MS
    )
    while detail.model.canFetchMore():
        detail.model.fetchMore()
        qtbot.waitUntil(lambda: not detail.model._loading, timeout=WAIT_MS)
    assert detail.model.rowCount() == campaign.deliveries
    assert detail.count_label.text().replace("\u202f", "").startswith(str(campaign.deliveries))
    chart = detail.chart
    assert sum(d.count for d in chart.days) == campaign.deliveries
    bars = chart.bar_rects()
    assert len(bars) == len(chart.days)
    tallest = max(range(len(chart.days)), key=lambda n: chart.days[n].count)
    assert all(bars[tallest].height() >= bar.height() for bar in bars)
    assert all((bar.height() > 0) == (day.count > 0) for bar, day in zip(bars, chart.days, strict=True))
    hovered = chart.day_at(bars[tallest].center().x(), bars[tallest].center().y())
    assert hovered == chart.days[tallest]
    detail.grab().save(str(SHOTS / "campaign_detail.png"))

    target = tmp_path / "destinataires.csv"
    with qtbot.waitSignal(detail.exported, timeout=WAIT_MS):
        detail.export_csv(target)
    lines = list(csv.reader(io.StringIO(target.read_text("utf-8-sig")), delimiter=CSV_DELIMITER))
    assert len(lines) == campaign.deliveries + 1
    matricule = next(i for i, h in enumerate(lines[0]) if "atricule" in h)
    assert {line[matricule] for line in lines[1:]} == {r.matricule for r in detail.model.rows}

    # A range with no delivery: an empty table and the chart's empty state.
    detail.to_edit.setDate(detail.from_edit.date().addDays(-1))
    detail.from_edit.setDate(detail.from_edit.date().addDays(-30))
    qtbot.waitUntil(lambda: detail.model.total == 0 and chart.empty, timeout=WAIT_MS)
    detail.close()


def test_the_page_offers_only_tabs_of_the_three_states(qtbot: QtBot, window: MainWindow) -> None:
    page = open_campaigns(qtbot, window)
    assert [page.tabs.tabText(n).split(" (")[0] for n in range(page.tabs.count())] == [
        "En cours",
        "Archivées",
        "Sauvegardées",
    ]
    assert TAB_STATES == (CampaignState.ACTIVE, CampaignState.CLOSED, CampaignState.DRAFT)
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("brand"))
    qtbot.waitUntil(lambda: (s := page.scope()) is not None and s.kind == "brand", timeout=WAIT_MS)
    refreshed(qtbot, page)
    assert page.synthesis is not None


def test_create_duplicate_and_edit_open_the_wizard_on_the_right_campaign(
    qtbot: QtBot, window: MainWindow, qt_event_loop: asyncio.AbstractEventLoop, pdf: Path
) -> None:
    from coffreo_desktop.gui.campaign_wizard import CampaignWizard

    page = open_campaigns(qtbot, window)
    scope = page.scope()
    assert scope is not None
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: isinstance(page.wizard, CampaignWizard) and page.wizard.isVisible(), timeout=WAIT_MS
    )
    assert isinstance(page.wizard, CampaignWizard)
    page.wizard.reject()

    async def make_draft() -> Campaign:
        return await page.api.create(scope, {"name": "Brouillon à reprendre", "on_payslips": True})

    draft = server_call(qt_event_loop, qtbot, make_draft())
    assert isinstance(draft, Campaign)
    refreshed(qtbot, page)
    assert page.select_campaign(draft.id) and page.current_state() is CampaignState.DRAFT
    assert page.edit_button.isEnabled() and not page.close_button.isEnabled()
    first = page.wizard
    qtbot.mouseClick(page.duplicate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.wizard is not first and page.wizard is not None, timeout=WAIT_MS)
    assert isinstance(page.wizard, CampaignWizard)
    page.wizard.reject()
