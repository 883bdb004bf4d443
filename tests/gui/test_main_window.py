"""The main window after a real login: navigation and tiles follow rights, agencies, status bar, layout."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.domain.services import Feature
from coffreo_desktop.gui.connection_monitor import ConnectionMonitor
from coffreo_desktop.gui.flow import AppFlow
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.pages import PAGES, Page, PageContext
from tests.gui.helpers import WAIT_MS, log_in

ADMINISTRATION = {Feature.CLIENTS, Feature.EMPLOYEES, Feature.RIGHTS}


class AdvancesTestPage(Page):
    """Stands for the page a later issue will register; records the agency it is scoped to."""

    feature = Feature.ADVANCES

    def __init__(self, context: PageContext) -> None:
        super().__init__(context)
        self.agencies_seen: list[int | None] = []

    def set_agency(self, agency_id: int | None) -> None:
        super().set_agency(agency_id)
        self.agencies_seen.append(agency_id)


def login_as(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], passwords: dict[str, str], email: str
) -> MainWindow:
    window = log_in(qtbot, make_flow(), email, passwords[email])
    qtbot.waitExposed(window)
    return window


def tile_state(window: MainWindow) -> dict[Feature, tuple[bool, str]]:
    return {f: (t.isEnabled(), t.caption_label.text()) for f, t in window.home.tiles.items()}


def test_admin_gets_every_tile_and_only_delivered_pages_open(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]
) -> None:
    window = login_as(qtbot, make_flow, demo_passwords, "admin@demo.coffreo.fr")
    assert list(window.home.tiles) == list(Feature)  # every feature, in display order
    assert window.home.tiles[Feature.RIGHTS].title_label.text() == "Droits et accès"
    # Only delivered pages open; the others say so and nothing pretends to work.
    states = tile_state(window)
    assert states.pop(Feature.DOCUMENTS) == (True, "Rechercher, consulter et exporter les documents")
    enabled, _description = states.pop(Feature.DIFFUSION_LIBRE)
    assert enabled
    assert states.pop(Feature.CAMPAIGNS)[0]
    assert states.pop(Feature.ADVANCES)[0]
    assert states.pop(Feature.CLIENTS)[0]
    assert states.pop(Feature.EMPLOYEES)[0]
    assert states.pop(Feature.RIGHTS)[0]
    assert all(state == (False, "Bientôt disponible") for state in states.values())
    assert window.navigation_features() == [
        None,
        Feature.DOCUMENTS,
        Feature.DIFFUSION_LIBRE,
        Feature.CAMPAIGNS,
        Feature.ADVANCES,
        Feature.CLIENTS,
        Feature.EMPLOYEES,
        Feature.RIGHTS,
    ]
    assert window.ui.navigation.item(0).text() == "Accueil"


@pytest.mark.parametrize(
    ("email", "must_have", "must_not_have"),
    [
        (
            "diffusion@demo.coffreo.fr",
            {Feature.DIFFUSION_LIBRE, Feature.CAMPAIGNS},
            {Feature.ADVANCES} | ADMINISTRATION,
        ),
        (
            "acomptes@demo.coffreo.fr",
            {Feature.ADVANCES},
            {Feature.DIFFUSION_LIBRE, Feature.CAMPAIGNS} | ADMINISTRATION,
        ),
        (
            "restreint@demo.coffreo.fr",
            {Feature.DOCUMENTS},
            {Feature.ADVANCES, Feature.CAMPAIGNS} | ADMINISTRATION,
        ),
    ],
)
def test_restricted_users_get_the_tiles_of_their_rights(
    qtbot: QtBot,
    make_flow: Callable[..., AppFlow],
    demo_passwords: dict[str, str],
    email: str,
    must_have: set[Feature],
    must_not_have: set[Feature],
) -> None:
    window = login_as(qtbot, make_flow, demo_passwords, email)
    tiles = set(window.home.tiles)
    assert tiles == set(window.me.features)
    assert must_have <= tiles
    assert not tiles & must_not_have


def test_a_registered_page_is_offered_only_to_users_with_its_right(
    qtbot: QtBot,
    make_flow: Callable[..., AppFlow],
    demo_passwords: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(PAGES, Feature.ADVANCES, AdvancesTestPage)

    diffusion = login_as(qtbot, make_flow, demo_passwords, "diffusion@demo.coffreo.fr")
    assert Feature.ADVANCES not in diffusion.navigation_features()
    diffusion.hide()

    window = login_as(qtbot, make_flow, demo_passwords, "acomptes@demo.coffreo.fr")
    assert window.navigation_features() == [None, Feature.DOCUMENTS, Feature.ADVANCES]
    assert window.ui.navigation.item(2).text() == "Demandes d'acomptes"
    advances_tile = window.home.tiles[Feature.ADVANCES]
    assert advances_tile.isEnabled()
    assert advances_tile.caption_label.text() != "Bientôt disponible"
    delivered = {Feature.DOCUMENTS, Feature.ADVANCES}
    assert all(not tile.isEnabled() for f, tile in window.home.tiles.items() if f not in delivered)

    qtbot.mouseClick(advances_tile, Qt.MouseButton.LeftButton)
    page = window.current_page()
    assert isinstance(page, AdvancesTestPage)
    assert window.ui.navigation.currentRow() == 2
    assert page.agencies_seen == [None]

    # The agency selector scopes the page.
    agency = window.me.agencies[0].id
    window.agency_selector.select_agency(agency)
    assert page.agencies_seen == [None, agency]

    # Ctrl+1 goes back home.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.current_page() is window.home)


def test_agency_selector_lists_only_the_users_agencies_grouped_by_brand(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]
) -> None:
    admin = login_as(qtbot, make_flow, demo_passwords, "admin@demo.coffreo.fr")
    restricted = login_as(qtbot, make_flow, demo_passwords, "restreint@demo.coffreo.fr")
    for window in (admin, restricted):
        selector = window.agency_selector
        assert window.ui.agencyCombo.itemText(0) == "Toutes mes agences"
        assert selector.current_agency_id() is None
        assert sorted(selector.agency_ids()) == sorted(a.id for a in window.me.agencies)
        brands = {a.brand_name for a in window.me.agencies}
        headers = [
            window.ui.agencyCombo.itemText(row)
            for row in range(selector.model.rowCount())
            if not selector.model.item(row).isSelectable()
        ]
        assert headers == sorted(brands, key=str.casefold)
    # "restreint" has no right on at least one agency: it is not offered.
    assert set(restricted.agency_selector.agency_ids()) < set(admin.agency_selector.agency_ids())

    with qtbot.waitSignal(admin.agency_changed) as changed:
        admin.agency_selector.select_agency(admin.me.agencies[-1].id)
    assert changed.args == [admin.me.agencies[-1].id]


def test_status_bar_shows_user_server_and_connection_state(
    qtbot: QtBot,
    make_flow: Callable[..., AppFlow],
    demo_passwords: dict[str, str],
    qt_event_loop: asyncio.AbstractEventLoop,
) -> None:
    window = login_as(qtbot, make_flow, demo_passwords, "admin@demo.coffreo.fr")
    assert window.user_label.text() == window.me.display_name
    assert window.server_label.text() == "Serveur local (démonstration)"
    assert window.connection_label.text() == "en ligne"

    dead = ApiClient(f"http://127.0.0.1:{_closed_port()}")
    window.monitor.api = dead
    window.monitor.check_now()
    qtbot.waitUntil(lambda: window.connection_label.text() == "hors ligne", timeout=WAIT_MS)
    window.monitor.api = window.session.api
    window.monitor.check_now()
    qtbot.waitUntil(lambda: window.connection_label.text() == "en ligne", timeout=WAIT_MS)
    closing = asyncio.ensure_future(dead.aclose(), loop=qt_event_loop)
    qtbot.waitUntil(closing.done)


def test_connection_monitor_rechecks_soon_after_a_failure(
    qtbot: QtBot, qt_event_loop: asyncio.AbstractEventLoop
) -> None:
    dead = ApiClient(f"http://127.0.0.1:{_closed_port()}")
    monitor = ConnectionMonitor(dead, retry_ms=10)
    states: list[bool] = []
    monitor.state_changed.connect(states.append)
    monitor.start()
    qtbot.waitUntil(lambda: monitor.checks >= 3, timeout=WAIT_MS)  # retried without waiting 30 s
    monitor.stop()
    checks = monitor.checks
    qtbot.waitUntil(lambda: not monitor._checking, timeout=WAIT_MS)
    assert monitor.checks <= checks + 1 and not monitor._timer.isActive()  # stopped means stopped
    assert states == [False]
    closing = asyncio.ensure_future(dead.aclose(), loop=qt_event_loop)
    qtbot.waitUntil(closing.done)


def test_window_geometry_and_splitter_are_restored(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]
) -> None:
    first = login_as(qtbot, make_flow, demo_passwords, "admin@demo.coffreo.fr")
    # Within the offscreen screen (800 x 800): a geometry off the screen would be moved back onto it.
    first.resize(790, 610)
    first.ui.splitter.setSizes([300, 490])
    qtbot.waitUntil(lambda: first.size() == QSize(790, 610))
    sizes = first.ui.splitter.sizes()
    first.save_layout()
    second = login_as(qtbot, make_flow, demo_passwords, "admin@demo.coffreo.fr")
    assert second.size() == QSize(790, 610)
    assert second.ui.splitter.sizes() == sizes


def test_contact_dialog_shows_support_and_sends_a_message(
    qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]
) -> None:
    window = login_as(qtbot, make_flow, demo_passwords, "admin@demo.coffreo.fr")
    dialog = window.open_contact()
    qtbot.waitUntil(lambda: dialog.support is not None, timeout=WAIT_MS)
    assert dialog.support is not None and dialog.support.email in dialog.ui.supportEmailValue.text()
    assert dialog.ui.senderEdit.text() == "admin@demo.coffreo.fr"
    assert not dialog.ui.sendButton.isEnabled()
    qtbot.keyClicks(dialog.ui.subjectEdit, "Question sur les campagnes")
    dialog.ui.messageEdit.setPlainText("Le salarié 1 84 12 75 108 123 45 ne reçoit rien.")
    qtbot.mouseClick(dialog.ui.sendButton, Qt.MouseButton.LeftButton)
    assert "sécurité sociale" in _text(dialog.ui.statusLabel)  # refused before sending: a NIR
    dialog.ui.messageEdit.setPlainText("Comment dupliquer une campagne ?")
    qtbot.mouseClick(dialog.ui.sendButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.sent_reference is not None, timeout=WAIT_MS)
    assert _text(dialog.ui.statusLabel) == f"Message envoyé. Référence : {dialog.sent_reference}"
    dialog.close()


def _text(label: QLabel) -> str:
    return label.text()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
