"""The send dialog of Diffusion libre on the real embedded demo backend: per-file and overall progress,
the summary and its CSV, stop then resume without doubles, and the offer to resume at the next start."""

from __future__ import annotations

import asyncio
import csv
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.diffusion import DiffusionApi, Recipient
from coffreo_desktop.client.diffusion_journal import journal_place
from coffreo_desktop.client.diffusion_plan import idempotency_key
from coffreo_desktop.client.diffusion_send import ItemState, JournalBusy, SendItem, SendJournal
from coffreo_desktop.client.documents import DocumentsApi, SearchParams
from coffreo_desktop.domain.documents import Protection
from coffreo_desktop.gui.diffusion_resume import offer_resume
from coffreo_desktop.gui.diffusion_send_dialog import SendDialog, account_scope, sending_keys, start_send
from coffreo_desktop.gui.flow import AppFlow
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.pages import PageContext
from tests.client.documents_backend import pdf_bytes
from tests.gui.helpers import WAIT_MS, log_in, server_call

ADMIN = "admin@demo.coffreo.fr"


@pytest.fixture
def window(qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]) -> MainWindow:
    window = log_in(qtbot, make_flow(), ADMIN, demo_passwords[ADMIN])
    window.show()
    qtbot.waitExposed(window)
    return window


def context_of(window: MainWindow) -> PageContext:
    me = window.session.me
    assert me is not None
    return PageContext(window.session, me)


def issuer(window: MainWindow) -> tuple[int, str]:
    agency = context_of(window).me.agencies[0]
    return agency.id, agency.name


def some_recipients(loop: asyncio.AbstractEventLoop, qtbot: QtBot, window: MainWindow) -> list[Recipient]:
    agency_id, _ = issuer(window)
    found = server_call(loop, qtbot, DiffusionApi(window.session.api).search_recipients(agency_id, ""))
    assert isinstance(found, list) and found
    return found


def planned(folder: Path, people: list[Recipient], count: int, tag: str) -> list[SendItem]:
    folder.mkdir(parents=True, exist_ok=True)
    items = []
    for n in range(count):
        person = people[n % len(people)]
        data = pdf_bytes(f"{tag} {n}")
        path = folder / f"{person.matricule}_{tag}_{n}.pdf"
        path.write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        key = idempotency_key(digest, str(person.id), Protection.SIMPLE.value)
        items.append(
            SendItem(
                key,
                str(path),
                path.name,
                digest,
                len(data),
                person.id,
                person.label,
                Protection.SIMPLE,
                f"{tag} {n}",
            )
        )
    return items


def titles_on_server(
    loop: asyncio.AbstractEventLoop, qtbot: QtBot, window: MainWindow, tag: str
) -> list[str]:
    params = SearchParams(criterion="title", value=tag)
    page = server_call(loop, qtbot, DocumentsApi(window.session.api).search(params, limit=500))
    return sorted(row.title for row in page.items)  # type: ignore[attr-defined]


def test_sending_shows_each_file_then_a_summary_exported_as_csv(
    qtbot: QtBot, window: MainWindow, qt_event_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    items = planned(tmp_path / "pdf", some_recipients(qt_event_loop, qtbot, window), 6, "Envoi fenêtre")
    agency_id, agency_name = issuer(window)
    received: list[set[str]] = []
    page = window.current_page()
    page.on_sent = received.append  # type: ignore[attr-defined]
    dialog = start_send(page, context_of(window), agency_id, agency_name, items)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=WAIT_MS * 2)
    assert dialog.report is not None and dialog.report.finished
    model = dialog.model
    assert model is not None and model.rowCount() == 6
    assert {model.state_text(item) for item in items} == {"Envoyé"}
    assert dialog.ui.overallBar.value() == 6
    assert dialog.ui.summaryLabel.text() == "6 documents envoyés."
    assert received == [{item.key for item in items}]
    assert dialog.ui.closeButton.isEnabled() and not dialog.ui.stopButton.isVisible()

    target = tmp_path / "résumé.csv"
    dialog.save_summary(target)
    qtbot.waitUntil(target.exists, timeout=WAIT_MS)
    with target.open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.reader(source, delimiter=";"))
    assert len(rows) == 7 and {row[4] for row in rows[1:]} == {"Envoyé"}
    assert titles_on_server(qt_event_loop, qtbot, window, "Envoi fenêtre") == sorted(i.title for i in items)

    journal = dialog.journal
    assert journal is not None and journal.path is not None
    dialog.close()
    qtbot.waitUntil(lambda: not journal.path.exists(), timeout=WAIT_MS)  # type: ignore[union-attr]


