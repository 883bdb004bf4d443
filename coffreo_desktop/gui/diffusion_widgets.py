"""Small widgets of the Diffusion libre page: the chosen recipients as removable chips, the dialog that
assigns a recipient to unmatched files, and the drop zone shown while the table is empty."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.diffusion import DiffusionApi, Recipient
from coffreo_desktop.gui import theme


class ChosenRecipients(QWidget):
    """ "Destinataires choisis": one chip per recipient, its "×" takes it out."""

    removed = Signal(object)  # Recipient

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recipients: list[Recipient] = []
        self._chips: list[QToolButton] = []
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.area = QScrollArea(self)
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setFixedHeight(32)
        self.area.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget#chipRow { background: transparent; }"
        )
        self.area.viewport().setAutoFillBackground(False)
        holder = QWidget()
        holder.setObjectName("chipRow")
        self.row = QHBoxLayout(holder)
        self.row.setContentsMargins(0, 2, 0, 2)
        self.row.setSpacing(6)
        self.empty = QLabel(self.tr("Aucun : chaque fichier va au destinataire de son matricule."))
        self.empty.setProperty("role", "muted")
        self.row.addWidget(self.empty)
        self.row.addStretch(1)
        self.area.setWidget(holder)
        outer.addWidget(self.area)

    def set_recipients(self, recipients: list[Recipient]) -> None:
        self.recipients = list(recipients)
        for chip in self._chips:
            self.row.removeWidget(chip)
            chip.deleteLater()
        self._chips = [self._chip(recipient) for recipient in self.recipients]
        for position, chip in enumerate(self._chips, start=1):  # after the "Aucun" label
            self.row.insertWidget(position, chip)
        self.empty.setVisible(not self.recipients)

    def _chip(self, recipient: Recipient) -> QToolButton:
        chip = QToolButton(self)
        chip.setObjectName("recipientChip")
        chip.setText(f"{recipient.label}  ✕")
        chip.setToolTip(self.tr("Retirer {name} des destinataires choisis").format(name=recipient.label))
        chip.setCursor(Qt.CursorShape.PointingHandCursor)
        chip.setStyleSheet(
            "QToolButton#recipientChip { border: 1px solid palette(mid); border-radius: 12px;"
            " padding: 2px 10px; background: palette(base); }"
            "QToolButton#recipientChip:hover { border-color: palette(highlight); }"
        )
        chip.clicked.connect(lambda: self.removed.emit(recipient))
        return chip

    def chips(self) -> list[QToolButton]:
        return list(self._chips)


class AssignRecipientDialog(QDialog):
    """Choose the recipient of the selected files that have none; the choice closes the dialog."""

    def __init__(self, api: DiffusionApi, agency_id: int, count: int, parent: QWidget | None = None) -> None:
        from coffreo_desktop.gui.recipient_widgets import RecipientPicker

        super().__init__(parent)
        self.setObjectName("AssignRecipientDialog")
        self.setWindowTitle(self.tr("Attribuer un destinataire"))
        self.setMinimumWidth(480)
        self.recipient: Recipient | None = None
        layout = QVBoxLayout(self)
        text = (
            self.tr("Destinataire des {count} fichiers sélectionnés :")
            if count > 1
            else self.tr("Destinataire du fichier sélectionné :")
        )
        layout.addWidget(QLabel(text.format(count=count)))
        self.picker = RecipientPicker(api, self)
        self.picker.set_agency(agency_id)
        self.picker.recipient_chosen.connect(self._chosen)
        layout.addWidget(self.picker)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _chosen(self, recipient: Recipient) -> None:
        self.recipient = recipient
        self.accept()


class DropZone(QFrame):
    """The empty state: a large dashed area that says what to drop, with the button to choose files."""

    add_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.setProperty("dragging", "false")
        self.setStyleSheet(
            "QFrame#dropZone { border: 2px dashed palette(mid); border-radius: 12px; }"
            'QFrame#dropZone[dragging="true"] { border-color: palette(highlight); }'
        )
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.icon = QLabel(self)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel(
            self.tr("Déposez ici des fichiers PDF ou un dossier, ou cliquez sur « Ajouter des fichiers… »"),
            self,
        )
        self.text.setObjectName("dropZoneText")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.text.setProperty("role", "heading")
        self.hint = QLabel(
            self.tr(
                "Chaque fichier est vérifié puis rattaché au destinataire dont le matricule figure dans son "
                "nom. PDF uniquement, 500 Ko conseillés, 5 Mo au plus."
            ),
            self,
        )
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setProperty("role", "muted")
        self.button = QPushButton(self.tr("Ajouter des fichiers…"), self)
        self.button.setObjectName("dropZoneAddButton")
        self.button.clicked.connect(self.add_clicked)
        # Full width, text centred: a word-wrapped label given an alignment in its layout collapses.
        for widget in (self.icon, self.text, self.hint):
            layout.addWidget(widget)
        layout.addSpacing(8)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.refresh_icon()
        theme.on_theme_changed(self.refresh_icon)

    def refresh_icon(self, _dark: bool = False) -> None:
        self.icon.setPixmap(theme.icon("documents").pixmap(QSize(56, 56)))

    def set_dragging(self, dragging: bool) -> None:
        self.setProperty("dragging", "true" if dragging else "false")
        self.style().unpolish(self)
        self.style().polish(self)
