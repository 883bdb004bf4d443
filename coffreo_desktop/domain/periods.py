"""Search period presets (F2.2). "Tous" has no lower bound: we sort and export any period."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import StrEnum

from coffreo_desktop.domain.labels import QT_TRANSLATE_NOOP


class Period(StrEnum):
    DAYS_7 = "7d"
    MONTH_1 = "1m"
    MONTHS_3 = "3m"
    MONTHS_6 = "6m"
    YEAR_1 = "1y"
    ALL = "all"

    @property
    def label(self) -> str:
        return PERIOD_LABELS[self]

    def since(self, today: date) -> date | None:
        """First day included by the preset, or None for "tous"."""
        match self:
            case Period.DAYS_7:
                return today - timedelta(days=7)
            case Period.MONTH_1:
                return months_before(today, 1)
            case Period.MONTHS_3:
                return months_before(today, 3)
            case Period.MONTHS_6:
                return months_before(today, 6)
            case Period.YEAR_1:
                return months_before(today, 12)
            case Period.ALL:
                return None


PERIOD_LABELS: dict[Period, str] = {
    Period.DAYS_7: QT_TRANSLATE_NOOP("domain", "depuis 7 jours"),
    Period.MONTH_1: QT_TRANSLATE_NOOP("domain", "1 mois"),
    Period.MONTHS_3: QT_TRANSLATE_NOOP("domain", "3 mois"),
    Period.MONTHS_6: QT_TRANSLATE_NOOP("domain", "6 mois"),
    Period.YEAR_1: QT_TRANSLATE_NOOP("domain", "1 an"),
    Period.ALL: QT_TRANSLATE_NOOP("domain", "tous"),
}


def months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier, clamped to the end of a shorter month (31 May → 30 Apr)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
