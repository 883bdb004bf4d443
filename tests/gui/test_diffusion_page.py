"""'Diffusion libre' driven like a user on the real embedded demo backend: files and folders dropped with
real QDropEvents (on the page and on the main window), checked and matched by matricule, grouped; types
per right, a type applied to a selection, renaming, removing with undo, and the review."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.diffusion import DiffusionApi, Recipient
from coffreo_desktop.client.diffusion_plan import RowStatus
from coffreo_desktop.client.settings import DEFAULT_MATRICULE_PATTERN, Settings
from coffreo_desktop.domain.documents import Protection
from coffreo_desktop.domain.services import Feature
from coffreo_desktop.gui import theme
from coffreo_desktop.gui.diffusion_delegates import TitleEditor
from coffreo_desktop.gui.diffusion_model import GROUPS, TITLE_COLUMN, TYPE_COLUMN
from coffreo_desktop.gui.flow import AppFlow
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.pages.diffusion import DiffusionPage
from tests.gui.helpers import WAIT_MS, drop, log_in, make_pdf, server_call

DIFFUSER = "diffusion@demo.coffreo.fr"  # DL, DLP, DLS on Paris 11e and Nanterre
RESTRICTED = "restreint@demo.coffreo.fr"  # DL only, on Paris 11e
NIR_NAME = "1850775123456_bulletin.pdf"
UNKNOWN = "88888888_bulletin.pdf"  # 8 digits: demo matricules have 6, created ones 7
FIRST_NAMES = ("Alice", "Bruno", "Chloé", "David", "Emma", "Fabien")


def open_page(qtbot: QtBot, window: MainWindow, agency_code: str = "PAR11") -> DiffusionPage:
    window.open_feature(Feature.DIFFUSION_LIBRE)
    page = window.current_page()
    assert isinstance(page, DiffusionPage)
    agency = next(a for a in page.issuers if a.code == agency_code)
    page.set_issuer(agency.id)
    return page


def wait_idle(qtbot: QtBot, page: DiffusionPage) -> None:
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)


def counts(page: DiffusionPage) -> tuple[int, int, int]:
    ready, unmatched, refused = (page.model.count(status) for status in GROUPS)
    return ready, unmatched, refused


def recipients(loop: asyncio.AbstractEventLoop, qtbot: QtBot, page: DiffusionPage) -> list[Recipient]:
    """Six recipients of the issuer: the small demo's employees, completed once with created ones."""
    issuer = page.issuer()
    assert issuer is not None
    api = DiffusionApi(page.context.session.api)
    found = server_call(loop, qtbot, api.search_recipients(issuer.id, ""))
    assert isinstance(found, list)
    for n, first_name in enumerate(FIRST_NAMES[: max(0, 6 - len(found))]):
        fields = {
            "civility": "Mme",
            "first_name": first_name,
            "last_name": "Essai",
            "matricule": f"71{issuer.id:03d}{n:02d}",
            "email": f"{first_name.lower()}.essai{issuer.id}@example.org",
            "phone": "01 02 03 04 05",
            "birth_date": "1990-05-17",
            "address": "1 rue de la Paix, 75002 Paris",
        }
        found.append(server_call(loop, qtbot, api.create_recipient(issuer.id, fields)))
    return found[:6]


def login(qtbot: QtBot, flow: AppFlow, email: str, password: str) -> MainWindow:
    window = log_in(qtbot, flow, email, password)
    window.resize(1400, 860)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]) -> MainWindow:
    return login(qtbot, make_flow(), DIFFUSER, demo_passwords[DIFFUSER])


@pytest.fixture
def batch_folder(tmp_path: Path) -> Callable[[list[Recipient]], list[Path]]:
    def make(people: list[Recipient]) -> list[Path]:
        return [
            make_pdf(tmp_path / f"{people[0].matricule}_bulletin.pdf"),
            make_pdf(tmp_path / "lot" / f"{people[1].matricule}_contrat.pdf"),
            make_pdf(tmp_path / "lot" / "sous-dossier" / f"attestation_{people[2].matricule}.pdf"),
            make_pdf(tmp_path / "lot" / UNKNOWN),
            make_pdf(tmp_path / NIR_NAME),
        ]

    return make


