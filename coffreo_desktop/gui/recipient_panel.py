"""The "Créer destinataire" side panel of Diffusion libre (F3.4): every field required, the identity warning,
checks before sending, and the server's refusals shown next to each field, the form kept as typed."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from string import Template
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QButtonGroup,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.diffusion import CIVILITIES, RECIPIENT_FIELDS, DiffusionApi, Recipient
from coffreo_desktop.client.errors import ApiError, SessionExpired
from coffreo_desktop.gui import errors, theme
from coffreo_desktop.gui.tasks import Task

# The server's rules (services/diffusion_recipients.py parse()), checked here only to answer at once.
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}")
_MATRICULE = re.compile(r"[A-Za-z0-9_./-]{1,20}")
_NAME = re.compile(r"[^\W\d_]+(?:[ '’-][^\W\d_]+)*")
MAX_LENGTHS = {"first_name": 80, "last_name": 80, "matricule": 20, "email": 254, "phone": 30, "address": 200}
#: The date edit's "empty" value: one day before the oldest birth date the server accepts.
NO_DATE = QDate(1899, 12, 31)
#: Where typing a birth date starts from (its day section is selected, the digits typed replace it).
TYPING_START = QDate(1990, 1, 1)


def colors() -> dict[str, str]:
    return theme.DARK if theme.is_dark() else theme.LIGHT


def danger_color() -> str:
    return colors()["danger"]


# The panel's own look, on top of resources/style.qss: a surface beside the page, date edits drawn like
# the line edits, field errors in red.
_PANEL_STYLE = Template(
    """
