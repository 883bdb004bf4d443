"""The steps of the campaign wizard (F4.4) but the documents: target and name, triggers and filters,
dates, summary. Each page checks itself with domain.campaigns' rules before "Suivant"."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from coffreo_desktop.client.campaigns import CampaignOptions, Scope
from coffreo_desktop.domain import campaigns as rules
from coffreo_desktop.gui.i18n import fill_in

#: The cadre / non-cadre filter of the contract trigger, in the server's values.
CADRE_CHOICES = ("all", "cadre", "non_cadre")
#: The fields of domain.campaigns' errors each page answers for.
TARGET_FIELDS = frozenset({"name"})
TRIGGER_FIELDS = frozenset({"on_payslips", "on_contracts", "cadre_filter", "client_filter_id"})
DATE_FIELDS = frozenset({"starts_on", "ends_on"})


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class CheckedPage(QWizardPage):
    """A page with a message area (role "error") where its French validation messages appear."""

    def __init__(self, title: str, subtitle: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.layout_ = QVBoxLayout(self)
        self.message = QLabel(self)
        self.message.setObjectName("pageMessage")
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        self.message.setVisible(False)

    def finish_layout(self) -> None:
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.message)

    def show_messages(self, messages: Sequence[str]) -> bool:
        """Show ``messages`` (none: hide the area); True when there was none."""
        self.message.setText("\n".join(messages))
        self.message.setVisible(bool(messages))
        return not messages

    def errors_for(self, fields: frozenset[str], errors: Iterable[rules.FieldError]) -> list[str]:
        return list(dict.fromkeys(text for field, text in errors if field in fields))


class TargetPage(CheckedPage):
    """(1) The agency or brand the campaign is for (chosen before opening), and its name."""

    def __init__(self, scope: Scope, validate: Callable[[], list[rules.FieldError]]) -> None:
        super().__init__(
            self.tr("Cible et nom"),
            self.tr("La diffusion concerne les salariés de la cible ; donnez-lui un nom parlant."),
        )
        self._validate = validate
        kind = self.tr("Diffusion Marque") if scope.kind == "brand" else self.tr("Diffusion Agence")
        self.target = QLabel(f"{kind} — {scope.name}", self)
        self.target.setObjectName("targetLabel")
        self.target.setProperty("role", "heading")
        self.name = QLineEdit(self)
        self.name.setObjectName("nameEdit")
        self.name.setMaxLength(rules.MAX_NAME)
        self.name.setPlaceholderText(self.tr("Ex. : Notice mutuelle 2026"))
        form = QFormLayout()
        form.addRow(self.tr("Cible :"), self.target)
        form.addRow(self.tr("Nom de la diffusion :"), self.name)
        self.layout_.addLayout(form)
        self.finish_layout()

    def validatePage(self) -> bool:
        return self.show_messages(self.errors_for(TARGET_FIELDS, self._validate()))


class TriggersPage(CheckedPage):
    """(2) Payslips and/or contracts; the retroactive option; the contract filters."""

    def __init__(self, options: CampaignOptions, validate: Callable[[], list[rules.FieldError]]) -> None:
        super().__init__(
            self.tr("Déclencheurs"),
            self.tr("Les documents partent avec le prochain bulletin ou contrat de chaque salarié."),
        )
        self._validate = validate
        self.payslips = QCheckBox(self.tr("Bulletins de paie"), self)
        self.payslips.setObjectName("payslipsCheck")
        self.contracts = QCheckBox(self.tr("Contrats"), self)
        self.contracts.setObjectName("contractsCheck")
        self.retroactive = QCheckBox(self.tr("Envoyer à une date antérieure"), self)
        self.retroactive.setObjectName("retroactiveCheck")
        retro_help = QLabel(
            self.tr(
                "Les salariés ayant déjà reçu un bulletin ou un contrat depuis la date de début "
                "(jusqu'à 3 mois en arrière) reçoivent aussi les documents."
            ),
            self,
        )
        retro_help.setProperty("role", "muted")
        retro_help.setWordWrap(True)
        for widget in (self.payslips, self.contracts):
            self.layout_.addWidget(widget)

        self.contract_box = QWidget(self)
        box = QFormLayout(self.contract_box)
        box.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        box.setContentsMargins(24, 0, 0, 0)
        cadre_row = QHBoxLayout()
        self.cadre_group = QButtonGroup(self)
        labels = (self.tr("Tous"), self.tr("Cadres"), self.tr("Non-cadres"))
        self.cadre_buttons: dict[str, QRadioButton] = {}
        for value, label in zip(CADRE_CHOICES, labels, strict=True):
            button = QRadioButton(label, self.contract_box)
            button.setObjectName(f"cadre_{value}")
            self.cadre_group.addButton(button)
            self.cadre_buttons[value] = button
            cadre_row.addWidget(button)
        cadre_row.addStretch(1)
        self.cadre_buttons["all"].setChecked(True)
        box.addRow(self.tr("Salariés :"), cadre_row)
        self.client = QComboBox(self.contract_box)
        self.client.setObjectName("clientCombo")
        self.client.addItem(self.tr("Toutes les entreprises clientes"), None)
        for client_id, name in options.clients:
            self.client.addItem(name, client_id)
        client_label = QLabel(self.tr("Contrats de mission pour :"), self.contract_box)
        box.addRow(client_label, self.client)
        client_label.setVisible(bool(options.clients))
        self.client.setVisible(bool(options.clients))
        self.layout_.addWidget(self.contract_box)
        self.layout_.addSpacing(12)
        self.layout_.addWidget(self.retroactive)
        self.layout_.addWidget(retro_help)
        self.contracts.toggled.connect(self.contract_box.setEnabled)
        self.contract_box.setEnabled(False)
        self.finish_layout()

    def cadre_filter(self) -> str:
        return next((value for value, b in self.cadre_buttons.items() if b.isChecked()), "all")

    def set_cadre_filter(self, value: str) -> None:
        self.cadre_buttons.get(value, self.cadre_buttons["all"]).setChecked(True)

    def client_filter_id(self) -> int | None:
        value = self.client.currentData()
        return value if self.contracts.isChecked() and isinstance(value, int) else None

    def set_client_filter(self, client_id: int | None, name: str | None) -> None:
        index = self.client.findData(client_id) if client_id is not None else 0
        if index < 0:  # a client the options no longer list (a duplicate of an old campaign): kept
            self.client.addItem(name or fill_in(self.tr("Entreprise n° %1"), str(client_id)), client_id)
            self.client.setVisible(True)
            index = self.client.count() - 1
        self.client.setCurrentIndex(index)

    def validatePage(self) -> bool:
        return self.show_messages(self.errors_for(TRIGGER_FIELDS, self._validate()))


class DatesPage(CheckedPage):
    """(4) Start date and optional end date; a start in the past only with the retroactive option."""

    def __init__(
        self, today: date, retroactive: Callable[[], bool], validate: Callable[[], list[rules.FieldError]]
    ) -> None:
        super().__init__(
            self.tr("Dates"),
            self.tr("Sans date de fin, la diffusion continue jusqu'à ce qu'elle soit clôturée."),
        )
        self.today = today
        self._retroactive = retroactive
        self._validate = validate
        self.start = self._date_edit("startDateEdit", today)
        self.has_end = QCheckBox(self.tr("Date de fin :"), self)
        self.has_end.setObjectName("endCheck")
        self.end = self._date_edit("endDateEdit", today)
        self.end.setEnabled(False)
        self.has_end.toggled.connect(self.end.setEnabled)
        self.bound = QLabel(self)
        self.bound.setObjectName("startBound")
        self.bound.setProperty("role", "muted")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.tr("Date de début :"), self.start)
        form.addRow("", self.bound)
        form.addRow(self.has_end, self.end)
        self.layout_.addLayout(form)
        self.finish_layout()

    def _date_edit(self, name: str, day: date) -> QDateEdit:
        edit = QDateEdit(to_qdate(day), self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        # Not clamped to the allowed range: a date out of bounds is explained on the page, not changed.
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setMinimumWidth(140)
        return edit

    def initializePage(self) -> None:
        earliest = rules.earliest_start(self.today, self._retroactive())
        if self._retroactive():
            text = fill_in(
                self.tr("Au plus tôt le %1 (envoi à une date antérieure)."), f"{earliest:%d/%m/%Y}"
            )
        else:
            text = self.tr("Aujourd'hui ou plus tard.")
        self.bound.setText(text)

    def starts_on(self) -> date:
        return from_qdate(self.start.date())

    def ends_on(self) -> date | None:
        return from_qdate(self.end.date()) if self.has_end.isChecked() else None

    def set_dates(self, starts_on: date | None, ends_on: date | None) -> None:
        self.start.setDate(to_qdate(starts_on or self.today))
        self.has_end.setChecked(ends_on is not None)
        self.end.setDate(to_qdate(ends_on or starts_on or self.today))

    def validatePage(self) -> bool:
        return self.show_messages(self.errors_for(DATE_FIELDS, self._validate()))


class SummaryPage(CheckedPage):
    """(5) Everything chosen, before "Lancer la diffusion", "Sauvegarder" or "Supprimer"."""

    def __init__(self, summary_html: Callable[[], str]) -> None:
        super().__init__(
            self.tr("Récapitulatif"),
            self.tr("Vérifiez la diffusion, puis lancez-la ou sauvegardez-la pour plus tard."),
        )
        self._summary_html = summary_html
        self.summary = QLabel(self)
        self.summary.setObjectName("summaryLabel")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.progress_label = QLabel(self)
        self.progress_label.setProperty("role", "muted")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("saveProgress")
        self.reload_button = QPushButton(
            self.tr("Recharger la diffusion (vos changements non enregistrés seront perdus)"), self
        )
        self.reload_button.setObjectName("reloadButton")
        self.layout_.addWidget(self.summary)
        self.finish_layout()
        row = QHBoxLayout()
        row.addWidget(self.progress_label)
        row.addWidget(self.progress, 1)
        self.layout_.addLayout(row)
        reload_row = QHBoxLayout()
        reload_row.addWidget(self.reload_button)
        reload_row.addStretch(1)
        self.layout_.addLayout(reload_row)
        self.set_progress(None)
        self.reload_button.setVisible(False)

    def initializePage(self) -> None:
        self.summary.setText(self._summary_html())
        self.show_messages([])
        self.reload_button.setVisible(False)

    def set_progress(self, text: str | None, done: int = 0, total: int = 0) -> None:
        for widget in (self.progress_label, self.progress):
            widget.setVisible(text is not None)
        self.progress_label.setText(text or "")
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
