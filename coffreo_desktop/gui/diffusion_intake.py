"""Files dropped or chosen for Diffusion libre, before they reach the table: folders walked, each file
checked (blocking functions, run in an executor), then matched, by :class:`FileIntake`."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, QUrl, Signal

from coffreo_desktop.client.diffusion import DiffusionApi
from coffreo_desktop.client.diffusion_plan import FileCheck, check_many
from coffreo_desktop.client.errors import ApiError, SessionExpired
from coffreo_desktop.gui.diffusion_batch import DiffusionBatch
from coffreo_desktop.gui.diffusion_model import DiffusionModel
from coffreo_desktop.gui.i18n import number
from coffreo_desktop.gui.tasks import Lane, Task, in_lane

#: Files checked per call of ``check_many`` (one pool of processes each, ~0.2 s to start) and between
#: two refreshes of the table: a thousand files go in one call, a huge folder shows rows as it goes.
CHUNK = 2000
#: ``on_progress(done, total)``, called from a worker thread.
OnProgress = Callable[[int, int], None]


def local_paths(urls: Iterable[QUrl]) -> list[Path]:
    """The local files and folders of dropped URLs (a web link is not a file to send)."""
    return [Path(url.toLocalFile()) for url in urls if url.isLocalFile() and url.toLocalFile()]


def expand(paths: Iterable[Path]) -> list[Path]:
    """The files of ``paths``, each folder walked recursively in name order, every path absolute.

    Files inside a folder that the system hides (".DS_Store", "._x.pdf") are left out: nobody dropped
    them on purpose. Everything else is kept, PDF or not, so that a refusal says why a file is not sent.
    """
    found: list[Path] = []
    for path in paths:
        path = Path(os.path.abspath(path))
        if not path.is_dir():
            found.append(path)
            continue
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(Path(folder) / name for name in sorted(files) if not name.startswith("."))
    return found


def check_paths(
    paths: Sequence[Path], on_progress: OnProgress | None = None, cancelled: Callable[[], bool] | None = None
) -> dict[Path, FileCheck]:
    """Check every file of ``paths`` (worker processes for a large drop); a cancel leaves the remaining
    files out of the result."""
    return check_many(list(paths), on_progress=on_progress, cancelled=cancelled)


class FileIntake(QObject):
    """The background pipeline of the page: walk, check (a chunk at a time), look the matricules up for
    the issuer, and rebuild the table once per chunk. Its coroutine runs on the UI thread between its
    awaits, so the batch and the model are only ever touched from there.

    Matricules are read in the names as soon as a folder is walked: their lookup runs while the files
    are being checked, not after.
    """

    progress = Signal(object, int, int)  # text (None: idle), done, total
    finished = Signal()
    failed = Signal(str)  # a French message: the lookup failed, the files stay without recipient

    def __init__(
        self,
        parent: QObject,
        batch: DiffusionBatch,
        model: DiffusionModel,
        api: DiffusionApi,
        issuer_id: Callable[[], int | None],
    ) -> None:
        super().__init__(parent)
        self.batch, self.model, self.api, self.issuer_id = batch, model, api, issuer_id
        self._incoming: list[Path] = []
        self._pending: list[Path] = []
        self._queued: set[Path] = set()
        self._task: Task[None] | None = None
        self._stop = False
        self._checked = 0  # written by the checking thread, read by the progress timer
        self._done_before = 0
        self._total = 0
        self._generation = 0  # bumped when the issuer changes: a late lookup for the previous one is dropped
        self._again = False  # the issuer changed during a run: one more run matches for the new one
        self._lookups: list[asyncio.Future[None]] = []
        self._asked: set[str] = set()  # matricules whose lookup is under way in this run
        self._timer = QTimer(self, interval=100)
        self._timer.timeout.connect(self._show_progress)

    def add(self, paths: Iterable[Path]) -> None:
        self._incoming.extend(paths)
        self._start()

    def rematch(self) -> None:
        """The issuer changed: forget lookups under way and look every matricule up again."""
        self._generation += 1
        self._again = self.busy()
        self._start()

    def stop(self) -> None:
        """The files not checked yet are left out (those checked stay)."""
        self._stop = True

    def busy(self) -> bool:
        return self._task is not None and not self._task.done

    def _start(self) -> None:
        if self.busy():
            return  # the running pipeline takes the new paths (or the new issuer) in its next step
        self._stop = False
        self._done_before = self._checked = self._total = 0
        self._timer.start()
        # The page is the task's parent: an unexpected failure is shown over it.
        owner = self.parent() or self
        self._task = Task(owner, self._run()).on_finished(self._finished).run()

    async def _run(self) -> None:
        try:
            while not self._stop:
                if self._incoming:
                    raw, self._incoming = self._incoming, []
                    found = await in_lane(Lane.NETWORK, expand, raw)
                    fresh = [p for p in self.batch.new_paths(found) if p not in self._queued]
                    self._queued.update(fresh)
                    self._pending.extend(fresh)
                    self._total += len(fresh)
                    self._look_up(self.batch.matricules_in(p.name for p in fresh))
                    continue
                if not self._pending:
                    await self._match()
                    break
                chunk, self._pending = self._pending[:CHUNK], self._pending[CHUNK:]
                self._checked = 0
                checks = await in_lane(Lane.NETWORK, check_paths, chunk, self._on_checked, lambda: self._stop)
                self._done_before += len(chunk)
                self.batch.add_checks(checks)
                await self._match()
        finally:
            for lookup in self._lookups:
                lookup.cancel()
            self._lookups.clear()
            self._asked.clear()
            self._pending.clear()
            self._queued.clear()

    def _on_checked(self, done: int, *_: object) -> None:
        self._checked = done

    def _look_up(self, matricules: list[str]) -> None:
        """Start looking ``matricules`` up for the issuer, unless already asked in this run."""
        agency_id = self.issuer_id()
        wanted = [m for m in matricules if m not in self._asked]
        if agency_id is None or not wanted:
            return
        self._asked.update(wanted)
        lookup = self._lookup(agency_id, wanted, self._generation)
        self._lookups.append(asyncio.ensure_future(lookup))

    async def _lookup(self, agency_id: int, matricules: list[str], generation: int) -> None:
        try:
            found = await self.api.recipients_by_matricule(agency_id, matricules)
        except SessionExpired:
            raise
        except ApiError as exc:
            text = QCoreApplication.translate(
                "FileIntake", "Les destinataires n'ont pas pu être recherchés : {reason}"
            )
            self.failed.emit(text.format(reason=exc.detail))
            return
        if generation == self._generation:
            self.batch.learn(matricules, found)

    async def _match(self) -> None:
        """Wait for the lookups under way, look up what is left (another issuer), then rebuild."""
        self._look_up(self.batch.unknown_matricules())
        if self._lookups:
            self.progress.emit(QCoreApplication.translate("FileIntake", "Recherche des destinataires…"), 0, 0)
            lookups, self._lookups = self._lookups, []
            await asyncio.gather(*lookups)
        self.model.rebuild()

    def _show_progress(self) -> None:
        done = min(self._done_before + self._checked, self._total)
        if self._total and done < self._total:
            text = QCoreApplication.translate("FileIntake", "Vérification de {done} / {total} fichiers…")
            self.progress.emit(text.format(done=number(done), total=number(self._total)), done, self._total)

    def _finished(self) -> None:
        self._timer.stop()
        self.progress.emit(None, 0, 0)
        self.finished.emit()
        if self._incoming or self._again:  # dropped, or another issuer chosen, while the run ended
            self._again = False
            self._start()
