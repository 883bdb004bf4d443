"""The backend the flow talks to: the embedded server (started, replaced, stopped) or a remote one's health,
the keyring entry each uses, and the notice that offers a retry when the server does not answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QMessageBox

from coffreo_desktop.client.api import ApiClient, NotYetReachable
from coffreo_desktop.client.credentials import embedded_credential_id
from coffreo_desktop.client.errors import ApiError, ServerUnreachable
from coffreo_desktop.client.paths import embedded_data_dir
from coffreo_desktop.client.settings import Settings
from coffreo_desktop.gui.tasks import Progress, Task

if TYPE_CHECKING:
    from coffreo_desktop.embedded import EmbeddedServer

EMBEDDED_START_TIMEOUT = 60.0
#: The cached window's address until the embedded server is up (its port changes at each start).
PLACEHOLDER_URL = "http://127.0.0.1:9"
# The texts here keep the flow's translation context ("AppFlow"): the catalogue (coffreo_en.ts) files them
# there, since they were the flow's before this module was split from it.

Ready = Callable[[str, ApiClient], None]  # the backend's URL and a client for it
Failed = Callable[[BaseException, ApiClient | None], None]  # the client to close, if one was opened


class Backend(QObject):
    """Reaches the backend the settings choose and owns the embedded server's lifetime."""

    def __init__(
        self,
        parent: QObject,
        embedded: EmbeddedServer | None = None,
        *,
        owns_embedded: bool = False,
        demo_scale: float = 1.0,
    ) -> None:
        super().__init__(parent)
        # An embedded server given by the caller is reused (a launched one is waited for, not restarted);
        # it is stopped here only with ``owns_embedded`` (the application's), never when tests share one.
        self.embedded = embedded
        self._owns_embedded = embedded is None or owns_embedded
        self.demo_scale = demo_scale

    def reach(self, settings: Settings, on_ready: Ready, on_failed: Failed) -> None:
        """Start the embedded server, or check the remote server's health; then call one of the two."""
        if settings.mode == "local":
            self._start_embedded(settings.demo, on_ready, on_failed)
            return
        self.stop_embedded()  # a remote server was chosen: the local one has nothing left to do
        url = settings.server_url
        api = ApiClient(url)
        label = QCoreApplication.translate("AppFlow", "Connexion au serveur…")
        task = Task(self, api.health()).with_progress(label, delay_ms=400)
        task.on_success(lambda _h: on_ready(url, api))
        task.on_failure(lambda exc: on_failed(exc, api)).run()

    def stop_embedded(self) -> None:
        if self.embedded is not None and self._owns_embedded:
            stopping, self.embedded = self.embedded, None
            Task(self, stopping.stop).run()  # blocking (waits for the process): off the UI thread

    def stop(self) -> None:
        """At shutdown: stop the embedded server this application owns, waiting for its process."""
        if self.embedded is not None and self._owns_embedded:
            self.embedded.stop()

    def _start_embedded(self, wanted_demo: bool, on_ready: Ready, on_failed: Failed) -> None:
        from coffreo_desktop.embedded import EmbeddedServer

        replaced: EmbeddedServer | None = None
        if self.embedded is None or (self._owns_embedded and self.embedded.demo != wanted_demo):
            replaced = self.embedded
            self.embedded = EmbeddedServer(
                embedded_data_dir(demo=wanted_demo), demo=wanted_demo, demo_scale=self.demo_scale
            )
        embedded = self.embedded

        def start(report: Progress) -> str:
            if replaced is not None:
                replaced.stop()  # the user switched the demo group on or off
            return embedded.start(timeout=EMBEDDED_START_TIMEOUT, progress=report)

        label = (
            QCoreApplication.translate("AppFlow", "Création du groupe de démonstration…")
            if wanted_demo
            else QCoreApplication.translate("AppFlow", "Démarrage du serveur local…")
        )
        task = Task(self, start, reports_progress=True).with_progress(label, delay_ms=250)
        task.on_success(lambda url: on_ready(url, ApiClient(url)))
        task.on_failure(lambda exc: on_failed(exc, None)).run()

    # ---- before the backend answers, and keyring entries -----------------------------------------
    def provisional_client(self, settings: Settings) -> tuple[str, ApiClient]:
        """The address and client of the window opened on the cached profile, before the backend is up."""
        if settings.mode == "remote":
            return settings.server_url, ApiClient(settings.server_url)
        # A placeholder until the backend is ready (the embedded server's port is not known yet);
        # with no real transport, whose set-up (TLS context) would delay the window.
        return PLACEHOLDER_URL, ApiClient(PLACEHOLDER_URL, transport=NotYetReachable())

    def expected_credential_id(self, settings: Settings) -> str:
        """The keyring entry the coming resume will use, known before the backend answers."""
        if settings.mode == "local":
            demo = self.embedded.demo if self.embedded is not None else settings.demo
            return embedded_credential_id(demo=demo)
        return settings.server_url

    def credential_id(self, settings: Settings, url: str) -> str:
        """The keyring entry of this backend: the URL, or the embedded server's own key for its mode."""
        if settings.mode == "local" and self.embedded is not None:
            return embedded_credential_id(demo=self.embedded.demo)
        return url


def open_unreachable_notice(
    exc: ApiError, *, on_retry: Callable[[], None], on_change: Callable[[], None], on_quit: Callable[[], None]
) -> QMessageBox:
    """Say the server did not answer (or answered an error) and offer to retry, change connection or quit."""
    title = (
        QCoreApplication.translate("AppFlow", "Serveur injoignable")
        if isinstance(exc, ServerUnreachable)
        else QCoreApplication.translate("AppFlow", "Serveur indisponible")
    )
    box = QMessageBox(QMessageBox.Icon.Warning, title, str(exc))
    box.setObjectName("unreachableNotice")
    retry = box.addButton(
        QCoreApplication.translate("AppFlow", "Réessayer"), QMessageBox.ButtonRole.AcceptRole
    )
    change = box.addButton(
        QCoreApplication.translate("AppFlow", "Changer de connexion"), QMessageBox.ButtonRole.ActionRole
    )
    box.addButton(QCoreApplication.translate("AppFlow", "Quitter"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(retry)

    def chosen() -> None:
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is retry:
            on_retry()
        elif clicked is change:
            on_change()
        else:
            on_quit()

    box.finished.connect(chosen)
    box.open()
    return box
