"""'Contactez-nous' (F1.4): support's details from ``GET /support`` and a form posting ``/support/messages``.

Reachable logged in or not (both endpoints are public), from the login dialog and the main window.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QLabel, QWidget

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.models import SupportInfo
from coffreo_desktop.domain.emails import is_valid_email, normalize_email
from coffreo_desktop.domain.nir import contains_nir
from coffreo_desktop.gui import errors, theme
from coffreo_desktop.gui.forms.ui_contact_dialog import Ui_ContactDialog
from coffreo_desktop.gui.tasks import Task


class ContactDialog(QDialog):
    """Shows how to reach support and sends a message to it."""

    def __init__(self, api: ApiClient, *, email: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.ui = Ui_ContactDialog()
        self.ui.setupUi(self)
        self.setWindowIcon(theme.app_icon())
        self.ui.senderEdit.setText(email)
        self.sent_reference: str | None = None
        self._sending = False
        self._show_status(None)

        for field in (self.ui.senderEdit, self.ui.subjectEdit):
            field.textChanged.connect(self._update_send_button)
        self.ui.messageEdit.textChanged.connect(self._update_send_button)
        self.ui.sendButton.clicked.connect(self._send)
        self.ui.closeButton.clicked.connect(self.reject)
        self._update_send_button()
        (self.ui.subjectEdit if email else self.ui.senderEdit).setFocus()

        self.support: SupportInfo | None = None
        Task(self, self.api.support()).on_success(self._show_support).on_failure(self._support_failed).run()

    # ---- support details -------------------------------------------------------------------------
    def _show_support(self, info: SupportInfo) -> None:
        self.support = info
        email = html.escape(info.email)
        url = html.escape(info.url)
        self.ui.supportEmailValue.setText(f'<a href="mailto:{email}">{email}</a>')
        self.ui.supportPhoneValue.setText(info.phone)
        self.ui.supportHoursValue.setText(info.hours)
        self.ui.supportUrlValue.setText(f'<a href="{url}">{url}</a>')

    def _support_failed(self, exc: BaseException) -> None:
        for label in (self.ui.supportPhoneValue, self.ui.supportHoursValue, self.ui.supportUrlValue):
            label.setText("—")
        self.ui.supportEmailValue.setText(self.tr("Coordonnées indisponibles pour le moment."))
        if not errors.is_user_facing(exc):
            errors.report_exception(exc)

    # ---- message ---------------------------------------------------------------------------------
    def _message(self) -> str:
        return self.ui.messageEdit.toPlainText().strip()

    def _update_send_button(self) -> None:
        ready = bool(
            self.ui.senderEdit.text().strip() and self.ui.subjectEdit.text().strip() and self._message()
        )
        self.ui.sendButton.setEnabled(ready and not self._sending)

    def _send(self) -> None:
        email = normalize_email(self.ui.senderEdit.text())
        subject = self.ui.subjectEdit.text().strip()
        message = self._message()
        if not is_valid_email(email):
            self._show_status(
                self.tr("Adresse e-mail invalide : vérifiez-la pour que le support puisse vous répondre."),
                error=True,
            )
            self.ui.senderEdit.setFocus()
            return
        if contains_nir(subject) or contains_nir(message):
            self._show_status(
                self.tr(
                    "Votre message semble contenir un numéro de sécurité sociale : retirez-le avant l'envoi."
                ),
                error=True,
            )
            return
        self._sending = True
        self._update_send_button()
        self._show_status(self.tr("Envoi en cours…"))
        (
            Task(self, self.api.send_support_message(email, subject, message))
            .on_success(self._sent)
            .on_failure(lambda exc: self._send_failed(exc))
            .on_finished(self._send_finished)
            .run()
        )

    def _sent(self, reference: str) -> None:
        self.sent_reference = reference
        self.ui.messageEdit.clear()
        self.ui.subjectEdit.clear()
        self._show_status(
            self.tr("Message envoyé. Référence : {reference}").format(reference=reference), success=True
        )

    def _send_failed(self, exc: BaseException) -> None:
        if errors.is_user_facing(exc):
            self._show_status(str(exc), error=True)
        else:
            self._show_status(self.tr("Le message n'a pas pu être envoyé."), error=True)
            errors.report_exception(exc)

    def _send_finished(self) -> None:
        self._sending = False
        self._update_send_button()

    def _show_status(self, text: str | None, *, error: bool = False, success: bool = False) -> None:
        label: QLabel = self.ui.statusLabel
        label.setProperty("role", "error" if error else "success" if success else "muted")
        label.style().unpolish(label)
        label.style().polish(label)
        label.setText(text or "")
        label.setVisible(bool(text))