def test_dropped_files_and_folders_are_checked_matched_and_grouped(
    qtbot: QtBot,
    window: MainWindow,
    qt_event_loop: asyncio.AbstractEventLoop,
    batch_folder: Callable[[list[Recipient]], list[Path]],
    tmp_path: Path,
) -> None:
    page = open_page(qtbot, window)
    assert page.ui.stack.currentWidget() is page.ui.drop_zone
    people = recipients(qt_event_loop, qtbot, page)
    files = batch_folder(people)
    note = tmp_path / "lot" / "lisez-moi.txt"
    note.write_text("pas un PDF")

    assert drop(page, [files[0], tmp_path / "lot", files[4]])
    wait_idle(qtbot, page)
    assert counts(page) == (3, 1, 2)
    assert page.ui.stack.currentWidget() is page.ui.table
    ready = {row.file_name: row for row in page.model.groups[RowStatus.READY]}
    for person, path in zip(people[:3], files[:3], strict=True):
        row = ready[path.name]
        assert row.recipient == person and row.protection is Protection.SIMPLE
        assert row.title == path.stem and row.check.pages == 1
    unmatched = page.model.groups[RowStatus.UNMATCHED][0]
    assert unmatched.file_name == UNKNOWN and unmatched.recipient is None
    refused = {row.file_name: row.check.refusal or "" for row in page.model.groups[RowStatus.REFUSED]}
    assert "n'est pas un PDF" in refused["lisez-moi.txt"]
    assert "sécurité sociale" in refused[NIR_NAME] and "1850775123456" not in refused[NIR_NAME]
    group = page.model.group_index(RowStatus.READY)
    assert group.data() == "Prêts à envoyer (3)"
    assert "3 documents prêts" in page.ui.summary_label.text()

    # The same paths again are ignored; a recipient chosen takes the file without a known matricule.
    assert drop(page, [files[0], tmp_path / "lot"])
    wait_idle(qtbot, page)
    assert counts(page) == (3, 1, 2)
    page.add_chosen(people[3])
    page.add_chosen(people[4])
    assert counts(page) == (5, 0, 2)
    assert [chip.text().split("  ")[0] for chip in page.ui.chips.chips()] == [
        people[3].label,
        people[4].label,
    ]
    assert page.model.group_index(RowStatus.UNMATCHED).data() == "Sans destinataire (0)"
    qtbot.mouseClick(page.ui.chips.chips()[0], Qt.MouseButton.LeftButton)
    assert counts(page) == (4, 0, 2)


def test_files_dropped_on_the_main_window_open_the_page(
    qtbot: QtBot,
    window: MainWindow,
    qt_event_loop: asyncio.AbstractEventLoop,
    batch_folder: Callable[[list[Recipient]], list[Path]],
) -> None:
    page = open_page(qtbot, window)
    files = batch_folder(recipients(qt_event_loop, qtbot, page))
    window.open_feature(None)
    assert window.current_page() is not page
    assert drop(window, files[:2])
    assert window.current_page() is page
    wait_idle(qtbot, page)
    assert counts(page) == (2, 0, 0)


def type_editor(qtbot: QtBot, page: DiffusionPage, status: RowStatus = RowStatus.READY) -> QComboBox:
    index = page.model.index_of(page.model.groups[status][0].key, TYPE_COLUMN)
    page.ui.table.setCurrentIndex(index)
    page.ui.table.edit(index)
    editor = page.ui.table.indexWidget(index)
    assert isinstance(editor, QComboBox)
    return editor


