"""The login dialog (F1.1): e-mail, password, "Rester connecté", the server's French error shown inline.

In demo mode a combo fills in one of the demo accounts. The dialog logs in through the session and
emits ``logged_in``; the application flow then opens the main window.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QWidget

from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.client.models import Me
from coffreo_desktop.client.session import Session
from coffreo_desktop.domain.emails import normalize_email
from coffreo_desktop.gui import errors, theme
from coffreo_desktop.gui.contact_dialog import ContactDialog
from coffreo_desktop.gui.forms.ui_login_dialog import Ui_LoginDialog
from coffreo_desktop.gui.tasks import Task

#: Longest lock of the button after a throttled login: the server's Retry-After, capped.
MAX_LOCK_SECONDS = 15 * 60


class DemoLogin(Protocol):
    """What the login dialog needs of a demo account (the embedded server's ``DemoAccount``)."""

    @property
    def email(self) -> str: ...
    @property
    def password(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def summary(self) -> str: ...


class LoginDialog(QDialog):
    logged_in = Signal(object)  # Me
    change_connection_requested = Signal()

    def __init__(
        self,
        session: Session,
        *,
        server_label: str,
        demo_accounts: Sequence[DemoLogin] = (),
        email: str = "",
        remember: bool = False,
        keyring_secure: bool = True,
        show_keyring_notice: bool = False,
        message: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.ui = Ui_LoginDialog()
        self.ui.setupUi(self)
        self.setWindowIcon(theme.app_icon())
        self.ui.logoLabel.setPixmap(theme.icon("logo").pixmap(QSize(48, 48)))
        self.ui.serverLabel.setText(server_label)
        self._busy = False
        self._locked_until = 0.0
        self._demo_accounts = list(demo_accounts)
        #: Set when the dialog closes to go back to the connection choice rather than to quit.
        self.changing_connection = False

        self.ui.noticeLabel.setVisible(show_keyring_notice and not keyring_secure)
        self.ui.rememberCheck.setEnabled(keyring_secure)
        self.ui.rememberCheck.setChecked(remember and keyring_secure)
        if not keyring_secure:
            self.ui.rememberCheck.setToolTip(self.ui.noticeLabel.text())
        self._fill_demo_accounts()

        self.ui.emailEdit.setText(email)
        self.show_error(message)
        self.ui.emailEdit.textChanged.connect(self._on_edited)
        self.ui.passwordEdit.textChanged.connect(self._on_edited)
        self.ui.loginButton.clicked.connect(self.submit)
        self.ui.contactButton.clicked.connect(self.open_contact)
        self.ui.changeConnectionButton.clicked.connect(self._change_connection)
        self._update_button()
        (self.ui.passwordEdit if email else self.ui.emailEdit).setFocus()

    # ---- demo accounts ---------------------------------------------------------------------------
    def _fill_demo_accounts(self) -> None:
        combo = self.ui.demoCombo
        self.ui.demoBox.setVisible(bool(self._demo_accounts))
        combo.addItem(self.tr("Choisir un compte…"))
        for account in self._demo_accounts:
            combo.addItem(f"{account.label} — {account.email}")
            combo.setItemData(combo.count() - 1, account.summary, Qt.ItemDataRole.ToolTipRole)
        combo.activated.connect(self._use_demo_account)

    def _use_demo_account(self, index: int) -> None:
        if index <= 0:
            return
        account = self._demo_accounts[index - 1]
        self.ui.emailEdit.setText(account.email)
        self.ui.passwordEdit.setText(account.password)
        self.ui.loginButton.setFocus()

    # ---- state -----------------------------------------------------------------------------------
    def show_error(self, message: str | None) -> None:
        self.ui.errorLabel.setText(message or "")
        self.ui.errorLabel.setVisible(bool(message))

    def _on_edited(self) -> None:
        self._update_button()

    def _update_button(self) -> None:
        filled = bool(self.ui.emailEdit.text().strip() and self.ui.passwordEdit.text())
        locked = time.monotonic() < self._locked_until
        self.ui.loginButton.setEnabled(filled and not self._busy and not locked)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (
            self.ui.emailEdit,
            self.ui.passwordEdit,
            self.ui.demoCombo,
            self.ui.changeConnectionButton,
        ):
            widget.setEnabled(not busy)
        self.ui.loginButton.setText(self.tr("Connexion…") if busy else self.tr("Se connecter"))
        self._update_button()

    # ---- actions ---------------------------------------------------------------------------------
    def submit(self) -> None:
        if not self.ui.loginButton.isEnabled():
            return  # Enter pressed while a request runs: no double submit
        email = normalize_email(self.ui.emailEdit.text())
        password = self.ui.passwordEdit.text()
        remember = self.ui.rememberCheck.isEnabled() and self.ui.rememberCheck.isChecked()
        self.show_error(None)
        self._set_busy(True)
        (
            Task(self, self.session.login(email, password, remember=remember))
            .on_success(self._succeeded)
            .on_failure(self._failed)
            .on_finished(lambda: self._set_busy(False))
            .run()
        )

    def _succeeded(self, me: Me) -> None:
        self.logged_in.emit(me)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if not errors.is_user_facing(exc):
            self.show_error(self.tr("La connexion a échoué à cause d'une erreur inattendue."))
            errors.report_exception(exc)
            return
        self.show_error(str(exc))
        if isinstance(exc, ApiError) and exc.retry_after:
            # Throttled: the button stays off for the wait the server asked for.
            wait = min(exc.retry_after, MAX_LOCK_SECONDS)
            self._locked_until = time.monotonic() + wait
            QTimer.singleShot(int(wait * 1000) + 50, self, self._update_button)
        self.ui.passwordEdit.setFocus()
        self.ui.passwordEdit.selectAll()

    def open_contact(self) -> ContactDialog:
        dialog = ContactDialog(self.session.api, email=self.ui.emailEdit.text().strip(), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()
        return dialog

    def _change_connection(self) -> None:
        self.changing_connection = True
        self.change_connection_requested.emit()
        self.reject()
