"""The export dialog (F2.8) against the real embedded demo backend: pre-filled filters, CSV and ZIP exports to
a chosen file with progress to 100 %, cancel leaving nothing, one export per double click, the e-mail link."""

from __future__ import annotations

import asyncio
import codecs
import csv
import io
import zipfile
from collections.abc import Coroutine, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.credentials import CredentialStore
from coffreo_desktop.client.documents import DocumentsApi, SearchParams
from coffreo_desktop.client.export import ExportResult
from coffreo_desktop.client.session import Session
from coffreo_desktop.domain.documents import DocumentType, InvoiceState
from coffreo_desktop.domain.exports import ZIP_CSV_NAME, csv_header
from coffreo_desktop.domain.periods import Period
from coffreo_desktop.embedded import EmbeddedServer
from coffreo_desktop.gui import tasks
from coffreo_desktop.gui.export_dialog import ExportDialog
from tests.gui.helpers import WAIT_MS

ADMIN = "admin@demo.coffreo.fr"
T = TypeVar("T")


def wait_for(qtbot: QtBot, coroutine: Coroutine[Any, Any, T]) -> T:
    future = asyncio.ensure_future(coroutine)
    qtbot.waitUntil(future.done, timeout=WAIT_MS)
    return future.result()


@pytest.fixture
def session(qtbot: QtBot, demo_server: EmbeddedServer, demo_passwords: dict[str, str]) -> Iterator[Session]:
    assert demo_server.base_url is not None
    api = ApiClient(demo_server.base_url, timeout=30)
    wait_for(qtbot, api.login(ADMIN, demo_passwords[ADMIN]))
    session = Session(api, CredentialStore(), server_url=demo_server.base_url)
    session.me = wait_for(qtbot, api.me())
    yield session
    wait_for(qtbot, api.aclose())


def make_dialog(qtbot: QtBot, session: Session, params: SearchParams | None = None) -> ExportDialog:
    assert session.me is not None
    dialog = ExportDialog(session, session.me, params or SearchParams())
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def tick_only(dialog: ExportDialog, agency_ids: list[int]) -> None:
    dialog.ui.allAgenciesCheck.setChecked(False)
    for item in dialog.agency_model.agency_items():
        checked = item.data(Qt.ItemDataRole.UserRole + 1) in agency_ids
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


def csv_lines(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def total_of(qtbot: QtBot, session: Session, params: SearchParams) -> int:
    return wait_for(qtbot, DocumentsApi(session.api).count(params))


def test_agencies_are_grouped_under_their_company_whose_box_ticks_or_clears_them(
    qtbot: QtBot, session: Session
) -> None:
    assert session.me is not None
    dialog = make_dialog(qtbot, session)
    companies = dialog.agency_model.company_items()
    by_company: dict[str, set[int]] = {}
    for agency in session.me.agencies:
        by_company.setdefault(agency.company_name, set()).add(agency.id)
    # One entity: its companies by name, accents set aside.
    assert [c.text() for c in companies] == ["Alto Intérim Île-de-France SAS", "Alto Intérim Rhône-Alpes SAS"]
    for company in companies:
        children = {company.child(r).data(Qt.ItemDataRole.UserRole + 1) for r in range(company.rowCount())}
        assert children == by_company[company.text()] and len(children) == 3
    paris, rhone = companies
    paris_ids, rhone_ids = by_company[paris.text()], by_company[rhone.text()]
    assert all(c.checkState() == Qt.CheckState.Checked for c in companies)

    rhone.setCheckState(Qt.CheckState.Unchecked)  # a company cleared: all its agencies
    assert set(dialog.agency_ids()) == paris_ids
    assert not dialog.ui.allAgenciesCheck.isChecked()
    rhone.child(1).setCheckState(Qt.CheckState.Checked)  # one agency of it: the company partly ticked
    assert rhone.checkState() == Qt.CheckState.PartiallyChecked
    assert set(dialog.agency_ids()) == paris_ids | {rhone.child(1).data(Qt.ItemDataRole.UserRole + 1)}
    rhone.setCheckState(Qt.CheckState.Checked)  # ticked: every agency of it
    assert set(dialog.agency_ids()) == paris_ids | rhone_ids and dialog.ui.allAgenciesCheck.isChecked()
    for row in range(paris.rowCount()):  # its agencies one by one: the company follows
        paris.child(row).setCheckState(Qt.CheckState.Unchecked)
        expected = Qt.CheckState.Unchecked if row == paris.rowCount() - 1 else Qt.CheckState.PartiallyChecked
        assert paris.checkState() == expected
    assert set(dialog.agency_ids()) == rhone_ids

    # A click on a partly ticked company ticks all of it (the box, as the user clicks it).
    paris.child(0).setCheckState(Qt.CheckState.Checked)
    view = dialog.ui.agencyList
    dialog.show()
    qtbot.waitExposed(dialog)
    index = dialog.agency_model.indexFromItem(paris)
    rect = view.visualRect(index)
    box = rect.adjusted(0, 0, -(rect.width() - rect.height()), 0).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=box)
    assert paris.checkState() == Qt.CheckState.Checked
    assert set(dialog.agency_ids()) == paris_ids | rhone_ids