def test_types_without_the_right_are_disabled_with_the_reason(
    qtbot: QtBot,
    make_flow: Callable[..., AppFlow],
    demo_passwords: dict[str, str],
    qt_event_loop: asyncio.AbstractEventLoop,
    batch_folder: Callable[[list[Recipient]], list[Path]],
) -> None:
    window = login(qtbot, make_flow(), RESTRICTED, demo_passwords[RESTRICTED])
    page = open_page(qtbot, window)
    assert [a.code for a in page.issuers] == ["PAR11"]
    page.add_paths(batch_folder(recipients(qt_event_loop, qtbot, page))[:2])
    wait_idle(qtbot, page)
    editor = type_editor(qtbot, page)
    items = editor.model()
    assert isinstance(items, QStandardItemModel)
    enabled = {editor.itemText(i): items.item(i).isEnabled() for i in range(editor.count())}
    assert enabled == {"Document simple": True, "Document protégé": False, "Document à signer": False}
    assert items.item(1).toolTip() == "Droit DLP requis sur cette agence"
    assert items.item(2).toolTip() == "Droit DLS requis sur cette agence"
    choice = page.ui.type_choice.model()
    assert isinstance(choice, QStandardItemModel) and not choice.item(1).isEnabled()

    page.ui.table.selectAll()
    assert page.apply_type_to_selection(Protection.PROTECTED) == 0
    assert page.ui.message_label.text() == "Droit DLP requis sur cette agence"
    assert {row.protection for row in page.model.all_rows()} == {Protection.SIMPLE}


def test_a_type_applies_to_the_selection_in_one_click(
    qtbot: QtBot,
    window: MainWindow,
    qt_event_loop: asyncio.AbstractEventLoop,
    batch_folder: Callable[[list[Recipient]], list[Path]],
) -> None:
    page = open_page(qtbot, window)
    page.add_paths(batch_folder(recipients(qt_event_loop, qtbot, page)))
    wait_idle(qtbot, page)
    ready = page.model.groups[RowStatus.READY]
    page.select_rows(ready[:2])
    page.ui.type_choice.setCurrentIndex(page.ui.type_choice.findData(Protection.TO_SIGN.value))
    qtbot.mouseClick(page.ui.apply_type_button, Qt.MouseButton.LeftButton)
    types = [row.protection for row in page.model.groups[RowStatus.READY]]
    assert types == [Protection.TO_SIGN, Protection.TO_SIGN, Protection.SIMPLE]
    assert page.model.index_of(ready[0].key, TYPE_COLUMN).data() == "Document à signer"
    assert len(page.selected_rows()) == 2  # the selection stays for the next change

    editor = type_editor(qtbot, page)
    editor.setCurrentIndex(editor.findData(Protection.PROTECTED.value))
    editor.activated.emit(editor.currentIndex())
    assert page.model.groups[RowStatus.READY][0].protection is Protection.PROTECTED


def test_renaming_refuses_an_empty_title_or_a_nir_and_keeps_a_good_one(
    qtbot: QtBot,
    window: MainWindow,
    qt_event_loop: asyncio.AbstractEventLoop,
    batch_folder: Callable[[list[Recipient]], list[Path]],
) -> None:
    page = open_page(qtbot, window)
    page.add_paths(batch_folder(recipients(qt_event_loop, qtbot, page))[:1])
    wait_idle(qtbot, page)
    row = page.model.groups[RowStatus.READY][0]
    index = page.model.index_of(row.key, TITLE_COLUMN)
    page.edit_title(index)
    editor = page.ui.table.indexWidget(index)
    assert isinstance(editor, TitleEditor)
    assert editor.edit.text() == row.title

    editor.edit.clear()
    qtbot.mouseClick(editor.button, Qt.MouseButton.LeftButton)
    assert editor.problem == "Le titre ne peut pas être vide."
    assert page.ui.message_label.text() == "Le titre ne peut pas être vide."
    assert page.ui.table.indexWidget(index) is editor  # still open to fix it

    qtbot.keyClicks(editor.edit, "Bulletin 2 85 07 75 123 456")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    assert editor.problem is not None and "sécurité sociale" in editor.problem
    assert page.model.groups[RowStatus.READY][0].title == row.title

    editor.edit.setText("Bulletin de mars")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.ui.table.indexWidget(index) is None, timeout=WAIT_MS)
    assert page.model.groups[RowStatus.READY][0].title == "Bulletin de mars"
    assert index.data() == "Bulletin de mars"

    page.edit_title(index)
    editor = page.ui.table.indexWidget(index)
    assert isinstance(editor, TitleEditor)
    editor.edit.setText("Autre titre")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.ui.table.indexWidget(index) is None, timeout=WAIT_MS)
    assert page.model.groups[RowStatus.READY][0].title == "Bulletin de mars"


