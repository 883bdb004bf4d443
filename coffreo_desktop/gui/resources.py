"""The one resource locator: icons, stylesheet and translations, wherever the app runs from.

Looks in a PyInstaller bundle (``sys._MEIPASS/resources``), then in an installed package
(``coffreo_desktop/resources``), then in a source checkout (``<repo>/resources``).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # coffreo_desktop/


def _candidates() -> list[Path]:
    found: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        found.append(Path(bundle) / "resources")
    found.append(_PACKAGE_DIR / "resources")
    found.append(_PACKAGE_DIR.parent / "resources")
    return found


@cache
def resource_root() -> Path:
    """The folder holding ``icons/``, ``i18n/`` and ``style.qss``."""
    for candidate in _candidates():
        if (candidate / "style.qss").is_file():
            return candidate
    raise FileNotFoundError("Ressources introuvables : " + ", ".join(str(c) for c in _candidates()))


def resource_path(relative: str) -> Path:
    """Absolute path of a resource, e.g. ``resource_path("icons/dark/home.svg")``."""
    return resource_root() / relative
