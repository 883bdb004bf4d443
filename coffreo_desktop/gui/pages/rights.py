"""'Droits et accès' (F6.1): the rights matrix of an establishment where the user is "A". A click, Espace or
Entrée toggles a cell, saved at once with a confirmation and "Annuler" (Ctrl+Z: the reverse change);
"+" (Ctrl+N) creates an access, the bin (Suppr) removes one after a confirmation; F5 reloads.
An answer that comes back once another establishment is shown only says what happened, in the status line."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.admin import (
    AccessCreated,
    AccessNotFound,
    AdminApi,
    RightsChanged,
    RightsMatrix,
    UserRights,
)
from coffreo_desktop.client.errors import ApiError, SessionExpired
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.services import Feature
from coffreo_desktop.gui import errors, theme
from coffreo_desktop.gui.access_dialog import AccessDialog
from coffreo_desktop.gui.establishment_choice import admin_agencies, chosen_agency_id, establishment_combo
from coffreo_desktop.gui.i18n import counted, fill_in
from coffreo_desktop.gui.pages import Page, PageContext
from coffreo_desktop.gui.rights_delegate import RightsMatrixView
from coffreo_desktop.gui.rights_model import (
    ELSEWHERE_COLUMN,
    FIRST_RIGHT_COLUMN,
    NAME_COLUMN,
    REMOVE_COLUMN,
    RightsMatrixModel,
    right_of,
)
from coffreo_desktop.gui.rights_undo import REDO, TOGGLE, UNDO, ToggleCommand
from coffreo_desktop.gui.tasks import Task

UNDO_LINK = "undo"
RETRY_LINK = "retry"


class RightsPage(Page):
    feature = Feature.RIGHTS

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.api = AdminApi(context.session.api)
        self.agencies = admin_agencies(context.me)
        self.undo_stack = QUndoStack(self)
        self.loading = False
        self._load_serial = 0
        # Bumped whenever the matrix shown is dropped (another establishment, a failed load): the answers
        # of saves sent before are then only reported, never applied nor pushed onto the history.
        self.generation = 0
        self._generation_agency: int | None = None
        self._saved_rows: dict[tuple[int, int], UserRights] = {}  # (agency, user): answered while loading
        self.confirm_box: QMessageBox | None = None
        self.access_dialog: AccessDialog | None = None
        self._build()
        self._install_shortcuts()

    # ---- layout --------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Établissement :"), self))
        self.agency_combo = establishment_combo(self, self.agencies, "rightsAgency")
        bar.addWidget(self.agency_combo)
        bar.addStretch(1)
        self.add_button = QPushButton(self.tr("+ Créer un accès"), self, objectName="addAccess")
        self.add_button.setToolTip(self.tr("Créer l'accès d'une personne à l'établissement (Ctrl+N)"))
        self.add_button.setProperty("role", "primary")
        self.refresh_button = QPushButton(theme.icon("refresh"), self.tr("Actualiser"), self)
        self.refresh_button.setToolTip(self.tr("Actualiser (F5)"))
        bar.addWidget(self.add_button)
        bar.addWidget(self.refresh_button)
        layout.addLayout(bar)
        self.count_label = QLabel(self, objectName="rightsCount")
        self.count_label.setProperty("role", "heading")
        layout.addWidget(self.count_label)

        self.model = RightsMatrixModel(self)
        self.table = RightsMatrixView(self)
        self.table.setModel(self.model)
        self.empty_label = QLabel(self, objectName="rightsEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setProperty("role", "muted")
        self.empty_label.setTextFormat(Qt.TextFormat.RichText)
        self.empty_label.linkActivated.connect(self._link)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)
        layout.addWidget(self.stack, 1)
        self.status = QLabel(self, objectName="rightsStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.linkActivated.connect(self._link)
        layout.addWidget(self.status)

        self.agency_combo.activated.connect(lambda _i: self.reload())
        self.add_button.clicked.connect(self.open_create)
        self.refresh_button.clicked.connect(self.reload)
        self.table.toggle_requested.connect(self.toggle)
        self.table.remove_requested.connect(self.confirm_remove)
        self._show_empty(self.tr("Choisissez un établissement où vous êtes administrateur."))
        theme.on_theme_changed(self._theme_changed)

    def _theme_changed(self, _dark: bool) -> None:
        self.model.refresh_icons()
        self.table.viewport().update()

    def _install_shortcuts(self) -> None:
        for keys, slot in (
            (QKeySequence(Qt.Key.Key_F5), self.reload),
            (QKeySequence("Ctrl+N"), self.open_create),
            (QKeySequence.StandardKey.Undo, self.undo),
            (QKeySequence.StandardKey.Redo, self.redo),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # ---- agency and loading --------------------------------------------------------------------------
    def set_agency(self, agency_id: int | None) -> None:
        """Follow the window's selector when the user is "A" there; otherwise ask for an establishment."""
        super().set_agency(agency_id)
        index = self.agency_combo.findData(agency_id) if agency_id is not None else -1
        if index < 0 and len(self.agencies) == 1:
            index = 0  # one establishment to administer: no need to ask
        self.agency_combo.setCurrentIndex(index)
        self.reload()

    def current_agency_id(self) -> int | None:
        return chosen_agency_id(self.agency_combo)

    def reload(self) -> None:
        """F5: the matrix of the chosen establishment, again from the server."""
        agency_id = self.current_agency_id()
        self._load_serial += 1
        serial = self._load_serial
        if agency_id != self._generation_agency:
            # Nothing of the establishment left may stay on screen, clickable, while the next one loads.
            self._drop_matrix()
            self._generation_agency = agency_id
        if agency_id is None:
            self.loading = False
            self.count_label.clear()
            self._show_empty(
                self.tr("Choisissez un établissement où vous êtes administrateur.")
                if self.agencies
                else self.tr("Vous n'êtes administrateur d'aucun établissement.")
            )
            return
        self.loading = True
        self._saved_rows.clear()
        self.count_label.setText(self.tr("Chargement…"))
        if self.model.agency_id is None:
            self._show_empty(self.tr("Chargement des droits…"))
        Task(self, self.api.matrix(agency_id)).on_success(lambda m: self._loaded(serial, m)).on_failure(
            lambda exc: self._load_failed(serial, exc)
        ).run()

    def _drop_matrix(self) -> None:
        """The matrix shown is gone: a new generation, so that late answers touch nothing of the next."""
        self.generation += 1
        self.model.clear()
        self.undo_stack.clear()  # Ctrl+Z must never change an establishment no longer shown
        self._saved_rows.clear()

    def _loaded(self, serial: int, matrix: RightsMatrix) -> None:
        if serial != self._load_serial:
            return  # an older answer: another establishment was chosen meanwhile
        self.loading = False
        self.model.set_matrix(matrix)
        # A save answered while the list was on its way is newer than the list.
        shown = {u.user_id for u in matrix.users}
        for (agency_id, user_id), row in self._saved_rows.items():
            if agency_id == matrix.agency_id and user_id in shown:
                self.model.replace_user(row)
        self._show_count()
        if not self.model.users:
            return
        if not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, FIRST_RIGHT_COLUMN))
        header = self.table.horizontalHeader()
        for column in (NAME_COLUMN, NAME_COLUMN + 1):
            self.table.resizeColumnToContents(column)
        for column in range(FIRST_RIGHT_COLUMN, ELSEWHERE_COLUMN):
            header.resizeSection(column, 46)
        header.resizeSection(REMOVE_COLUMN, 36)
        header.setSectionResizeMode(ELSEWHERE_COLUMN, QHeaderView.ResizeMode.Stretch)

    def _load_failed(self, serial: int, exc: BaseException) -> None:
        if serial != self._load_serial:
            return
        self.loading = False
        self.count_label.clear()
        # No stale matrix under the name of the establishment chosen: the reason, and a way to try again.
        self._drop_matrix()
        detail = str(exc) if isinstance(exc, ApiError) else self.tr("erreur inattendue.")
        retry = f'<a href="{RETRY_LINK}">{self.tr("Réessayer")}</a>'
        self._show_empty(
            fill_in(
                self.tr("Les droits de l'établissement %1 n'ont pas pu être chargés : %2<br><br>%3 (F5)"),
                html.escape(self._agency_name(self.current_agency_id())),
                html.escape(detail),
                retry,
            )
        )
        if isinstance(exc, SessionExpired) or not isinstance(exc, ApiError):
            self._report(exc)  # back to the login dialog, or the dialog of an unexpected error

    def _agency_name(self, agency_id: int | None) -> str:
        agency = self.context.me.agency(agency_id) if agency_id is not None else None
        return agency.name if agency is not None else str(agency_id or "")

    def _show_count(self) -> None:
        total = len(self.model.users)
        self.count_label.setText(counted(total, self.tr("accès"), self.tr("accès")) if total else "")
        if total:
            self.stack.setCurrentWidget(self.table)
        else:
            self._show_empty(
                self.tr("Personne n'a encore d'accès à cet établissement : créez-en un avec « + ».")
            )

    def _show_empty(self, text: str) -> None:
        self.empty_label.setText(text)
        self.stack.setCurrentWidget(self.empty_label)

    # ---- one cell ------------------------------------------------------------------------------------
    def toggle(self, index: QModelIndex) -> None:
        """Click, Espace or Entrée on a right cell: the opposite state, saved at once."""
        right = right_of(index.column())
        user = self.model.user_at(index.row())
        agency_id = self.model.agency_id
        if right is None or user is None or agency_id is None or agency_id != self.current_agency_id():
            return
        self.send(agency_id, user, right, right not in user.rights, kind=TOGGLE)

    def send(self, agency_id: int, user: UserRights, right: Right, granted: bool, *, kind: str) -> None:
        """PUT one cell (``expected`` is the opposite state); nothing while that cell is already saving.
        ``kind`` is TOGGLE, UNDO or REDO."""
        if self.model.is_pending(user.user_id, right, agency_id):
            return
        generation = self.generation
        self.model.set_pending(agency_id, user.user_id, right, True)
        work = self.api.set_right(agency_id, user.user_id, right, granted, not granted)
        Task(self, work).on_success(
            lambda row: self._saved(generation, agency_id, row, right, granted, kind)
        ).on_failure(lambda exc: self._refused(generation, agency_id, user, exc, kind)).on_finished(
            lambda: self.model.set_pending(agency_id, user.user_id, right, False)
        ).run()

    def _saved(
        self, generation: int, agency_id: int, row: UserRights, right: Right, granted: bool, kind: str
    ) -> None:
        name = html.escape(row.full_name)
        if generation != self.generation:
            # Another establishment (or none) is shown now: its matrix and history are not this answer's.
            text = (
                self.tr("%1 : droit %2 accordé à %3.") if granted else self.tr("%1 : droit %2 retiré à %3.")
            )
            self.status.setText(fill_in(text, html.escape(self._agency_name(agency_id)), right.value, name))
            return
        self.model.replace_user(row)
        self._saved_rows[(agency_id, row.user_id)] = row
        if kind == UNDO:
            text = (
                self.tr("Annulé : droit %1 de nouveau accordé à %2.")
                if granted
                else self.tr("Annulé : droit %1 de nouveau retiré à %2.")
            )
        elif kind == REDO:
            text = (
                self.tr("Rétabli : droit %1 de nouveau accordé à %2.")
                if granted
                else self.tr("Rétabli : droit %1 de nouveau retiré à %2.")
            )
        else:
            self.undo_stack.push(ToggleCommand(self.send, agency_id, row, right, granted))
            text = self.tr("Droit %1 accordé à %2") if granted else self.tr("Droit %1 retiré à %2")
            name += f' — <a href="{UNDO_LINK}">{self.tr("Annuler")}</a>'
        self.status.setText(fill_in(text, right.value, name))

    def _refused(
        self, generation: int, agency_id: int, user: UserRights, exc: BaseException, kind: str
    ) -> None:
        if generation != self.generation:
            # Nothing shown is this establishment's any more: only say what was not saved, and where.
            text = errors.inline_text(self, exc)
            if text is not None:
                where = html.escape(self._agency_name(agency_id))
                self.status.setText(fill_in(self.tr("%1 : non enregistré. %2"), where, html.escape(text)))
            return
        self._report(exc)
        if kind != TOGGLE:
            # QUndoStack moved its index before the server answered: the history no longer matches what
            # the server holds, and a redo would resend a stale change.
            self.undo_stack.clear()
            if not isinstance(exc, (RightsChanged, AccessNotFound)):
                self.reload()  # last_right, last_admin, network...: show the server's state
        if isinstance(exc, RightsChanged):
            # The later of two administrators sees the current state; nothing of theirs was written.
            if exc.current is None:
                self.model.remove_user(user.user_id)
            else:
                self.model.replace_user(exc.current)
            self.undo_stack.clear()  # the history no longer matches what the server holds
        elif isinstance(exc, AccessNotFound):
            self.undo_stack.clear()
            self.reload()

    def _link(self, link: str) -> None:
        if link == UNDO_LINK:
            self.undo()
        elif link == RETRY_LINK:
            self.reload()

    def undo(self) -> None:
        """Ctrl+Z or "Annuler": the reverse change of the last toggle (not while a save is on its way,
        whose answer could contradict it)."""
        if self.model.has_pending():
            self.status.setText(self.tr("Enregistrement en cours : réessayez dans un instant."))
            return
        self.undo_stack.undo()

    def redo(self) -> None:
        if not self.model.has_pending():
            self.undo_stack.redo()

    def _report(self, exc: BaseException) -> None:
        """A refusal of the server in the status line; anything else (session expired...) the usual way."""
        text = errors.inline_text(self, exc)
        if text is not None:
            self.status.setText(html.escape(text))

    # ---- accesses ------------------------------------------------------------------------------------
    def open_create(self) -> AccessDialog | None:
        """ "+": the creation form on the chosen establishment."""
        if not self.agencies:
            return None
        dialog = AccessDialog(self.api, self.agencies, self.current_agency_id(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.created.connect(self._access_created)
        dialog.finished.connect(lambda _result: self.table.setFocus())  # back to the matrix, keyboard first
        self.access_dialog = dialog
        dialog.open()
        return dialog

    def _access_created(self, created: AccessCreated) -> None:
        user = created.user
        if created.mail == "invitation":
            text = self.tr("Accès créé pour %1 : une invitation a été envoyée à %2.")
        else:
            text = self.tr("Accès ajouté pour %1 : un e-mail l'en informe (%2).")
        self.status.setText(fill_in(text, html.escape(user.full_name), html.escape(user.email)))
        self.reload()

    def confirm_remove(self, row: int) -> QMessageBox | None:
        """The bin or Suppr: asks, naming the person and the establishment, before removing."""
        user = self.model.user_at(row)
        agency_id = self.model.agency_id
        if user is None or agency_id is None or agency_id != self.current_agency_id():
            return None
        agency = self.context.me.agency(agency_id)
        question = fill_in(
            self.tr(
                "Supprimer l'accès de %1 (%2) à l'établissement %3 ? Tous ses droits sur cet établissement"
                " seront retirés."
            ),
            user.full_name,
            user.email,
            agency.name if agency is not None else str(agency_id),
        )
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Supprimer l'accès"), question, parent=self)
        box.setObjectName("removeAccessBox")
        yes = box.addButton(self.tr("Supprimer l'accès"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(QMessageBox.StandardButton.NoButton)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self._remove(agency_id, user) if button is yes else None)
        self.confirm_box = box
        box.open()
        return box

    def _remove(self, agency_id: int, user: UserRights) -> None:
        Task(self, self.api.remove_access(agency_id, user.user_id)).on_success(
            lambda _none: self._removed(agency_id, user)
        ).on_failure(lambda exc: self._remove_refused(exc)).run()

    def _removed(self, agency_id: int, user: UserRights) -> None:
        if self.model.agency_id == agency_id:
            self.model.remove_user(user.user_id)
            self._show_count()
        self.undo_stack.clear()  # the toggles of a removed access cannot be undone any more
        self.status.setText(fill_in(self.tr("Accès de %1 supprimé."), html.escape(user.full_name)))

    def _remove_refused(self, exc: BaseException) -> None:
        self._report(exc)
        if isinstance(exc, AccessNotFound):
            self.reload()  # removed meanwhile by a colleague: show what is left
