"""The rights matrix's view and cell delegate (F6.1): a right cell is a box, filled with a tick when granted,
dimmed while its save is on its way; a click, Espace or Entrée asks to toggle it, Suppr to remove the row's
access, and the arrow keys move from cell to cell."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from coffreo_desktop.gui import theme
from coffreo_desktop.gui.rights_model import GRANTED_ROLE, PENDING_ROLE, REMOVE_COLUMN, right_of

AnyIndex = QModelIndex | QPersistentModelIndex
BOX = 18


class RightCellDelegate(QStyledItemDelegate):
    """Paints a right cell: the selection background, then a box centred in the cell."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ticks: dict[tuple[bool, float], QPixmap] = {}

    def _tick(self, size: int, ratio: float) -> QPixmap:
        # Rendering the SVG for each of hundreds of cells would cost more than the rest of the paint.
        key = (theme.is_dark(), ratio)
        if key not in self._ticks:
            pixmap = theme.icon("check").pixmap(QSize(size, size), ratio)
            self._ticks[key] = pixmap
        return self._ticks[key]

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        if right_of(index.column()) is None:
            super().paint(painter, option, index)
            return
        # The background and focus frame as usual, without any text.
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        style = option.widget.style() if option.widget is not None else None  # type: ignore[union-attr]
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, option.widget)  # type: ignore[union-attr]
        granted = bool(index.data(GRANTED_ROLE))
        pending = bool(index.data(PENDING_ROLE))
        rect = option.rect  # type: ignore[attr-defined]
        box = QRectF(rect.center().x() - BOX / 2 + 1, rect.center().y() - BOX / 2 + 1, BOX, BOX)
        palette = option.palette  # type: ignore[attr-defined]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if pending:
            painter.setOpacity(0.4)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        if granted:
            # On a selected cell the box would melt into the selection colour: outline it.
            selected_pen = QPen(palette.color(QPalette.ColorRole.HighlightedText), 1.5)
            painter.setPen(selected_pen if selected else Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(box, 4, 4)
            target = box.adjusted(2, 2, -2, -2).toRect()
            painter.drawPixmap(target, self._tick(target.width(), painter.device().devicePixelRatioF()))
        else:
            role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
            pen = QPen(palette.color(role), 1.4)
            if pending:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(box.adjusted(1, 1, -1, -1), 4, 4)
        painter.restore()


class RightsMatrixView(QTableView):
    """The matrix: one cell at a time is current; a right cell toggles, the bin removes the access."""

    toggle_requested = Signal(QModelIndex)
    remove_requested = Signal(int)  # the row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rightsMatrix")
        self.setItemDelegate(RightCellDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the matrix; the arrows move inside it
        self.setWordWrap(False)
        self.setMouseTracking(True)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(30)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setHighlightSections(False)
        # Sizing the name and email columns reads a sample of rows, not all 500 (a paint costs less).
        self.horizontalHeader().setResizeContentsPrecision(100)
        self.clicked.connect(self._clicked)

    def _clicked(self, index: QModelIndex) -> None:
        if right_of(index.column()) is not None:
            self.toggle_requested.emit(index)
        elif index.column() == REMOVE_COLUMN:
            self.remove_requested.emit(index.row())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        key = event.key()
        if index.isValid() and key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if right_of(index.column()) is not None:
                self.toggle_requested.emit(index)
            elif index.column() == REMOVE_COLUMN:
                self.remove_requested.emit(index.row())
            event.accept()
            return
        if index.isValid() and key == Qt.Key.Key_Delete:
            self.remove_requested.emit(index.row())
            event.accept()
            return
        super().keyPressEvent(event)
