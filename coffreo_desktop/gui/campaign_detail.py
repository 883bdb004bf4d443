"""The detail of one campaign (F4.7): its configuration, its recipients with their delivery dates, a chart
of deliveries per day, and the export of the recipients of a date range (saved as CSV, or mailed)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.campaigns import Campaign, CampaignsApi, DailyCount
from coffreo_desktop.gui import errors
from coffreo_desktop.gui.campaign_chart import DeliveriesChart
from coffreo_desktop.gui.campaign_model import PARIS, DeliveriesModel, french_date, triggers_text
from coffreo_desktop.gui.i18n import counted
from coffreo_desktop.gui.tasks import Task


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def default_range(campaign: Campaign, today: date) -> tuple[date, date]:
    """From the campaign's first possible delivery (its retroactive start, or start) to today, or its end."""
    first = campaign.retroactive_from or campaign.starts_on or campaign.created_at.astimezone(PARIS).date()
    last = min(today, campaign.ends_on) if campaign.ends_on else today
    return min(first, last), last


class CampaignDetailDialog(QDialog):
    """Non-modal: a user may keep the detail of a campaign open beside the list."""

    exported = Signal(object)  # the saved Path
    mailed = Signal()

    def __init__(self, api: CampaignsApi, campaign: Campaign, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignDetail")
        self.api, self.campaign = api, campaign
        self.setWindowTitle(self.tr("Détail de la diffusion « %1 »").replace("%1", campaign.name))
        self.resize(980, 720)
        self.model = DeliveriesModel(api, campaign.id, self)
        self.chart = DeliveriesChart(self)
        self.export_task: Task[int] | None = None
        self._build()
        today = date.today()
        first, last = default_range(campaign, today)
        self.from_edit.setDate(_qdate(first))
        self.to_edit.setDate(_qdate(last))
        self.from_edit.dateChanged.connect(self.reload)
        self.to_edit.dateChanged.connect(self.reload)
        self.model.loaded.connect(self._count_loaded)
        self.model.failed.connect(lambda exc: errors.show_error(self, exc))
        self.reload()

    # ---- layout --------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        top = QWidget(splitter)
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self._configuration(), 1)
        chart_box = QGroupBox(self.tr("Remises par jour"), top)
        QVBoxLayout(chart_box).addWidget(self.chart)
        top_layout.addWidget(chart_box, 2)
        bottom = QWidget(splitter)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.from_edit, self.to_edit = QDateEdit(self), QDateEdit(self)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        bar.addWidget(QLabel(self.tr("Du"), self))
        bar.addWidget(self.from_edit)
        bar.addWidget(QLabel(self.tr("au"), self))
        bar.addWidget(self.to_edit)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("recipientCount")
        bar.addWidget(self.count_label, 1)
        self.csv_button = QPushButton(self.tr("Enregistrer en CSV…"), self)
        self.mail_button = QPushButton(self.tr("Recevoir par e-mail"), self)
        self.csv_button.clicked.connect(self.choose_csv_target)
        self.mail_button.clicked.connect(self.mail_export)
        bar.addWidget(self.csv_button)
        bar.addWidget(self.mail_button)
        bottom_layout.addLayout(bar)
        self.table = QTableView(self)
        self.table.setObjectName("recipientsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        bottom_layout.addWidget(self.table)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _configuration(self) -> QGroupBox:
        c = self.campaign
        box = QGroupBox(self.tr("Configuration"), self)
        form = QFormLayout(box)
        scope = self.tr("Marque") if c.scope == "brand" else self.tr("Agence")
        rows = [
            (self.tr("Statut"), c.status_label),
            (scope, c.scope_name),
            (self.tr("Déclencheurs"), triggers_text(c)),
            (self.tr("Début"), french_date(c.starts_on) or self.tr("Non fixé")),
            (self.tr("Fin"), french_date(c.ends_on) or self.tr("Jusqu'à la clôture")),
            (self.tr("Diffusion signée"), self.tr("Oui") if c.signed else self.tr("Non")),
            (self.tr("Créée par"), f"{c.created_by_name}, {c.created_at.astimezone(PARIS):%d/%m/%Y}"),
        ]
        if c.retroactive_from:
            rows.insert(4, (self.tr("Rétroactive depuis"), french_date(c.retroactive_from)))
        if c.closed_at:
            rows.append((self.tr("Clôturée le"), f"{c.closed_at.astimezone(PARIS):%d/%m/%Y %H:%M}"))
        documents = "\n".join(f"• {d.title} ({d.pages} p., {d.size / 1024:.0f} Ko)" for d in c.documents)
        rows.append((self.tr("Documents"), documents or self.tr("Aucun")))
        for label, value in rows:
            text = QLabel(value, box)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, text)
        return box

    # ---- data ----------------------------------------------------------------------------------------
    def date_range(self) -> tuple[date, date]:
        return _pydate(self.from_edit.date()), _pydate(self.to_edit.date())

    def reload(self) -> None:
        first, last = self.date_range()
        self.count_label.setText(self.tr("Chargement…"))
        self.model.load(first, last)
        Task(self, self.api.daily(self.campaign.id, first, last)).on_success(self._days_loaded).run()

    def _days_loaded(self, days: list[DailyCount]) -> None:
        self.chart.set_days(days)

    def _count_loaded(self, total: int) -> None:
        self.count_label.setText(counted(total, self.tr("destinataire"), self.tr("destinataires")))

    # ---- export --------------------------------------------------------------------------------------
    def choose_csv_target(self) -> None:
        first, last = self.date_range()
        suggested = f"diffusion-{self.campaign.id}-{first:%Y%m%d}-{last:%Y%m%d}.csv"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Enregistrer les destinataires"), suggested, self.tr("Fichier CSV (*.csv)")
        )
        if path:
            self.export_csv(Path(path))

    def export_csv(self, target: Path) -> None:
        first, last = self.date_range()
        self.csv_button.setEnabled(False)
        self.export_task = (
            Task(self, self.api.export_csv(self.campaign.id, first, last, target))
            .on_success(lambda _size: self.exported.emit(target))
            .on_finished(lambda: self.csv_button.setEnabled(True))
            .with_progress(self.tr("Export des destinataires…"), delay_ms=300, cancellable=True)
            .run()
        )

    def mail_export(self) -> None:
        first, last = self.date_range()
        self.mail_button.setEnabled(False)
        Task(self, self.api.mail_export(self.campaign.id, first, last)).on_success(
            lambda _: self._mailed()
        ).on_finished(lambda: self.mail_button.setEnabled(True)).run()

    def _mailed(self) -> None:
        self.mailed.emit()
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.windowTitle(),
            self.tr("La liste des destinataires vous sera envoyée par e-mail dans quelques instants."),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("mailExportBox")
        box.open()
