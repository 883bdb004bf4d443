"""The background-work helper: results on the UI thread, failures shown in French, dropped with its widget."""

from __future__ import annotations

import asyncio
import threading

import shiboken6
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.gui import errors, tasks
from coffreo_desktop.gui.tasks import Lane, Task


def _top_level(kind: type, name: str | None = None) -> list[QWidget]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, kind) and w.isVisible() and (name is None or w.objectName() == name)
    ]


def test_coroutine_result_reaches_the_success_callback(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    results: list[int] = []

    async def compute() -> int:
        await asyncio.sleep(0)
        return 42

    task = Task(parent, compute()).on_success(results.append).run()
    qtbot.waitUntil(lambda: task.done)
    assert results == [42]


def test_blocking_work_runs_off_the_ui_thread_and_answers_on_it(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    ui_thread = threading.get_ident()
    seen: dict[str, int] = {}

    def work() -> str:
        seen["worker"] = threading.get_ident()
        return "fait"

    def done(value: str) -> None:
        seen["callback"] = threading.get_ident()
        seen["value"] = len(value)

    task = Task(parent, work).on_success(done).run()
    qtbot.waitUntil(lambda: task.done)
    assert seen["worker"] != ui_thread
    assert seen["callback"] == ui_thread
    assert seen["value"] == 4


def test_store_lane_runs_one_job_at_a_time_on_one_thread(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    names: list[str] = []
    running = threading.Semaphore(1)

    def job() -> None:
        # Would fail if two store jobs overlapped.
        assert running.acquire(blocking=False)
        names.append(threading.current_thread().name)
        running.release()

    started = [Task(parent, job, lane=Lane.STORE).run() for _ in range(5)]
    qtbot.waitUntil(lambda: all(t.done for t in started))
    assert len(set(names)) == 1 and names[0].startswith("coffreo-store")


def test_failure_without_handler_shows_the_french_detail(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()

    async def refused() -> None:
        raise ApiError(403, "forbidden", "Vous n'avez pas le droit de faire cela.")

    task = Task(parent, refused()).run()
    qtbot.waitUntil(lambda: task.done)
    qtbot.waitUntil(lambda: bool(_find_box(parent, "userErrorBox")))
    box = _find_box(parent, "userErrorBox")[0]
    assert box.text() == "Vous n'avez pas le droit de faire cela."
    box.close()


def _find_box(parent: QWidget, name: str) -> list[QMessageBox]:
    return [b for b in parent.findChildren(QMessageBox) if b.objectName() == name and b.isVisible()]


def test_failure_handler_receives_the_error_and_finished_runs_after(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    order: list[str] = []

    def broken() -> None:
        raise ApiError(409, "conflict", "Déjà traité par un collègue.")

    task = (
        Task(parent, broken)
        .on_success(lambda _r: order.append("success"))
        .on_failure(lambda exc: order.append(f"failure:{exc}"))
        .on_finished(lambda: order.append("finished"))
        .run()
    )
    qtbot.waitUntil(lambda: task.done)
    assert order == ["failure:Déjà traité par un collègue.", "finished"]


def test_task_is_dropped_when_its_widget_is_destroyed(qtbot: QtBot) -> None:
    parent = QWidget()
    release = asyncio.Event()
    called: list[object] = []

    async def slow() -> str:
        await release.wait()
        return "trop tard"

    task = Task(parent, slow()).on_success(called.append).on_failure(called.append).run()
    shiboken6.delete(parent)
    assert task.cancelled
    release.set()
    assert task not in tasks._running
    assert called == []


def test_blocking_work_finishing_after_its_widget_is_gone_calls_nothing(qtbot: QtBot) -> None:
    parent = QWidget()
    started = threading.Event()
    release = threading.Event()
    finished = threading.Event()
    called: list[object] = []

    def slow() -> str:
        started.set()
        release.wait(10)
        finished.set()
        return "trop tard"

    task = Task(parent, slow).on_success(called.append).on_finished(lambda: called.append("fin")).run()
    qtbot.waitUntil(started.is_set)  # running in its thread: it cannot be stopped, only left unheard
    shiboken6.delete(parent)
    release.set()
    qtbot.waitUntil(finished.is_set)
    qtbot.waitUntil(lambda: task.done)
    assert task.cancelled and called == []


def test_progress_dialog_follows_reports_from_the_worker(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    reported = threading.Event()
    release = threading.Event()

    def work(report: tasks.Progress) -> int:
        report(3, 10, "Étape 3 sur 10")
        reported.set()
        release.wait(10)
        return 10

    task = Task(parent, work, reports_progress=True).with_progress("Préparation…", delay_ms=0).run()
    qtbot.waitUntil(lambda: bool(parent.findChildren(QProgressDialog)) and task.last_progress is not None)
    dialog = parent.findChildren(QProgressDialog)[0]
    qtbot.waitUntil(lambda: dialog.value() == 3)
    assert dialog.maximum() == 10
    assert dialog.labelText() == "Étape 3 sur 10"
    release.set()
    qtbot.waitUntil(lambda: task.done)
    qtbot.waitUntil(lambda: not dialog.isVisible() if shiboken6.isValid(dialog) else True)


def test_a_bug_in_a_callback_goes_to_the_exception_hook(qtbot: QtBot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    reported: list[BaseException] = []
    monkeypatch.setattr(errors, "report_exception", reported.append)
    failures: list[BaseException] = []

    def buggy(_value: object) -> None:
        raise ZeroDivisionError("bogue")

    task = Task(parent, lambda: 1).on_success(buggy).on_failure(failures.append).run()
    qtbot.waitUntil(lambda: task.done and bool(reported))
    assert isinstance(reported[0], ZeroDivisionError)
    assert failures == []  # the work itself succeeded


def test_unexpected_error_shows_the_generic_french_dialog(qtbot: QtBot) -> None:
    errors.report_exception(RuntimeError("interne"))

    def ours() -> list[QMessageBox]:
        # Only this test's box: a box left by background work of an earlier test must not be taken.
        return [b for b in _top_level(QMessageBox, "unexpectedErrorBox") if "interne" in b.detailedText()]

    qtbot.waitUntil(lambda: bool(ours()))
    box = ours()[0]
    assert box.text() == "Une erreur inattendue est survenue…"
    assert "RuntimeError: interne" in box.detailedText()
    box.close()


def test_log_filter_masks_emails_and_tokens() -> None:
    import logging

    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "login %s with refresh_token=%s",
        ("claire@demo.fr", "rt_secret"),
        None,
    )
    errors.RedactingFilter().filter(record)
    message = record.getMessage()
    assert "claire@demo.fr" not in message and "rt_secret" not in message