def test_an_entity_search_prefills_its_agencies(qtbot: QtBot, session: Session) -> None:
    assert session.me is not None
    brand = session.me.agencies[0].brand_id
    some = frozenset(a.id for a in session.me.agencies[:2])
    dialog = make_dialog(qtbot, session, SearchParams(brand_id=brand, brand_agencies=some))
    assert set(dialog.agency_ids()) == some
    assert dialog.search_params().brand_id is None  # the ticked agencies are the scope
    payload = dialog.email_payload()
    assert set(payload["agency_ids"]) == some and "brand_id" not in payload


def test_dialog_is_prefilled_with_the_current_search(qtbot: QtBot, session: Session) -> None:
    assert session.me is not None
    agency = session.me.agencies[1]
    params = SearchParams(
        agency_id=agency.id,
        types=(DocumentType.INVOICE,),
        signed=None,
        period=Period.MONTHS_6,
        criterion="client",
        value="Boulangerie",
        invoice_state=InvoiceState.DOWNLOADED,
    )
    dialog = make_dialog(qtbot, session, params)
    assert dialog.agency_ids() == [agency.id]
    assert dialog.ui.typeCombo.currentText() == "Facture"
    assert dialog.ui.periodCombo.currentText() == "6 mois"
    assert dialog.ui.invoiceCombo.currentText() == "téléchargée"
    assert dialog.ui.criterionCombo.currentData() == "client"
    assert dialog.ui.valueEdit.text() == "Boulangerie"
    chosen = dialog.search_params()
    assert chosen == SearchParams(
        types=(DocumentType.INVOICE,),
        period=Period.MONTHS_6,
        criterion="client",
        value="Boulangerie",
        invoice_state=InvoiceState.DOWNLOADED,
    )
    # By default: every agency, "tous" (no period cap), a CSV named after today.
    plain = make_dialog(qtbot, session)
    assert sorted(plain.agency_ids()) == sorted(a.id for a in session.me.agencies)
    assert plain.ui.allAgenciesCheck.isChecked()
    plain.agency_model.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert not plain.ui.allAgenciesCheck.isChecked()  # follows the list
    plain.ui.allAgenciesCheck.setChecked(True)
    assert len(plain.agency_ids()) == len(session.me.agencies)
    assert plain.ui.periodCombo.currentText() == "tous" and plain.search_params().period is Period.ALL
    target = plain.target()
    assert target is not None and target.name == f"export-documents-{date.today().isoformat()}.csv"
    plain.ui.pdfCheck.setChecked(True)
    assert plain.target() == target.with_suffix(".zip")
    plain.ui.pdfCheck.setChecked(False)
    assert plain.target() == target


