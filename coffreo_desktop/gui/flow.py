"""The application's path from start to quit: connection choice → backend → login or resume → main window.

With "Rester connecté" the main window opens at once on the encrypted cached profile while the session
resumes behind it (F2.9); the dialogs are imported on first use, off that path.
Logout and an expired session come back to the login dialog. Every slow step (embedded server,
keyring, network) runs as a :class:`Task`; the flow only chains dialogs. Reaching the backend (embedded
server, remote health, the retry notice) is :mod:`.backend`'s. Tests drive the flow directly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.credentials import CredentialStore
from coffreo_desktop.client.errors import (
    ApiError,
    InvalidServerUrl,
    SessionExpired,
    is_cleartext_url,
    normalize_server_url,
)
from coffreo_desktop.client.models import Me
from coffreo_desktop.client.offline_store import load_profile
from coffreo_desktop.client.session import Session
from coffreo_desktop.client.settings import Settings
from coffreo_desktop.domain.services import Feature
from coffreo_desktop.gui import errors
from coffreo_desktop.gui.backend import Backend, open_unreachable_notice
from coffreo_desktop.gui.main_window import MainWindow
from coffreo_desktop.gui.pages import PageContext
from coffreo_desktop.gui.qt_runtime import keep_gc_pauses_short
from coffreo_desktop.gui.tasks import Lane, Task

if TYPE_CHECKING:
    from coffreo_desktop.embedded import EmbeddedServer
    from coffreo_desktop.gui.connection_dialog import ConnectionDialog
    from coffreo_desktop.gui.login_dialog import DemoLogin, LoginDialog

log = logging.getLogger(__name__)


@dataclass
class StartOptions:
    """The command line's say over the start (``--demo``, ``--local``, ``--server``, ``--reset-session``)."""

    demo: bool = False
    local: bool = False
    server: str | None = None
    reset_session: bool = False


