"""'Vérifier et envoyer' (F3.8): what is about to be sent — documents per type and per recipient, the
warnings, what is left out — and the one button that sends it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.domain.documents import Protection
from coffreo_desktop.gui.diffusion_batch import DiffusionRow
from coffreo_desktop.gui.i18n import counted, domain_text, number


@dataclass(frozen=True)
class ReviewSummary:
    """The figures of the review, computed from the rows about to be sent."""

    documents: int
    recipients: int
    per_type: dict[Protection, int]
    per_recipient: list[tuple[str, int]]  # (label, documents), most documents first
    warnings: list[str]  # "file : warning"
    unmatched: int
    refused: int


def summarise(ready: Sequence[DiffusionRow], unmatched: int, refused: int) -> ReviewSummary:
    per_type = Counter(row.protection for row in ready)
    per_recipient = Counter(row.recipient.label for row in ready if row.recipient is not None)
    warnings = [f"{row.file_name} : {warning}" for row in ready for warning in row.warnings]
    return ReviewSummary(
        documents=len(ready),
        recipients=len(per_recipient),
        per_type={p: per_type[p] for p in Protection if per_type[p]},
        per_recipient=sorted(per_recipient.items(), key=lambda item: (-item[1], item[0])),
        warnings=list(dict.fromkeys(warnings)),
        unmatched=unmatched,
        refused=refused,
    )


class ReviewDialog(QDialog):
    """The review before sending; accepted means "Envoyer"."""

    def __init__(self, summary: ReviewSummary, issuer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DiffusionReviewDialog")
        self.setWindowTitle(self.tr("Vérifier avant d'envoyer"))
        self.setMinimumWidth(560)
        self.summary = summary
        layout = QVBoxLayout(self)
        heading = QLabel(
            self.tr("{documents} pour {recipients}, émis par {issuer}").format(
                documents=counted(summary.documents, self.tr("document"), self.tr("documents")),
                recipients=counted(summary.recipients, self.tr("destinataire"), self.tr("destinataires")),
                issuer=issuer,
            )
        )
        heading.setProperty("role", "heading")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        types = "\n".join(
            f"• {domain_text(protection.label)} : {number(count)}"
            for protection, count in summary.per_type.items()
        )
        layout.addWidget(QLabel(types))

        layout.addWidget(self._caption(self.tr("Documents par destinataire")))
        self.recipient_list = QListWidget(objectName="reviewRecipients")
        for label, count in summary.per_recipient:
            self.recipient_list.addItem(
                f"{label} — {counted(count, self.tr('document'), self.tr('documents'))}"
            )
        self.recipient_list.setMaximumHeight(150)
        layout.addWidget(self.recipient_list)

        if summary.warnings:
            layout.addWidget(
                self._caption(self.tr("Avertissements ({count})").format(count=len(summary.warnings)))
            )
            self.warning_list = QListWidget(objectName="reviewWarnings")
            self.warning_list.addItems(summary.warnings)
            self.warning_list.setMaximumHeight(120)
            layout.addWidget(self.warning_list)

        left_out = []
        if summary.refused:
            left_out.append(counted(summary.refused, self.tr("fichier refusé"), self.tr("fichiers refusés")))
        if summary.unmatched:
            left_out.append(
                counted(
                    summary.unmatched,
                    self.tr("fichier sans destinataire"),
                    self.tr("fichiers sans destinataire"),
                )
            )
        if left_out:
            note = QLabel(self.tr("Non envoyés : {what}.").format(what=", ".join(left_out)))
            note.setProperty("role", "notice")
            note.setWordWrap(True)
            layout.addWidget(note)

        buttons = QDialogButtonBox(self)
        self.send_button = buttons.addButton(self.tr("Envoyer"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.setProperty("role", "primary")
        self.send_button.setDefault(True)
        buttons.addButton(self.tr("Retour"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _caption(text: str) -> QLabel:
        label = QLabel(text)
        label.setProperty("role", "muted")
        return label
