"""'Recherche de documents' driven like a user, on the real embedded demo backend: search, sort, open,
delete, a document deleted by a colleague, Ctrl+F, and the offline start on kept lists."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.documents import DocumentsApi, SearchParams
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.client.settings import Settings
from coffreo_desktop.domain.documents import DocumentType, SignatureState
from coffreo_desktop.domain.services import Feature
from coffreo_desktop.embedded import EmbeddedServer
from coffreo_desktop.gui.document_actions import LAST_SEARCH_LIST
from coffreo_desktop.gui.document_model import DELETE_COLUMN, OPEN_COLUMN, column_of
from coffreo_desktop.gui.flow import AppFlow, StartOptions
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.pages.documents import DocumentsPage
from tests.gui.conftest import GUI_DEMO_SCALE
from tests.gui.helpers import WAIT_MS, log_in, server_call

ADMIN = "admin@demo.coffreo.fr"


def open_documents(qtbot: QtBot, window: MainWindow) -> DocumentsPage:
    window.open_feature(Feature.DOCUMENTS)
    page = window.current_page()
    assert isinstance(page, DocumentsPage)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and not page.model.loading, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.model.total is not None, timeout=WAIT_MS)  # the count comes on its own
    return page


def search(qtbot: QtBot, page: DocumentsPage) -> None:
    qtbot.mouseClick(page.ui.searchButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total is not None, timeout=WAIT_MS)


def click_cell(qtbot: QtBot, page: DocumentsPage, row: int, column: int, *, double: bool = False) -> None:
    table = page.ui.documentsTable
    table.scrollTo(page.model.index(row, column))
    rect = table.visualRect(page.model.index(row, column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    if double:  # Qt sends a press, then the double-click event, as a real double click does
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def focus_table(qtbot: QtBot, window: MainWindow, page: DocumentsPage) -> None:
    """Shortcuts follow the keyboard focus, as for a user: the window active, the table focused."""
    window.activateWindow()
    page.ui.documentsTable.setFocus()
    qtbot.waitUntil(page.ui.documentsTable.hasFocus, timeout=WAIT_MS)


def test_the_page_opens_on_the_newest_documents_with_their_count(qtbot: QtBot, window: MainWindow) -> None:
    page = open_documents(qtbot, window)
    model = page.model
    assert model.total is not None and model.total >= model.rowCount() > 0
    assert page.ui.countLabel.text().endswith("documents")
    dates = [model.row_at(r).document_date for r in range(min(model.rowCount(), 50))]  # type: ignore[union-attr]
    assert dates == sorted(dates, reverse=True)


def test_sorting_on_a_header_asks_the_server_for_that_order(qtbot: QtBot, window: MainWindow) -> None:
    page = open_documents(qtbot, window)
    header = page.ui.documentsTable.horizontalHeader()
    header.setSortIndicator(column_of("title"), Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: page.params.sort == "title" and not page.model.loading, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=WAIT_MS)
    titles = [page.model.row_at(r).title for r in range(page.model.rowCount())]  # type: ignore[union-attr]
    assert titles == sorted(titles)


def test_ctrl_f_focuses_the_search_and_wildcards_match_literally(qtbot: QtBot, window: MainWindow) -> None:
    page = open_documents(qtbot, window)
    focus_table(qtbot, window, page)
    qtbot.keyClick(page.ui.documentsTable, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.ui.advancedCheck.isChecked() and page.ui.valueEdit.hasFocus()
    page.ui.criterionCombo.setCurrentIndex(page.ui.criterionCombo.findData("title"))
    qtbot.keyClicks(page.ui.valueEdit, "%_'; --")
    qtbot.keyClick(page.ui.valueEdit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.model.total == 0, timeout=WAIT_MS)
    assert page.ui.resultStack.currentIndex() == 1
    assert page.ui.emptyLabel.text() == "Aucun document ne correspond à ces critères."


def test_the_eye_double_click_and_enter_open_the_viewer(qtbot: QtBot, window: MainWindow) -> None:
    page = open_documents(qtbot, window)
    click_cell(qtbot, page, 0, OPEN_COLUMN)
    qtbot.waitUntil(
        lambda: page.actions.viewer is not None and page.actions.viewer.isVisible(), timeout=WAIT_MS
    )
    viewer = page.actions.viewer
    assert viewer is not None
    first = page.model.row_at(0)
    assert first is not None and first.title in viewer.windowTitle()
    # The signature check trusts the server's own seal authority (GET /trust/certificates).
    qtbot.waitUntil(lambda: bool(page.actions.trust_roots), timeout=WAIT_MS)
    assert b"BEGIN CERTIFICATE" in page.actions.trust_roots[0]
    viewer.hide()
    click_cell(qtbot, page, 1, column_of("title"), double=True)
    qtbot.waitUntil(viewer.isVisible, timeout=WAIT_MS)
    viewer.hide()
    page.ui.documentsTable.setCurrentIndex(page.model.index(2, 1))
    focus_table(qtbot, window, page)
    qtbot.keyClick(page.ui.documentsTable, Qt.Key.Key_Return)
    qtbot.waitUntil(viewer.isVisible, timeout=WAIT_MS)


def unsigned_contracts(qtbot: QtBot, page: DocumentsPage) -> None:
    page.ui.typeCombo.setCurrentIndex(page.ui.typeCombo.findData(DocumentType.MISSION_CONTRACT.value))
    page.ui.signedCheck.setChecked(False)
    search(qtbot, page)
    assert page.model.rowCount() > 1


def test_an_unsigned_contract_is_deleted_after_confirmation(
    qtbot: QtBot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    qt_event_loop: asyncio.AbstractEventLoop,
) -> None:
    page = open_documents(qtbot, window)
    unsigned_contracts(qtbot, page)
    row = page.model.row_at(0)
    assert row is not None and row.can_delete and row.signature_state is SignatureState.UNSIGNED
    total = page.model.total
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel
    )
    click_cell(qtbot, page, 0, DELETE_COLUMN)
    assert asked and row.title in asked[0] and page.model.find(row.id) == 0  # cancelled: nothing happens

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    click_cell(qtbot, page, 0, DELETE_COLUMN)
    qtbot.waitUntil(lambda: page.model.find(row.id) is None, timeout=WAIT_MS)
    assert page.model.total == (total or 0) - 1
    api = DocumentsApi(window.session.api)
    with pytest.raises(ApiError) as refused:
        server_call(qt_event_loop, qtbot, api.describe(row.id))
    assert refused.value.status == 410


def test_signed_documents_show_no_bin(qtbot: QtBot, window: MainWindow) -> None:
    page = open_documents(qtbot, window)
    page.ui.unsignedCheck.setChecked(False)
    search(qtbot, page)
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    assert rows and not any(row.can_delete for row in rows if row is not None)
    assert page.model.index(0, DELETE_COLUMN).data(Qt.ItemDataRole.DecorationRole) is None


def test_a_document_deleted_by_a_colleague_is_taken_out_with_a_message(
    qtbot: QtBot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    qt_event_loop: asyncio.AbstractEventLoop,
    demo_server: EmbeddedServer,
    demo_passwords: dict[str, str],
) -> None:
    page = open_documents(qtbot, window)
    unsigned_contracts(qtbot, page)
    row = page.model.row_at(0)
    assert row is not None
    colleague = ApiClient(demo_server.base_url or "")
    server_call(qt_event_loop, qtbot, colleague.login(ADMIN, demo_passwords[ADMIN]))
    server_call(qt_event_loop, qtbot, DocumentsApi(colleague).delete(row.id))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    click_cell(qtbot, page, 0, OPEN_COLUMN)
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert "supprimé" in shown[0]
    assert page.model.find(row.id) is None
    server_call(qt_event_loop, qtbot, colleague.aclose())


def test_offline_start_shows_the_kept_list_and_opens_a_pinned_document(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], tmp_path: object
) -> None:
    """A remote server that stops: the next start opens offline on the last search and its pinned PDF."""
    remote = EmbeddedServer(tmp_path / "distant", demo=True, demo_scale=GUI_DEMO_SCALE)  # type: ignore[operator]
    url = remote.start(timeout=120)
    password = {a.email: a.password for a in remote.demo_accounts}[ADMIN]
    try:
        flow = make_flow(Settings(), StartOptions(server=url), embedded=None)
        window = log_in(qtbot, flow, ADMIN, password, remember=True)
        window.show()
        page = open_documents(qtbot, window)
        assert page.cache is not None
        qtbot.waitUntil(lambda: LAST_SEARCH_LIST in page.actions._list_names, timeout=WAIT_MS)
        first = page.model.row_at(0)
        assert first is not None
        page.ui.documentsTable.selectRow(0)
        qtbot.mouseClick(page.ui.pinButton, Qt.MouseButton.LeftButton)
        cache = page.cache
        qtbot.waitUntil(lambda: first.id in cache.pinned_ids(), timeout=WAIT_MS)
        window.hide()
    finally:
        remote.stop()

    assert (Settings.load().mode, Settings.load().server_url) == ("remote", url)
    flow = make_flow(Settings.load(), StartOptions(), embedded=None)
    with qtbot.waitSignal(flow.main_window_shown, timeout=WAIT_MS) as shown:
        flow.start()
    window = shown.args[0]
    window.show()
    assert not window.is_online()
    window.open_feature(Feature.DOCUMENTS)
    page = window.current_page()
    assert isinstance(page, DocumentsPage)
    qtbot.waitUntil(lambda: page.model.find(first.id) is not None, timeout=WAIT_MS)
    assert page.showing_list == LAST_SEARCH_LIST and page.ui.offlineLabel.isVisible()
    assert page.ui.offlineLabel.text().startswith("Hors ligne : liste synchronisée le")
    click_cell(qtbot, page, page.model.find(first.id) or 0, OPEN_COLUMN)
    qtbot.waitUntil(
        lambda: page.actions.viewer is not None and page.actions.viewer.isVisible(), timeout=WAIT_MS
    )


def test_without_a_secure_keyring_nothing_is_kept_and_the_user_is_told(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coffreo_desktop.client.document_cache import DocumentCache

    monkeypatch.setattr(DocumentCache, "open", classmethod(lambda cls, credentials, create=True: None))
    page = open_documents(qtbot, window)
    qtbot.waitUntil(lambda: page.cache_checked, timeout=WAIT_MS)
    assert page.cache is None
    assert not page.ui.pinButton.isEnabled() and not page.ui.keepListButton.isEnabled()
    assert page.ui.offlineLabel.isVisible()
    assert "aucun trousseau sécurisé" in page.ui.offlineLabel.text()
    search(qtbot, page)  # a new search keeps the notice
    assert page.ui.offlineLabel.isVisible()


def test_a_double_click_on_the_eye_opens_the_document_once(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coffreo_desktop.gui.viewer import ViewerWindow

    shown: list[str] = []
    original = ViewerWindow.show_document

    def counting(self: ViewerWindow, data: bytes, **kwargs: object) -> None:
        shown.append(str(kwargs.get("title")))
        original(self, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ViewerWindow, "show_document", counting)
    page = open_documents(qtbot, window)
    click_cell(qtbot, page, 0, OPEN_COLUMN, double=True)
    qtbot.waitUntil(
        lambda: page.actions.viewer is not None and page.actions.viewer.isVisible(), timeout=WAIT_MS
    )
    qtbot.wait(300)
    assert len(shown) == 1


def test_a_page_that_fails_to_load_says_so_and_loading_resumes(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coffreo_desktop.client.errors import ServerUnreachable
    from coffreo_desktop.gui import document_actions

    monkeypatch.setattr(document_actions, "PAGE_SIZE", 20)
    original = DocumentsApi.search
    failures: list[str] = []

    async def flaky(
        self: DocumentsApi, params: SearchParams, cursor: str | None = None, **kwargs: object
    ) -> object:
        if cursor is not None and not failures:
            failures.append(cursor)
            raise ServerUnreachable("http://127.0.0.1:9")
        return await original(self, params, cursor, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(DocumentsApi, "search", flaky)
    page = open_documents(qtbot, window)
    assert page.model.rowCount() == 20 and page.model.total is not None and page.model.total > 40
    page.ui.documentsTable.scrollToBottom()
    page.model.fetchMore()
    qtbot.waitUntil(lambda: page.ui.resumeButton.isVisible(), timeout=WAIT_MS)
    assert page.ui.loadErrorLabel.text().startswith("Chargement interrompu : Le serveur est injoignable")
    assert page.model.rowCount() == 20 and page.ui.resultStack.currentIndex() == 0  # the rows stay
    qtbot.mouseClick(page.ui.resumeButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 40, timeout=WAIT_MS)
    assert not page.ui.resumeButton.isVisible()


@pytest.mark.parametrize("sort", ["agency", "signature_state", "invoice_state", "matricule"])
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_every_column_sorts_as_the_server_orders_it(
    qtbot: QtBot, window: MainWindow, sort: str, order: Qt.SortOrder
) -> None:
    page = open_documents(qtbot, window)
    page.ui.documentsTable.horizontalHeader().setSortIndicator(column_of(sort), order)
    qtbot.waitUntil(lambda: page.params.sort == sort and page.model.total is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not page.model.loading and page.model.rowCount() > 0, timeout=WAIT_MS)
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    assert all(row is not None for row in rows)
    assert rows == page.params.sort_rows(rows)  # the client's own order agrees with the server's
    assert page.params.order == ("asc" if order == Qt.SortOrder.AscendingOrder else "desc")
