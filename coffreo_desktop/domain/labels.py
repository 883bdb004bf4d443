"""French labels. The interface's source language is French; English comes from Qt Linguist files.

Labels defined outside widgets are marked with ``QT_TRANSLATE_NOOP("domain", ...)`` so that
``pyside6-lupdate`` collects them; the GUI translates them in the ``domain`` context when it shows
them. The domain has no Qt, hence this pure-Python stand-in with Qt's own name (lupdate looks for it).
"""

from __future__ import annotations

TRANSLATION_CONTEXT = "domain"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for translation in ``context`` without translating it."""
    return text