class AppFlow(QObject):
    connection_dialog_shown = Signal(object)  # ConnectionDialog
    login_dialog_shown = Signal(object)  # LoginDialog
    main_window_shown = Signal(object)  # MainWindow (from the cached profile, before the resume ends)
    session_confirmed = Signal(object)  # Me: the server accepted the login or the resumed session
    notice_shown = Signal(object)  # QMessageBox (unreachable server, embedded failure)
    quit_requested = Signal()

    def __init__(
        self,
        settings: Settings,
        options: StartOptions | None = None,
        *,
        credentials: CredentialStore | None = None,
        embedded: EmbeddedServer | None = None,
        owns_embedded: bool = False,
        demo_scale: float = 1.0,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.options = options or StartOptions()
        self.credentials = credentials or CredentialStore()
        self.backend = Backend(self, embedded, owns_embedded=owns_embedded, demo_scale=demo_scale)
        self.session: Session | None = None
        self.server_url: str | None = None
        self.keyring_secure: bool | None = None
        self._keyring_notice_given = False
        self.connection_dialog: ConnectionDialog | None = None
        self.login_dialog: LoginDialog | None = None
        self.main_window: MainWindow | None = None
        #: The main window shows the cached profile and the server has not confirmed the session yet.
        self.pending = False
        self._resuming = False
        self._resume_task: Task[Me | None] | None = None
        errors.set_session_expired_handler(self._on_session_expired)

    @property
    def embedded(self) -> EmbeddedServer | None:
        """The embedded server in use, if any (local mode), or ``None``."""
        return self.backend.embedded

    # ---- start -----------------------------------------------------------------------------------
    def start(self) -> None:
        Task(self, self.credentials.is_secure, lane=Lane.STORE).on_success(self._after_keyring_probe).run()

    def _after_keyring_probe(self, secure: bool) -> None:
        self.keyring_secure = secure
        if not secure:
            log.warning("no secure keyring: the session is kept in memory only")
        opts = self.options
        if opts.demo or opts.local:
            self.settings.mode = "local"
            self.settings.demo = opts.demo or self.settings.demo
        elif opts.server:
            try:
                url = normalize_server_url(opts.server)
            except InvalidServerUrl as exc:
                self.show_connection_dialog(error=str(exc))
                return
            self.settings.server_url = url
            self.settings.mode = "remote"
            if is_cleartext_url(url):
                # Same rule as a typed address: the user accepts plain HTTP explicitly, in the dialog.
                from coffreo_desktop.gui.connection_dialog import cleartext_error

                self.show_connection_dialog(error=cleartext_error(url))
                return
        elif not self.settings.remember_me or (
            self.settings.mode == "remote" and not self.settings.server_url
        ):
            self.show_connection_dialog()
            return
        resume = self.settings.remember_me and not opts.reset_session
        if resume and secure:
            self._start_from_cache()
        else:
            self.connect_backend(resume=resume)

    # ---- start from the cached profile (F2.9) ----------------------------------------------------
    def _start_from_cache(self) -> None:
        credential_id = self.backend.expected_credential_id(self.settings)
        task = Task(self, lambda: load_profile(self.credentials, credential_id), lane=Lane.STORE)
        task.on_success(self._cached_profile_loaded)
        task.on_failure(lambda exc: self._cached_profile_loaded(None, exc)).run()

    def _cached_profile_loaded(self, me: Me | None, exc: BaseException | None = None) -> None:
        if exc is not None:
            errors.report_exception(exc)
        if me is not None:
            url, api = self.backend.provisional_client(self.settings)
            credential_id = self.backend.expected_credential_id(self.settings)
            session = Session(api, self.credentials, server_url=url, credential_id=credential_id)
            session.me, session.email = me, me.email
            self.session = session
            self.pending = True
            self.show_main_window()
        self.connect_backend(resume=True)

    def _on_monitor_state(self, online: bool) -> None:
        """Back online while the session is unconfirmed: try the resume again."""
        if not online or not self.pending or self._resuming:
            return
        if self.server_url is None:
            self.connect_backend(resume=True)
        else:
            self._resume()

    def _leave_cached_window(self) -> None:
        self.pending = False
        self._close_main_window()

    # ---- connection choice -----------------------------------------------------------------------
    def show_connection_dialog(self, error: str | None = None) -> None:
        _discard(self.connection_dialog)
        from coffreo_desktop.gui.connection_dialog import ConnectionDialog

        dialog = ConnectionDialog(self.settings, error=error)
        self.connection_dialog = dialog
        dialog.accepted.connect(self._on_connection_chosen)
        dialog.rejected.connect(self.quit_requested)
        dialog.show()
        self.connection_dialog_shown.emit(dialog)

    def _on_connection_chosen(self) -> None:
        self._save_settings()
        self.connect_backend(resume=False)

    def connect_backend(self, *, resume: bool) -> None:
        """Reach the chosen backend, then resume the stored session or show the login dialog."""
        self.backend.reach(
            self.settings,
            on_ready=lambda url, api: self._backend_ready(url, api, resume),
            on_failed=self._backend_failed,
        )

    def _backend_ready(self, url: str, api: ApiClient, resume: bool) -> None:
        self._drop_session()
        self.server_url = url
        credential_id = self.backend.credential_id(self.settings, url)
        self.session = Session(api, self.credentials, server_url=url, credential_id=credential_id)
        if self.options.reset_session:
            self.options.reset_session = False
            forgotten = self.session.credential_id
            Task(self, lambda: self.credentials.forget(forgotten), lane=Lane.STORE).on_success(
                lambda _r: self.show_login_dialog()
            ).run()
            return
        if not resume:
            self.show_login_dialog()
            return
        if self.pending and self.main_window is not None:
            self.main_window.attach_session(self.session)
        self._resume()

    def _resume(self) -> None:
        assert self.session is not None
        session = self.session
        self._resuming = True
        task = Task(self, session.resume())
        if not self.pending:  # the cached window already says "connexion…"
            task.with_progress(self.tr("Reprise de la session…"), delay_ms=600)
        task.on_success(lambda me: self._resumed(me))
        task.on_failure(lambda exc: self._resume_failed(exc)).run()
        self._resume_task = task

    def _resume_failed(self, exc: BaseException) -> None:
        self._resuming = False
        if self.pending and isinstance(exc, ApiError):
            # Unreachable or unavailable: the window stays "hors ligne"; the monitor brings the retry.
            log.info("session not resumed yet (%s): waiting for the server", type(exc).__name__)
            return
        if self.pending:
            self._leave_cached_window()
        self._backend_failed(exc, None, resume=True)

    def _resumed(self, me: Me | None) -> None:
        self._resuming = False
        if self.pending:
            if me is None:  # refused: the resume forgot the token and the cached profile
                self._leave_cached_window()
                self.show_login_dialog(message=str(SessionExpired()))
                return
            self.pending = False
            if self.main_window is not None and shiboken6.isValid(self.main_window):
                self.main_window.confirm_session(me)
                self._offer_unfinished_sends()
            self.session_confirmed.emit(me)
        elif me is None:
            self.show_login_dialog()
        else:
            self.show_main_window()
            self.session_confirmed.emit(me)

    def _backend_failed(self, exc: BaseException, api: ApiClient | None, *, resume: bool = False) -> None:
        if self.pending:
            if isinstance(exc, ApiError):
                if api is not None:
                    Task(self, api.aclose()).run()
                return  # the cached window stays "hors ligne"; the monitor retries when the server answers
            self._leave_cached_window()
        if not errors.is_user_facing(exc):
            errors.report_exception(exc)
        if api is not None:
            Task(self, api.aclose()).run()  # a retry builds a new client
        if isinstance(exc, ApiError):
            # Unreachable, or an error answer (a proxy's 502/503 while the server restarts, 429): the
            # stored session is kept and a retry may succeed.
            self._show_unreachable(exc, resume)
            return
        # The embedded server could not start (a damaged or newer data folder ...): say why, choose again.
        self.show_connection_dialog(
            error=str(exc)
            if errors.is_user_facing(exc)
            else self.tr("Le serveur n'a pas pu être joint à cause d'une erreur inattendue.")
        )

    def _show_unreachable(self, exc: ApiError, resume: bool) -> None:
        box = open_unreachable_notice(
            exc,
            on_retry=lambda: self.connect_backend(resume=resume),
            on_change=self.show_connection_dialog,
            on_quit=self.quit_requested.emit,
        )
        self.notice_shown.emit(box)

    # ---- login -----------------------------------------------------------------------------------
    def server_label(self) -> str:
        if self.settings.mode == "local":
            return (
                self.tr("Serveur local (démonstration)") if self.settings.demo else self.tr("Serveur local")
            )
        return self.settings.server_url

    def demo_accounts(self) -> list[DemoLogin]:
        if self.settings.mode == "local" and self.embedded is not None:
            return list(self.embedded.demo_accounts)
        return []

    def show_login_dialog(self, message: str | None = None) -> None:
        assert self.session is not None
        secure = self.keyring_secure is not False
        from coffreo_desktop.gui.login_dialog import LoginDialog

        dialog = LoginDialog(
            self.session,
            server_label=self.server_label(),
            demo_accounts=self.demo_accounts(),
            email=self.settings.last_email,
            remember=self.settings.remember_me,
            keyring_secure=secure,
            # Said once: later login dialogs keep the box disabled, with the reason as its tooltip.
            show_keyring_notice=not secure and not self._keyring_notice_given,
            message=message,
        )
        if not secure:
            self._keyring_notice_given = True
        _discard(self.login_dialog)
        self.login_dialog = dialog
        dialog.logged_in.connect(self._logged_in)
        dialog.rejected.connect(lambda: self._login_rejected(dialog))
        dialog.show()
        self.login_dialog_shown.emit(dialog)

    def _login_rejected(self, dialog: LoginDialog) -> None:
        if dialog.changing_connection:
            self.show_connection_dialog()
        else:
            self.quit_requested.emit()

    def _logged_in(self, me: Me) -> None:
        assert self.session is not None
        self.settings.last_email = me.email
        self.settings.remember_me = self.session.remembered
        self._save_settings()
        self.show_main_window()
        self.session_confirmed.emit(me)

    # ---- main window -----------------------------------------------------------------------------
    def show_main_window(self) -> None:
        assert self.session is not None
        window = MainWindow(self.session, server_label=self.server_label(), pending=self.pending)
        self.main_window = window
        window.monitor.state_changed.connect(self._on_monitor_state)
        window.logout_requested.connect(self.logout)
        window.closed.connect(self.quit_requested)
        window.show()
        keep_gc_pauses_short()
        self.main_window_shown.emit(window)
        if not self.pending:
            self._offer_unfinished_sends()

    def _offer_unfinished_sends(self) -> None:
        """A Diffusion libre batch cut by a crash, a closed app or a lost connection: offer to resume it,
        once the session is confirmed (a window opened from the cached profile cannot send yet)."""
        window, session = self.main_window, self.session
        me = session.me if session is not None else None
        if window is None or session is None or me is None or Feature.DIFFUSION_LIBRE not in me.features:
            return
        from coffreo_desktop.gui.diffusion_resume import offer_resume

        offer_resume(window, PageContext(session, me))

    def logout(self) -> None:
        assert self.session is not None
        self.pending = False
        self.settings.remember_me = False
        self._save_settings()
        Task(self, self.session.logout()).on_finished(self._after_logout).run()

    def _after_logout(self) -> None:
        self._close_main_window()
        self.show_login_dialog()

    def _on_session_expired(self) -> None:
        if self.main_window is None:
            return
        self._close_main_window()
        self.show_login_dialog(message=str(SessionExpired()))

    def _close_main_window(self) -> None:
        if self.main_window is not None and shiboken6.isValid(self.main_window):
            self.main_window.close_for_logout()
            self.main_window.deleteLater()
        self.main_window = None

    # ---- settings and shutdown -------------------------------------------------------------------
    def _save_settings(self) -> None:
        try:
            self.settings.save()
        except OSError as exc:
            log.warning("settings not saved: %s", exc)

    def _drop_session(self) -> None:
        if self.session is not None:
            old = self.session
            self.session = None
            Task(self, old.api.aclose()).run()
            Task(self, old.close, lane=Lane.STORE).run()  # waits for its pending keyring writes

    async def aclose(self) -> None:
        """Close the HTTP client; the caller then calls :meth:`stop_backend` (blocking)."""
        errors.set_session_expired_handler(None)
        if self._resume_task is not None:
            # A resume still under way would otherwise fail on the closed client as an unexpected error.
            self._resume_task.cancel()
            self._resume_task = None
        if self.session is not None:
            await self.session.api.aclose()

    def stop_backend(self) -> None:
        if self.session is not None:
            self.session.close()
        self.backend.stop()


def _discard(widget: QWidget | None) -> None:
    """A dialog replaced by a newer one of its kind is deleted once the event loop gets to it."""
    if widget is not None and shiboken6.isValid(widget):
        widget.hide()
        widget.deleteLater()
