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

from coffreo_desktop.client.clients import CIVILITIES, CLIENT_RIGHTS, ClientRight, ClientsApi, ClientUser
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.domain.emails import is_valid_email, normalize_email
from coffreo_desktop.gui.client_models import right_label
from coffreo_desktop.gui.i18n import fill_in
from coffreo_desktop.gui.tasks import Task

EMAIL_STEP, NAME_STEP, RIGHTS_STEP = 0, 1, 2
#: Server codes that concern the email: the dialog goes back to its first step to fix it.
_EMAIL_CODES = {"invalid_email", "duplicate_user"}
_NAME_CODES = {"invalid_name", "invalid_civility"}


class ClientUserDialog(QDialog):
    """The wizard; ``added`` carries the new user once the server saved it (the invitation is queued)."""

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
        self.email.setPlaceholderText(self.tr("prenom.nom@entreprise.fr"))
        form.addRow(self.tr("&Adresse e-mail :"), self.email)
        self.steps.addWidget(email_page)

        name_page = QWidget(self)
        form = QFormLayout(name_page)
        self.civility = QComboBox(name_page, objectName="clientUserCivility")
        self.civility.addItems(list(CIVILITIES))
        self.first_name = QLineEdit(name_page, objectName="clientUserFirstName")
        self.last_name = QLineEdit(name_page, objectName="clientUserLastName")
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
        cancel = QPushButton(self.tr("Annuler"), self)
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.save_button, cancel):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.back_button.clicked.connect(lambda: self.go(self.steps.currentIndex() - 1))
        self.next_button.clicked.connect(self.next_step)
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
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
        self.saving = True
        self.save_button.setEnabled(False)
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

    def _done(self) -> None:
        self.saving = False
        self.save_button.setEnabled(True)

    def _saved(self, user: ClientUser) -> None:
        self.added.emit(user)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        # Everything typed stays; the step concerned is shown again with the server's French detail.
        self.error.setText(
            str(exc) if isinstance(exc, ApiError) else self.tr("L'utilisateur n'a pas pu être ajouté.")
        )
        code = exc.code if isinstance(exc, ApiError) else ""
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
