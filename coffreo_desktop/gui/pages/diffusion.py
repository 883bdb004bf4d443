"""'Diffusions / Diffusion libre' (F3): the issuer, the recipients, the files (chosen or dropped, checked in
the background, matched by the matricule in their names), the grouped table to fix them, and the review.

The state lives in :class:`DiffusionBatch`, the widgets in :class:`DiffusionLayout`, the background checks
in :class:`FileIntake`; this module connects them and holds the user's actions. Sending itself is
:mod:`coffreo_desktop.gui.diffusion_send_dialog`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget

from coffreo_desktop.client.diffusion import DiffusionApi, Recipient
from coffreo_desktop.client.diffusion_plan import RowStatus
from coffreo_desktop.client.models import AgencyInfo
from coffreo_desktop.client.settings import DEFAULT_MATRICULE_PATTERN, Settings
from coffreo_desktop.domain.documents import PROTECTION_RIGHTS, Protection
from coffreo_desktop.domain.rights import DIFFUSION_LIBRE_RIGHTS
from coffreo_desktop.domain.services import Feature, Service
from coffreo_desktop.gui import errors
from coffreo_desktop.gui.diffusion_batch import DiffusionBatch, DiffusionRow
from coffreo_desktop.gui.diffusion_intake import FileIntake, local_paths
from coffreo_desktop.gui.diffusion_layout import DiffusionLayout
from coffreo_desktop.gui.diffusion_model import FILE_COLUMN, GROUPS, ROW_ROLE, TITLE_COLUMN, DiffusionModel
from coffreo_desktop.gui.i18n import counted, domain_text
from coffreo_desktop.gui.pages import Page, PageContext
from coffreo_desktop.gui.tasks import Task

TABLE_PAGE, EMPTY_PAGE = 0, 1


def issuers(agencies: Iterable[AgencyInfo]) -> list[AgencyInfo]:
    """The agencies the user may send from: one of DL, DLP, DLS and the service subscribed."""
    return [
        a for a in agencies if a.rights & DIFFUSION_LIBRE_RIGHTS and Service.DIFFUSION_LIBRE in a.services
    ]


class DiffusionPage(Page):
    feature = Feature.DIFFUSION_LIBRE

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setAcceptDrops(True)
        self.api = DiffusionApi(context.session.api)
        self.issuers = issuers(context.me.agencies)
        self.batch = DiffusionBatch(pattern=Settings.load().matricule_pattern)
        self.model = DiffusionModel(self.batch, self)
        self.ui = DiffusionLayout(self, self.api, self.model, self._refusal)
        self.viewer: QWidget | None = None
        self.review_dialog: QDialog | None = None
        self.intake = FileIntake(self, self.batch, self.model, self.api, self._issuer_id)
        self._connect()
        self._fill_issuers()
        self._update_state()

    # ---- set-up ----------------------------------------------------------------------------------------
    def _connect(self) -> None:
        ui = self.ui
        ui.issuer_combo.currentIndexChanged.connect(self._issuer_changed)
        ui.picker.recipient_chosen.connect(self.add_chosen)
        ui.picker.create_requested.connect(self.ui.panel.open_for)
        ui.panel.created.connect(self.add_chosen)
        ui.chips.removed.connect(self.remove_chosen)
        ui.add_button.clicked.connect(self.choose_files)
        ui.pattern_button.clicked.connect(self.edit_matricule_pattern)
        ui.drop_zone.add_clicked.connect(self.choose_files)
        ui.stop_button.clicked.connect(self.stop_checking)
        self.intake.progress.connect(ui.show_progress)
        self.intake.finished.connect(self._update_state)
        self.intake.failed.connect(self.show_message)
        ui.apply_type_button.clicked.connect(self.apply_type_to_selection)
        ui.assign_button.clicked.connect(self.assign_to_selection)
        ui.remove_button.clicked.connect(self.remove_selection)
        ui.undo_button.clicked.connect(self.undo)
        ui.review_button.clicked.connect(self.review)
        ui.table.doubleClicked.connect(self._double_clicked)
        ui.title_delegate.edit_requested.connect(self.edit_title)
        ui.title_delegate.refused.connect(self.show_message)
        self.model.title_refused.connect(self.show_message)
        self.model.modelReset.connect(self._after_reset)
        self.model.counts_changed.connect(self._update_state)
        ui.table.selectionModel().selectionChanged.connect(self._update_actions)
        table = ui.table
        page_keys = (
            (QKeySequence(QKeySequence.StandardKey.Open), self.choose_files),
            (QKeySequence(QKeySequence.StandardKey.Undo), self.undo),
            (QKeySequence("Ctrl+Return"), self.review),
            (QKeySequence("Ctrl+T"), self.apply_type_to_selection),
            (QKeySequence("Ctrl+D"), self.assign_to_selection),
        )
        table_keys = (
            (QKeySequence(QKeySequence.StandardKey.Delete), self.remove_selection),
            (QKeySequence(Qt.Key.Key_F2), lambda: self.edit_title(table.currentIndex())),
            (QKeySequence(Qt.Key.Key_Return), lambda: self.preview(table.currentIndex())),
            (QKeySequence(Qt.Key.Key_Enter), lambda: self.preview(table.currentIndex())),
        )
        for owner, context, keys in (
            (self, Qt.ShortcutContext.WidgetWithChildrenShortcut, page_keys),
            (table, Qt.ShortcutContext.WidgetShortcut, table_keys),
        ):
            for sequence, slot in keys:
                shortcut = QShortcut(sequence, owner)
                shortcut.setContext(context)  # set after: the constructor's context argument is unreliable
                shortcut.activated.connect(slot)

    def _fill_issuers(self) -> None:
        combo = self.ui.issuer_combo
        combo.blockSignals(True)
        for agency in self.issuers:
            combo.addItem(f"{agency.name} ({agency.code})", agency.id)
        combo.blockSignals(False)
        if self.issuers:
            self._issuer_changed()

    # ---- issuer ----------------------------------------------------------------------------------------
    def issuer(self) -> AgencyInfo | None:
        agency_id = self.ui.issuer_combo.currentData()
        return next((a for a in self.issuers if a.id == agency_id), None)

    def _issuer_id(self) -> int | None:
        agency = self.issuer()
        return agency.id if agency is not None else None

    def set_agency(self, agency_id: int | None) -> None:
        """The window's agency selector: it becomes the issuer when the user may send from it."""
        super().set_agency(agency_id)
        position = self.ui.issuer_combo.findData(agency_id) if agency_id is not None else -1
        if position >= 0:
            self.ui.issuer_combo.setCurrentIndex(position)

    def set_issuer(self, agency_id: int) -> None:
        position = self.ui.issuer_combo.findData(agency_id)
        if position < 0:
            raise ValueError(f"agence {agency_id} : pas un émetteur possible")
        self.ui.issuer_combo.setCurrentIndex(position)

    # ---- the matricule pattern (F3.9: a setting with a sensible default) ------------------------------
    def edit_matricule_pattern(self) -> None:
        """Ask for the pattern (a regular expression, its first group the matricule) and apply it."""
        text, accepted = QInputDialog.getText(
            self,
            self.tr("Motif du matricule"),
            self.tr(
                "Expression régulière qui trouve le matricule dans le nom d'un fichier (son premier groupe "
                "s'il en a un). Par défaut : 4 à 10 chiffres qui ne touchent pas d'autres chiffres.\n"
                "Laissez vide pour revenir au motif par défaut."
            ),
            text=self.batch.pattern,
        )
        if accepted:
            problem = self.set_matricule_pattern(text)
            if problem:
                QMessageBox.warning(self, self.tr("Motif du matricule"), problem)

    def set_matricule_pattern(self, pattern: str) -> str | None:
        """Keep ``pattern`` in this workstation's settings and match every file again; a French reason
        when it is refused (nothing changed). Empty: back to the default."""
        pattern = pattern.strip() or DEFAULT_MATRICULE_PATTERN
        try:
            groups = re.compile(pattern).groups
        except re.error as exc:
            return self.tr("Ce motif n'est pas une expression régulière valable : {error}.").format(error=exc)
        if groups > 1:
            return self.tr("Le motif a au plus un groupe entre parenthèses : celui du matricule.")
        settings = Settings.load()
        settings.matricule_pattern = pattern
        try:
            settings.save()
        except OSError as exc:
            message = self.tr("Le réglage n'a pas pu être enregistré : {error}.")
            return message.format(error=exc.strerror or exc)
        if pattern != self.batch.pattern:
            self.batch.pattern = pattern
            self.model.rebuild()
            if self.batch.files:
                self.intake.rematch()
        return None

    def _refusal(self, protection: Protection) -> str | None:
        """Why ``protection`` cannot be chosen on the current issuer (the right it needs), or None."""
        agency = self.issuer()
        right = PROTECTION_RIGHTS[protection]
        if agency is not None and right in agency.rights:
            return None
        return self.tr("Droit {right} requis sur cette agence").format(right=right.value)

    def _issuer_changed(self) -> None:
        agency = self.issuer()
        agency_id = agency.id if agency is not None else None
        self.ui.picker.set_agency(agency_id)
        self.ui.panel.set_agency(agency_id)
        allowed = frozenset(p for p in Protection if self._refusal(p) is None)
        self.batch.change_issuer(allowed)
        self.ui.chips.set_recipients([])
        self.ui.fill_type_choice(self._refusal)
        self.model.rebuild()
        if self.batch.files:
            self.intake.rematch()  # every file again, for the new issuer's recipients

    def set_online(self, online: bool) -> None:
        """Back online: the matricules that could not be looked up are looked up now."""
        super().set_online(online)
        if online and self.batch.unknown_matricules():
            self.intake.rematch()

    # ---- recipients ------------------------------------------------------------------------------------
    def add_chosen(self, recipient: Recipient) -> None:
        """A recipient chosen (or just created): files without a known matricule go to each one chosen."""
        if all(r.id != recipient.id for r in self.batch.chosen):
            self.batch.chosen.append(recipient)
            self.ui.chips.set_recipients(self.batch.chosen)
            self.model.rebuild()

    def remove_chosen(self, recipient: Recipient) -> None:
        self.batch.chosen[:] = [r for r in self.batch.chosen if r.id != recipient.id]
        self.ui.chips.set_recipients(self.batch.chosen)
        self.model.rebuild()

    # ---- adding files ----------------------------------------------------------------------------------
    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Ajouter des fichiers"),
            "",
            self.tr("Documents PDF (*.pdf *.PDF);;Tous les fichiers (*)"),
        )
        if names:
            self.add_paths(Path(name) for name in names)

    def add_urls(self, urls: Iterable[QUrl]) -> None:
        """Dropped on the page or on the main window: the local files and folders are added."""
        self.add_paths(local_paths(urls))

    def add_paths(self, paths: Iterable[Path]) -> None:
        """Add files and folders (walked recursively); they are checked and matched in the background."""
        self.intake.add(paths)
        self._update_state()

    def is_busy(self) -> bool:
        """True while files are being walked, checked or matched."""
        return self.intake.busy()

    def stop_checking(self) -> None:
        """ "Arrêter": the files not checked yet are left out (the ones checked stay)."""
        self.intake.stop()

    # ---- drag and drop -----------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_paths(event.mimeData().urls()):
            event.acceptProposedAction()
            self.ui.drop_zone.set_dragging(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if local_paths(event.mimeData().urls()):
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.ui.drop_zone.set_dragging(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self.ui.drop_zone.set_dragging(False)
        paths = local_paths(event.mimeData().urls())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_paths(paths)

    # ---- table actions -----------------------------------------------------------------------------------
    def selected_rows(self) -> list[DiffusionRow]:
        indexes = self.ui.table.selectionModel().selectedRows(FILE_COLUMN)
        rows = (index.data(ROW_ROLE) for index in indexes)
        return [row for row in rows if isinstance(row, DiffusionRow)]

    def select_rows(self, rows: Iterable[DiffusionRow]) -> None:
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        selection = QItemSelection()
        for row in rows:
            index = self.model.index_of(row.key)
            if index.isValid():
                selection.select(index, index.siblingAtColumn(self.model.columnCount() - 1))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.ui.table.selectionModel().select(selection, flags)

    def apply_type_to_selection(self, protection: Protection | None = None) -> int:
        """ "Appliquer le type à la sélection": the chosen type on every selected row that can take it."""
        if not isinstance(protection, Protection):
            protection = Protection(self.ui.type_choice.currentData())
        reason = self._refusal(protection)
        if reason is not None:
            self.show_message(reason)
            return 0
        keys = [row.key for row in self.selected_rows() if row.status is not RowStatus.REFUSED]
        changed = self.model.set_protection(keys, protection)
        if changed:
            self.show_message(
                self.tr("{rows} : {type}.").format(
                    rows=counted(changed, self.tr("document"), self.tr("documents")),
                    type=domain_text(protection.label),
                )
            )
        return changed

    def assign_to_selection(self) -> None:
        """ "Attribuer un destinataire…" to the selected files that have none."""
        from coffreo_desktop.gui.diffusion_widgets import AssignRecipientDialog

        agency = self.issuer()
        rows = [row for row in self.selected_rows() if row.status is RowStatus.UNMATCHED]
        if agency is None or not rows:
            self.show_message(self.tr("Sélectionnez d'abord des fichiers « Sans destinataire »."))
            return
        dialog = AssignRecipientDialog(self.api, agency.id, len(rows), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: dialog.recipient and self.assign_recipient(dialog.recipient, rows))
        dialog.open()

    def assign_recipient(self, recipient: Recipient, rows: list[DiffusionRow] | None = None) -> int:
        """Send the unmatched ``rows`` (the selection's by default) to ``recipient``."""
        chosen = rows if rows is not None else self.selected_rows()
        paths = [row.path for row in chosen if row.status is RowStatus.UNMATCHED]
        if paths:
            self.batch.assign(paths, recipient)
            self.model.rebuild()
            files = counted(len(paths), self.tr("fichier attribué"), self.tr("fichiers attribués"))
            self._offer_undo(self.tr("{files} à {name}.").format(files=files, name=recipient.label))
        return len(paths)

    def remove_selection(self) -> int:
        """Suppr: the selected rows leave the table; "Annuler" (Ctrl+Z) brings them back."""
        rows = self.selected_rows()
        removed = self.batch.remove(row.key for row in rows)
        if removed:
            self.model.rebuild()
            rows_text = counted(removed, self.tr("ligne retirée"), self.tr("lignes retirées"))
            self._offer_undo(self.tr("{rows}.").format(rows=rows_text))
        return removed

    def undo(self) -> None:
        if self.batch.undo():
            self.model.rebuild()
            self.show_message(self.tr("Annulé."))

    def edit_title(self, index: QModelIndex) -> None:
        """The pencil (or F2): the title's inline editor."""
        if not index.isValid():
            return
        title = index.siblingAtColumn(TITLE_COLUMN)
        if title.flags() & Qt.ItemFlag.ItemIsEditable:
            self.ui.table.setCurrentIndex(title)
            self.ui.table.edit(title)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() == TITLE_COLUMN:  # a double click on the title edits it, elsewhere it previews
            self.edit_title(index)
        else:
            self.preview(index)

    def preview(self, index: QModelIndex) -> None:
        """Show the file in the PDF viewer (read in the background)."""
        row = index.data(ROW_ROLE) if index.isValid() else None
        if not isinstance(row, DiffusionRow) or not row.check.ok:
            return
        Task(self, lambda: row.path.read_bytes()).on_success(lambda data: self._show_preview(row, data)).run()

    def _show_preview(self, row: DiffusionRow, data: bytes) -> None:
        from coffreo_desktop.gui.viewer import ViewerWindow

        if not isinstance(self.viewer, ViewerWindow):
            self.viewer = ViewerWindow(self.window())
        self.viewer.show_document(data, title=row.title, file_name=row.file_name)
        self.viewer.show()
        self.viewer.raise_()

    # ---- review and send -----------------------------------------------------------------------------------
    def ready_rows(self) -> list[DiffusionRow]:
        """The rows "Prêts à envoyer", as the batch holds them now."""
        return [row for row in self.batch.rows() if row.status is RowStatus.READY]

    def review(self) -> None:
        """ "Vérifier et envoyer": the summary, then the send dialog."""
        from coffreo_desktop.gui.diffusion_review import ReviewDialog, summarise

        agency, rows = self.issuer(), self.ready_rows()
        if agency is None or not rows or self.is_busy():
            return
        summary = summarise(rows, self.model.count(RowStatus.UNMATCHED), self.model.count(RowStatus.REFUSED))
        dialog = ReviewDialog(summary, agency.name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: self.send(rows))
        dialog.open()
        self.review_dialog = dialog

    def send(self, rows: list[DiffusionRow]) -> None:
        from coffreo_desktop.gui.diffusion_send_dialog import start_send

        agency = self.issuer()
        if agency is None:
            return
        try:
            start_send(self, self.context, agency.id, agency.name, [row.send_item() for row in rows])
        except Exception as exc:  # the dialog says it; the table keeps its rows
            errors.show_error(self, exc)

    def on_sent(self, keys: set[str]) -> None:
        """The send dialog's callback: the delivered documents leave the table (for good)."""
        if self.batch.forget_sent(keys):
            self.model.rebuild()

    # ---- state shown -------------------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.ui.show_message(text, undo=False)

    def _offer_undo(self, text: str) -> None:
        self.ui.show_message(text, undo=True)

    def _after_reset(self) -> None:
        self.ui.after_reset()
        self._update_state()

    def _update_state(self) -> None:
        ready, unmatched, refused = (self.model.count(status) for status in GROUPS)
        has_rows = bool(ready or unmatched or refused)
        self.ui.stack.setCurrentIndex(TABLE_PAGE if has_rows or self.is_busy() else EMPTY_PAGE)
        self.ui.show_table_tools(has_rows)
        self.ui.summary_label.setText(
            self.tr("{ready} · {unmatched} · {refused}").format(
                ready=counted(ready, self.tr("document prêt"), self.tr("documents prêts")),
                unmatched=counted(unmatched, self.tr("sans destinataire"), self.tr("sans destinataire")),
                refused=counted(refused, self.tr("refusé"), self.tr("refusés")),
            )
            if has_rows
            else ""
        )
        self.ui.review_button.setEnabled(ready > 0 and not self.is_busy() and self.issuer() is not None)
        self.ui.no_issuer_label.setVisible(not self.issuers)
        self._update_actions()

    def _update_actions(self) -> None:
        rows = self.selected_rows()
        self.ui.apply_type_button.setEnabled(any(r.status is not RowStatus.REFUSED for r in rows))
        self.ui.assign_button.setEnabled(any(r.status is RowStatus.UNMATCHED for r in rows))
        self.ui.remove_button.setEnabled(bool(rows))
