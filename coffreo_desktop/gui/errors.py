"""Errors are shown, not swallowed: the rotating log, the global exception hook and the French dialogs.

Expected errors (the client's, the embedded server's) carry a French message shown as is; anything
else is a bug: it is logged with its traceback and announced by "Une erreur inattendue est survenue…".
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import threading
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from coffreo_desktop.client.errors import ApiError, InvalidServerUrl, ServerUnreachable, SessionExpired

log = logging.getLogger("coffreo_desktop")

LOG_FILE_NAME = "coffreo-desktop.log"
_log_file: Path | None = None
_open_dialog: QMessageBox | None = None
_session_expired_handler: Callable[[], None] | None = None


# ---- logging ---------------------------------------------------------------------------------------
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_SECRET = re.compile(
    r"(?i)(bearer\s+|(?:access|refresh)_token['\"]?\s*[:=]\s*['\"]?|password['\"]?\s*[:=]\s*['\"]?)[^\s'\",}]+"
)
#: The server's tokens (access, refresh, invitation, API key): a prefix and 43 URL-safe characters.
#: At least 30 after the prefix, so that names such as "ck_campaigns_one_scope" stay readable.
_PREFIXED_TOKEN = re.compile(r"(?<![\w-])(at|rt|inv|ck)_[A-Za-z0-9_-]{30,}")


def redact(text: str) -> str:
    """``text`` with its e-mail addresses and secrets (tokens, passwords) masked."""
    text = _EMAIL.sub("<e-mail>", text)
    text = _PREFIXED_TOKEN.sub(r"\1_***", text)
    return _SECRET.sub(r"\1***", text)


class RedactingFilter(logging.Filter):
    """Masks the message of a record (its arguments included) for handlers that keep their own formatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class RedactingFormatter(logging.Formatter):
    """Logs hold no personal data and no secret: the whole formatted text is masked, not just the message.

    Tracebacks (``exc_info``, ``stack_info``) and the embedded server's forwarded lines included. The
    cached ``record.exc_text`` is masked too, so that another handler reusing it gets no secret either.
    """

    def formatException(self, ei: Any) -> str:
        return redact(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return redact(super().formatStack(stack_info))

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def setup_logging(directory: Path, *, level: int = logging.INFO) -> Path:
    """A 1 MB x 5 rotating file in ``directory``; warnings also go to stderr."""
    global _log_file
    directory.mkdir(parents=True, exist_ok=True)
    _log_file = directory / LOG_FILE_NAME
    file_handler = RotatingFileHandler(_log_file, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    file_handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(file_handler)
    if sys.stderr is not None:  # a windowed Windows build has no console at all
        console = logging.StreamHandler()
        console.setLevel(logging.WARNING)
        console.setFormatter(RedactingFormatter())
        root.addHandler(console)
    # httpx logs every request line at INFO: useful to nobody, noisy in the file.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return _log_file


def log_file() -> Path | None:
    return _log_file


# ---- classification ----------------------------------------------------------------------------------
def is_user_facing(exc: BaseException) -> bool:
    """True for errors whose ``str()`` is a French sentence meant for the user."""
    if isinstance(exc, ApiError | ServerUnreachable | SessionExpired | InvalidServerUrl):
        return True
    # Looked up lazily: importing the embedded launcher would load the whole server.
    embedded = sys.modules.get("coffreo_desktop.embedded")
    error_type = getattr(embedded, "EmbeddedServerError", None)
    return error_type is not None and isinstance(exc, error_type)


def inline_text(parent: QWidget | None, exc: BaseException) -> str | None:
    """The French text of a refusal of the server, to show where the action was; anything else (session
    expired, network, a bug) goes to :func:`show_error` and gives None."""
    if isinstance(exc, ApiError) and not isinstance(exc, SessionExpired):
        return str(exc)
    show_error(parent, exc)
    return None


def set_session_expired_handler(handler: Callable[[], None] | None) -> None:
    """The application flow returns to the login dialog when a session can no longer be refreshed."""
    global _session_expired_handler
    _session_expired_handler = handler


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """The default way to present a failed task."""
    if isinstance(exc, SessionExpired) and _session_expired_handler is not None:
        _session_expired_handler()
        return
    if is_user_facing(exc):
        log.info("error shown to the user: %s", type(exc).__name__)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("errors", "Coffreo Desktop"),
            str(exc),
            QMessageBox.StandardButton.Ok,
            parent,
        )
        box.setObjectName("userErrorBox")
        _open_non_blocking(box)
        return
    report_exception(exc)


# ---- unexpected errors -------------------------------------------------------------------------------
def report_exception(exc: BaseException) -> None:
    _handle(type(exc), exc, exc.__traceback__)


def _handle(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    log.error("unexpected error", exc_info=(kind, exc, tb))
    if QApplication.instance() is None or threading.current_thread() is not threading.main_thread():
        return
    _show_unexpected("".join(traceback.format_exception(kind, exc, tb)))


def _show_unexpected(details: str) -> None:
    global _open_dialog
    # One dialog at a time: a bug in a timer must not bury the user under identical boxes.
    if _open_dialog is not None and shiboken6.isValid(_open_dialog) and _open_dialog.isVisible():
        return
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate("errors", "Coffreo Desktop"),
        QCoreApplication.translate("errors", "Une erreur inattendue est survenue…"),
    )
    box.setObjectName("unexpectedErrorBox")
    where = str(_log_file) if _log_file else "—"
    advice = QCoreApplication.translate(
        "errors",
        "Vous pouvez continuer. Si le problème revient, écrivez au support en joignant le journal : {path}",
    )
    box.setInformativeText(advice.format(path=where))
    box.setDetailedText(details)
    _open_dialog = box
    _open_non_blocking(box)


def _open_non_blocking(box: QMessageBox) -> None:
    # Never exec(): a nested event loop inside an asyncio callback breaks qasync's task bookkeeping.
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    box.open()


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    _handle(kind, exc, tb)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        log.error(
            "unexpected error in thread %s",
            args.thread.name if args.thread else "?",
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )


def install_exception_hook() -> None:
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook


def _loop_exception_handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    exc = context.get("exception")
    if isinstance(exc, BaseException) and not isinstance(exc, asyncio.CancelledError):
        report_exception(exc)
    else:
        log.error("asyncio: %s", context.get("message", "erreur inconnue"))


def install_loop_exception_handler(loop: asyncio.AbstractEventLoop) -> None:
    loop.set_exception_handler(_loop_exception_handler)