def test_stop_then_resume_at_the_next_start_sends_the_rest_once(
    qtbot: QtBot,
    window: MainWindow,
    qt_event_loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = planned(tmp_path / "pdf", some_recipients(qt_event_loop, qtbot, window), 30, "Envoi repris")
    agency_id, agency_name = issuer(window)
    context = context_of(window)
    dialog = SendDialog(window.session, account_scope(context), window)
    dialog.start_new(agency_id, agency_name, items)
    dialog.open()
    qtbot.waitUntil(
        lambda: dialog.journal is not None and len(dialog.journal.remaining()) < 30, timeout=WAIT_MS
    )
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.request_stop()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=WAIT_MS)
    journal = dialog.journal
    assert journal is not None and dialog.report is not None and not dialog.report.finished
    left = len(journal.remaining())
    assert 0 < left < 30, left
    assert dialog.ui.resumeButton.isVisible()
    dialog.close()
    qtbot.waitUntil(lambda: journal._file is None, timeout=WAIT_MS)

    # The next start: the app finds the batch and offers to resume it.
    folder, key = journal_place(window.session.credentials, account_scope(context))
    (unfinished,) = SendJournal.unfinished(folder, key)
    assert len(unfinished.remaining()) == left
    offer_resume(window, context)
    box = _wait_for_box(qtbot)
    assert "n'est pas terminé" in box.text() and f"{left} restent à envoyer" in box.text()
    resume = next(b for b in box.buttons() if b.text() == "Reprendre l'envoi")
    resume.click()
    resumed = _wait_for(
        qtbot,
        lambda: next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, SendDialog) and w is not dialog and w.isVisible()
            ),
            None,
        ),
    )
    qtbot.waitUntil(lambda: resumed.report is not None, timeout=WAIT_MS * 2)
    assert resumed.report is not None and resumed.report.finished
    assert resumed.journal is not None
    assert resumed.journal.counts()[ItemState.PENDING] == 0
    assert titles_on_server(qt_event_loop, qtbot, window, "Envoi repris") == sorted(i.title for i in items)
    resumed.close()
    qtbot.waitUntil(lambda: not list(folder.glob("lot-*")), timeout=WAIT_MS)  # summarised: removed


def _wait_for_box(qtbot: QtBot) -> QMessageBox:
    return _wait_for(
        qtbot,
        lambda: next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None
        ),
    )


def _wait_for(qtbot: QtBot, find: Callable[[], object]) -> object:
    found: list[object] = []

    def check() -> bool:
        value = find()
        if value is not None:
            found.append(value)
        return value is not None

    qtbot.waitUntil(check, timeout=WAIT_MS)
    return found[-1]


def test_logging_in_with_an_unfinished_batch_offers_to_resume_it(
    qtbot: QtBot,
    window: MainWindow,
    qt_event_loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    make_flow: Callable[..., AppFlow],
    demo_passwords: dict[str, str],
) -> None:
    items = planned(tmp_path / "pdf", some_recipients(qt_event_loop, qtbot, window), 3, "Envoi au démarrage")
    agency_id, agency_name = issuer(window)
    folder, key = journal_place(window.session.credentials, account_scope(context_of(window)))
    SendJournal.create(folder, key, agency_id, agency_name, items).close()  # as a crash leaves it

    log_in(qtbot, make_flow(), ADMIN, demo_passwords[ADMIN])  # the next start of the app
    box = _wait_for_box(qtbot)
    assert "L'envoi de 3 documents" in box.text() and "3 restent à envoyer" in box.text()
    later = next(b for b in box.buttons() if b.text() == "Plus tard")
    later.click()
    assert len(SendJournal.unfinished(folder, key)) == 1  # still offered at the next start
    for journal in SendJournal.unfinished(folder, key):
        journal.discard()


