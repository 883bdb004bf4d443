"""'Créer un accès' (F6.1): first name, last name, email, establishment (where the user is "A") and the
rights, all on at first, to click off; the server's refusals are shown beside their field, nothing typed
is lost; on success the dialog closes with the new row (the invitation mail is the server's). While it saves
it cannot be cancelled: the answer must reach the page, which shows it and refreshes the matrix."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.admin import AccessCreated, AdminApi
from coffreo_desktop.client.errors import ApiError, SessionExpired
from coffreo_desktop.client.models import AgencyInfo
from coffreo_desktop.domain.rights import MATRIX_ORDER, Right
from coffreo_desktop.gui import errors
from coffreo_desktop.gui.i18n import domain_text
from coffreo_desktop.gui.tasks import Task

#: Which field a server refusal belongs to ("" is the general line under the form).
_FIELD_OF_CODE = {
    "invalid_email": "email",
    "duplicate_access": "email",
    "account_disabled": "email",
    "invalid_name": "name",
    "no_rights": "rights",
}


class AccessDialog(QDialog):
    """The creation form; ``created`` carries the server's answer, then the dialog accepts."""

    created = Signal(object)  # AccessCreated

    def __init__(
        self,
        api: AdminApi,
        agencies: tuple[AgencyInfo, ...],
        agency_id: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("accessDialog")
        self.setWindowTitle(self.tr("Créer un accès"))
        self.api = api
        self.result_access: AccessCreated | None = None
        self.saving = False
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.first_name = QLineEdit(self, objectName="accessFirstName")
        self.last_name = QLineEdit(self, objectName="accessLastName")
        self.email = QLineEdit(self, objectName="accessEmail")
        self.email.setPlaceholderText(self.tr("prenom.nom@exemple.fr"))
        self.agency = QComboBox(self, objectName="accessAgency")
        self.agency.setPlaceholderText(self.tr("Choisissez un établissement…"))
        for agency in agencies:
            self.agency.addItem(agency.name, agency.id)
        # Several establishments and none chosen on the page: the user picks one, none is taken for them.
        chosen = self.agency.findData(agency_id) if agency_id is not None else -1
        self.agency.setCurrentIndex(0 if chosen < 0 and len(agencies) == 1 else chosen)
        self.name_error = self._error_label("accessNameError")
        self.email_error = self._error_label("accessEmailError")
        form.addRow(self.tr("&Prénom"), self.first_name)
        form.addRow(self.tr("&Nom"), self.last_name)
        form.addRow("", self.name_error)
        form.addRow(self.tr("&E-mail"), self.email)
        form.addRow("", self.email_error)
        form.addRow(self.tr("É&tablissement"), self.agency)
        layout.addLayout(form)

        box = QGroupBox(self.tr("Droits (tous accordés : décochez ceux qui ne sont pas voulus)"), self)
        grid = QGridLayout(box)
        self.right_boxes: dict[Right, QCheckBox] = {}
        for position, right in enumerate(MATRIX_ORDER):
            check = QCheckBox(f"{right.value} — {domain_text(right.label)}", box)
            check.setObjectName(f"accessRight{right.value}")
            check.setChecked(True)
            self.right_boxes[right] = check
            grid.addWidget(check, position // 2, position % 2)
        layout.addWidget(box)
        self.rights_error = self._error_label("accessRightsError")
        layout.addWidget(self.rights_error)
        self.general_error = self._error_label("accessGeneralError")
        layout.addWidget(self.general_error)

        buttons = QDialogButtonBox(self)
        self.create_button = QPushButton(self.tr("Créer l'accès"), self, objectName="createAccess")
        self.create_button.setProperty("role", "primary")
        self.create_button.setDefault(True)
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("Annuler"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.first_name.setFocus()

    def _error_label(self, name: str) -> QLabel:
        label = QLabel(self, objectName=name)
        label.setProperty("role", "error")
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.hide()
        return label

    def rights(self) -> list[Right]:
        return [right for right, check in self.right_boxes.items() if check.isChecked()]

    def _show(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def _clear_errors(self) -> None:
        for label in (self.name_error, self.email_error, self.rights_error, self.general_error):
            self._show(label, "")

    def submit(self) -> None:
        """ "Créer l'accès": local checks first (nothing is sent for an obviously empty form)."""
        if self.saving:
            return
        self._clear_errors()
        if not self.email.text().strip():
            self._show(self.email_error, self.tr("Saisissez l'adresse e-mail de la personne."))
            self.email.setFocus()
            return
        if not self.rights():
            self._show(self.rights_error, self.tr("Accordez au moins un droit sur l'établissement."))
            return
        agency_id = self.agency.currentData()
        if not isinstance(agency_id, int):
            self._show(self.general_error, self.tr("Choisissez un établissement."))
            return
        self._set_saving(True)
        work = self.api.create_access(
            agency_id, self.first_name.text(), self.last_name.text(), self.email.text(), self.rights()
        )
        Task(self, work).on_success(self._created).on_failure(self._refused).on_finished(
            lambda: self._set_saving(False)
        ).run()

    def reject(self) -> None:
        """Annuler, Échap or the title bar's cross: not while saving (the answer would be lost)."""
        if not self.saving:
            super().reject()

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        self.create_button.setEnabled(not saving)
        self.cancel_button.setEnabled(not saving)
        self.create_button.setText(self.tr("Création…") if saving else self.tr("Créer l'accès"))

    def _created(self, created: AccessCreated) -> None:
        self.result_access = created
        self.created.emit(created)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, SessionExpired) or not isinstance(exc, ApiError):
            errors.show_error(self, exc)  # back to the login dialog, or the dialog of an unexpected error
            return
        field = _FIELD_OF_CODE.get(exc.code, "")
        if exc.code == "validation_error" and any(e.get("field") == "email" for e in exc.errors):
            field = "email"
        label = {"email": self.email_error, "name": self.name_error, "rights": self.rights_error}.get(
            field, self.general_error
        )
        self._show(label, str(exc))
        if field == "email":
            self.email.setFocus()
            self.email.selectAll()
        elif field == "name":
            (self.last_name if self.first_name.text().strip() else self.first_name).setFocus()
