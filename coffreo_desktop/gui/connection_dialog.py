"""The connection choice: "Mode local", with or without the demo group, or "Serveur distant" (a URL).

The dialog only edits the :class:`Settings` it is given; the application flow saves them and connects.
A plain http:// address of another machine is refused unless the user ticks an explicit acceptance.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtWidgets import QDialog, QWidget

from coffreo_desktop.client.errors import InvalidServerUrl, is_cleartext_url, normalize_server_url
from coffreo_desktop.client.settings import Settings
from coffreo_desktop.gui import theme
from coffreo_desktop.gui.forms.ui_connection_dialog import Ui_ConnectionDialog


def cleartext_error(url: str) -> str:
    """The French refusal of a plain http:// address of another machine (also used by the flow)."""
    return QCoreApplication.translate(
        "ConnectionDialog",
        "Connexion non chiffrée refusée : avec « {url} », les mots de passe circuleraient en clair. "
        "Utilisez une adresse https://, ou cochez la case ci-dessus sur un réseau de test.",
    ).format(url=url)


def _cleartext(text: str) -> bool:
    try:
        return is_cleartext_url(normalize_server_url(text))
    except InvalidServerUrl:
        return False


class ConnectionDialog(QDialog):
    """Where the data of the group lives. ``accept()`` only with a valid choice, written into ``settings``."""

    def __init__(
        self, settings: Settings, *, error: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.ui = Ui_ConnectionDialog()
        self.ui.setupUi(self)
        self.setWindowIcon(theme.app_icon())
        self.ui.logoLabel.setPixmap(theme.icon("logo").pixmap(QSize(48, 48)))

        remote = settings.mode == "remote"
        self.ui.remoteRadio.setChecked(remote)
        self.ui.localRadio.setChecked(not remote)
        self.ui.demoCheck.setChecked(settings.demo)
        self.ui.urlEdit.setText(settings.server_url)
        self.show_error(error)

        self.ui.localRadio.toggled.connect(self._sync_enabled)
        self.ui.urlEdit.textEdited.connect(self._url_edited)
        self.ui.continueButton.clicked.connect(self._continue)
        self.ui.quitButton.clicked.connect(self.reject)
        self._sync_enabled()
        self._sync_cleartext()

    def show_error(self, message: str | None) -> None:
        self.ui.errorLabel.setText(message or "")
        self.ui.errorLabel.setVisible(bool(message))
        self.adjustSize()

    def _url_edited(self, _text: str) -> None:
        self.show_error(None)
        # An acceptance is given for one address: another address asks again.
        self.ui.cleartextCheck.setChecked(False)
        self._sync_cleartext()

    def _sync_cleartext(self) -> None:
        # Offered only where it matters, so that nobody ticks it by habit for an https:// server.
        self.ui.cleartextCheck.setVisible(_cleartext(self.ui.urlEdit.text()))
        self.adjustSize()  # the dialog grows or shrinks with the row it shows or hides

    def _sync_enabled(self) -> None:
        local = self.ui.localRadio.isChecked()
        self.ui.demoCheck.setEnabled(local)
        self.ui.urlEdit.setEnabled(not local)
        self.ui.cleartextCheck.setEnabled(not local)
        if not local:
            self.ui.urlEdit.setFocus()

    def _continue(self) -> None:
        if self.ui.localRadio.isChecked():
            self.settings.mode = "local"
            self.settings.demo = self.ui.demoCheck.isChecked()
            self.accept()
            return
        try:
            url = normalize_server_url(self.ui.urlEdit.text())
        except InvalidServerUrl as exc:
            self.show_error(str(exc))
            self.ui.urlEdit.setFocus()
            self.ui.urlEdit.selectAll()
            return
        if is_cleartext_url(url) and not self.ui.cleartextCheck.isChecked():
            self.show_error(cleartext_error(url))
            self.ui.cleartextCheck.setVisible(True)
            self.ui.cleartextCheck.setFocus()
            return
        self.ui.urlEdit.setText(url)
        self.settings.mode = "remote"
        self.settings.server_url = url
        self.accept()
