"""The connection choice: local or remote, a malformed address refused inline, no crash when unreachable."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.settings import Settings
from coffreo_desktop.gui.connection_dialog import ConnectionDialog
from coffreo_desktop.gui.flow import AppFlow, StartOptions
from coffreo_desktop.gui.login_dialog import LoginDialog
from tests.gui.helpers import WAIT_MS


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _button(box: QMessageBox, text: str) -> QPushButton:
    return next(b for b in box.findChildren(QPushButton) if b.text() == text)


def test_malformed_server_url_is_refused_inline(qtbot: QtBot) -> None:
    settings = Settings()
    dialog = ConnectionDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ui.remoteRadio.click()
    assert not dialog.ui.localRadio.isChecked()  # one choice at a time
    assert dialog.ui.urlEdit.isEnabled() and not dialog.ui.demoCheck.isEnabled()
    qtbot.keyClicks(dialog.ui.urlEdit, "ftp://coffreo.mon-groupe.fr")
    qtbot.mouseClick(dialog.ui.continueButton, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.ui.errorLabel.isVisible()
    assert dialog.ui.errorLabel.text().startswith("Adresse de serveur invalide")
    assert settings.mode == "local"  # nothing changed

    dialog.ui.urlEdit.clear()
    qtbot.keyClicks(dialog.ui.urlEdit, "coffreo.mon-groupe.fr/")
    assert not dialog.ui.errorLabel.isVisible()  # typing clears the error
    qtbot.mouseClick(dialog.ui.continueButton, Qt.MouseButton.LeftButton)
    assert dialog.result() == ConnectionDialog.DialogCode.Accepted
    assert (settings.mode, settings.server_url) == ("remote", "https://coffreo.mon-groupe.fr")


def test_first_start_offers_the_choice_and_remembers_it(
    qtbot: QtBot, make_flow: Callable[..., AppFlow]
) -> None:
    flow = make_flow(Settings(mode="remote", server_url="https://ailleurs.example"), StartOptions())
    with qtbot.waitSignal(flow.connection_dialog_shown, timeout=WAIT_MS) as shown:
        flow.start()
    dialog: ConnectionDialog = shown.args[0]
    assert dialog.ui.remoteRadio.isChecked()
    assert dialog.ui.urlEdit.text() == "https://ailleurs.example"
    dialog.ui.localRadio.setChecked(True)
    dialog.ui.demoCheck.setChecked(True)
    with qtbot.waitSignal(flow.login_dialog_shown, timeout=WAIT_MS) as login:
        qtbot.mouseClick(dialog.ui.continueButton, Qt.MouseButton.LeftButton)
    assert isinstance(login.args[0], LoginDialog)
    saved = Settings.load()
    assert (saved.mode, saved.demo) == ("local", True)


def test_unreachable_server_gives_a_notice_with_retry_and_no_crash(
    qtbot: QtBot, make_flow: Callable[..., AppFlow]
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    flow = make_flow(Settings(), StartOptions(server=url))
    with qtbot.waitSignal(flow.notice_shown, timeout=WAIT_MS) as shown:
        flow.start()
    box: QMessageBox = shown.args[0]
    assert box.windowTitle() == "Serveur injoignable"
    assert "injoignable" in box.text() and url in box.text()

    with qtbot.waitSignal(flow.notice_shown, timeout=WAIT_MS) as again:
        qtbot.mouseClick(_button(box, "Réessayer"), Qt.MouseButton.LeftButton)
    second: QMessageBox = again.args[0]
    with qtbot.waitSignal(flow.connection_dialog_shown, timeout=WAIT_MS) as choice:
        qtbot.mouseClick(_button(second, "Changer de connexion"), Qt.MouseButton.LeftButton)
    assert choice.args[0].ui.urlEdit.text() == url


def test_invalid_server_option_opens_the_choice_with_the_error(
    qtbot: QtBot, make_flow: Callable[..., AppFlow]
) -> None:
    flow = make_flow(Settings(), StartOptions(server="http://exa mple"))
    with qtbot.waitSignal(flow.connection_dialog_shown, timeout=WAIT_MS) as shown:
        flow.start()
    dialog: ConnectionDialog = shown.args[0]
    assert dialog.ui.errorLabel.text().startswith("Adresse de serveur invalide")


def test_plain_http_to_another_machine_needs_an_explicit_acceptance(qtbot: QtBot) -> None:
    settings = Settings()
    dialog = ConnectionDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ui.remoteRadio.click()
    assert not dialog.ui.cleartextCheck.isVisible()  # not offered for nothing
    qtbot.keyClicks(dialog.ui.urlEdit, "http://coffreo.mon-groupe.fr")
    assert dialog.ui.cleartextCheck.isVisible() and not dialog.ui.cleartextCheck.isChecked()
    qtbot.mouseClick(dialog.ui.continueButton, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.ui.errorLabel.isVisible()
    assert dialog.ui.errorLabel.text().startswith("Connexion non chiffrée refusée")
    assert "http://coffreo.mon-groupe.fr" in dialog.ui.errorLabel.text()
    assert settings.mode == "local"  # nothing changed

    dialog.ui.cleartextCheck.click()
    assert dialog.ui.cleartextCheck.text() == ("J'accepte une connexion non chiffrée (réseau de test)")
    qtbot.mouseClick(dialog.ui.continueButton, Qt.MouseButton.LeftButton)
    assert dialog.result() == ConnectionDialog.DialogCode.Accepted
    assert (settings.mode, settings.server_url) == ("remote", "http://coffreo.mon-groupe.fr")


def test_acceptance_of_plain_http_is_for_one_address(qtbot: QtBot) -> None:
    dialog = ConnectionDialog(Settings(mode="remote"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.ui.urlEdit, "http://test.exemple.fr")
    dialog.ui.cleartextCheck.click()
    qtbot.keyClicks(dialog.ui.urlEdit, "x")  # another address now
    assert not dialog.ui.cleartextCheck.isChecked()
    qtbot.mouseClick(dialog.ui.continueButton, Qt.MouseButton.LeftButton)
    assert dialog.result() == 0 and dialog.ui.errorLabel.text().startswith("Connexion non chiffrée")


@pytest.mark.parametrize(
    "typed", ["coffreo.mon-groupe.fr", "https://coffreo.mon-groupe.fr", "http://127.0.0.1:8000"]
)
def test_https_and_loopback_addresses_need_no_acceptance(qtbot: QtBot, typed: str) -> None:
    settings = Settings(mode="remote")
    dialog = ConnectionDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.ui.urlEdit, typed)
    assert not dialog.ui.cleartextCheck.isVisible()
    qtbot.mouseClick(dialog.ui.continueButton, Qt.MouseButton.LeftButton)
    assert dialog.result() == ConnectionDialog.DialogCode.Accepted
    assert settings.server_url.startswith("https://" if "127.0.0.1" not in typed else "http://127.0.0.1")


def test_plain_http_server_option_opens_the_choice_instead_of_connecting(
    qtbot: QtBot, make_flow: Callable[..., AppFlow]
) -> None:
    flow = make_flow(Settings(), StartOptions(server="http://coffreo.mon-groupe.fr"))
    with qtbot.waitSignal(flow.connection_dialog_shown, timeout=WAIT_MS) as shown:
        flow.start()
    dialog: ConnectionDialog = shown.args[0]
    assert dialog.ui.remoteRadio.isChecked()
    assert dialog.ui.urlEdit.text() == "http://coffreo.mon-groupe.fr"
    assert dialog.ui.errorLabel.text().startswith("Connexion non chiffrée refusée")
    assert dialog.ui.cleartextCheck.isVisible()
    assert flow.session is None  # nothing was sent to that server
