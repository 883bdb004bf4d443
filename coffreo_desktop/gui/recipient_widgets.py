"""The recipient widgets of "Diffusion libre" (F3.3, F3.4): :class:`RecipientPicker`, a field whose
suggestions come from the server as the user types, and :class:`RecipientPanel` ("Créer destinataire")."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.diffusion import DiffusionApi, Recipient
from coffreo_desktop.client.errors import SessionExpired
from coffreo_desktop.gui import errors, theme
from coffreo_desktop.gui.recipient_panel import RecipientPanel, danger_color
from coffreo_desktop.gui.tasks import Task

__all__ = ["RecipientPanel", "RecipientPicker"]

#: Typing pauses this long before the server is asked: one request per word, not per key.
DEBOUNCE_MS = 250
MIN_CHARS = 2
MAX_VISIBLE = 8
#: The suggestion's index in ``RecipientPicker.results``; absent on the "no result" line.
RESULT_ROLE = Qt.ItemDataRole.UserRole + 1


class RecipientPicker(QWidget):
    """Type a name, first name or matricule, pick a suggestion (Entrée, click, arrows): ``recipient_chosen``.

    Suggestions are the server's (``DiffusionApi.search_recipients``) for the issuer set by
    :meth:`set_agency`; without one the picker is disabled. An answer for text the user has since changed
    is dropped, so the list always matches what the field shows.
    """

    recipient_chosen = Signal(object)  # Recipient
    create_requested = Signal(str)  # the text typed, to pre-fill "Créer destinataire"

    def __init__(self, api: DiffusionApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.agency_id: int | None = None
        #: The suggestions shown, and the text they answer (None: nothing shown).
        self.results: list[Recipient] = []
        self.results_text: str | None = None
        self.searching = False
        # Each search and each edit takes a new number; an answer carrying an older one is stale.
        self._generation = 0

        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("Nom, prénom ou matricule…"))
        self.edit.setAccessibleName(self.tr("Rechercher un destinataire"))
        self.edit.setClearButtonEnabled(True)
        self.edit.setMaxLength(80)  # the server's limit for the search text
        self._search_action = self.edit.addAction(
            theme.icon("search"), QLineEdit.ActionPosition.LeadingPosition
        )
        self.create_button = QPushButton(theme.icon("user"), self.tr("Créer destinataire"), self)
        self.create_button.setAccessibleName(self.tr("Créer un nouveau destinataire"))
        self.create_button.setToolTip(self.tr("Le destinataire n'existe pas encore : saisissez sa fiche."))
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setObjectName("recipientSearchStatus")
        self.status_label.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.edit, 1)
        row.addWidget(self.create_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.status_label)
        self.setFocusProxy(self.edit)

        # The completer is given the field with setWidget only, not QLineEdit.setCompleter: the field then
        # neither filters the list itself nor copies a highlighted suggestion into the text.
        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(MAX_VISIBLE)
        self.completer.setWidget(self.edit)
        self.completer.activated[QModelIndex].connect(self._on_activated)  # type: ignore[index]
        popup = self.completer.popup()
        assert popup is not None  # QCompleter makes its list view at construction
        self.popup = popup
        self.popup.setAccessibleName(self.tr("Destinataires proposés"))

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.search_now)
        self.edit.textEdited.connect(self._on_text_edited)
        self.edit.returnPressed.connect(self._on_return)
        self.edit.installEventFilter(self)
        self.create_button.clicked.connect(lambda: self.create_requested.emit(self.edit.text().strip()))
        theme.on_theme_changed(self._refresh_icons)
        self.set_agency(None)

    # ---- public ----------------------------------------------------------------------------------
    def set_agency(self, agency_id: int | None) -> None:
        """The issuer whose employees are suggested; None disables the picker (choose the issuer first)."""
        self.agency_id = agency_id
        enabled = agency_id is not None
        self.edit.setEnabled(enabled)
        self.create_button.setEnabled(enabled)
        reason = "" if enabled else self.tr("Choisissez d'abord l'émetteur (agence ou établissement).")
        self.edit.setToolTip(reason)
        self.setToolTip(reason)
        self.create_button.setToolTip(
            self.tr("Le destinataire n'existe pas encore : saisissez sa fiche.") if enabled else reason
        )
        self._forget_results()
        self._show_status("")
        if enabled and len(self.edit.text().strip()) >= MIN_CHARS:
            self._debounce.start()  # the same text, now for another issuer's employees

    def search_now(self) -> None:
        """Ask the server for the current text at once (the debounce timer ends here)."""
        self._debounce.stop()
        text = self.edit.text().strip()
        if self.agency_id is None or len(text) < MIN_CHARS:
            self._forget_results()
            return
        self._generation += 1
        generation, agency_id = self._generation, self.agency_id
        self.searching = True
        (
            Task(self, self.api.search_recipients(agency_id, text))
            .on_success(lambda found: self._on_found(generation, text, found))
            .on_failure(lambda exc: self._on_failed(generation, exc))
            .run()
        )

    def choose(self, recipient: Recipient) -> None:
        """Announce ``recipient`` and empty the field for the next one."""
        self._debounce.stop()
        self.edit.clear()
        self._forget_results()
        self._show_status("")
        self.recipient_chosen.emit(recipient)
        self.edit.setFocus()

    def popup_visible(self) -> bool:
        return self.popup.isVisible()

    # ---- typing ----------------------------------------------------------------------------------
    def _on_text_edited(self, text: str) -> None:
        self._show_status("")
        if len(text.strip()) < MIN_CHARS:
            self._debounce.stop()
            self._forget_results()
            return
        self._generation += 1  # an answer on its way is for older text now
        self.searching = True
        self._debounce.start()

    def _on_return(self) -> None:
        # With the list open the completer handles Entrée itself (it sees the key after the field).
        if self.popup_visible():
            return
        if self.results_text == self.edit.text().strip() and self.results:
            if len(self.results) == 1:
                self.choose(self.results[0])
            else:
                self._show_popup()
        elif len(self.edit.text().strip()) >= MIN_CHARS:
            self.search_now()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Flèche bas in the field reopens the list the user closed with Échap.
        if (
            watched is self.edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and not self.popup_visible()
            and self.model.rowCount()
        ):
            self._show_popup()
            return True
        return super().eventFilter(watched, event)

    # ---- answers ---------------------------------------------------------------------------------
    def _on_found(self, generation: int, text: str, found: list[Recipient]) -> None:
        if generation != self._generation:
            return  # the user typed on: this answer is for text no longer shown
        self.searching = False
        self.results, self.results_text = list(found), text
        self.model.clear()
        for row, recipient in enumerate(found):
            item = QStandardItem(theme.icon("user"), f"{recipient.label}  ·  {recipient.email}")
            item.setData(row, RESULT_ROLE)
            item.setToolTip(recipient.email)
            item.setEditable(False)
            self.model.appendRow(item)
        if not found:
            empty = QStandardItem(self.tr("Aucun destinataire trouvé"))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)  # information, not a choice
            font = QFont(empty.font())
            font.setItalic(True)
            empty.setFont(font)
            self.model.appendRow(empty)
        if self.isVisible():
            self._show_popup()

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.searching = False
        if isinstance(exc, SessionExpired):
            errors.show_error(self, exc)  # back to the login dialog
            return
        if errors.is_user_facing(exc):
            self._show_status(self.tr("La recherche a échoué : {detail}").format(detail=str(exc)), error=True)
        else:
            self._show_status(self.tr("La recherche a échoué (erreur inattendue)."), error=True)
            errors.report_exception(exc)

    def _on_activated(self, index: QModelIndex) -> None:
        row = index.data(RESULT_ROLE)
        if row is None or not 0 <= int(row) < len(self.results):
            return  # "Aucun destinataire trouvé"
        # Chosen once the completer is done with its model: choosing empties that model.
        recipient = self.results[int(row)]
        QTimer.singleShot(0, self, lambda: self.choose(recipient))

    # ---- display ---------------------------------------------------------------------------------
    def _show_popup(self) -> None:
        self.completer.setCompletionPrefix("")
        self.completer.complete(self.edit.rect())
        # The first suggestion is current, so that Entrée takes it; the "no result" line never is.
        first = self.completer.completionModel().index(0, 0)
        self.popup.setCurrentIndex(first if self.results else QModelIndex())

    def _forget_results(self) -> None:
        self._generation += 1
        self.searching = False
        self.results, self.results_text = [], None
        self.model.clear()
        self.popup.hide()

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {danger_color()};" if error else "")
        self.status_label.setVisible(bool(text))

    def _refresh_icons(self, _dark: bool = False) -> None:
        self._search_action.setIcon(theme.icon("search"))
        self.create_button.setIcon(theme.icon("user"))
