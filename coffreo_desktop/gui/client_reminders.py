"""The French sentence that tells the result of a "relancer" in "Mes clients" (F6.3): how many were
reminded, and who was not, with why and from when a new reminder is possible."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget

from coffreo_desktop.client.clients import ReminderReport
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.gui.i18n import counted, fill_in

_PARIS = ZoneInfo(DISPLAY_TZ)


def _tr(text: str) -> str:
    # Strings are marked with QT_TRANSLATE_NOOP at each call, where lupdate finds them.
    return QCoreApplication.translate("ClientReminders", text)


def report_text(_parent: QWidget | None, report: ReminderReport, *, users: bool = False) -> str:
    """E.g. "2 clients relancés. Non relancés : Beta (possible à partir du 17/03/2026 à 10:30)."."""
    if users:
        done = counted(
            report.reminded,
            _tr(QT_TRANSLATE_NOOP("ClientReminders", "utilisateur relancé")),
            _tr(QT_TRANSLATE_NOOP("ClientReminders", "utilisateurs relancés")),
        )
    else:
        done = counted(
            report.reminded,
            _tr(QT_TRANSLATE_NOOP("ClientReminders", "client relancé")),
            _tr(QT_TRANSLATE_NOOP("ClientReminders", "clients relancés")),
        )
    parts = [done + "."]
    # Clients not reminded, then, in a bulk reminder, users left out inside the clients reminded.
    not_reminded = [*report.skipped, *report.skipped_users]
    if not_reminded:
        reasons = []
        for skipped in not_reminded:
            if skipped.until is not None:
                local = skipped.until.astimezone(_PARIS)
                why = fill_in(
                    _tr(QT_TRANSLATE_NOOP("ClientReminders", "déjà relancé : possible à partir du %1 à %2")),
                    local.strftime("%d/%m/%Y"),
                    local.strftime("%H:%M"),
                )
            else:
                why = skipped.reason.rstrip(".") or _tr(
                    QT_TRANSLATE_NOOP("ClientReminders", "personne à relancer")
                )
            reasons.append(f"{skipped.name} ({why})")
        parts.append(_tr(QT_TRANSLATE_NOOP("ClientReminders", "Non relancés : ")) + " ; ".join(reasons) + ".")
    return " ".join(parts)
