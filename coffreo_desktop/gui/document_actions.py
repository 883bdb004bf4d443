"""What the documents page does with documents: open in the viewer, delete, pin for offline work, keep
result lists, synchronise them, export (F2.5, F2.6, F2.8, F2.9).

Every slow step runs as a :class:`Task`: the network on the event loop, the encrypted cache on the STORE
lane (one thread: the cache and the keyring dislike concurrent use).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QMessageBox

from coffreo_desktop.client.document_cache import DocumentCache, SavedList
from coffreo_desktop.client.documents import DocumentRow, DocumentsApi, SearchParams
from coffreo_desktop.client.errors import ApiError, ServerUnreachable
from coffreo_desktop.client.sync import fetch_for_viewing, pin_rows, synchronise
from coffreo_desktop.domain.documents import SignatureState
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.gui import errors
from coffreo_desktop.gui.i18n import counted, domain_text
from coffreo_desktop.gui.tasks import Lane, Task, in_lane

if TYPE_CHECKING:
    from coffreo_desktop.gui.pages.documents import DocumentsPage
    from coffreo_desktop.gui.viewer import ViewerWindow

log = logging.getLogger(__name__)

#: The kept list that always holds the first page of the last search (offline start).
LAST_SEARCH_LIST = "dernière recherche"
#: How many rows of the last search are kept for an offline start (its first page).
LAST_SEARCH_ROWS = 200
PAGE_SIZE = 200
GONE_STATUSES = (404, 410)
#: The cache is used from one thread (the STORE lane), by the page and by the client's sync alike.
in_store = partial(in_lane, Lane.STORE)


def _today() -> date:
    return datetime.now(ZoneInfo(DISPLAY_TZ)).date()


class DocumentActions(QObject):
    def __init__(self, page: DocumentsPage) -> None:
        super().__init__(page)
        self.page = page
        self.viewer: ViewerWindow | None = None
        self._search_seq = 0  # the latest search asked: an older one's answers are dropped
        self._kept_for: tuple[int, SearchParams, str | None] | None = None  # (model generation, params, head)
        self._list_seq = 0
        self._opening: set[int] = set()
        self.trust_roots: tuple[bytes, ...] = ()  # the server's seal certificates, for the viewer's check
        self._list_names: list[str] = []
        self._pending_list: str | None = None
        self._deleting: set[int] = set()

    @property
    def api(self) -> DocumentsApi:
        return DocumentsApi(self.page.context.session.api)

    @property
    def cache(self) -> DocumentCache | None:
        return self.page.cache

    # ---- the cache ---------------------------------------------------------------------------------
    def cache_ready(self) -> None:
        ui = self.page.ui
        if self.cache is None:
            text = self.tr(
                "Le travail hors ligne est désactivé : aucun trousseau sécurisé n'est disponible sur ce "
                "poste pour chiffrer le cache des documents."
            )
            for button in (ui.keepListButton, ui.pinButton):
                button.setEnabled(False)
                button.setToolTip(text)
            ui.offlineLabel.setText(text)  # said once, plainly: nothing is kept on this workstation
            ui.offlineLabel.show()
            return
        self.refresh_list_names()
        if self.page.online:
            self.synchronise()  # kept lists catch up with what changed since the last session

    def fetch_trust_roots(self) -> None:
        """Once per page: without them every genuine seal would read "non reconnu"."""
        Task(self, self.api.trust_certificates()).on_success(self._trust_roots_arrived).on_failure(
            lambda exc: log.info("certificats de confiance indisponibles : %s", type(exc).__name__)
        ).run()

    def _trust_roots_arrived(self, roots: list[bytes]) -> None:
        self.trust_roots = tuple(roots)

    def refresh_list_names(self) -> None:
        cache = self.cache
        if cache is not None:
            Task(self, cache.list_names, lane=Lane.STORE).on_success(self._show_list_names).run()

    def _show_list_names(self, names: list[str]) -> None:
        self._list_names = names
        combo = self.page.ui.savedListsCombo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("Résultats du serveur"), None)
        for name in names:
            label = self.tr("Dernière recherche") if name == LAST_SEARCH_LIST else name
            combo.addItem(label, name)
        combo.blockSignals(False)
        combo.setVisible(bool(names) or not self.page.online)
        if self._pending_list is not None:
            name, self._pending_list = self._pending_list, None
            self.show_kept_list(name)

    def has_kept_lists(self) -> bool:
        return bool(self._list_names)

    def show_kept_list(self, name: str) -> None:
        cache = self.cache
        if cache is None:
            if not self.page.cache_checked:
                self._pending_list = name  # shown once the cache is open
            return
        self._list_seq += 1
        seq = self._list_seq
        Task(self, partial(cache.load_list, name), lane=Lane.STORE).on_success(
            lambda kept: self._kept_list_loaded(seq, name, kept)
        ).run()

    def _kept_list_loaded(self, seq: int, name: str, kept: SavedList | None) -> None:
        if seq != self._list_seq:
            return  # a newer search or list was asked meanwhile
        if kept is None:
            if name == LAST_SEARCH_LIST and not self.page.online:
                self.page.model.clear()
                self.page.ui.emptyLabel.setText(
                    self.tr("Hors ligne : aucune liste n'a encore été gardée sur ce poste.")
                )
                self.page.ui.retryButton.hide()
                self.page.ui.resultStack.setCurrentIndex(1)
            return
        # The form still applies offline: the kept rows are filtered and sorted as the server would.
        params, today = self.page.form_params(), _today()
        rows = params.sort_rows(row for row in kept.rows if params.matches(row, today))
        self.page.show_list_rows(name, rows, kept.saved_at)

    # ---- searching -----------------------------------------------------------------------------------
    def start_search(self, params: SearchParams) -> None:
        """The change-feed position first, then the pages: the kept copy of this search replays every
        change made after its first page was read."""
        self._search_seq += 1
        self._list_seq += 1  # a kept list still loading must not replace this search
        seq = self._search_seq
        self.page.model.clear()
        self.page.ui.countLabel.setText(self.tr("Recherche…"))
        Task(self, self.api.changes(None)).on_success(
            lambda page: self._run_search(seq, params, page.next)
        ).on_failure(lambda exc: self._run_search(seq, params, None)).run()

    def _run_search(self, seq: int, params: SearchParams, head: str | None) -> None:
        if seq != self._search_seq:
            return
        api, model = self.api, self.page.model
        # The first rows show at once; the count (slower over a million documents) follows on its own.
        model.set_fetch(lambda cursor: api.search(params, cursor=cursor, limit=PAGE_SIZE, with_total=False))
        generation = model.generation
        self._kept_for = (generation, params, head)
        Task(self, api.count(params)).on_success(lambda total: model.set_total(total, generation)).on_failure(
            lambda exc: self._count_failed(generation, exc)
        ).run()

    def _count_failed(self, generation: int, exc: BaseException) -> None:
        log.info("nombre de documents inconnu : %s", type(exc).__name__)
        if generation == self.page.model.generation and self.page.model.total is None:
            self.page.ui.countLabel.setText("")

    def keep_last_search(self) -> None:
        """Keep the first page of each search in the cache: the app opens on it when offline."""
        cache, kept_for = self.cache, self._kept_for
        if cache is None or self.page.showing_list is not None or kept_for is None:
            return
        generation, params, head = kept_for
        if generation != self.page.model.generation:
            return
        rows = self.page.model.loaded_rows()[:LAST_SEARCH_ROWS]
        save = partial(cache.save_list, LAST_SEARCH_LIST, params, rows, head)
        Task(self, save, lane=Lane.STORE).on_success(
            lambda _: None if LAST_SEARCH_LIST in self._list_names else self.refresh_list_names()
        ).on_failure(lambda exc: log.warning("liste non gardée : %s", type(exc).__name__)).run()

    # ---- open --------------------------------------------------------------------------------------
    def open_document(self, row: DocumentRow) -> None:
        if row.id in self._opening:
            return  # a double click on the eye: one opening
        cache = self.cache
        if not self.page.online:
            if cache is None:
                self._offline_unavailable(row)
                return
            # Offline, the kept copy is shown even if the list knows of a newer version (its own hash is
            # still checked by the cache).
            self._opening.add(row.id)
            Task(self, partial(cache.get, row.id), lane=Lane.STORE).on_success(
                lambda data: self._show(row, data) if data is not None else self._offline_unavailable(row)
            ).on_finished(lambda: self._opening.discard(row.id)).run()
            return
        self._opening.add(row.id)
        work = (
            fetch_for_viewing(self.api, cache, row, run_blocking=in_store)
            if cache is not None
            else self.api.download(row.id)
        )
        Task(self, work).on_success(lambda data: self._show(row, data)).on_failure(
            lambda exc: self._open_failed(row, exc)
        ).on_finished(lambda: self._opening.discard(row.id)).with_progress(
            self.tr("Ouverture du document…"), delay_ms=400
        ).run()

    def _show(self, row: DocumentRow, data: bytes | None) -> None:
        from coffreo_desktop.gui.viewer import ViewerWindow

        if data is None:
            return
        if self.viewer is None:
            self.viewer = ViewerWindow(self.page.window(), trust_roots=self.trust_roots)
        self.viewer.viewer.trust_roots = self.trust_roots
        signature = None if row.signature_state is SignatureState.NOT_REQUIRED else row.signature_state
        self.viewer.show_document(
            data,
            title=row.title,
            file_name=row.file_name,
            signature_state_label=domain_text(signature.label) if signature is not None else None,
        )
        self.viewer.show()
        self.viewer.raise_()
        self.viewer.activateWindow()

    def _open_failed(self, row: DocumentRow, exc: BaseException) -> None:
        if isinstance(exc, ApiError) and exc.status in GONE_STATUSES:
            self._gone(row, exc)
        elif isinstance(exc, ServerUnreachable) and self.cache is not None:
            cache = self.cache
            Task(self, partial(cache.get, row.id), lane=Lane.STORE).on_success(
                lambda data: self._show(row, data) if data is not None else errors.show_error(self.page, exc)
            ).run()
        else:
            errors.show_error(self.page, exc)

    def _offline_unavailable(self, row: DocumentRow) -> None:
        QMessageBox.information(
            self.page,
            self.tr("Hors ligne"),
            self.tr(
                "« {title} » n'est pas disponible hors ligne. Il s'ouvrira dès le retour de la connexion ; "
                "pensez à le rendre « Disponible hors ligne »."
            ).format(title=row.title),
        )

    def _gone(self, row: DocumentRow, exc: ApiError) -> None:
        """A colleague deleted it meanwhile: say so and take the row out."""
        self.page.model.remove_document(row.id)
        if self.cache is not None:
            Task(self, partial(self.cache.remove, row.id), lane=Lane.STORE).run()
        QMessageBox.information(self.page, self.tr("Document supprimé"), exc.detail)

    # ---- delete ------------------------------------------------------------------------------------
    def delete(self, row: DocumentRow) -> None:
        if row.id in self._deleting:
            return  # a double click: one deletion
        answer = QMessageBox.question(
            self.page,
            self.tr("Supprimer le contrat"),
            self.tr(
                "Supprimer « {title} » ?\n\nCe contrat n'est pas encore signé. La suppression est définitive "
                "et enregistrée dans le journal d'audit."
            ).format(title=row.title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._deleting.add(row.id)
        Task(self, self.api.delete(row.id)).on_success(lambda _: self._deleted(row)).on_failure(
            lambda exc: self._delete_failed(row, exc)
        ).on_finished(lambda: self._deleting.discard(row.id)).run()

    def _deleted(self, row: DocumentRow) -> None:
        self.page.model.remove_document(row.id)
        if self.cache is not None:
            Task(self, partial(self.cache.remove, row.id), lane=Lane.STORE).run()

    def _delete_failed(self, row: DocumentRow, exc: BaseException) -> None:
        if isinstance(exc, ApiError) and exc.status in GONE_STATUSES:
            self._gone(row, exc)
            return
        errors.show_error(self.page, exc)
        if isinstance(exc, ApiError):  # refused (signed meanwhile, right removed): show its current state
            Task(self, self.api.describe(row.id)).on_success(self.page.model.replace_document).on_failure(
                lambda _exc: None
            ).run()

    # ---- offline: pins, kept lists, synchronisation ------------------------------------------------------
    def toggle_pin(self) -> None:
        cache = self.cache
        rows = self.page.selected_rows()
        if cache is None:
            return
        if not rows:
            QMessageBox.information(
                self.page,
                self.tr("Disponible hors ligne"),
                self.tr("Sélectionnez les documents à garder lisibles sans connexion."),
            )
            return
        Task(self, cache.pinned_ids, lane=Lane.STORE).on_success(lambda pinned: self._pin(rows, pinned)).run()

    def _pin(self, rows: list[DocumentRow], pinned: set[int]) -> None:
        cache = self.cache
        assert cache is not None
        if all(row.id in pinned for row in rows):
            unpin = partial(_unpin_all, cache, [row.id for row in rows])
            Task(self, unpin, lane=Lane.STORE).on_success(
                lambda _: self._pins_changed(len(rows), False)
            ).run()
            return
        self._pin_rows(rows, lambda: self._pins_changed(len(rows), True))

    def _pin_rows(self, rows: list[DocumentRow], done: object) -> None:
        cache = self.cache
        assert cache is not None
        task: Task[None]

        async def work() -> None:
            await pin_rows(
                self.api,
                cache,
                rows,
                progress=lambda n, total: task.report(
                    n, total, self.tr("Documents gardés : {n} / {total}").format(n=n, total=total)
                ),
                should_cancel=lambda: task.cancelled,
                run_blocking=in_store,
            )

        task = Task(self, work())
        task.on_success(lambda _: done()).with_progress(  # type: ignore[operator]
            self.tr("Téléchargement des documents pour le travail hors ligne…"), cancellable=True
        ).run()

    def _pins_changed(self, count: int, pinned: bool) -> None:
        message = (
            self.tr("{count} disponible(s) hors ligne.").format(
                count=counted(count, self.tr("document"), self.tr("documents"))
            )
            if pinned
            else self.tr("{count} retiré(s) du travail hors ligne.").format(
                count=counted(count, self.tr("document"), self.tr("documents"))
            )
        )
        self.page.window().statusBar().showMessage(message, 6000)

    def keep_list(self) -> None:
        """Keep the whole result set and its documents for offline work, under a name."""
        if self.cache is None:
            return
        name, ok = QInputDialog.getText(
            self.page,
            self.tr("Garder la liste hors ligne"),
            self.tr("Nom de la liste :"),
            text=self._list_label(),
        )
        name = name.strip()
        if not ok or not name:
            return
        api, cache, params = self.api, self.cache, self.page.params
        task: Task[int]

        async def work() -> int:
            head = (await api.changes(None)).next
            rows: list[DocumentRow] = []
            async for row in api.iterate(params):  # "Annuler" cancels this coroutine: nothing is saved
                rows.append(row)
            await pin_rows(
                api, cache, rows, progress=lambda n, t: task.report(n, t, ""), run_blocking=in_store
            )
            await in_store(cache.save_list, name, params, rows, head)
            return len(rows)

        task = Task(self, work())
        task.on_success(lambda count: self._list_kept(name, count)).with_progress(
            self.tr("Préparation de la liste hors ligne…"), cancellable=True
        ).run()

    def _list_label(self) -> str:
        combo = self.page.ui.typeCombo
        return self.tr("{type} — {day}").format(type=combo.currentText(), day=_today().strftime("%d/%m/%Y"))

    def _list_kept(self, name: str, count: int) -> None:
        self.refresh_list_names()
        self.page.window().statusBar().showMessage(
            self.tr("Liste « {name} » gardée hors ligne : {count}.").format(
                name=name, count=counted(count, self.tr("document"), self.tr("documents"))
            ),
            8000,
        )

    def synchronise(self) -> None:
        cache = self.cache
        if cache is None:
            return
        Task(
            self,
            synchronise(self.api, cache, today=_today(), skip=(LAST_SEARCH_LIST,), run_blocking=in_store),
        ).on_success(self._synchronised).on_failure(
            lambda exc: log.warning("synchronisation interrompue : %s", type(exc).__name__)
        ).run()

    def _synchronised(self, report: object) -> None:
        summary = str(getattr(report, "summary", ""))
        if summary:
            self.page.window().statusBar().showMessage(summary, 8000)
        kept = self.page.showing_list
        if kept is not None and kept != LAST_SEARCH_LIST:
            self.show_kept_list(kept)  # the list on screen changed with the synchronisation

    # ---- export ------------------------------------------------------------------------------------------
    def export(self) -> None:
        from coffreo_desktop.gui.export_dialog import ExportDialog

        dialog = ExportDialog(
            self.page.context.session, self.page.context.me, self.page.form_params(), self.page
        )
        dialog.open()


def _unpin_all(cache: DocumentCache, ids: list[int]) -> None:
    for document_id in ids:
        cache.pin(document_id, False)
