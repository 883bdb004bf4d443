"""Small pieces shared by the advances page's two tabs and its pane: the filter bar (agency, dates), the
Paris-time and amount texts, and the CSV save with progress and cancel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from coffreo_desktop.client.advances import AdvanceFilters, AdvanceRequest
from coffreo_desktop.client.export import ExportCancelled
from coffreo_desktop.client.models import AgencyInfo
from coffreo_desktop.domain.advances import DECISION_LABELS, format_euros
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.gui import errors
from coffreo_desktop.gui.i18n import domain_text, fill_in, number, translate
from coffreo_desktop.gui.i18n import paris_text as _paris_text
from coffreo_desktop.gui.tasks import Task

CONTEXT = "AdvanceWidgets"
#: The earliest date of the date edits, shown as "—": no bound on that side.
NO_DATE = QDate(2000, 1, 1)
#: Typing a date changes it once per keystroke: the list reloads once the typing pauses.
DATE_DEBOUNCE_MS = 400


def paris_text(moment: datetime | None, with_time: bool = True) -> str:
    return _paris_text(moment, with_time)


def asked_text(request: AdvanceRequest) -> str:
    """The amount asked, or "Montant maximum" when the worker ticked it."""
    if request.wants_maximum or request.amount_cents is None:
        return translate("AdvanceWidgets", "Montant maximum")
    return format_euros(request.amount_cents)


def state_text(request: AdvanceRequest) -> str:
    """ "Acceptée", "Acceptée partiellement", "Refusée", "Annulée" or "Envoyée"."""
    decision = request.decision
    if decision is not None:
        return domain_text(DECISION_LABELS[decision])
    return (
        translate("AdvanceWidgets", "Annulée")
        if request.state == AdvanceState.CANCELLED
        else translate("AdvanceWidgets", "Envoyée")
    )


class FilterBar(QWidget):
    """Agency ("Toutes mes agences DA" or one) and a Paris date range on the request's date."""

    changed = Signal()

    def __init__(self, agencies: Sequence[AgencyInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.agency_combo = QComboBox(self)
        self.agency_combo.setObjectName("advanceAgency")
        self.agency_combo.addItem(self.tr("Toutes mes agences"), None)
        for agency in agencies:
            self.agency_combo.addItem(agency.name, agency.id)
        self._date_timer = QTimer(self)
        self._date_timer.setSingleShot(True)
        self._date_timer.setInterval(DATE_DEBOUNCE_MS)
        self._date_timer.timeout.connect(self.changed)
        self.date_from = self._date_edit("advanceDateFrom")
        self.date_to = self._date_edit("advanceDateTo")
        self.clear_button = QPushButton(self.tr("Toutes les dates"), self)
        self.clear_button.setProperty("role", "link")
        row.addWidget(QLabel(self.tr("Agence :"), self))
        row.addWidget(self.agency_combo)
        row.addSpacing(12)
        row.addWidget(QLabel(self.tr("Du"), self))
        row.addWidget(self.date_from)
        row.addWidget(QLabel(self.tr("au"), self))
        row.addWidget(self.date_to)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        self.agency_combo.currentIndexChanged.connect(lambda _: self.changed.emit())
        self.clear_button.clicked.connect(self.clear_dates)

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText("—")  # shown at the minimum date: no bound
        edit.setDate(NO_DATE)
        edit.dateChanged.connect(lambda _: self._date_timer.start())
        edit.editingFinished.connect(self._dates_settled)  # Entrée or leaving the field: no need to wait
        # A day picked in the calendar is a finished choice: no need to wait.
        edit.calendarWidget().clicked.connect(lambda _: self._dates_settled())
        edit.calendarWidget().installEventFilter(self)
        return edit

    def _dates_settled(self) -> None:
        if self._date_timer.isActive():
            self._date_timer.stop()
            self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # "No bound" is stored as 01/01/2000: the calendar opens on this month instead.
        if event.type() == QEvent.Type.Show:
            for edit in (self.date_from, self.date_to):
                calendar = edit.calendarWidget()
                if calendar is watched and edit.date() == NO_DATE:
                    today = QDate.currentDate()
                    calendar.setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)

    def clear_dates(self) -> None:
        self.set_dates(None, None)

    def set_dates(self, date_from: date | None, date_to: date | None) -> None:
        self.date_from.setDate(QDate(date_from) if date_from else NO_DATE)
        self.date_to.setDate(QDate(date_to) if date_to else NO_DATE)
        self._date_timer.stop()  # one reload for both dates, now
        self.changed.emit()

    def select_agency(self, agency_id: int | None) -> bool:
        """Follow the window's selector; an agency without DA here leaves the filter as it is."""
        index = self.agency_combo.findData(agency_id)
        if index < 0:
            return False
        self.agency_combo.setCurrentIndex(index)
        return True

    def filters(self) -> AdvanceFilters:
        def bound(edit: QDateEdit) -> date | None:
            value = edit.date()
            return None if value == NO_DATE else date(value.year(), value.month(), value.day())

        agency = self.agency_combo.currentData()
        return AdvanceFilters(
            agency if isinstance(agency, int) else None, bound(self.date_from), bound(self.date_to)
        )


def choose_csv(parent: QWidget, title: str, suggested: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(
        parent,
        title,
        str(Path.home() / suggested),
        QCoreApplication.translate(CONTEXT, "Fichiers CSV (*.csv)"),
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix else path.with_suffix(".csv")


SaveWork = Callable[[Callable[[int], None], Callable[[], bool]], Awaitable[int]]


def save_with_progress(
    parent: QWidget, label: str, work: SaveWork, target: Path, done: Callable[[str], None]
) -> Task[int]:
    """Run a CSV save with a cancellable progress dialog; ``done`` gets a French sentence for the status
    line; a failure (disk, server) is shown in French, a cancel says that nothing was left."""
    task: Task[int]

    async def run(report: Callable[[int, int, str], None]) -> int:
        def progress(written: int) -> None:
            report(
                written,
                0,
                fill_in(translate("AdvanceWidgets", "%1 octets écrits…"), number(written)),
            )

        return await work(progress, lambda: task.cancelled)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, ExportCancelled):
            done(str(exc))
        else:
            errors.show_error(parent, exc)

    task = Task(parent, run, reports_progress=True)
    task.on_success(
        lambda size: done(
            fill_in(
                translate("AdvanceWidgets", "Fichier enregistré : %1 (%2 octets)."),
                str(target),
                number(size),
            )
        )
    )
    task.on_failure(failed).with_progress(label, cancellable=True)
    return task.run()