def test_csv_export_of_two_agencies_reaches_100_percent(
    qtbot: QtBot, session: Session, tmp_path: Path
) -> None:
    assert session.me is not None
    agencies = [session.me.agencies[0].id, session.me.agencies[2].id]
    expected = sum(total_of(qtbot, session, SearchParams(agency_id=a)) for a in agencies)
    dialog = make_dialog(qtbot, session)
    tick_only(dialog, agencies)
    target = tmp_path / "deux-agences.csv"
    dialog.set_target(target)
    progress: list[tuple[int, object, int]] = []
    dialog.progress_changed.connect(lambda *args: progress.append(args))
    with qtbot.waitSignal(dialog.finished_export, timeout=WAIT_MS) as finished:
        qtbot.mouseClick(dialog.ui.exportButton, Qt.MouseButton.LeftButton)
        assert not dialog.ui.exportButton.isEnabled()
        assert dialog.ui.cancelButton.text() == "Annuler"
    result = finished.args[0]
    assert isinstance(result, ExportResult)
    assert result.rows == expected > 0
    lines = csv_lines(target.read_bytes())
    assert lines[0] == csv_header() and len(lines) == expected + 1
    assert len({line[1] for line in lines[1:]}) == 2  # both agencies' names
    assert progress and progress[-1][0] == expected and progress[-1][1] == expected
    assert dialog.ui.progressBar.value() == dialog.ui.progressBar.maximum() > 0  # 100 %
    assert "Export terminé" in dialog.ui.summaryLabel.text()
    assert dialog.ui.openFolderButton.isVisible()
    assert dialog.ui.exportButton.isEnabled() and dialog.ui.cancelButton.text() == "Fermer"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deux-agences.csv"]


def test_zip_export_holds_the_pdfs(qtbot: QtBot, session: Session, tmp_path: Path) -> None:
    assert session.me is not None
    agency = session.me.agencies[0].id
    dialog = make_dialog(qtbot, session, SearchParams(agency_id=agency, types=(DocumentType.PAYSLIP,)))
    dialog.ui.pdfCheck.setChecked(True)
    dialog.set_target(tmp_path / "paie.zip")
    with qtbot.waitSignal(dialog.finished_export, timeout=WAIT_MS * 3) as finished:
        qtbot.mouseClick(dialog.ui.exportButton, Qt.MouseButton.LeftButton)
    result: ExportResult = finished.args[0]
    assert result.pdfs == result.rows > 0 and not result.skipped
    with zipfile.ZipFile(tmp_path / "paie.zip") as archive:
        names = archive.namelist()
        assert ZIP_CSV_NAME in names and len(names) == result.pdfs + 1
        first_pdf = next(n for n in names if n.endswith(".pdf"))
        assert archive.read(first_pdf).startswith(b"%PDF")
    assert "PDF" in dialog.ui.summaryLabel.text()


def test_double_click_on_export_starts_one_export(qtbot: QtBot, session: Session, tmp_path: Path) -> None:
    assert session.me is not None
    dialog = make_dialog(qtbot, session, SearchParams(agency_id=session.me.agencies[0].id))
    dialog.set_target(tmp_path / "une-fois.csv")
    finished: list[object] = []
    dialog.finished_export.connect(finished.append)
    started = tasks.running_tasks()
    qtbot.mouseClick(dialog.ui.exportButton, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.ui.exportButton, Qt.MouseButton.LeftButton)  # the double click's second one
    first = dialog.task
    assert first is not None
    dialog.start_export()  # Enter on the default button, say, while it runs
    assert dialog.task is first and tasks.running_tasks() <= started + 1
    qtbot.waitUntil(lambda: bool(finished), timeout=WAIT_MS)
    qtbot.wait(300)
    assert len(finished) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["une-fois.csv"]


