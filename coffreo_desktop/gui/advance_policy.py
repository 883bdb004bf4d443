"""'Règles de l'agence…' (F5.6): an administrator (right "A") sets the agency's advance policy — the
percentage of the net earned and the ceiling in euros. Loaded from the server, refused values are said in
the dialog and nothing typed is lost."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.advances import AdvancesApi, AgencyPolicy
from coffreo_desktop.client.errors import ApiError, SessionExpired
from coffreo_desktop.client.models import AgencyInfo
from coffreo_desktop.gui import errors
from coffreo_desktop.gui.i18n import fill_in
from coffreo_desktop.gui.tasks import Task


def euros_input(cents: int) -> str:
    """An amount as typed back in the field: "800" or "800,50"."""
    units, rest = divmod(cents, 100)
    return f"{units},{rest:02d}" if rest else str(units)


class AdvancePolicyDialog(QDialog):
    """Percent (1–100) and ceiling of one agency; ``saved`` holds the policy once the server took it."""

    def __init__(self, api: AdvancesApi, agency: AgencyInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("advancePolicyDialog")
        self.api = api
        self.agency = agency
        self.saved: AgencyPolicy | None = None
        self.setWindowTitle(fill_in(self.tr("Règles d'acompte — %1"), agency.name))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        explanation = QLabel(
            self.tr(
                "Le maximum qu'un salarié peut demander est le pourcentage ci-dessous du net gagné sur "
                "les heures déclarées depuis la dernière paie, moins les acomptes déjà accordés sur la "
                "période, dans la limite du plafond. Sans donnée de paie, seul le plafond s'applique."
            ),
            self,
        )
        explanation.setWordWrap(True)
        explanation.setProperty("role", "muted")
        layout.addWidget(explanation)
        form = QFormLayout()
        self.percent_spin = QSpinBox(self, objectName="policyPercent")
        self.percent_spin.setRange(1, 100)
        self.percent_spin.setSuffix(" %")
        self.ceiling_edit = QLineEdit(self, objectName="policyCeiling")
        self.ceiling_edit.setPlaceholderText(self.tr("par exemple 800 ou 800,50"))
        form.addRow(self.tr("Pourcentage du net gagné"), self.percent_spin)
        form.addRow(self.tr("Plafond par période (€)"), self.ceiling_edit)
        layout.addLayout(form)
        self.error_label = QLabel(self, objectName="policyError")
        self.error_label.setWordWrap(True)
        self.error_label.setProperty("role", "error")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(
            self.tr("Enregistrer"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setDefault(True)
        self.buttons.addButton(self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.loaded = False
        self._set_busy(True)
        Task(self, self.api.policy(agency.id)).on_success(self._loaded).on_failure(self._failed).run()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.percent_spin, self.ceiling_edit, self.save_button):
            widget.setEnabled(not busy)

    def _loaded(self, policy: AgencyPolicy) -> None:
        self.loaded = True
        self.percent_spin.setValue(policy.percent)
        self.ceiling_edit.setText(euros_input(policy.ceiling_cents))
        self._set_busy(False)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
        self.adjustSize()  # the line appears under the fields: the dialog grows instead of squeezing them

    def _failed(self, exc: BaseException) -> None:
        # Inline, with the values kept: the administrator corrects them and saves again.
        self._set_busy(not self.loaded)
        if isinstance(exc, ApiError) and not isinstance(exc, SessionExpired):
            self._show_error(str(exc))
        else:
            errors.show_error(self, exc)

    def save(self) -> None:
        if not self.loaded:
            return
        ceiling = self.ceiling_edit.text().strip()
        if not ceiling:
            self._show_error(self.tr("Indiquez le plafond en euros."))
            return
        self._show_error("")
        self._set_busy(True)
        Task(self, self.api.set_policy(self.agency.id, self.percent_spin.value(), ceiling)).on_success(
            self._saved
        ).on_failure(self._failed).run()

    def _saved(self, policy: AgencyPolicy) -> None:
        self.saved = policy
        self._set_busy(False)
        self.accept()