#recipientPanel, #recipientPanelBody { background: $surface; }
#recipientPanel { border-left: 1px solid $border; }
QDateEdit {
    background: $surface; color: $text; border: 1px solid $border; border-radius: 5px; padding: 4px 0;
}
QDateEdit QLineEdit { border: none; padding: 0; background: transparent; }
QDateEdit::up-button, QDateEdit::down-button {
    width: 0; border: none; image: none; subcontrol-origin: border;
}
QDateEdit:focus { border-color: $accent; }
QDateEdit[empty="true"] { color: $muted; }
QLabel[role="fieldError"] { color: $danger; }
QLineEdit[invalid="true"], QDateEdit[invalid="true"] { border-color: $danger; }
"""
)


def set_property(widget: QWidget, name: str, value: bool) -> None:
    """Set a property the stylesheet selects on, and restyle the widget (Qt does not do it by itself)."""
    if widget.property(name) != value:
        widget.setProperty(name, value)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def field_of(error: Mapping[str, Any]) -> str:
    """The form field a server error names: "field" (problem+json of this server) or the end of "loc"."""
    if isinstance(error.get("field"), str):
        return str(error["field"]).rsplit(".", 1)[-1]
    loc = error.get("loc")
    return str(loc[-1]) if isinstance(loc, list | tuple) and loc else ""


class RecipientPanel(QWidget):
    """ "Créer destinataire": :meth:`open_for` shows it empty (or pre-filled from the searched text);
    it hides itself and emits ``created`` (the new Recipient) on success, ``closed`` on Annuler or Échap."""

    created = Signal(object)  # Recipient
    closed = Signal()

    def __init__(self, api: DiffusionApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.agency_id: int | None = None
        self.busy = False
        self.setObjectName("recipientPanel")
        self.setMinimumWidth(400)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._apply_style()
        theme.on_theme_changed(self._apply_style)

        title = QLabel(self.tr("Créer destinataire"), self)
        title.setProperty("role", "heading")
        intro = QLabel(self.tr("Tous les champs sont obligatoires."), self)
        intro.setProperty("role", "muted")
        self.warning_label = QLabel(
            self.tr(
                "<b>Attention :</b> le matricule et l'adresse e-mail identifient la personne. "
                "Une erreur enverrait ses documents à quelqu'un d'autre : vérifiez-les."
            ),
            self,
        )
        self.warning_label.setProperty("role", "notice")
        self.warning_label.setWordWrap(True)

        self.male = QRadioButton(CIVILITIES[0], self)
        self.female = QRadioButton(CIVILITIES[1], self)
        self.civility_group = QButtonGroup(self)
        for button in (self.male, self.female):
            self.civility_group.addButton(button)
        civility_box = QWidget(self)
        civility_row = QHBoxLayout(civility_box)
        civility_row.setContentsMargins(0, 2, 0, 2)
        civility_row.setSpacing(18)
        civility_row.addWidget(self.male)
        civility_row.addWidget(self.female)
        civility_row.addStretch(1)
        civility_box.setAccessibleName(self.tr("Civilité"))

        self.line_edits: dict[str, QLineEdit] = {}
        for name, placeholder in (
            ("first_name", ""),
            ("last_name", ""),
            ("matricule", self.tr("ex. : M12345")),
            ("email", self.tr("prenom.nom@exemple.fr")),
            ("phone", self.tr("06 12 34 56 78")),
            ("address", self.tr("N°, rue, code postal, ville")),
        ):
            edit = QLineEdit(self)
            edit.setMaxLength(MAX_LENGTHS[name])
            edit.setPlaceholderText(placeholder)
            self.line_edits[name] = edit
        self.birth_date = QDateEdit(self)
        self.birth_date.setDisplayFormat("dd/MM/yyyy")
        self.birth_date.setMinimumDate(NO_DATE)
        self.birth_date.setSpecialValueText(self.tr("jj/mm/aaaa"))
        self.birth_date.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        # The stylesheet draws the box; the text keeps the line edits' indent (a spin box ignores padding).
        line = self.birth_date.lineEdit()
        if line is not None:
            line.setTextMargins(7, 0, 0, 0)
        self.birth_date.installEventFilter(self)
        self.birth_date.dateChanged.connect(
            lambda date: set_property(self.birth_date, "empty", date <= NO_DATE)
        )

        #: The input widget of each field, in the server's names and the form's order.
        widgets: dict[str, QWidget] = {"civility": civility_box, "birth_date": self.birth_date}
        widgets.update(self.line_edits)
        self.inputs = {name: widgets[name] for name in RECIPIENT_FIELDS}
        labels = {
            "civility": self.tr("Civilité"),
            "first_name": self.tr("Prénom"),
            "last_name": self.tr("Nom"),
            "matricule": self.tr("Matricule"),
            "email": self.tr("E-mail"),
            "phone": self.tr("Téléphone"),
            "birth_date": self.tr("Date de naissance"),
            "address": self.tr("Adresse"),
        }
        self.field_errors: dict[str, QLabel] = {}
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.setHorizontalSpacing(12)
        self.form.setVerticalSpacing(10)
        for name, widget in self.inputs.items():
            if isinstance(widget, QLineEdit | QDateEdit):
                widget.setAccessibleName(labels[name])
            # Each field's message sits right under it, shown only when there is one.
            error = QLabel(self)
            error.setProperty("role", "fieldError")
            error.setWordWrap(True)
            error.hide()
            self.field_errors[name] = error
            cell = QVBoxLayout()
            cell.setSpacing(3)
            cell.addWidget(widget)
            cell.addWidget(error)
            label = QLabel(labels[name], self)
            label.setBuddy(self.male if name == "civility" else widget)
            # As tall as the field, text centred: the label faces the field, not the field and its message.
            label.setFixedHeight(widget.sizeHint().height())
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            self.form.addRow(label, cell)

        self.form_error = QLabel(self)
        self.form_error.setProperty("role", "error")
        self.form_error.setWordWrap(True)
        self.form_error.hide()
        self.cancel_button = QPushButton(self.tr("Annuler"), self)
        self.cancel_button.setToolTip(self.tr("Fermer sans créer (Échap)"))
        self.create_button = QPushButton(self.tr("Créer"), self)
        self.create_button.setProperty("role", "primary")
        self.create_button.setToolTip(self.tr("Créer le destinataire (Ctrl+Entrée)"))
        self.create_button.setAutoDefault(False)
        self.cancel_button.setAutoDefault(False)

        body = QWidget(self)
        body.setObjectName("recipientPanelBody")
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(10)
        body_layout.addWidget(intro)
        body_layout.addWidget(self.warning_label)
        body_layout.addLayout(self.form)
        body_layout.addStretch(1)
        scroll = QScrollArea(self)  # a small screen still reaches every field
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.form_error)
        layout.addLayout(buttons)

        order = [self.male, self.female, *self.inputs.values(), self.create_button, self.cancel_button]
        order.remove(civility_box)
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

        self.create_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.cancel)
        self.line_edits["address"].returnPressed.connect(self.submit)
        self.clear()
        self.set_agency(None)

    # ---- public ----------------------------------------------------------------------------------
    def set_agency(self, agency_id: int | None) -> None:
        """The issuer the recipient is created for; without one, "Créer" is disabled."""
        self.agency_id = agency_id
        self._update_create_button()

    def open_for(self, text: str = "") -> None:
        """Show the panel with an empty form; ``text`` (what was searched) pre-fills the matricule when it
        looks like one (it holds a digit), or the name when it is only letters."""
        self.clear()
        text = text.strip()
        if text and any(c.isdigit() for c in text) and _MATRICULE.fullmatch(text):
            self.line_edits["matricule"].setText(text)
        elif text and _NAME.fullmatch(text):
            self.line_edits["last_name"].setText(text[: MAX_LENGTHS["last_name"]])
        self.show()
        self.male.setFocus()

    def clear(self) -> None:
        self.civility_group.setExclusive(False)  # an exclusive group cannot be emptied
        for button in (self.male, self.female):
            button.setChecked(False)
        self.civility_group.setExclusive(True)
        for edit in self.line_edits.values():
            edit.clear()
        self.birth_date.setMaximumDate(QDate.currentDate().addDays(-1))
        self.birth_date.setDate(NO_DATE)
        self._show_errors({}, "")

    def values(self) -> dict[str, str]:
        """The form as the server names its fields; an unset date is ""."""
        checked = self.civility_group.checkedButton()
        date = self.birth_date.date()
        return {
            "civility": checked.text() if checked is not None else "",
            **{name: edit.text().strip() for name, edit in self.line_edits.items()},
            "birth_date": "" if date <= NO_DATE else date.toString("yyyy-MM-dd"),
        }

    def submit(self) -> None:
        """Check, then create; a second call while the first request runs does nothing (no double submit)."""
        if self.busy or self.agency_id is None:
            return
        values = self.values()
        problems = self.check(values)
        self._show_errors(problems, self.tr("Corrigez les champs signalés.") if problems else "")
        if problems:
            return
        self.busy = True
        self._update_create_button()
        (
            Task(self, self.api.create_recipient(self.agency_id, values))
            .on_success(self._on_created)
            .on_failure(self._on_failed)
            .on_finished(self._on_finished)
            .run()
        )

    def cancel(self) -> None:
        self.hide()
        self.closed.emit()

    def check(self, values: Mapping[str, str]) -> dict[str, str]:
        """The refusals the form can tell without the server, by field (French)."""
        required = {
            "civility": self.tr("Choisissez la civilité."),
            "first_name": self.tr("Le prénom est obligatoire."),
            "last_name": self.tr("Le nom est obligatoire."),
            "matricule": self.tr("Le matricule est obligatoire."),
            "email": self.tr("L'adresse e-mail est obligatoire."),
            "phone": self.tr("Le téléphone est obligatoire."),
            "birth_date": self.tr("La date de naissance est obligatoire."),
            "address": self.tr("L'adresse est obligatoire."),
        }
        problems = {name: message for name, message in required.items() if not values.get(name)}
        if "email" not in problems and not _EMAIL.fullmatch(values["email"]):
            problems["email"] = self.tr(
                "L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr)."
            )
        return problems

    # ---- answers ---------------------------------------------------------------------------------
    def _on_created(self, recipient: Recipient) -> None:
        self.clear()
        self.hide()
        self.created.emit(recipient)

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, SessionExpired):
            errors.show_error(self, exc)
            return
        if not isinstance(exc, ApiError):
            self._show_errors({}, self.tr("Le destinataire n'a pas pu être créé (erreur inattendue)."))
            errors.report_exception(exc)
            return
        by_field: dict[str, str] = {}
        others: list[str] = []
        for error in exc.errors:
            name, message = field_of(error), str(error.get("message") or error.get("msg") or "")
            if name in self.inputs:
                by_field[name] = f"{by_field[name]} {message}" if name in by_field else message
            elif message:
                others.append(message)
        if exc.code == "matricule_taken":
            by_field["matricule"] = self.tr("Ce matricule est déjà pris.")
            summary = str(exc)
        elif by_field:
            summary = " ".join([self.tr("Le serveur a refusé certains champs : corrigez-les."), *others])
        else:
            summary = " ".join([str(exc), *others])
        self._show_errors(by_field, summary)

    def _on_finished(self) -> None:
        self.busy = False
        self._update_create_button()

    # ---- display ---------------------------------------------------------------------------------
    def _show_errors(self, by_field: Mapping[str, str], summary: str) -> None:
        first: QWidget | None = None
        for name, label in self.field_errors.items():
            message = by_field.get(name, "")
            label.setText(message)
            label.setVisible(bool(message))
            widget = self.inputs[name]
            if isinstance(widget, QLineEdit | QDateEdit):
                set_property(widget, "invalid", bool(message))
            if message and first is None:
                first = self.male if name == "civility" else widget
        self.form_error.setText(summary)
        self.form_error.setVisible(bool(summary))
        if first is not None:
            first.setFocus()

    def _apply_style(self, _dark: bool = False) -> None:
        self.setStyleSheet(_PANEL_STYLE.substitute(colors()))

    def _update_create_button(self) -> None:
        self.create_button.setEnabled(self.agency_id is not None and not self.busy)
        if self.agency_id is None:
            self.create_button.setToolTip(self.tr("Choisissez d'abord l'émetteur (agence ou établissement)."))
        else:
            self.create_button.setToolTip(self.tr("Créer le destinataire (Ctrl+Entrée)"))

    # ---- keyboard --------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Keys the fields do not use come up here: Échap closes, Ctrl+Entrée creates from any field.
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
        elif enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.submit()
        else:
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not (watched is self.birth_date and isinstance(event, QKeyEvent)):
            return super().eventFilter(watched, event)
        if event.type() != QEvent.Type.KeyPress:
            return False
        # Tab leaves the date as it leaves any other field (a date edit would walk its day, month and
        # year first; typing fills them one after the other anyway).
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            self.focusNextPrevChild(event.key() == Qt.Key.Key_Tab)
            return True
        # "jj/mm/aaaa" cannot be typed into: the first digit starts from a real date with the day
        # selected, so that "14071985" reads 14/07/1985.
        if event.text().isdigit() and self.birth_date.date() <= NO_DATE:
            self.birth_date.setDate(TYPING_START)
            self.birth_date.setSelectedSection(QDateTimeEdit.Section.DaySection)
        return False
