"""Light and dark appearance: follows the OS colour scheme, one stylesheet, SVG icons in two variants.

``resources/style.qss`` holds ``$name`` placeholders filled from one of the two small sets below.
When the platform cannot follow the scheme itself (offscreen rendering, older Linux desktops), a
palette is derived from the same set, so that the widgets Qt paints agree with the stylesheet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from string import Template

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from coffreo_desktop.gui.resources import resource_path

log = logging.getLogger(__name__)

LIGHT: dict[str, str] = {
    "window": "#f5f7fa",
    "surface": "#ffffff",
    "sidebar": "#eef2f6",
    "text": "#1e293b",
    "muted": "#5b6778",
    "border": "#d3dae3",
    "border_strong": "#9aa6b6",
    "hover": "#e4e9f0",
    "tile_hover": "#f3f7ff",
    "accent": "#1d4ed8",
    "accent_hover": "#1e40af",
    "accent_text": "#ffffff",
    "accent_soft": "#dbe6fd",
    "link": "#1d4ed8",
    "disabled": "#cfd6df",
    "danger": "#b91c1c",
    "danger_soft": "#fdeeee",
    "danger_border": "#f4c4c4",
    "success": "#15803d",
    "notice_bg": "#fff7e0",
    "notice_border": "#efcf7a",
}
DARK: dict[str, str] = {
    "window": "#16191e",
    "surface": "#1f242b",
    "sidebar": "#1a1e24",
    "text": "#e5e9f0",
    "muted": "#9aa6b6",
    "border": "#343c48",
    "border_strong": "#6b7686",
    "hover": "#2a313b",
    "tile_hover": "#232b37",
    "accent": "#60a5fa",
    "accent_hover": "#93c5fd",
    "accent_text": "#0b1220",
    "accent_soft": "#1f3a5f",
    "link": "#7cb4fb",
    "disabled": "#3a424e",
    "danger": "#f87171",
    "danger_soft": "#3a1e1f",
    "danger_border": "#6b2c2c",
    "success": "#4ade80",
    "notice_bg": "#372e17",
    "notice_border": "#7d6424",
}

_current: Theme | None = None


class Theme(QObject):
    """Applies the stylesheet for the current scheme and tells widgets when it changes."""

    changed = Signal(bool)  # dark

    def __init__(self, app: QApplication, forced: Qt.ColorScheme | None = None) -> None:
        super().__init__(app)
        self._app = app
        self._forced = forced
        self._own_palette = False
        self.dark = False
        self._template = Template(resource_path("style.qss").read_text(encoding="utf-8"))
        app.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)

    def scheme(self) -> Qt.ColorScheme:
        if self._forced is not None:
            return self._forced
        return self._app.styleHints().colorScheme()

    def force(self, scheme: Qt.ColorScheme | None) -> None:
        """Override the OS scheme (the screenshot script renders both variants)."""
        self._forced = scheme
        self.apply()

    def apply(self) -> None:
        self.dark = self.scheme() == Qt.ColorScheme.Dark
        values = DARK if self.dark else LIGHT
        palette_is_dark = self._app.palette().color(QPalette.ColorRole.Window).lightness() < 128
        if self._own_palette or palette_is_dark != self.dark:
            # Once we set a palette, the application no longer follows the platform's: keep owning it.
            self._own_palette = True
            self._app.setPalette(palette_from(values))
        icons = resource_path(f"icons/{'dark' if self.dark else 'light'}").as_posix()
        self._app.setStyleSheet(self._template.substitute(values, icons=icons))
        log.debug("theme applied: %s", "dark" if self.dark else "light")
        self.changed.emit(self.dark)

    def _on_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._forced is None:
            self.apply()

    def color(self, name: str) -> QColor:
        return QColor((DARK if self.dark else LIGHT)[name])


def palette_from(values: dict[str, str]) -> QPalette:
    """A palette derived from the same colour set as the stylesheet."""
    role = QPalette.ColorRole
    # Qt derives the bevel shades (light, dark, shadow) from the button and window colours.
    palette = QPalette(QColor(values["surface"]), QColor(values["window"]))
    pairs = {
        role.Window: "window",
        role.WindowText: "text",
        role.Base: "surface",
        role.AlternateBase: "sidebar",
        role.Text: "text",
        role.Button: "surface",
        role.ButtonText: "text",
        role.ToolTipBase: "surface",
        role.ToolTipText: "text",
        role.Highlight: "accent",
        role.HighlightedText: "accent_text",
        role.Link: "link",
        role.PlaceholderText: "muted",
    }
    for palette_role, name in pairs.items():
        palette.setColor(palette_role, QColor(values[name]))
    for palette_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, palette_role, QColor(values["muted"]))
    return palette


def install(app: QApplication, forced: Qt.ColorScheme | None = None) -> Theme:
    global _current
    _current = Theme(app, forced)
    _current.apply()
    return _current


def current() -> Theme | None:
    return _current


def is_dark() -> bool:
    return _current is not None and _current.dark


def icon(name: str) -> QIcon:
    """The SVG icon ``name`` in the variant of the current scheme (light if no theme is installed)."""
    variant = "dark" if is_dark() else "light"
    return QIcon(str(resource_path(f"icons/{variant}/{name}.svg")))


def app_icon() -> QIcon:
    """The window and task-bar icon (one variant: it sits on the OS's own chrome)."""
    return QIcon(str(resource_path("icons/light/logo.svg")))


def on_theme_changed(slot: Callable[[bool], None]) -> None:
    """Connect ``slot`` (a bound method of a QObject: the connection ends with it) to scheme changes."""
    if _current is not None:
        _current.changed.connect(slot)
