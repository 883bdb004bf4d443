"""The campaign wizard (F4.4): create, edit, duplicate or delete a Diffusion pilotée campaign, then save it
as a draft or launch it. The steps are in campaign_wizard_pages; saving (configuration, documents, launch,
a colleague's concurrent change) is here."""

from __future__ import annotations

import html
from collections.abc import Coroutine
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QMessageBox,
    QWidget,
    QWizard,
)

from coffreo_desktop.client.campaigns import Campaign, CampaignDocument, CampaignOptions, CampaignsApi, Scope
from coffreo_desktop.client.errors import ApiError, SessionExpired
from coffreo_desktop.domain import campaigns as rules
from coffreo_desktop.domain.pdf_checks import format_size
from coffreo_desktop.domain.states import CampaignState
from coffreo_desktop.gui import errors, theme
from coffreo_desktop.gui.campaign_wizard_documents import DocumentsPage, WizardDocument
from coffreo_desktop.gui.campaign_wizard_pages import (
    DatesPage,
    SummaryPage,
    TargetPage,
    TriggersPage,
)
from coffreo_desktop.gui.i18n import fill_in, number
from coffreo_desktop.gui.pages import PageContext
from coffreo_desktop.gui.tasks import Task

LAUNCH = QWizard.WizardButton.CustomButton1
SAVE = QWizard.WizardButton.CustomButton2
DELETE = QWizard.WizardButton.CustomButton3


def today() -> date:
    """The campaign day now (Europe/Paris); a function so that a test may move the clock."""
    return rules.paris_today(datetime.now(UTC))


