"""A small bar chart of a campaign's deliveries per day, painted with QPainter (QtCharts is not shipped):
a value axis with round ticks, French day labels, a tooltip per bar and an empty state."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from coffreo_desktop.client.campaigns import DailyCount
from coffreo_desktop.gui.i18n import number

MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
LEFT, RIGHT, TOP, BOTTOM = 44.0, 12.0, 12.0, 28.0


def short_day(day: date) -> str:
    """ "3 nov." — the French short form, independent of the system locale."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def nice_step(maximum: int, ticks: int = 4) -> int:
    """A round step (1, 2, 5 × 10ⁿ) so that ``ticks`` steps cover ``maximum``."""
    raw = max(1.0, maximum / ticks)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)


def fill_days(days: Sequence[DailyCount]) -> list[DailyCount]:
    """Every day from the first to the last, with 0 where nothing was delivered: gaps read as gaps."""
    if not days:
        return []
    counts = {d.day: d.count for d in days}
    first, last = min(counts), max(counts)
    span = (last - first).days
    return [DailyCount(first + timedelta(n), counts.get(first + timedelta(n), 0)) for n in range(span + 1)]


class DeliveriesChart(QWidget):
    """Deliveries per day; ``set_days`` replaces the data. Hover a bar for its date and count."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deliveriesChart")
        self.days: list[DailyCount] = []
        self.setMinimumHeight(160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(480, 200)

    def set_days(self, days: Sequence[DailyCount]) -> None:
        self.days = fill_days(days)
        self.update()

    @property
    def empty(self) -> bool:
        return not any(d.count for d in self.days)

    def _plot(self) -> QRectF:
        return QRectF(
            LEFT, TOP, max(1.0, self.width() - LEFT - RIGHT), max(1.0, self.height() - TOP - BOTTOM)
        )

    def _scale(self) -> tuple[int, int]:
        step = nice_step(max((d.count for d in self.days), default=1))
        top = step * max(1, math.ceil(max((d.count for d in self.days), default=1) / step))
        return step, top

    def bar_rects(self) -> list[QRectF]:
        """The rectangle of each day's bar, in widget coordinates (also used for the tooltips)."""
        if not self.days:
            return []
        plot = self._plot()
        _, top = self._scale()
        slot = plot.width() / len(self.days)
        width = max(1.0, min(28.0, slot * 0.7))
        rects = []
        for n, day in enumerate(self.days):
            height = plot.height() * day.count / top
            x = plot.left() + slot * n + (slot - width) / 2
            rects.append(QRectF(x, plot.bottom() - height, width, height))
        return rects

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        grid = palette.color(QPalette.ColorRole.Mid)
        accent = palette.color(QPalette.ColorRole.Highlight)
        if self.empty:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Aucune remise sur la période choisie")
            )
            return
        plot = self._plot()
        step, top = self._scale()
        metrics = painter.fontMetrics()
        # Value axis: horizontal grid lines at round steps, labelled on the left.
        for value in range(0, top + 1, step):
            y = plot.bottom() - plot.height() * value / top
            painter.setPen(grid)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            label_rect = QRectF(0, y - metrics.height() / 2, LEFT - 6, metrics.height())
            painter.drawText(
                label_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, number(value)
            )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        rects = self.bar_rects()
        for rect in rects:
            painter.drawRect(rect)
        # Day labels: as many as fit without overlapping, always the last one (the latest day matters most).
        painter.setPen(text)
        label_width = metrics.horizontalAdvance("30 sept.") + 8

        def box(n: int) -> QRectF:
            # Kept inside the widget: the first and last labels must not be cut at the edges.
            left = min(max(0.0, rects[n].center().x() - label_width / 2), self.width() - label_width)
            return QRectF(left, plot.bottom() + 4, label_width, BOTTOM - 4)

        last = len(self.days) - 1
        shown = [last]
        every = max(1, math.ceil(len(self.days) * label_width / plot.width()))
        for n in range(0, last, every):
            if not box(n).intersects(box(last)):
                shown.append(n)
        for n in shown:
            painter.drawText(
                box(n), Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, short_day(self.days[n].day)
            )

    def day_at(self, x: float, y: float) -> DailyCount | None:
        """The day whose column holds the point (the whole column, so small bars are easy to hover)."""
        plot = self._plot()
        if not self.days or not plot.contains(QPointF(x, y)):
            return None
        n = int((x - plot.left()) / (plot.width() / len(self.days)))
        return self.days[min(n, len(self.days) - 1)]

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            day = None if self.empty else self.day_at(event.pos().x(), event.pos().y())
            if day is None:
                QToolTip.hideText()
            else:
                label = self.tr("%1 : %2 remise(s)").replace("%1", day.day.strftime("%d/%m/%Y"))
                QToolTip.showText(event.globalPos(), label.replace("%2", number(day.count)), self)
            return True
        return super().event(event)
