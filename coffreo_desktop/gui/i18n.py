"""Interface language: French is the source language, English comes from ``resources/i18n/coffreo_en.qm``.

Also loads Qt's own translations (standard buttons, context menus) for the chosen language, and
translates the domain's labels, which are marked with ``QT_TRANSLATE_NOOP("domain", ...)``.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from coffreo_desktop.domain.labels import TRANSLATION_CONTEXT
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.gui.resources import resource_path

log = logging.getLogger(__name__)

#: ``translate("Context", "texte")`` outside a QObject: lupdate finds the call by this name, with the
#: context and the text written out (a helper that hides either one hides the text from lupdate).
translate = QCoreApplication.translate

SUPPORTED = ("fr", "en")

#: Dates and times are shown in Paris time, whatever the computer's zone.
PARIS = ZoneInfo(DISPLAY_TZ)

#: Names written out in a result before "… et 1 234 autres": readable after thousands.
NAMES_SHOWN = 5
_installed: list[QTranslator] = []


def choose_language(requested: str | None, saved: str | None = None, system: QLocale | None = None) -> str:
    """``--lang`` wins, then the saved setting, then the system locale (French, or else English)."""
    for candidate in (requested, saved):
        if candidate in SUPPORTED:
            return candidate
    locale = system or QLocale.system()
    return "fr" if locale.language() == QLocale.Language.French else "en"


def install_translators(app: QCoreApplication, language: str) -> str:
    """Install the translators for ``language`` (replacing earlier ones) and return it."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{language}", qt_dir):
        _installed.append(qt_translator)
    if language != "fr":
        ours = QTranslator(app)
        path = resource_path(f"i18n/coffreo_{language}.qm")
        if ours.load(str(path)):
            _installed.append(ours)
        else:
            log.warning("translation file missing or unreadable: %s", path.name)
    for translator in _installed:
        app.installTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.French if language == "fr" else QLocale.Language.English))
    return language


def domain_text(text: str) -> str:
    """Translate a domain label (``Feature.label``, ``Right.label`` ...)."""
    return QCoreApplication.translate(TRANSLATION_CONTEXT, text)


def number(value: int) -> str:
    """An integer as French readers write it: 1 234 567 (narrow no-break spaces)."""
    return f"{value:,}".replace(",", "\u202f")


def paris_text(moment: datetime | None, with_time: bool = False) -> str:
    """ "17/03/2026" (or "17/03/2026 10:30" ``with_time``) in Paris time; "" for no moment."""
    if moment is None:
        return ""
    return moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")


def counted(value: int, singular: str, plural: str) -> str:
    """ "1 document", "0 document", "2 documents": French takes the singular up to one. The two forms
    are already translated by the caller (``self.tr``)."""
    return f"{number(value)} {singular if abs(value) <= 1 else plural}"


def fill_in(template: str, *values: str) -> str:
    """Qt's "%1 %2" placeholders filled in one pass (a value holding "%2" is not filled again)."""
    pieces = template.split("%")
    out = [pieces[0]]
    for piece in pieces[1:]:
        if piece[:1].isdigit() and 0 < int(piece[:1]) <= len(values):
            out.append(values[int(piece[:1]) - 1] + piece[1:])
        else:
            out.append("%" + piece)
    return "".join(out)


def names_cut(names: list[str], shown: int = NAMES_SHOWN, *, separator: str = ", ") -> str:
    """ "Léa Martin, Éric Dupont … et 1 234 autres" past ``shown`` names: short even with thousands."""
    listed = separator.join(names[:shown])
    rest = len(names) - shown
    if rest <= 0:
        return listed
    others = counted(rest, translate("NamesCut", "autre"), translate("NamesCut", "autres"))
    return listed + " " + fill_in(translate("NamesCut", "… et %1"), others)
