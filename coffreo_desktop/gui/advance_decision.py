"""The decision part of the advance pane (F5.3): accept — optionally a smaller amount, a partial
acceptance said as such — or refuse, with the domain's pre-filled reasons that the user edits into the
comment sent to the worker — in French whatever the UI language, since workers read French. Amounts are
checked as the server will (format, > 0, within the maximum); the comment is capped at the server's limit."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.advances import AdvanceRequest
from coffreo_desktop.domain.advances import (
    ACCEPT_REASONS,
    MAX_COMMENT,
    PARTIAL_REASONS,
    REFUSE_REASONS,
    AmountError,
    Maximum,
    check_within_maximum,
    format_euros,
    parse_amount,
)
from coffreo_desktop.gui.i18n import domain_text, fill_in

#: Every pre-filled reason, as stored and as shown: a comment equal to one was not written by the user.
ALL_REASONS = frozenset(domain_text(r) for r in (*ACCEPT_REASONS, *PARTIAL_REASONS, *REFUSE_REASONS)) | {
    *ACCEPT_REASONS,
    *PARTIAL_REASONS,
    *REFUSE_REASONS,
}


class DecisionForm(QWidget):
    """The fields of a decision; the pane confirms and sends it on ``submit_clicked``."""

    submit_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request: AdvanceRequest | None = None
        self.limit: Maximum | None = None
        #: The server refuses longer comments (422): the field stops there.
        self.max_comment = MAX_COMMENT
        self._build()

    def _label(self, name: str, role: str) -> QLabel:
        label = QLabel(self, objectName=name)
        label.setWordWrap(True)
        label.setProperty("role", role)
        return label

    def _build(self) -> None:
        box = self
        form = QFormLayout(box)
        form.setContentsMargins(0, 8, 0, 0)
        heading = QLabel(self.tr("Traiter la demande"), box)
        heading.setProperty("role", "heading")
        form.addRow(heading)
        choice = QHBoxLayout()
        self.accept_radio = QRadioButton(self.tr("Accepter"), box, objectName="advanceAccept")
        self.refuse_radio = QRadioButton(self.tr("Refuser"), box, objectName="advanceRefuse")
        self.choice_group = QButtonGroup(box)
        for radio in (self.accept_radio, self.refuse_radio):
            radio.setProperty("role", "choice")
            self.choice_group.addButton(radio)
            choice.addWidget(radio)
        choice.addStretch(1)
        form.addRow(self.tr("Décision"), choice)
        self.amount_edit = QLineEdit(box, objectName="advanceAmount")
        self.amount_edit.setClearButtonEnabled(True)
        self.amount_error = self._label("advanceAmountError", "error")
        self.partial_label = self._label("advancePartial", "notice")
        self.partial_label.setText(self.tr("Acceptation partielle"))
        amount = QVBoxLayout()
        amount.setSpacing(2)
        for widget in (self.amount_edit, self.amount_error, self.partial_label):
            amount.addWidget(widget)
        form.addRow(self.tr("Montant accordé (€)"), amount)
        self.reason_combo = QComboBox(box, objectName="advanceReason")
        form.addRow(self.tr("Motif"), self.reason_combo)
        self.comment_edit = QPlainTextEdit(box, objectName="advanceComment")
        self.comment_edit.setFixedHeight(80)
        self.comment_error = self._label("advanceCommentError", "error")
        comment = QVBoxLayout()
        comment.addWidget(self.comment_edit)
        comment.addWidget(self.comment_error)
        form.addRow(self.tr("Commentaire au salarié"), comment)
        self.submit_button = QPushButton(box, objectName="advanceSubmit")
        self.submit_button.setProperty("role", "primary")
        form.addRow("", self.submit_button)
        # What the server refused that is not about the amount (a comment too long, a bad request).
        self.form_error = self._label("advanceDecisionError", "error")
        form.addRow("", self.form_error)
        self.accept_radio.toggled.connect(self._decision_changed)
        self.amount_edit.textChanged.connect(self._amount_changed)
        self.reason_combo.activated.connect(self._reason_chosen)
        self.comment_edit.textChanged.connect(self._cap_comment)
        self.submit_button.clicked.connect(self.submit_clicked)

    # ---- showing a request ---------------------------------------------------------------------------

    def reset(self, request: AdvanceRequest, limit: Maximum) -> None:
        """A fresh decision on ``request``: accept, the amount left empty (or the maximum when more was
        asked), the first reason as the comment."""
        self.request, self.limit = request, limit
        self.setEnabled(True)
        self.amount_error.hide()
        self.comment_error.hide()
        self.form_error.hide()
        asked = None if request.wants_maximum else request.amount_cents
        # Asked more than possible: the pane proposes the maximum (a partial acceptance) at once.
        proposed = "" if asked is None or asked <= limit.maximum_cents else _euros_input(limit.maximum_cents)
        hint = self.tr("Montant maximum") if asked is None else format_euros(asked)
        self.amount_edit.setPlaceholderText(fill_in(self.tr("Vide : %1"), hint))
        self.comment_edit.clear()
        # Emptied so that the reasons are filled again (and the first one pre-filled) for this request.
        self.reason_combo.clear()
        self.amount_edit.setText(proposed)
        self.accept_radio.setChecked(True)
        self._decision_changed()

    def accepting(self) -> bool:
        return self.accept_radio.isChecked()

    def amount_cents(self) -> int | None:
        """The amount typed (None: empty), raising AmountError for what the server would refuse."""
        text = self.amount_edit.text().strip()
        if not text:
            return None
        cents = parse_amount(text)
        if self.limit is not None:
            check_within_maximum(cents, self.limit)
        return cents

    def is_partial(self) -> bool:
        request = self.request
        if request is None or not self.accepting():
            return False
        asked = None if request.wants_maximum else request.amount_cents
        try:
            cents = self.amount_cents()
        except AmountError:
            return False
        return asked is not None and cents is not None and cents < asked

    def _reasons(self) -> tuple[str, ...]:
        if not self.accepting():
            return REFUSE_REASONS
        return PARTIAL_REASONS if self.is_partial() else ACCEPT_REASONS

    def _fill_reasons(self) -> None:
        reasons = self._reasons()
        if [self.reason_combo.itemData(n) for n in range(self.reason_combo.count())] == list(reasons):
            return
        self.reason_combo.clear()
        for reason in reasons:
            # Shown in the UI language; the French source (the item's data) goes to the worker.
            self.reason_combo.addItem(domain_text(reason), reason)
        # The comment follows the reasons only while the user has not written their own.
        current = self.comment_edit.toPlainText().strip()
        if not current or current in ALL_REASONS:
            self.comment_edit.setPlainText(reasons[0])

    def _reason_chosen(self, index: int) -> None:
        reason = self.reason_combo.itemData(index)
        self.comment_edit.setPlainText(
            reason if isinstance(reason, str) else self.reason_combo.itemText(index)
        )
        self.comment_error.hide()

    def _cap_comment(self) -> None:
        text = self.comment_edit.toPlainText()
        if len(text) <= self.max_comment:
            if text.strip():
                self.comment_error.hide()  # the user is writing: an earlier remark no longer applies
            return
        # A paste or a long typing stops at the limit; the cursor stays at the end of what is kept.
        self.comment_edit.blockSignals(True)
        self.comment_edit.setPlainText(text[: self.max_comment])
        self.comment_edit.blockSignals(False)
        self.comment_edit.moveCursor(self.comment_edit.textCursor().MoveOperation.End)
        self.show_comment_error(fill_in(self.tr("%1 caractères au plus."), str(self.max_comment)))

    def _decision_changed(self, *_: object) -> None:
        accepting = self.accepting()
        self.amount_edit.setEnabled(accepting)
        self._amount_changed()
        self.submit_button.setText(
            self.tr("Accepter la demande") if accepting else self.tr("Refuser la demande")
        )

    def _amount_changed(self, *_: object) -> None:
        error = ""
        if self.accepting():
            try:
                self.amount_cents()
            except AmountError as exc:
                error = str(exc)
        self.amount_error.setText(error)
        self.amount_error.setVisible(bool(error))
        partial = self.is_partial()
        self.partial_label.setVisible(partial)
        if partial:
            self.submit_button.setText(self.tr("Accepter partiellement"))
        elif self.accepting():
            self.submit_button.setText(self.tr("Accepter la demande"))
        self._fill_reasons()

    def show_amount_error(self, text: str) -> None:
        self.amount_error.setText(text)
        self.amount_error.show()
        self.amount_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_comment_error(self, text: str) -> None:
        self.comment_error.setText(text)
        self.comment_error.show()

    def show_form_error(self, text: str) -> None:
        """A refusal of the server that is not about the amount; what was typed stays."""
        self.form_error.setText(text)
        self.form_error.setVisible(bool(text))


def _euros_input(cents: int) -> str:
    """An amount as the user would type it back: "312,40"."""
    units, rest = divmod(cents, 100)
    return f"{units},{rest:02d}"