def test_cancel_stops_the_export_and_leaves_nothing(qtbot: QtBot, session: Session, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, session)  # every agency, with the PDFs: long enough to cancel midway
    dialog.ui.pdfCheck.setChecked(True)
    dialog.set_target(tmp_path / "tout.zip")
    progress: list[tuple[int, object, int]] = []
    dialog.progress_changed.connect(lambda *args: progress.append(args))
    finished: list[object] = []
    dialog.finished_export.connect(finished.append)
    qtbot.mouseClick(dialog.ui.exportButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(progress) and progress[-1][0] > 0, timeout=WAIT_MS)
    qtbot.mouseClick(dialog.ui.cancelButton, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # "Annuler" stops the export; it does not close the dialog yet
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    total = progress[-1][1]
    assert not finished and isinstance(total, int) and progress[-1][0] < total
    assert "annulé" in dialog.ui.summaryLabel.text()
    assert list(tmp_path.iterdir()) == []
    assert dialog.ui.exportButton.isEnabled() and dialog.ui.cancelButton.text() == "Fermer"
    qtbot.mouseClick(dialog.ui.cancelButton, Qt.MouseButton.LeftButton)  # idle: closes
    assert not dialog.isVisible()


def test_unwritable_target_says_so_in_french(qtbot: QtBot, session: Session, tmp_path: Path) -> None:
    assert session.me is not None
    dialog = make_dialog(qtbot, session, SearchParams(agency_id=session.me.agencies[0].id))
    dialog.set_target(tmp_path / "dossier-absent" / "export.csv")
    qtbot.mouseClick(dialog.ui.exportButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    assert "n'existe plus" in dialog.ui.summaryLabel.text()
    assert dialog.ui.summaryLabel.property("role") == "error"
    assert dialog.ui.exportButton.isEnabled()


def test_no_agency_ticked_is_refused_before_anything_starts(qtbot: QtBot, session: Session) -> None:
    dialog = make_dialog(qtbot, session)
    dialog.ui.allAgenciesCheck.setChecked(False)
    qtbot.mouseClick(dialog.ui.exportButton, Qt.MouseButton.LeftButton)
    assert dialog.task is None
    assert dialog.ui.summaryLabel.text() == "Cochez au moins une agence."


def _my_jobs(qtbot: QtBot, session: Session) -> list[dict[str, Any]]:
    jobs: list[dict[str, Any]] = wait_for(qtbot, session.api.request("GET", "/exports")).json()
    return jobs


def test_email_link_asks_the_server_for_an_export_job(qtbot: QtBot, session: Session) -> None:
    assert session.me is not None
    agency = session.me.agencies[0].id
    dialog = make_dialog(qtbot, session, SearchParams(agency_id=agency, period=Period.YEAR_1))
    dialog.ui.pdfCheck.setChecked(True)
    payload = dialog.email_payload()
    assert payload["agency_ids"] == [agency] and payload["include_pdfs"] is True
    assert payload["period"] == "1y" and "agency_id" not in payload
    jobs: list[dict[str, Any]] = []
    dialog.email_job_created.connect(jobs.append)
    before = max((job["id"] for job in _my_jobs(qtbot, session)), default=0)
    qtbot.mouseClick(dialog.ui.emailButton, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.ui.emailButton, Qt.MouseButton.LeftButton)
    dialog.request_email()
    qtbot.waitUntil(lambda: bool(jobs), timeout=WAIT_MS)
    qtbot.wait(300)
    assert len(jobs) == 1 and jobs[0].get("id") is not None and jobs[0].get("state")
    assert dialog.ui.summaryLabel.text() == (
        "Vous recevrez un e-mail avec le lien de téléchargement dès que l'export sera prêt."
    )
    # The server holds that one job (not one per click), with the dialog's choices.
    created = [job for job in _my_jobs(qtbot, session) if job["id"] > before]
    assert [job["id"] for job in created] == [jobs[0]["id"]]
    assert created[0]["agency_ids"] == [agency] and created[0]["include_pdfs"] is True
    assert created[0]["filters"].get("period") == "1y"
