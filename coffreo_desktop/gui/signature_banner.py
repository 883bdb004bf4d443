"""The signature banner of the viewer (F2.5): the verdict of the signature check in one coloured line
(green valid, orange untrusted or completed later, red broken or changed) and its details on demand."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from coffreo_desktop.client.signatures import CheckState, SignatureReport
from coffreo_desktop.gui import theme


class SignatureBanner(QFrame):
    """A coloured strip above the page: the verdict in one line and, on demand, one line per fact."""

    TONES = {  # tone: (icon, background, border) from the theme's colour names
        "valid": ("seal_valid", "success", "success"),
        "warning": ("seal_warning", "notice_bg", "notice_border"),
        "danger": ("seal_invalid", "danger_soft", "danger_border"),
        "neutral": ("seal_none", "surface", "border"),
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signatureBanner")
        self.tone = "neutral"
        self.icon = QLabel(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.toggle = QToolButton(self)
        self.toggle.setCheckable(True)
        self.toggle.setText(self.tr("Détails"))
        self.toggle.toggled.connect(self._show_details)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.hide()
        top = QHBoxLayout()
        top.addWidget(self.icon)
        top.addWidget(self.summary, 1)
        top.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addLayout(top)
        layout.addWidget(self.details)
        theme.on_theme_changed(self._restyle)
        self.hide()

    def show_message(self, tone: str, summary: str, details: Sequence[str] = ()) -> None:
        self.tone = tone
        self.setProperty("tone", tone)
        self.summary.setText(summary)
        self.details.setText("\n".join(f"• {line}" for line in details))
        self.toggle.setVisible(bool(details))
        self.toggle.setChecked(False)
        self._restyle()
        self.show()

    def _show_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.toggle.setText(self.tr("Masquer les détails") if shown else self.tr("Détails"))

    def _restyle(self, _dark: bool = False) -> None:
        icon_name, background, border = self.TONES[self.tone]
        self.icon.setPixmap(theme.icon(icon_name).pixmap(QSize(22, 22)))
        values = theme.DARK if theme.is_dark() else theme.LIGHT
        bg = QColor(values[background])
        if self.tone == "valid":
            bg.setAlpha(36)  # the theme has no soft green: the success colour, mostly transparent
        bg_css = f"rgba({bg.red()}, {bg.green()}, {bg.blue()}, {bg.alpha()})"
        self.setStyleSheet(
            f"QFrame#signatureBanner {{ background: {bg_css}; border: 1px solid {values[border]};"
            " border-radius: 6px; } QFrame#signatureBanner QLabel { background: transparent; border: none; }"
        )


def banner_for(report: SignatureReport, required_label: str | None) -> tuple[str, str, list[str]] | None:
    """(tone, summary, details) of the banner for a report, or None to hide it (nothing to say)."""
    details = list(report.details)
    if report.state is CheckState.NONE:
        if required_label is None and report.reason is None:
            return None
        if required_label is not None:
            details.append(f"État dans Coffreo : {required_label}")
        return "neutral", report.summary, details
    if report.state is CheckState.VALID:
        return ("warning" if report.modified_after_last_signature else "valid"), report.summary, details
    if report.state is CheckState.UNTRUSTED:
        return "warning", report.summary, details
    return "danger", report.summary, details
