"""The widgets of the Diffusion libre page and how they are laid out: the issuer and recipients on top,
the file actions, the grouped table (or the drop zone while it is empty), the review button, and the
"Créer destinataire" panel on the right."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QSize, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.diffusion import DiffusionApi
from coffreo_desktop.domain.documents import Protection
from coffreo_desktop.gui import theme
from coffreo_desktop.gui.diffusion_delegates import Refusal, TitleDelegate, TypeDelegate
from coffreo_desktop.gui.diffusion_model import (
    CHECK_COLUMN,
    FILE_COLUMN,
    GROUPS,
    PAGES_COLUMN,
    RECIPIENT_COLUMN,
    SIZE_COLUMN,
    TITLE_COLUMN,
    TYPE_COLUMN,
    DiffusionModel,
)
from coffreo_desktop.gui.diffusion_widgets import ChosenRecipients, DropZone
from coffreo_desktop.gui.i18n import domain_text
from coffreo_desktop.gui.recipient_widgets import RecipientPanel, RecipientPicker

#: Sized so that every column, the title's too, fits a 1 280-pixel-wide window.
COLUMN_WIDTHS = {
    FILE_COLUMN: 215,
    PAGES_COLUMN: 50,
    SIZE_COLUMN: 62,
    CHECK_COLUMN: 185,
    RECIPIENT_COLUMN: 190,
    TYPE_COLUMN: 150,
}


class DiffusionLayout:
    """Builds the page's widgets on ``page``; the page connects them."""

    def __init__(self, page: QWidget, api: DiffusionApi, model: DiffusionModel, refusal: Refusal) -> None:
        self.page = page
        page.setObjectName("diffusionPage")
        outer = QHBoxLayout(page)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.setSpacing(12)
        main = QVBoxLayout()
        main.setSpacing(8)
        outer.addLayout(main, 1)

        title = QLabel(QCoreApplication.translate("DiffusionPage", "Diffusion libre"))
        title.setProperty("role", "title")
        main.addWidget(title)
        self.no_issuer_label = QLabel(
            QCoreApplication.translate(
                "DiffusionPage", "Aucune agence ne vous permet la diffusion libre (droits DL, DLP ou DLS)."
            ),
            page,
        )
        self.no_issuer_label.setProperty("role", "notice")
        main.addWidget(self.no_issuer_label)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(12)
        self.issuer_combo = QComboBox(page, objectName="issuerCombo")
        self.issuer_combo.setMinimumWidth(320)
        self.issuer_combo.setAccessibleName(QCoreApplication.translate("DiffusionPage", "Émetteur"))
        issuer_row = QHBoxLayout()
        issuer_row.addWidget(self.issuer_combo)
        issuer_row.addStretch(1)
        form.addRow(QCoreApplication.translate("DiffusionPage", "Émetteur :"), issuer_row)
        self.picker = RecipientPicker(api, page)
        self.picker.edit.setAcceptDrops(False)  # files dropped there go to the page, not into the text
        self.picker.setMaximumWidth(640)
        form.addRow(QCoreApplication.translate("DiffusionPage", "Destinataires :"), self.picker)
        self.chips = ChosenRecipients(page)
        form.addRow(QCoreApplication.translate("DiffusionPage", "Destinataires choisis :"), self.chips)
        main.addLayout(form)

        main.addLayout(self._toolbar())
        main.addWidget(self._message_bar())

        self.table = QTreeView(page, objectName="diffusionTable")
        self.table.setModel(model)
        self.type_delegate = TypeDelegate(refusal, self.table)
        self.title_delegate = TitleDelegate(self.table)
        self.table.setItemDelegateForColumn(TYPE_COLUMN, self.type_delegate)
        self.table.setItemDelegateForColumn(TITLE_COLUMN, self.title_delegate)
        self._setup_table()
        self._scroll = 0
        model.modelAboutToBeReset.connect(self._remember_scroll)
        self.drop_zone = DropZone(page)
        self.stack = QStackedWidget(page)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.drop_zone)
        main.addWidget(self.stack, 1)

        main.addLayout(self._bottom_bar())

        self.panel = RecipientPanel(api, page)
        self.panel.setMaximumWidth(440)
        self.panel.hide()
        outer.addWidget(self.panel)

    def _toolbar(self) -> QHBoxLayout:
        """Above the table: what applies to the selected rows."""
        page = self.page
        bar = QHBoxLayout()
        bar.setSpacing(8)
        self.type_choice = QComboBox(page, objectName="typeChoice")
        self.type_choice.setAccessibleName(QCoreApplication.translate("DiffusionPage", "Type à appliquer"))
        self.apply_type_button = QPushButton(
            QCoreApplication.translate("DiffusionPage", "Appliquer le type à la sélection"), page
        )
        self.apply_type_button.setObjectName("applyTypeButton")
        self.apply_type_button.setToolTip(
            QCoreApplication.translate(
                "DiffusionPage", "Donner ce type à toutes les lignes sélectionnées (Ctrl+T)"
            )
        )
        self.assign_button = QPushButton(
            QCoreApplication.translate("DiffusionPage", "Attribuer un destinataire…"), page
        )
        self.assign_button.setObjectName("assignButton")
        self.assign_button.setToolTip(
            QCoreApplication.translate(
                "DiffusionPage", "Choisir le destinataire des fichiers sélectionnés (Ctrl+D)"
            )
        )
        self.remove_button = QToolButton(page, objectName="removeButton")
        self.remove_button.setIcon(theme.icon("delete"))
        self.remove_button.setAccessibleName(QCoreApplication.translate("DiffusionPage", "Retirer"))
        self.remove_button.setToolTip(
            QCoreApplication.translate("DiffusionPage", "Retirer les lignes sélectionnées (Suppr)")
        )
        for widget in (self.type_choice, self.apply_type_button, self.assign_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.remove_button)
        return bar

    def _bottom_bar(self) -> QHBoxLayout:
        """Under the table: the checks' progress, the counts, adding files and sending."""
        page = self.page
        bar = QHBoxLayout()
        bar.setSpacing(8)
        self.progress_label = QLabel(page, objectName="progressLabel")
        self.progress_bar = QProgressBar(page)
        self.progress_bar.setMaximumWidth(140)
        self.progress_bar.setTextVisible(False)
        self.stop_button = QToolButton(page)
        self.stop_button.setText(QCoreApplication.translate("DiffusionPage", "Arrêter"))
        self.stop_button.setToolTip(
            QCoreApplication.translate(
                "DiffusionPage", "Arrêter la vérification : les fichiers restants ne sont pas ajoutés."
            )
        )
        self.summary_label = QLabel(page, objectName="diffusionSummary")
        self.summary_label.setProperty("role", "muted")
        self.add_button = QPushButton(
            QCoreApplication.translate("DiffusionPage", "Ajouter des fichiers…"), page
        )
        self.add_button.setObjectName("addFilesButton")
        self.add_button.setToolTip(
            QCoreApplication.translate("DiffusionPage", "Choisir des fichiers PDF (Ctrl+O)")
        )
        self.review_button = QPushButton(
            QCoreApplication.translate("DiffusionPage", "Vérifier et envoyer"), page
        )
        self.review_button.setObjectName("reviewButton")
        self.review_button.setProperty("role", "primary")
        self.review_button.setToolTip(
            QCoreApplication.translate("DiffusionPage", "Revoir le résumé puis envoyer (Ctrl+Entrée)")
        )
        self.pattern_button = QPushButton(
            QCoreApplication.translate("DiffusionPage", "Motif du matricule…"), page
        )
        self.pattern_button.setObjectName("patternButton")
        self.pattern_button.setToolTip(
            QCoreApplication.translate(
                "DiffusionPage", "Comment lire le matricule dans le nom des fichiers (réglage de ce poste)"
            )
        )
        for widget in (self.progress_label, self.progress_bar, self.stop_button):
            bar.addWidget(widget)
        bar.addWidget(self.summary_label, 1)
        bar.addWidget(self.pattern_button)
        bar.addWidget(self.add_button)
        bar.addWidget(self.review_button)
        self.show_progress(None)
        return bar

    def _message_bar(self) -> QFrame:
        page = self.page
        self.message_bar = QFrame(page, objectName="messageBar")
        self.message_bar.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self.message_bar)
        row.setContentsMargins(10, 4, 6, 4)
        self.message_label = QLabel(self.message_bar, objectName="messageLabel")
        self.message_label.setWordWrap(True)
        self.undo_button = QPushButton(
            QCoreApplication.translate("DiffusionPage", "Annuler"), self.message_bar, objectName="undoButton"
        )
        self.undo_button.setToolTip(
            QCoreApplication.translate("DiffusionPage", "Annuler la dernière modification (Ctrl+Z)")
        )
        close = QToolButton(self.message_bar)
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip(QCoreApplication.translate("DiffusionPage", "Fermer"))
        close.clicked.connect(self.message_bar.hide)
        row.addWidget(self.message_label, 1)
        row.addWidget(self.undo_button)
        row.addWidget(close)
        self.message_bar.hide()
        return self.message_bar

    def _setup_table(self) -> None:
        table = self.table
        table.setUniformRowHeights(True)
        table.setAlternatingRowColors(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.SelectedClicked)
        table.setExpandsOnDoubleClick(False)
        table.setAllColumnsShowFocus(True)
        table.setIconSize(QSize(16, 16))
        header = table.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)

    # ---- state -------------------------------------------------------------------------------------------
    def fill_type_choice(self, refusal: Refusal) -> None:
        """The type to apply to a selection: every type, those without the right disabled with why."""
        combo = self.type_choice
        combo.clear()
        items = combo.model()
        assert isinstance(items, QStandardItemModel)
        first_allowed = -1
        for position, protection in enumerate(Protection):
            combo.addItem(domain_text(protection.label), protection.value)
            reason = refusal(protection)
            if reason is not None:
                items.item(position).setEnabled(False)
                items.item(position).setToolTip(reason)
            elif first_allowed < 0:
                first_allowed = position
        combo.setCurrentIndex(max(first_allowed, 0))

    def show_progress(self, text: str | None, done: int = 0, total: int = 0) -> None:
        busy = text is not None
        for widget in (self.progress_label, self.progress_bar, self.stop_button):
            widget.setVisible(busy)
        if busy:
            self.progress_label.setText(text)
            self.progress_bar.setRange(0, max(total, 1))
            self.progress_bar.setValue(done)

    def show_table_tools(self, visible: bool) -> None:
        """The selection's actions only mean something once the table has rows (and while it has none,
        the drop zone has its own "Ajouter des fichiers…")."""
        for widget in (
            self.type_choice,
            self.apply_type_button,
            self.assign_button,
            self.remove_button,
            self.add_button,
        ):
            widget.setVisible(visible)

    def show_message(self, text: str, *, undo: bool) -> None:
        self.message_label.setText(text)
        self.undo_button.setVisible(undo)
        self.message_bar.show()

    def after_reset(self) -> None:
        """After the model's reset: groups open, their header across the row, empty groups hidden."""
        table, model = self.table, self.table.model()
        assert isinstance(model, DiffusionModel)
        for position, status in enumerate(GROUPS):
            table.setFirstColumnSpanned(position, QModelIndex(), True)
            table.setRowHidden(position, QModelIndex(), model.count(status) == 0)
        table.expandAll()
        table.verticalScrollBar().setValue(self._scroll)

    def _remember_scroll(self) -> None:
        self._scroll = self.table.verticalScrollBar().value()
