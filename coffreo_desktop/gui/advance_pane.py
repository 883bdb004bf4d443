"""The pane of one advance request (F5.3, F5.4, F5.7): the worker, the agency, the amount asked, the
maximum and how it was computed, the worker's comment and past requests; for a request still waiting,
the decision — accept (optionally a smaller amount: a partial acceptance) or refuse, with pre-filled
reasons edited into a comment. A colleague who was first (409) is named and the pane refreshes. An answer
is applied to the request it was sent for: the user may have opened another one meanwhile."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.advances import (
    AdvanceDetail,
    AdvanceRequest,
    AdvancesApi,
    AlreadyProcessed,
    Decision,
)
from coffreo_desktop.client.errors import ApiError, SessionExpired
from coffreo_desktop.domain.advances import (
    AmountError,
    Maximum,
    format_euros,
)
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.gui import errors
from coffreo_desktop.gui.advance_decision import DecisionForm
from coffreo_desktop.gui.advance_model import PastRequestsModel
from coffreo_desktop.gui.advance_widgets import asked_text, paris_text, state_text
from coffreo_desktop.gui.i18n import fill_in
from coffreo_desktop.gui.tasks import Task

#: 422 codes about the amount (domain AmountError codes, "amount_above_asked"): said under the amount.
AMOUNT_CODE_PREFIX = "amount_"
MAXIMUM_ZERO = "maximum_zero"


def maximum_explanation(limit: Maximum) -> str:
    """How the maximum was computed, in French, for the agency user to check it."""
    ceiling, granted = format_euros(limit.ceiling_cents), format_euros(limit.granted_cents)
    if limit.net_earned_cents is None:
        return fill_in(
            QCoreApplication.translate(
                "AdvancePane",
                "Aucune donnée de paie pour la période : seul le plafond de l'agence s'applique. "
                "Plafond %1, déjà accordé %2.",
            ),
            ceiling,
            granted,
        )
    share = limit.net_earned_cents * limit.percent // 100
    period = ""
    if limit.period_start and limit.period_end:
        period = fill_in(
            QCoreApplication.translate("AdvancePane", " du %1 au %2"),
            limit.period_start.strftime("%d/%m/%Y"),
            limit.period_end.strftime("%d/%m/%Y"),
        )
    return fill_in(
        QCoreApplication.translate(
            "AdvancePane",
            "%1 % du net gagné%2 (%3) = %4 ; plafond de l'agence %5 ; déjà accordé sur la période %6.",
        ),
        str(limit.percent),
        period,
        format_euros(limit.net_earned_cents),
        format_euros(share),
        ceiling,
        granted,
    )


class AdvancePane(QFrame):
    """One request, to process (``read_only`` False) or to look at; emits what happened."""

    processed = Signal(object)  # AdvanceRequest: decided here
    stale = Signal(int)  # request id: a colleague (or the worker) was first; the list must refresh
    close_requested = Signal()
    submitting_changed = Signal(bool)  # a decision is on its way (the page blocks switching meanwhile)

    def __init__(self, api: AdvancesApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("advancePane")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.api = api
        self.detail: AdvanceDetail | None = None
        self.read_only = True
        #: The id of the request whose title and fields are shown (its detail may still be loading).
        self.shown_id: int | None = None
        #: The id of the request whose decision is on its way, if any.
        self.in_flight: int | None = None
        self._generation = 0
        self._build()
        self.clear()

    # ---- layout --------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel(self, objectName="advanceTitle")
        self.title.setProperty("role", "heading")
        self.close_button = QPushButton(self.tr("Fermer"), self)
        self.close_button.clicked.connect(self.close_requested)
        top.addWidget(self.title, 1)
        top.addWidget(self.close_button)
        layout.addLayout(top)
        self.banner = self._label("advanceBanner", "error")
        layout.addWidget(self.banner)
        form = self.form = QFormLayout()
        self.agency_label = self._label("advanceAgencyLabel")
        self.created_label = self._label("advanceCreated")
        self.asked_label = self._label("advanceAsked")
        self.maximum_label = self._label("advanceMaximum")
        self.explanation = self._label("advanceExplanation", "muted")
        self.comment_label = self._label("advanceWorkerComment")
        self.state_label = self._label("advanceState")
        self.decision_label = self._label("advanceDecision")
        for name, widget in (
            (self.tr("Agence"), self.agency_label),
            (self.tr("Demandée le"), self.created_label),
            (self.tr("Montant demandé"), self.asked_label),
            (self.tr("Maximum possible"), self._maximum_box()),
            (self.tr("Commentaire du salarié"), self.comment_label),
            (self.tr("État"), self.state_label),
            (self.tr("Décision"), self.decision_label),
        ):
            form.addRow(name, widget)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Demandes précédentes du salarié"), self))
        self.past_model = PastRequestsModel(parent=self)
        self.past_table = QTableView(self, objectName="advancePast")
        self.past_table.setModel(self.past_model)
        self.past_table.verticalHeader().hide()
        self.past_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.past_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.past_table.setMaximumHeight(150)
        self.past_empty = self._label("advancePastEmpty", "muted")
        self.past_empty.setText(self.tr("Aucune autre demande."))
        layout.addWidget(self.past_table)
        layout.addWidget(self.past_empty)
        self.decision_box = DecisionForm(self)
        self.decision_box.submit_clicked.connect(self.submit)
        # The form's fields, reached from the pane (the page focuses the amount, tests type in them).
        form = self.decision_box
        self.accept_radio, self.refuse_radio = form.accept_radio, form.refuse_radio
        self.amount_edit, self.amount_error, self.partial_label = (
            form.amount_edit,
            form.amount_error,
            form.partial_label,
        )
        self.reason_combo, self.comment_edit, self.submit_button = (
            form.reason_combo,
            form.comment_edit,
            form.submit_button,
        )
        layout.addWidget(self.decision_box)
        layout.addStretch(1)

    def _maximum_box(self) -> QWidget:
        # The amount and how it was computed in one cell, so that they read (and hide) together.
        self.maximum_box = QWidget(self)
        column = QVBoxLayout(self.maximum_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.maximum_label)
        column.addWidget(self.explanation)
        return self.maximum_box

    def _label(self, name: str, role: str = "") -> QLabel:
        label = QLabel(self, objectName=name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if role:
            label.setProperty("role", role)
        return label

    @property
    def submitting(self) -> bool:
        return self.in_flight is not None

    def clear(self) -> None:
        self.detail = None
        self.shown_id = None
        self.title.setText(self.tr("Aucune demande sélectionnée"))
        self.banner.hide()
        self._clear_fields()

    def _clear_fields(self) -> None:
        # Another request's values must never show under this title (while loading, or after a failure).
        self.detail = None
        for label in (
            self.agency_label,
            self.created_label,
            self.asked_label,
            self.maximum_label,
            self.explanation,
            self.comment_label,
            self.state_label,
            self.decision_label,
        ):
            label.clear()
        self.past_model.set_rows(())
        self.past_table.hide()
        self.past_empty.hide()
        self.decision_box.hide()

    def show_request(self, request: AdvanceRequest, *, read_only: bool, banner: str = "") -> None:
        """Load the detail of ``request`` (its maximum now and its past); ``banner`` stays on top."""
        self._generation += 1
        generation = self._generation
        self.read_only = read_only
        if request.id != self.shown_id:
            self._clear_fields()
        self.shown_id = request.id
        self.title.setText(f"{request.last_name.upper()} {request.first_name} — {request.matricule}")
        self._set_banner(banner)
        self.decision_box.setEnabled(False)
        Task(self, self.api.detail(request.id)).on_success(
            lambda detail: self._loaded(generation, detail)
        ).on_failure(lambda exc: self._load_failed(generation, exc)).run()

    def _set_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def _load_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._clear_fields()
        if errors.is_user_facing(exc) and not isinstance(exc, SessionExpired):
            self._set_banner(fill_in(self.tr("Impossible d'afficher la demande : %1"), str(exc)))
        else:
            errors.show_error(self, exc)

    def _loaded(self, generation: int, detail: AdvanceDetail) -> None:
        if generation != self._generation:
            return  # the user opened another request meanwhile
        self.detail = detail
        request, limit = detail.request, detail.maximum
        self.agency_label.setText(request.agency_name)
        self.created_label.setText(paris_text(request.created_at))
        self.asked_label.setText(asked_text(request))
        self.maximum_label.setText(f"<b>{format_euros(limit.maximum_cents)}</b>")
        self.explanation.setText(maximum_explanation(limit))
        self.comment_label.setText(request.comment or self.tr("(aucun commentaire)"))
        self.state_label.setText(state_text(request))
        self.decision_label.setText(self._decision_text(request))
        waiting = request.state == AdvanceState.SENT
        self.form.setRowVisible(self.decision_label, not waiting)
        # The maximum matters to decide; once decided, today's maximum would only confuse.
        self.form.setRowVisible(self.maximum_box, waiting)
        self.past_model.set_rows(detail.past)
        self.past_table.setVisible(bool(detail.past))
        self.past_empty.setVisible(not detail.past)
        processable = not self.read_only and request.state == AdvanceState.SENT
        self.decision_box.setVisible(processable)
        if processable:
            self.decision_box.reset(request, limit)
            # One decision at a time: the button comes back when the one on its way is answered.
            self.submit_button.setEnabled(not self.submitting)

    def _decision_text(self, request: AdvanceRequest) -> str:
        if request.state == AdvanceState.CANCELLED:
            return fill_in(self.tr("Annulée par le salarié le %1."), paris_text(request.cancelled_at))
        if request.state == AdvanceState.SENT:
            return ""
        granted = ""
        if request.granted_cents is not None and request.state == AdvanceState.ACCEPTED:
            granted = fill_in(self.tr("%1 accordés. "), format_euros(request.granted_cents))
        who = fill_in(
            self.tr("Par %1 le %2."), request.decided_by_name or "—", paris_text(request.decided_at)
        )
        comment = f"\n« {request.decision_comment} »" if request.decision_comment else ""
        return f"{granted}{who}{comment}"

    def submit(self) -> None:
        """Confirm, then send the decision once (the button stays disabled until the answer)."""
        if self.detail is None or self.submitting or self.read_only:
            return
        request = self.detail.request
        form = self.decision_box
        accepting = form.accepting()
        try:
            cents = form.amount_cents() if accepting else None
        except AmountError as exc:
            form.show_amount_error(str(exc))
            return
        comment = self.comment_edit.toPlainText().strip()
        if not accepting and not comment:
            form.show_comment_error(self.tr("Indiquez le motif du refus au salarié."))
            return
        if not self._confirm(request, accepting, cents):
            return
        self.in_flight = request.id
        self.submit_button.setEnabled(False)
        form.show_form_error("")
        self.submitting_changed.emit(True)
        amount = self.amount_edit.text().strip() if accepting and cents is not None else None
        decision: Decision = "accept" if accepting else "refuse"
        # The answer goes with the request it was sent for, not with whatever the pane shows by then.
        Task(self, self.api.decide(request.id, decision, amount, comment, request.version)).on_success(
            lambda decided: self._decided(request, decided)
        ).on_failure(lambda exc: self._decision_failed(request, exc)).on_finished(self._submit_finished).run()

    def _confirm(self, request: AdvanceRequest, accepting: bool, cents: int | None) -> bool:
        who = f"{request.first_name} {request.last_name.upper()}"
        if accepting:
            amount = format_euros(cents) if cents is not None else asked_text(request)
            text = fill_in(self.tr("Accepter la demande de %1 pour %2 ?"), who, amount)
        else:
            text = fill_in(self.tr("Refuser la demande de %1 ?"), who)
        answer = QMessageBox.question(
            self,
            self.tr("Traiter la demande"),
            text + "\n" + self.tr("Le salarié sera prévenu par e-mail."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _submit_finished(self) -> None:
        self.in_flight = None
        self.submit_button.setEnabled(True)
        self.submitting_changed.emit(False)

    def _decided(self, sent: AdvanceRequest, decided: AdvanceRequest) -> None:
        self.processed.emit(decided)  # the list drops it whatever the pane shows now
        if self.shown_id == sent.id:
            self.show_request(decided, read_only=True)

    def _decision_failed(self, sent: AdvanceRequest, exc: BaseException) -> None:
        shown = self.shown_id == sent.id
        if isinstance(exc, AlreadyProcessed):
            self.stale.emit(sent.id)
            if shown:
                self.show_request(sent, read_only=True, banner=str(exc))
            return
        if isinstance(exc, ApiError) and exc.status == 422:
            if not shown:
                return  # the fields it is about are gone; the request is still in the list
            # Nothing is lost: the amount and the comment stay as typed; the reason beside what it is about.
            if exc.code.startswith(AMOUNT_CODE_PREFIX) or exc.code == MAXIMUM_ZERO:
                self.decision_box.show_amount_error(str(exc))
            else:
                self.decision_box.show_form_error(str(exc))
            return
        errors.show_error(self, exc)