def test_removed_rows_come_back_with_annuler_and_ctrl_z(
    qtbot: QtBot,
    window: MainWindow,
    qt_event_loop: asyncio.AbstractEventLoop,
    batch_folder: Callable[[list[Recipient]], list[Path]],
) -> None:
    page = open_page(qtbot, window)
    page.add_paths(batch_folder(recipients(qt_event_loop, qtbot, page)))
    wait_idle(qtbot, page)
    before = counts(page)
    page.select_rows(page.model.groups[RowStatus.READY][:2] + page.model.groups[RowStatus.REFUSED][:1])
    window.activateWindow()
    page.ui.table.setFocus()
    qtbot.waitUntil(page.ui.table.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(page.ui.table, Qt.Key.Key_Delete)
    assert counts(page) == (before[0] - 2, before[1], before[2] - 1)
    assert page.ui.message_label.text() == "3 lignes retirées."
    assert page.ui.undo_button.isVisible()
    qtbot.mouseClick(page.ui.undo_button, Qt.MouseButton.LeftButton)
    assert counts(page) == before

    page.select_rows(page.model.groups[RowStatus.UNMATCHED])
    assert page.remove_selection() == 1
    qtbot.keyClick(page.ui.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert counts(page) == before


def test_an_unmatched_file_is_assigned_then_reviewed_and_sent_rows_leave(
    qtbot: QtBot,
    window: MainWindow,
    qt_event_loop: asyncio.AbstractEventLoop,
    batch_folder: Callable[[list[Recipient]], list[Path]],
) -> None:
    from coffreo_desktop.gui.diffusion_review import ReviewDialog

    page = open_page(qtbot, window)
    people = recipients(qt_event_loop, qtbot, page)
    page.add_paths(batch_folder(people))
    wait_idle(qtbot, page)
    page.select_rows(page.model.groups[RowStatus.UNMATCHED])
    assert page.assign_recipient(people[5]) == 1
    assert counts(page) == (4, 0, 1)

    page.review()
    dialog = page.review_dialog
    assert isinstance(dialog, ReviewDialog)
    assert dialog.summary.documents == 4 and dialog.summary.recipients == 4
    assert dialog.summary.per_type == {Protection.SIMPLE: 4} and dialog.summary.refused == 1
    dialog.reject()

    items = [row.send_item() for row in page.ready_rows()]
    assert len({item.key for item in items}) == 4
    assert {item.recipient_id for item in items} == {p.id for p in people[:3]} | {people[5].id}
    page.on_sent({items[0].key, items[1].key})
    assert counts(page) == (2, 0, 1)
    assert not page.batch.undo()  # a sent document never comes back


def test_a_large_batch_renders_grouped_with_twenty_rows_per_group(
    qtbot: QtBot,
    window: MainWindow,
    qt_event_loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    qapp: QApplication,
) -> None:
    page = open_page(qtbot, window)
    people = recipients(qt_event_loop, qtbot, page)
    folder = tmp_path / "paie"
    for n, person in enumerate(people):
        make_pdf(folder / f"{person.matricule}_bulletin_2026-0{n + 1}.pdf")
    heavy = make_pdf(folder / f"{people[0].matricule}_contrat_signe.pdf")
    heavy.write_bytes(heavy.read_bytes() + b"%" + b"x" * 600_000 + b"\n")  # > 500 Ko: a warning
    for n in range(34):
        make_pdf(folder / "a_trier" / f"releve_{n:02d}.pdf")
    for n in range(8):
        (folder / "divers" / f"note_{n}.txt").parent.mkdir(parents=True, exist_ok=True)
        (folder / "divers" / f"note_{n}.txt").write_text("note")
        (folder / "divers" / f"vide_{n}.pdf").write_bytes(b"")
        (folder / "divers" / f"tronque_{n}.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<<")
    make_pdf(folder / "divers" / NIR_NAME)
    make_pdf(folder / "divers" / "copie.pdf").write_bytes((folder / "a_trier" / "releve_00.pdf").read_bytes())

    shots = Path(os.environ.get("COFFREO_SHOTS") or tmp_path)
    window.resize(1280, 860)
    installed = theme.install(qapp, Qt.ColorScheme.Light)
    try:
        qtbot.wait(50)
        assert window.grab().save(str(shots / "diffusion_page_empty.png"))
        assert drop(page, [folder])
        wait_idle(qtbot, page)
        assert counts(page) == (7, 34, 26)
        unmatched = page.model.groups[RowStatus.UNMATCHED]
        for n, row in enumerate(unmatched[:13]):
            page.assign_recipient(people[n % len(people)], [row])
        assert counts(page) == (20, 21, 26)
        refusals = {row.check.refusal for row in page.model.groups[RowStatus.REFUSED]}
        assert any("même contenu" in (r or "") for r in refusals)
        assert any(row.warnings for row in page.model.groups[RowStatus.READY])
        for scheme in (Qt.ColorScheme.Light, Qt.ColorScheme.Dark):
            installed.force(scheme)
            qtbot.wait(50)
            page.ui.table.scrollToTop()
            shot = shots / f"diffusion_page_{scheme.name.lower()}.png"
            assert window.grab().save(str(shot)) and shot.stat().st_size > 0
            page.ui.table.scrollToBottom()
            shot = shots / f"diffusion_page_{scheme.name.lower()}_bottom.png"
            assert window.grab().save(str(shot)) and shot.stat().st_size > 0
        installed.force(Qt.ColorScheme.Light)
    finally:
        qapp.setStyleSheet("")
        theme._current = None


def test_another_issuer_matches_the_files_again_and_forgets_the_chosen_recipients(
    qtbot: QtBot,
    window: MainWindow,
    qt_event_loop: asyncio.AbstractEventLoop,
    batch_folder: Callable[[list[Recipient]], list[Path]],
) -> None:
    page = open_page(qtbot, window)
    people = recipients(qt_event_loop, qtbot, page)
    page.add_paths(batch_folder(people))
    wait_idle(qtbot, page)
    page.add_chosen(people[3])
    assert counts(page) == (4, 0, 1)

    nanterre = next(a for a in page.issuers if a.code == "NAN")
    page.set_agency(nanterre.id)  # the window's agency selector
    assert page.issuer() == nanterre and page.ui.picker.agency_id == nanterre.id
    assert page.batch.chosen == [] and page.ui.chips.chips() == []
    wait_idle(qtbot, page)
    others = {p.matricule for p in recipients(qt_event_loop, qtbot, page)}
    expected_ready = sum(1 for p in people[:3] if p.matricule in others)
    assert counts(page) == (expected_ready, 4 - expected_ready, 1)


def test_a_double_click_on_a_ready_row_previews_the_pdf(
    qtbot: QtBot,
    window: MainWindow,
    qt_event_loop: asyncio.AbstractEventLoop,
    batch_folder: Callable[[list[Recipient]], list[Path]],
) -> None:
    from coffreo_desktop.gui.viewer import ViewerWindow

    page = open_page(qtbot, window)
    page.add_paths(batch_folder(recipients(qt_event_loop, qtbot, page))[:1])
    wait_idle(qtbot, page)
    row = page.model.groups[RowStatus.READY][0]
    index = page.model.index_of(row.key)
    table = page.ui.table
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(
        lambda: isinstance(page.viewer, ViewerWindow) and page.viewer.isVisible(), timeout=WAIT_MS
    )
    assert isinstance(page.viewer, ViewerWindow)
    assert row.title in page.viewer.windowTitle()
    assert page.viewer.viewer.document.pageCount() == 1
    page.viewer.close()


def test_dropped_files_are_reviewed_sent_and_leave_the_table(
    qtbot: QtBot,
    window: MainWindow,
    qt_event_loop: asyncio.AbstractEventLoop,
    batch_folder: Callable[[list[Recipient]], list[Path]],
) -> None:
    from coffreo_desktop.client.documents import DocumentsApi, SearchParams
    from coffreo_desktop.gui.diffusion_review import ReviewDialog

    page = open_page(qtbot, window)
    files = batch_folder(recipients(qt_event_loop, qtbot, page))
    assert drop(page, files)
    wait_idle(qtbot, page)
    assert counts(page) == (3, 1, 1)
    page.select_rows(page.model.groups[RowStatus.READY][:1])
    assert page.apply_type_to_selection(Protection.PROTECTED) == 1
    row = page.model.groups[RowStatus.READY][1]
    assert page.batch.set_title(row.key, f"Bulletin envoyé {row.check.sha256[:8]}") is None

    qtbot.mouseClick(page.ui.review_button, Qt.MouseButton.LeftButton)
    dialog = page.review_dialog
    assert isinstance(dialog, ReviewDialog)
    assert dialog.summary.per_type == {Protection.SIMPLE: 2, Protection.PROTECTED: 1}
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: counts(page) == (0, 1, 1), timeout=60_000)

    documents = DocumentsApi(page.context.session.api)
    params = SearchParams(criterion="title", value=f"Bulletin envoyé {row.check.sha256[:8]}")
    found = server_call(qt_event_loop, qtbot, documents.search(params))
    assert [d.title for d in found.items] == [f"Bulletin envoyé {row.check.sha256[:8]}"]  # type: ignore[attr-defined]


def test_ctrl_o_adds_the_chosen_files_and_the_assign_dialog_gives_them_a_recipient(
    qtbot: QtBot,
    window: MainWindow,
    qt_event_loop: asyncio.AbstractEventLoop,
    batch_folder: Callable[[list[Recipient]], list[Path]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from coffreo_desktop.gui.diffusion_widgets import AssignRecipientDialog

    page = open_page(qtbot, window)
    people = recipients(qt_event_loop, qtbot, page)
    files = batch_folder(people)
    asked: list[str] = []

    def chosen(*args: object) -> tuple[list[str], str]:
        asked.append(str(args[3]))
        return [str(files[0]), str(files[3])], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", chosen)
    window.activateWindow()
    page.ui.issuer_combo.setFocus()
    qtbot.waitUntil(page.ui.issuer_combo.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(page.ui.issuer_combo, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert asked and "*.pdf" in asked[0]
    wait_idle(qtbot, page)
    assert counts(page) == (1, 1, 0)

    page.select_rows(page.model.groups[RowStatus.UNMATCHED])
    assert page.ui.assign_button.isEnabled()
    qtbot.mouseClick(page.ui.assign_button, Qt.MouseButton.LeftButton)
    dialog = page.findChild(AssignRecipientDialog)
    assert isinstance(dialog, AssignRecipientDialog) and dialog.picker.agency_id == page.issuer().id  # type: ignore[union-attr]
    dialog.picker.choose(people[4])
    assert counts(page) == (2, 0, 0)
    assert {row.recipient for row in page.model.groups[RowStatus.READY]} == {people[0], people[4]}


def test_the_matricule_pattern_is_a_setting_that_matches_the_files_again(
    qtbot: QtBot, window: MainWindow, qt_event_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    page = open_page(qtbot, window)
    person = recipients(qt_event_loop, qtbot, page)[0]
    # A payroll export that names its run first: the default pattern reads the run number, "20261".
    make_pdf(tmp_path / f"20261_SAL{person.matricule}.pdf")
    page.add_paths([tmp_path])
    wait_idle(qtbot, page)
    assert counts(page)[:2] == (0, 1)  # no one has the matricule 20261

    assert "expression régulière" in (page.set_matricule_pattern("SAL(") or "")
    assert "au plus un groupe" in (page.set_matricule_pattern(r"(SAL)(\d+)") or "")
    assert Settings.load().matricule_pattern == DEFAULT_MATRICULE_PATTERN  # refused: nothing kept

    assert page.set_matricule_pattern(r"SAL(\d+)") is None
    qtbot.waitUntil(lambda: counts(page)[0] == 1, timeout=WAIT_MS)
    (row,) = page.ready_rows()
    assert row.recipient is not None and row.recipient.id == person.id
    assert Settings.load().matricule_pattern == r"SAL(\d+)"  # kept for the next start
    assert page.set_matricule_pattern("") is None
    assert Settings.load().matricule_pattern == DEFAULT_MATRICULE_PATTERN
