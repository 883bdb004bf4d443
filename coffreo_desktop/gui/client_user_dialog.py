""" "Ajouter un utilisateur" to a client company (F6.3), in three small steps: the email, then civilité and
names, then the rights, and "Enregistrer". A refusal is shown in the dialog, which keeps what was typed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.clients import (
    CIVILITIES,
    CLIENT_RIGHTS,
    ClientRight,
    ClientsApi,
    ClientUserAdded,
)
from coffreo_desktop.client.errors import ApiError, SessionExpired
from coffreo_desktop.domain.emails import is_valid_email, normalize_email
from coffreo_desktop.gui import errors
from coffreo_desktop.gui.client_models import right_label
from coffreo_desktop.gui.i18n import fill_in
from coffreo_desktop.gui.tasks import Task

EMAIL_STEP, NAME_STEP, RIGHTS_STEP = 0, 1, 2
#: Server codes that concern the email: the dialog goes back to its first step to fix it.
_EMAIL_CODES = {"invalid_email", "duplicate_user"}
_NAME_CODES = {"invalid_name", "invalid_civility"}
#: The server's limits (its columns: e-mail 254, names 80), so that a longer text cannot be typed at all.
MAX_EMAIL, MAX_NAME = 254, 80


class ClientUserDialog(QDialog):
    """The wizard; ``added`` carries the :class:`ClientUserAdded` once the server saved the user (its mail
    is queued). While saving, it cannot be closed: the answer would be lost with it."""

    added = Signal(object)

    def __init__(
        self, api: ClientsApi, agency_id: int, client_id: int, client_name: str, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.api, self.agency_id, self.client_id = api, agency_id, client_id
        self.setObjectName("clientUserDialog")
        self.setWindowTitle(fill_in(self.tr("Ajouter un utilisateur — %1"), client_name))
        self.saving = False
        layout = QVBoxLayout(self)
        self.steps = QStackedWidget(self)
        layout.addWidget(self.steps)

        email_page = QWidget(self)
        form = QFormLayout(email_page)
        self.email = QLineEdit(email_page, objectName="clientUserEmail")
        self.email.setMaxLength(MAX_EMAIL)
        self.email.setPlaceholderText(self.tr("prenom.nom@entreprise.fr"))
        form.addRow(self.tr("&Adresse e-mail :"), self.email)
        self.steps.addWidget(email_page)

        name_page = QWidget(self)
        form = QFormLayout(name_page)
        self.civility = QComboBox(name_page, objectName="clientUserCivility")
        self.civility.addItems(list(CIVILITIES))
        self.first_name = QLineEdit(name_page, objectName="clientUserFirstName")
        self.last_name = QLineEdit(name_page, objectName="clientUserLastName")
        self.first_name.setMaxLength(MAX_NAME)
        self.last_name.setMaxLength(MAX_NAME)
        form.addRow(self.tr("&Civilité :"), self.civility)
        form.addRow(self.tr("&Prénom :"), self.first_name)
        form.addRow(self.tr("&Nom :"), self.last_name)
        self.steps.addWidget(name_page)

        rights_page = QWidget(self)
        rights_layout = QVBoxLayout(rights_page)
        rights_layout.addWidget(QLabel(self.tr("Droits de l'utilisateur :"), rights_page))
        self.rights: dict[ClientRight, QCheckBox] = {}
        for right in CLIENT_RIGHTS:
            box = QCheckBox(right_label(right), rights_page, objectName=f"clientUserRight_{right}")
            box.setChecked(right == "view_contracts")
            rights_layout.addWidget(box)
            self.rights[right] = box
        self.steps.addWidget(rights_page)

        self.error = QLabel(self, objectName="clientUserError")
        self.error.setWordWrap(True)
        self.error.setProperty("role", "error")
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.back_button = QPushButton(self.tr("< &Précédent"), self, objectName="clientUserBack")
        self.next_button = QPushButton(self.tr("&Suivant >"), self, objectName="clientUserNext")
        self.save_button = QPushButton(self.tr("&Enregistrer"), self, objectName="clientUserSave")
        self.save_button.setProperty("role", "primary")
        self.cancel_button = QPushButton(self.tr("Annuler"), self, objectName="clientUserCancel")
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.save_button, self.cancel_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.back_button.clicked.connect(lambda: self.go(self.steps.currentIndex() - 1))
        self.next_button.clicked.connect(self.next_step)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.go(EMAIL_STEP)

    def go(self, step: int) -> None:
        step = max(EMAIL_STEP, min(RIGHTS_STEP, step))
        self.steps.setCurrentIndex(step)
        self.back_button.setEnabled(step > EMAIL_STEP)
        self.next_button.setVisible(step < RIGHTS_STEP)
        self.save_button.setVisible(step == RIGHTS_STEP)
        self.save_button.setDefault(step == RIGHTS_STEP)
        focus = {
            EMAIL_STEP: self.email,
            NAME_STEP: self.first_name,
            RIGHTS_STEP: self.rights["view_contracts"],
        }
        focus[step].setFocus()

    def next_step(self) -> None:
        """Checks the step's fields here, so that an obvious mistake is said before anything is sent."""
        step = self.steps.currentIndex()
        if step == EMAIL_STEP and not is_valid_email(normalize_email(self.email.text())):
            self.error.setText(
                fill_in(self.tr("Adresse e-mail invalide : « %1 »."), self.email.text().strip())
            )
            return
        if step == NAME_STEP and not (self.first_name.text().strip() and self.last_name.text().strip()):
            self.error.setText(self.tr("Indiquez le prénom et le nom de l'utilisateur."))
            return
        self.error.clear()
        if step == RIGHTS_STEP:
            self.save()
        else:
            self.go(step + 1)

    def chosen_rights(self) -> list[ClientRight]:
        return [r for r, box in self.rights.items() if box.isChecked()]

    def save(self) -> None:
        if self.saving:
            return
        self._set_saving(True)
        self.error.clear()
        work = self.api.add_user(
            self.agency_id,
            self.client_id,
            email=self.email.text(),
            civility=self.civility.currentText(),
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            rights=self.chosen_rights(),
        )
        Task(self, work).on_success(self._saved).on_failure(self._refused).on_finished(self._done).run()

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        for widget in (self.save_button, self.back_button, self.cancel_button, self.steps):
            widget.setEnabled(not saving)
        if not saving:
            self.back_button.setEnabled(self.steps.currentIndex() > EMAIL_STEP)

    def _done(self) -> None:
        self._set_saving(False)

    def _saved(self, added: ClientUserAdded) -> None:
        self.added.emit(added)
        self.saving = False  # accept() must not be refused by reject's guard (done() is shared)
        self.accept()

    def reject(self) -> None:
        # "Annuler", Échap and the window's cross: not while saving, or the answer (user created, mail
        # queued) would be dropped with the dialog and the pane never told.
        if not self.saving:
            super().reject()

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, SessionExpired) or not isinstance(exc, ApiError):
            # Log in again, or a bug: logged and announced the usual way; the dialog keeps what was typed.
            self.error.setText(self.tr("L'utilisateur n'a pas pu être ajouté."))
            errors.show_error(self, exc)
            return
        # Everything typed stays; the step concerned is shown again with the server's French detail.
        self.error.setText(str(exc))
        code = exc.code
        if code in _EMAIL_CODES:
            self.go(EMAIL_STEP)
        elif code in _NAME_CODES:
            self.go(NAME_STEP)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Entrée goes to the next step (and saves at the last) rather than closing the dialog.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.next_step()
            return
        super().keyPressEvent(event)
