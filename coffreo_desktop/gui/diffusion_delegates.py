"""Editors of the Diffusion libre table: the type of a row (a combo where the types the user lacks the
right for are disabled, with the reason) and its title (a pencil, then an inline editor with "Valider")."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QIcon, QKeyEvent, QMouseEvent, QPainter, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from coffreo_desktop.domain.documents import Protection
from coffreo_desktop.gui import theme
from coffreo_desktop.gui.diffusion_batch import title_problem
from coffreo_desktop.gui.diffusion_model import PROTECTION_ROLE
from coffreo_desktop.gui.i18n import domain_text
from coffreo_desktop.gui.resources import resource_path

AnyIndex = QModelIndex | QPersistentModelIndex
#: Why the user may not choose a type on the current issuer (French), or None when they may.
Refusal = Callable[[Protection], str | None]
PENCIL_SIZE = 16
_MARGIN = 6


def pencil_icon() -> QIcon | None:
    """The edit icon when the resources have one (else a pencil glyph is drawn)."""
    return theme.icon("edit") if resource_path("icons/light/edit.svg").is_file() else None


class TypeDelegate(QStyledItemDelegate):
    """The "Type" cell: a small chevron says it is a choice; the editor opens its list at once."""

    def __init__(self, refusal: Refusal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.refusal = refusal

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().paint(painter, option, index)
        if not index.flags() & Qt.ItemFlag.ItemIsEditable:
            return
        arrow = QStyleOptionViewItem(option)
        size = 10
        arrow.rect = QRect(
            option.rect.right() - size - _MARGIN, option.rect.center().y() - size // 2, size, size
        )
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorArrowDown, arrow, painter, option.widget)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("typeEditor")
        items = combo.model()
        assert isinstance(items, QStandardItemModel)
        for position, protection in enumerate(Protection):
            combo.addItem(domain_text(protection.label), protection.value)
            reason = self.refusal(protection)
            if reason is not None:
                item = items.item(position)
                item.setEnabled(False)
                item.setToolTip(reason)
        # One click chooses: the choice is committed as soon as it is made.
        combo.activated.connect(lambda _i, c=combo: self._chosen(c))
        return combo

    def _chosen(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        protection = index.data(PROTECTION_ROLE)
        if isinstance(protection, Protection):
            editor.setCurrentIndex(editor.findData(protection.value))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class TitleEditor(QWidget):
    """A line edit and its "Valider" button, in the cell."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("titleEditor")
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("titleEdit")
        self.edit.setMaxLength(400)
        self.button = QPushButton(self.tr("Valider"), self)
        self.button.setObjectName("validateTitleButton")
        self.button.setToolTip(self.tr("Valider le titre (Entrée) ; Échap annule"))
        self.button.setAutoDefault(False)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.problem: str | None = None

    def show_problem(self, problem: str | None) -> None:
        self.problem = problem
        self.edit.setStyleSheet("QLineEdit { border: 1px solid palette(highlight); }" if problem else "")
        self.edit.setToolTip(problem or "")
        if problem:
            QToolTip.showText(self.edit.mapToGlobal(self.edit.rect().bottomLeft()), problem, self.edit)


class TitleDelegate(QStyledItemDelegate):
    """The "Titre" cell: its text and a pencil; the editor validates before anything is kept."""

    edit_requested = Signal(QModelIndex)
    refused = Signal(str)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        editable = bool(index.flags() & Qt.ItemFlag.ItemIsEditable)
        shifted = QStyleOptionViewItem(option)
        if editable:
            shifted.rect = option.rect.adjusted(0, 0, -(PENCIL_SIZE + 2 * _MARGIN), 0)
        super().paint(painter, shifted, index)
        if not editable:
            return
        target = self.pencil_rect(option.rect)
        icon = pencil_icon()
        if icon is not None:
            icon.paint(painter, target)
        else:
            painter.save()
            painter.setPen(option.palette.color(option.palette.ColorRole.Link))
            painter.drawText(target, Qt.AlignmentFlag.AlignCenter, "✎")
            painter.restore()

    @staticmethod
    def pencil_rect(cell: QRect) -> QRect:
        top = cell.center().y() - PENCIL_SIZE // 2
        return QRect(cell.right() - PENCIL_SIZE - _MARGIN, top, PENCIL_SIZE, PENCIL_SIZE)

    def editorEvent(
        self, event: QEvent, model: QAbstractItemModel, option: QStyleOptionViewItem, index: AnyIndex
    ) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and index.flags() & Qt.ItemFlag.ItemIsEditable
            and self.pencil_rect(option.rect).adjusted(-4, -4, 4, 4).contains(event.position().toPoint())
        ):
            self.edit_requested.emit(QModelIndex(index))
            return True
        return super().editorEvent(event, model, option, index)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + PENCIL_SIZE + 2 * _MARGIN, hint.height())

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        editor = TitleEditor(parent)
        editor.button.clicked.connect(lambda: self.validate(editor))
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, TitleEditor)
        editor.edit.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.edit.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, TitleEditor)
        if title_problem(editor.edit.text()) is None:  # a refused title never reaches the batch
            model.setData(index, editor.edit.text(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        editor.setGeometry(option.rect)

    def validate(self, editor: TitleEditor) -> bool:
        """ "Valider" or Entrée: keep the title if it is acceptable, else say why and stay open."""
        problem = title_problem(editor.edit.text())
        editor.show_problem(problem)
        if problem is not None:
            self.refused.emit(problem)
            return False
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The line edit lets Entrée and Échap go up to the editor: they must not commit unchecked.
        if isinstance(watched, TitleEditor) and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.validate(watched)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.RevertModelCache)
                return True
        return super().eventFilter(watched, event)