def test_resume_in_the_dialog_shows_the_rest_sent_and_escape_while_preparing_sends_nothing(
    qtbot: QtBot,
    window: MainWindow,
    qt_event_loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = planned(tmp_path / "pdf", some_recipients(qt_event_loop, qtbot, window), 20, "Envoi bouton")
    agency_id, agency_name = issuer(window)
    context = context_of(window)
    folder, _key = journal_place(window.session.credentials, account_scope(context))

    # Échap while the journal is being written: nothing sent, nothing left to resume.
    early = SendDialog(window.session, account_scope(context), window)
    early.start_new(agency_id, agency_name, items)
    early.reject()
    qtbot.waitUntil(lambda: not early.running, timeout=WAIT_MS)
    assert "rien n'a été envoyé" in early.ui.summaryLabel.text()
    qtbot.waitUntil(lambda: not list(folder.glob("lot-*")), timeout=WAIT_MS)
    early.close()

    dialog = SendDialog(window.session, account_scope(context), window)
    dialog.start_new(agency_id, agency_name, items)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.journal is not None and dialog.journal.answered > 0, timeout=WAIT_MS)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.request_stop()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=WAIT_MS)
    first_journal = dialog.journal
    assert dialog.ui.resumeButton.isVisible()
    dialog.ui.resumeButton.click()
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.report.finished, timeout=WAIT_MS * 2)
    model = dialog.model
    assert model is not None and dialog.journal is not first_journal  # read again from disk, under its lock
    assert model.journal is dialog.journal  # the table follows the resumed journal
    assert {model.state_text(item) for item in items} <= {"Envoyé", "Déjà envoyé (pas de doublon)"}
    assert titles_on_server(qt_event_loop, qtbot, window, "Envoi bouton") == sorted(i.title for i in items)
    dialog.close()


def test_a_dialog_destroyed_mid_send_releases_its_files_and_its_journal(
    qtbot: QtBot, window: MainWindow, qt_event_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    items = planned(tmp_path / "pdf", some_recipients(qt_event_loop, qtbot, window), 20, "Envoi détruit")
    agency_id, agency_name = issuer(window)
    context = context_of(window)
    parent = QWidget()  # stands for a main window closed by a logout or an expired session
    dialog = SendDialog(window.session, account_scope(context), parent)
    dialog.start_new(agency_id, agency_name, items)
    qtbot.waitUntil(lambda: dialog.journal is not None and dialog.journal.answered > 0, timeout=WAIT_MS)
    path = dialog.journal.path  # type: ignore[union-attr]
    assert path is not None
    parent.deleteLater()
    qtbot.waitUntil(lambda: not sending_keys() & {item.key for item in items}, timeout=WAIT_MS)
    _folder, key = journal_place(window.session.credentials, account_scope(context))
    assert key is not None

    def reopened() -> bool:
        try:
            SendJournal.open(path, key).close()  # the lock is free: a resume can take the batch
        except JournalBusy:
            return False
        return True

    qtbot.waitUntil(reopened, timeout=WAIT_MS)
    again = SendDialog(window.session, account_scope(context), window)
    again.resume(path)
    qtbot.waitUntil(lambda: again.report is not None and again.report.finished, timeout=WAIT_MS * 2)
    assert titles_on_server(qt_event_loop, qtbot, window, "Envoi détruit") == sorted(i.title for i in items)
    again.close()