class CampaignWizard(QWizard):
    """Creates or edits one campaign of ``scope``; ``saved`` carries it once saved or launched (None once
    deleted). With ``duplicate=True`` every field is pre-filled from ``campaign`` and the server makes
    the copy (with its documents) only when the user saves: cancelling leaves no stray draft."""

    saved = Signal(object)

    def __init__(
        self,
        context: PageContext,
        api: CampaignsApi,
        scope: Scope,
        options: CampaignOptions,
        campaign: Campaign | None = None,
        *,
        duplicate: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context, self.api, self.scope, self.campaign_options = context, api, scope, options
        self.campaign: Campaign | None = None if duplicate else campaign
        #: The campaign to copy when saving (duplicate mode, until the copy exists).
        self.source: Campaign | None = campaign if duplicate else None
        self.today = today()
        self.task: Task[Campaign] | None = None
        self.locked = False  # a launched campaign: only its name and end date may change
        self.setObjectName("CampaignWizard")
        self.setWindowIcon(theme.app_icon())
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setMinimumSize(760, 560)
        self.target = TargetPage(scope, self.draft_errors)
        self.triggers = TriggersPage(options, self.draft_errors)
        self.documents = DocumentsPage(options)
        self.dates = DatesPage(self.today, self.triggers.retroactive.isChecked, self.draft_errors)
        self.summary = SummaryPage(self.summary_html)
        for page in (self.target, self.triggers, self.documents, self.dates, self.summary):
            self.addPage(page)
        self.setButtonText(LAUNCH, self.tr("Lancer la diffusion"))
        self.setButtonText(SAVE, self.tr("Sauvegarder"))
        self.setButtonText(DELETE, self.tr("Supprimer"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Suivant >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< Précédent"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Annuler"))
        self.button(LAUNCH).setProperty("role", "primary")
        self.setButtonLayout(
            [
                DELETE,
                QWizard.WizardButton.Stretch,
                QWizard.WizardButton.BackButton,
                QWizard.WizardButton.NextButton,
                SAVE,
                LAUNCH,
                QWizard.WizardButton.CancelButton,
            ]
        )
        self.customButtonClicked.connect(self._custom_clicked)
        self.currentIdChanged.connect(self._update_buttons)
        self.summary.reload_button.clicked.connect(self.reload)
        if campaign is not None:
            self.fill(campaign, duplicate=duplicate)
        self._set_title()
        self._update_buttons()

    # ---- filling -----------------------------------------------------------------------------------------
    def fill(self, campaign: Campaign, *, duplicate: bool = False) -> None:
        """Every field from ``campaign``; a duplicate's name says it is a copy, as the server names it."""
        name = f"Copie de {campaign.name}"[: rules.MAX_NAME] if duplicate else campaign.name
        self.target.name.setText(name)
        self.triggers.payslips.setChecked(campaign.on_payslips)
        self.triggers.contracts.setChecked(campaign.on_contracts)
        self.triggers.retroactive.setChecked(campaign.retroactive_from is not None)
        self.triggers.set_cadre_filter(campaign.cadre_filter)
        self.triggers.set_client_filter(campaign.client_filter_id, campaign.client_filter_name)
        self.documents.set_documents(campaign.documents)
        self.documents.signed.setChecked(campaign.signed and self.campaign_options.signed_available)
        self.dates.set_dates(campaign.starts_on, campaign.ends_on)
        # A launched campaign keeps its configuration: the server lets only its name and end change.
        self.locked = campaign.state != CampaignState.DRAFT and not duplicate
        for widget in (self.triggers, self.documents, self.dates.start):
            widget.setEnabled(not self.locked)

    def _set_title(self) -> None:
        if self.source is not None:
            self.setWindowTitle(self.tr("Dupliquer la diffusion"))
        elif self.campaign is not None:
            self.setWindowTitle(fill_in(self.tr("Diffusion « %1 »"), self.campaign.name))
        else:
            self.setWindowTitle(self.tr("Créer une diffusion"))

    # ---- the settings and their rules ---------------------------------------------------------------------
    def settings(self) -> rules.CampaignSettings:
        return rules.CampaignSettings(
            name=self.target.name.text().strip(),
            on_payslips=self.triggers.payslips.isChecked(),
            on_contracts=self.triggers.contracts.isChecked(),
            retroactive=self.triggers.retroactive.isChecked(),
            cadre_filter=self.triggers.cadre_filter() if self.triggers.contracts.isChecked() else "all",
            client_filter_id=self.triggers.client_filter_id(),
            signed=self.campaign_options.signed_available and self.documents.signed.isChecked(),
            starts_on=self.dates.starts_on(),
            ends_on=self.dates.ends_on(),
            documents=len(self.documents.documents),
        )

    def draft_errors(self) -> list[rules.FieldError]:
        s = self.settings()
        found = rules.draft_errors(s, self.today)
        if self.locked:  # launched: its start may lie in the past; only the name and the end are checked
            found = [e for e in found if e[0] == "name"]
            if s.ends_on is not None and s.ends_on < max(self.today, s.starts_on or self.today):
                found.append(
                    ("ends_on", self.tr("La date de fin d'une diffusion lancée ne peut pas être passée."))
                )
        return found

    def config(self) -> dict[str, Any]:
        """The body of POST / PUT /campaigns (without scope and version)."""
        s = self.settings()
        return {
            "name": s.name,
            "on_payslips": s.on_payslips,
            "on_contracts": s.on_contracts,
            "retroactive": s.retroactive,
            "cadre_filter": s.cadre_filter,
            "client_filter_id": s.client_filter_id,
            "signed": s.signed,
            "starts_on": s.starts_on.isoformat() if s.starts_on else None,
            "ends_on": s.ends_on.isoformat() if s.ends_on else None,
        }

    def summary_html(self) -> str:
        """The summary page's table: every choice, in the order of the steps."""
        s, esc = self.settings(), html.escape
        yes, no = self.tr("oui"), self.tr("non")
        on = [(self.tr("bulletins de paie"), s.on_payslips), (self.tr("contrats"), s.on_contracts)]
        rows = [
            (self.tr("Cible"), esc(self.target.target.text())),
            (self.tr("Nom"), esc(s.name)),
            (self.tr("Déclencheurs"), esc(", ".join(label for label, chosen in on if chosen) or "—")),
        ]
        if s.on_contracts:
            rows.append((self.tr("Salariés"), esc(self.triggers.cadre_buttons[s.cadre_filter].text())))
            if self.campaign_options.clients or s.client_filter_id is not None:
                rows.append((self.tr("Contrats de mission pour"), esc(self.triggers.client.currentText())))
        rows.append((self.tr("Envoi à une date antérieure"), yes if s.retroactive else no))
        listed = [f"{esc(d.title)} ({format_size(d.size)})" for d in self.documents.documents]
        rows.append((self.tr("Documents"), "<br>".join(listed) or self.tr("aucun")))
        if self.campaign_options.signed_available:
            rows.append((self.tr("Diffusion signée"), yes if s.signed else no))
        rows.append((self.tr("Début"), f"{s.starts_on:%d/%m/%Y}" if s.starts_on else "—"))
        rows.append((self.tr("Fin"), f"{s.ends_on:%d/%m/%Y}" if s.ends_on else self.tr("jusqu'à la clôture")))
        cell = "<tr><td style='padding:3px 16px 3px 0'><b>{}</b></td><td style='padding:3px 0'>{}</td></tr>"
        return "<table>" + "".join(cell.format(esc(label), value) for label, value in rows) + "</table>"

    # ---- buttons -------------------------------------------------------------------------------------------
    def _update_buttons(self, *_: object) -> None:
        """The three actions on the summary only; everything but "Suivant" frozen while a request runs."""
        last = self.currentPage() is self.summary
        editable = self.campaign is None or self.campaign.state == CampaignState.DRAFT
        option = QWizard.WizardOption
        shown = (
            (LAUNCH, option.HaveCustomButton1, last and editable),
            (SAVE, option.HaveCustomButton2, last and self._may_save()),
            (DELETE, option.HaveCustomButton3, last and self._may_delete()),
        )
        busy = self.busy()
        for which, have, visible in shown:
            self.setOption(have, visible)
            # With a button layout of its own, QWizard shows every custom button it lists: hidden here.
            self.button(which).setVisible(visible)
            self.button(which).setEnabled(not busy)
        self.button(QWizard.WizardButton.CancelButton).setEnabled(not busy)
        back = self.button(QWizard.WizardButton.BackButton)
        back.setEnabled(not busy and bool(self.visitedIds()) and self.currentId() != self.startId())

    def _may_save(self) -> bool:
        return self.campaign is None or self.campaign.state != CampaignState.CLOSED

    def _may_delete(self) -> bool:
        return self.campaign is not None and self.campaign.state == CampaignState.DRAFT

    def _custom_clicked(self, which: int) -> None:
        if which == LAUNCH.value:
            self.launch()
        elif which == SAVE.value:
            self.save()
        elif which == DELETE.value:
            self.delete()

    def busy(self) -> bool:
        return self.task is not None and not self.task.done

    # ---- saving --------------------------------------------------------------------------------------------
    def save(self) -> None:
        """ "Sauvegarder": the draft (or the launched campaign's name and end) is stored."""
        if not self.busy() and self.summary.show_messages([t for _, t in self.draft_errors()]):
            self._run(self._store(launch=False), self.tr("Enregistrement de la diffusion…"))

    def launch(self) -> None:
        """ "Lancer la diffusion": every rule checked, a confirmation, then saved and launched."""
        if self.busy():
            return
        problems = [text for _, text in rules.launch_errors(self.settings(), self.today)]
        if not self.summary.show_messages(list(dict.fromkeys(problems))):
            return
        s = self.settings()
        question = fill_in(
            self.tr(
                "Lancer la diffusion « %1 » à partir du %2 ? Une diffusion lancée ne peut plus être "
                "modifiée, seulement clôturée."
            ),
            s.name,
            f"{s.starts_on:%d/%m/%Y}",
        )
        answer = QMessageBox.question(
            self,
            self.tr("Lancer la diffusion"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._run(self._store(launch=True), self.tr("Lancement de la diffusion…"))

    def _run(self, work: Coroutine[Any, Any, Campaign], label: str) -> None:
        self.summary.set_progress(label)
        self.summary.reload_button.setVisible(False)
        self.task = Task(self, work).on_success(self._stored).on_failure(self._failed)
        self.task.on_finished(self._idle).run()
        self._update_buttons()

    async def _store(self, *, launch: bool) -> Campaign:
        """Configuration, removed documents, new documents, launch: each step keeps what it achieved, so
        that a retry after a failure goes on from there (no second draft, no document twice)."""
        config = self.config()
        if self.source is not None:
            copy = await self.api.duplicate(self.source.id)
            self._adopt_copy(self.source, copy)
        if self.campaign is None:
            self.campaign = await self.api.create(self.scope, config)
        else:
            self.campaign = await self.api.update(self.campaign.id, self.campaign.version, config)
        while self.documents.removed:
            gone = self.documents.removed[0]
            assert gone.server_id is not None
            self.campaign = await self.api.remove_document(
                self.campaign.id, self.campaign.version, gone.server_id
            )
            self.documents.removed.pop(0)
        new = [d for d in self.documents.documents if d.server_id is None and d.path is not None]
        for done, document in enumerate(new):
            text = fill_in(
                self.tr("Envoi de %1 (%2 / %3)…"), document.file_name, number(done + 1), number(len(new))
            )
            self.summary.set_progress(text, done, len(new))
            assert document.path is not None
            self.campaign = await self.api.add_document(
                self.campaign.id, self.campaign.version, document.path, document.title
            )
            document.server_id = self._new_document_id(self.campaign.documents)
        if launch:
            self.summary.set_progress(self.tr("Lancement de la diffusion…"), len(new), max(len(new), 1))
            self.campaign = await self.api.launch(self.campaign.id, self.campaign.version)
        return self.campaign

    def _adopt_copy(self, source: Campaign, copy: Campaign) -> None:
        """The server copied ``source``: the wizard now edits the copy; its documents replace the source's."""
        self.source, self.campaign = None, copy
        unused = list(copy.documents)

        def twin(document: WizardDocument) -> int | None:
            key = (document.title, document.file_name, document.size)
            match = next((d for d in unused if (d.title, d.file_name, d.size) == key), None)
            if match is None:
                return None
            unused.remove(match)
            return match.id

        for document in [*self.documents.documents, *self.documents.removed]:
            if document.server_id is not None:
                document.server_id = twin(document)
        self.documents.removed = [d for d in self.documents.removed if d.server_id is not None]
        self._set_title()

    def _new_document_id(self, documents: tuple[CampaignDocument, ...]) -> int | None:
        known = {d.server_id for d in self.documents.documents}
        return next((d.id for d in reversed(documents) if d.id not in known), None)

    def _stored(self, campaign: Campaign) -> None:
        self.saved.emit(campaign)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ApiError) and not isinstance(exc, SessionExpired):
            # A 422 names every field in error; its detail is the first of them.
            listed = (str(e.get("message") or e.get("msg") or "") for e in exc.errors)
            messages = list(dict.fromkeys([exc.detail, *filter(None, listed)]))
            # A 409: a colleague changed the draft (the detail names who and when): offer to reload.
            self.summary.reload_button.setVisible(exc.status == 409 and self.campaign is not None)
            self.summary.show_messages(messages)
            return
        errors.show_error(self, exc)

    def _idle(self) -> None:
        self.summary.set_progress(None)
        self._update_buttons()

    # ---- reloading and deleting -------------------------------------------------------------------
    def reload(self) -> None:
        """After a 409: the campaign as the server has it now replaces what the wizard holds."""
        if self.campaign is None or self.busy():
            return
        self.summary.set_progress(self.tr("Rechargement…"))
        self.task = Task(self, self.api.get(self.campaign.id)).on_success(self._reloaded)
        self.task.on_finished(self._idle).run()
        self._update_buttons()

    def _reloaded(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.fill(campaign)
        self._set_title()
        self.summary.initializePage()
        self.summary.show_messages(
            [self.tr("La diffusion a été rechargée : vérifiez-la avant de continuer.")]
        )

    def delete(self) -> None:
        """ "Supprimer" an existing draft, after a confirmation."""
        campaign = self.campaign
        if campaign is None or self.busy():
            return
        answer = QMessageBox.question(
            self,
            self.tr("Supprimer la diffusion"),
            fill_in(
                self.tr("Supprimer définitivement la diffusion « %1 » et ses documents ?"), campaign.name
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        async def work() -> Campaign:
            await self.api.delete(campaign.id, campaign.version)
            return campaign

        self.summary.set_progress(self.tr("Suppression…"))
        self.task = Task(self, work()).on_success(self._deleted).on_failure(self._failed)
        self.task.on_finished(self._idle).run()
        self._update_buttons()

    def _deleted(self, _campaign: Campaign) -> None:
        self.campaign = None
        self.saved.emit(None)
        self.accept()

    def reject(self) -> None:  # "Annuler", Échap, the window's close button
        if not self.busy():
            super().reject()
