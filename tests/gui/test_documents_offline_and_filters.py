"""'Recherche de documents' offline and filtered, driven like a user on the real embedded demo backend: a list
kept offline holds the whole result set and is shown offline; the invoice-state filter, the period and the
agency/entity scope change what the server answers; back online, kept lists catch up with a document
deposited meanwhile."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.diffusion import DiffusionApi
from coffreo_desktop.client.documents import DocumentRow, DocumentsApi, SearchParams
from coffreo_desktop.domain.documents import DocumentType, InvoiceState, Protection
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.domain.periods import Period
from coffreo_desktop.embedded import EmbeddedServer
from coffreo_desktop.gui import document_actions, document_scope
from coffreo_desktop.gui.document_model import OPEN_COLUMN
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.pages.documents import DocumentsPage
from tests.gui.helpers import WAIT_MS, make_pdf, server_call
from tests.gui.test_documents_page import ADMIN, click_cell, open_documents, search


def server_rows(
    loop: asyncio.AbstractEventLoop, qtbot: QtBot, window: MainWindow, params: SearchParams
) -> list[DocumentRow]:
    """Every row the server answers for ``params`` (all pages), asked apart from the page."""
    api = DocumentsApi(window.session.api)

    async def every() -> list[DocumentRow]:
        return [row async for row in api.iterate(params)]

    return server_call(loop, qtbot, every())  # type: ignore[return-value]


def choose(combo: object, data: object) -> None:
    index = combo.findData(data)  # type: ignore[attr-defined]
    assert index >= 0, data
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def choose_scope(page: DocumentsPage, **scope: object) -> None:
    combo = page.ui.scopeCombo
    for index in range(combo.count()):
        item = combo.itemData(index)
        if all(getattr(item, name) == value for name, value in scope.items()):
            combo.setCurrentIndex(index)
            return
    raise AssertionError(scope)


def shown_ids(page: DocumentsPage) -> list[int]:
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    assert all(row is not None for row in rows)
    return [row.id for row in rows if row is not None]


def keep_list(qtbot: QtBot, page: DocumentsPage, monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    """ "Garder la liste hors ligne" under ``name``; the ids kept, once saved."""
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (name, True)))
    qtbot.mouseClick(page.ui.keepListButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: name in page.actions._list_names, timeout=WAIT_MS * 3)
    assert page.cache is not None
    kept = page.cache.load_list(name)
    assert kept is not None
    return [row.id for row in kept.rows]


def show_kept(qtbot: QtBot, page: DocumentsPage, name: str) -> None:
    combo = page.ui.savedListsCombo
    assert combo.isVisible()
    index = combo.findData(name)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    qtbot.waitUntil(lambda: page.showing_list == name, timeout=WAIT_MS)


def test_a_kept_list_holds_the_whole_result_set_and_is_shown_offline(
    qtbot: QtBot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    qt_event_loop: asyncio.AbstractEventLoop,
) -> None:
    monkeypatch.setattr(document_actions, "PAGE_SIZE", 10)  # the table holds one page of the set at first
    page = open_documents(qtbot, window)
    qtbot.waitUntil(lambda: page.cache_checked and page.cache is not None, timeout=WAIT_MS)
    choose(page.ui.typeCombo, DocumentType.PAYSLIP.value)
    search(qtbot, page)
    expected = [row.id for row in server_rows(qt_event_loop, qtbot, window, page.params)]
    assert len(expected) > 10 and page.model.rowCount() < len(expected)

    kept = keep_list(qtbot, page, monkeypatch, "Bulletins à relire")
    assert kept == expected  # every page of the search, not the rows on screen
    assert page.cache is not None and set(expected) <= page.cache.pinned_ids()  # and their documents

    page.set_online(False)
    show_kept(qtbot, page, "Bulletins à relire")
    qtbot.waitUntil(lambda: page.model.rowCount() == len(expected), timeout=WAIT_MS)
    assert shown_ids(page) == expected
    assert page.ui.offlineLabel.isVisible() and page.ui.offlineLabel.text().startswith("Hors ligne")
    last = len(expected) - 1  # a document far below the first page opens offline too
    click_cell(qtbot, page, last, OPEN_COLUMN)
    qtbot.waitUntil(
        lambda: page.actions.viewer is not None and page.actions.viewer.isVisible(), timeout=WAIT_MS
    )
    page.actions.viewer.hide()  # type: ignore[union-attr]


def test_the_invoice_state_filter_asks_the_server_for_that_state(
    qtbot: QtBot, window: MainWindow, qt_event_loop: asyncio.AbstractEventLoop
) -> None:
    page = open_documents(qtbot, window)
    choose(page.ui.typeCombo, DocumentType.INVOICE.value)
    assert page.ui.invoiceStateCombo.isEnabled()
    every = server_rows(qt_event_loop, qtbot, window, SearchParams(types=(DocumentType.INVOICE,)))
    found: dict[InvoiceState, set[int]] = {}
    for state in InvoiceState:
        choose(page.ui.invoiceStateCombo, state.value)
        search(qtbot, page)
        assert page.params.invoice_state is state
        found[state] = set(shown_ids(page))
        assert found[state] == {row.id for row in every if row.invoice_state is state}
        assert page.model.total == len(found[state])
    assert all(found.values()), "the demo has invoices in every state"
    assert sum(len(ids) for ids in found.values()) == len(every)
    choose(page.ui.typeCombo, DocumentType.PAYSLIP.value)  # the states mean nothing for payslips
    assert not page.ui.invoiceStateCombo.isEnabled()
    search(qtbot, page)
    assert page.params.invoice_state is None and page.model.total


def test_the_period_choice_narrows_the_servers_results(
    qtbot: QtBot, window: MainWindow, qt_event_loop: asyncio.AbstractEventLoop
) -> None:
    page = open_documents(qtbot, window)
    everything = page.model.total
    assert everything is not None
    totals: dict[Period, int] = {}
    for period in (Period.MONTH_1, Period.YEAR_1):
        choose(page.ui.periodCombo, period.value)
        search(qtbot, page)
        assert page.params.period is period
        expected = server_rows(qt_event_loop, qtbot, window, SearchParams(period=period))
        total = page.model.total
        assert total is not None
        totals[period] = total
        assert total == len(expected)
        since = period.since(datetime.now(ZoneInfo(DISPLAY_TZ)).date())
        assert since is not None and all(row.document_date >= since for row in expected)
        assert set(shown_ids(page)) == {row.id for row in expected}
    assert 0 < totals[Period.MONTH_1] < totals[Period.YEAR_1] < everything


def test_the_scope_offers_every_entity_and_agency_and_follows_the_windows_selector(
    qtbot: QtBot, window: MainWindow, qt_event_loop: asyncio.AbstractEventLoop
) -> None:
    page = open_documents(qtbot, window)
    combo, me = page.ui.scopeCombo, window.me
    labels = [combo.itemText(i) for i in range(combo.count())]
    brands = {a.brand_id: a.brand_name for a in me.agencies}
    assert labels[0] == "Toutes mes agences"
    assert [t for t in labels if t.startswith("Entité ")] == [f"Entité {n}" for n in sorted(brands.values())]
    assert len(labels) == 1 + len(brands) + len(me.agencies)

    brand = next(iter(brands))
    choose_scope(page, brand_id=brand)
    search(qtbot, page)
    wanted = {a.id for a in me.agencies if a.brand_id == brand}
    assert page.params.brand_id == brand and page.params.brand_agencies == wanted
    expected = server_rows(qt_event_loop, qtbot, window, SearchParams(brand_id=brand, brand_agencies=wanted))
    assert page.model.total == len(expected) and {row.agency_id for row in expected} <= wanted

    lyon = next(a for a in me.agencies if a.code == "LYO")
    choose_scope(page, agency_id=lyon.id, brand_id=None)
    search(qtbot, page)
    assert page.params.agency_id == lyon.id and {r.agency_id for r in map(page.model.row_at, range(5))} == {
        lyon.id
    }

    # The window's selector: the scope follows it, and the search runs again.
    nanterre = next(a for a in me.agencies if a.code == "NAN")
    window.agency_selector.select_agency(nanterre.id)
    assert document_scope.current(combo).agency_id == nanterre.id
    qtbot.waitUntil(lambda: page.params.agency_id == nanterre.id and not page.model.loading, timeout=WAIT_MS)
    window.agency_selector.select_agency(None)
    assert document_scope.current(combo) == document_scope.Scope()
    qtbot.waitUntil(lambda: page.params.agency_id is None and page.params.brand_id is None, timeout=WAIT_MS)


def deposit(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    demo_server: EmbeddedServer,
    password: str,
    agency_id: int,
    pdf: bytes,
) -> int:
    """A colleague sends a document (Diffusion libre) to a worker of ``agency_id``; its id."""
    colleague = ApiClient(demo_server.base_url or "")

    async def send() -> int:
        try:
            await colleague.login(ADMIN, password)
            diffusion = DiffusionApi(colleague)
            recipient = (await diffusion.search_recipients(agency_id, "a"))[0]
            sent = await diffusion.send_document(
                agency_id,
                recipient_id=recipient.id,
                protection=Protection.SIMPLE,
                title="Note déposée pendant la coupure",
                file_name="note.pdf",
                data=pdf,
                idempotency_key=str(uuid.uuid4()),
            )
            return sent.document.id
        finally:
            await colleague.aclose()

    return server_call(loop, qtbot, send())  # type: ignore[return-value]


def test_back_online_the_kept_lists_catch_up_with_a_document_deposited_meanwhile(
    qtbot: QtBot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    qt_event_loop: asyncio.AbstractEventLoop,
    demo_server: EmbeddedServer,
    demo_passwords: dict[str, str],
    tmp_path: object,
) -> None:
    page = open_documents(qtbot, window)
    qtbot.waitUntil(lambda: page.cache_checked and page.cache is not None, timeout=WAIT_MS)
    paris = next(a for a in window.me.agencies if a.code == "PAR11")
    choose_scope(page, agency_id=paris.id, brand_id=None)
    choose(page.ui.typeCombo, DocumentType.DIFFUSED.value)
    search(qtbot, page)
    before = keep_list(qtbot, page, monkeypatch, "Diffusés Paris")
    page.set_online(False)
    show_kept(qtbot, page, "Diffusés Paris")
    assert shown_ids(page) == before

    pdf = make_pdf(tmp_path / "note.pdf").read_bytes()  # type: ignore[operator]
    new_id = deposit(qt_event_loop, qtbot, demo_server, demo_passwords[ADMIN], paris.id, pdf)
    assert new_id not in before

    page.set_online(True)  # the kept list shown synchronises and is shown again
    qtbot.waitUntil(lambda: page.model.find(new_id) is not None, timeout=WAIT_MS * 2)
    assert page.showing_list == "Diffusés Paris"
    assert page.cache is not None
    kept = page.cache.load_list("Diffusés Paris")
    assert kept is not None and new_id in {row.id for row in kept.rows}
    assert set(shown_ids(page)) == set(before) | {new_id}
