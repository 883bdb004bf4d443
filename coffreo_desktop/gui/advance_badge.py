"""The count badge of a side-navigation entry ("Demandes d'acomptes" and its requests waiting): a pill
painted at the right of the item, so that the entry's text stays the feature's name."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QListWidgetItem, QStyledItemDelegate, QStyleOptionViewItem

from coffreo_desktop.gui.i18n import fill_in, number

#: The item data holding the count (an int; 0 or None: no badge).
BADGE_ROLE = Qt.ItemDataRole.UserRole + 7
_ACCENT = QColor("#d64545")


def set_badge(item: QListWidgetItem, count: int) -> None:
    """Show ``count`` on ``item`` (0 hides it); screen readers and the tooltip get it in words."""
    item.setData(BADGE_ROLE, count if count > 0 else None)
    words = (
        fill_in(QCoreApplication.translate("AdvanceBadge", "%1 à traiter"), number(count))
        if count > 0
        else None
    )
    item.setToolTip(words or "")
    item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, words)


class BadgeDelegate(QStyledItemDelegate):
    """Paints the item as usual, then its badge (if any) right-aligned and vertically centred."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        count = index.data(BADGE_ROLE)
        if not isinstance(count, int) or count <= 0:
            super().paint(painter, option, index)
            return
        text = number(count) if count < 1000 else "999+"
        metrics = QFontMetrics(option.font)
        height = metrics.height() + 2
        width = max(height, metrics.horizontalAdvance(text) + 12)
        rect = QRectF(option.rect)  # type: ignore[attr-defined]
        pill = QRectF(rect.right() - width - 8, rect.center().y() - height / 2, width, height)
        # Leave room for the pill so that a long label is elided before it, not painted under it.
        narrowed = QStyleOptionViewItem(option)
        narrowed.rect = option.rect.adjusted(0, 0, -int(width) - 12, 0)  # type: ignore[attr-defined]
        super().paint(painter, narrowed, index)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_ACCENT)
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(QColor("white"))
        font = option.font  # type: ignore[attr-defined]
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()
