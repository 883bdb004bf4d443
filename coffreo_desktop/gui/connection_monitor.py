"""The connection state of the status bar ("en ligne" / "hors ligne"): a ``/health`` check every 30 s.

While the server is unreachable it is checked every few seconds, so the return online shows quickly;
any page that meets a failure can ask for a check at once with :meth:`ConnectionMonitor.check_now`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.gui import errors
from coffreo_desktop.gui.tasks import Task

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 30_000
OFFLINE_RETRY_MS = 5_000


class ConnectionMonitor(QObject):
    state_changed = Signal(bool)  # online

    def __init__(
        self,
        api: ApiClient,
        parent: QObject | None = None,
        *,
        interval_ms: int = CHECK_INTERVAL_MS,
        retry_ms: int = OFFLINE_RETRY_MS,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.online: bool | None = None
        self.checks = 0
        self._interval_ms = interval_ms
        self._retry_ms = retry_ms
        self._checking = False
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check_now)

    def start(self, *, online: bool | None = None) -> None:
        """Begin checking; ``online`` is what the caller already knows (a login just succeeded)."""
        self._stopped = False
        if online is not None:
            self._set(online)
            self._timer.start(self._interval_ms if online else self._retry_ms)
        else:
            self.check_now()

    def stop(self) -> None:
        """No more checks, not even after the one under way answers."""
        self._stopped = True
        self._timer.stop()

    def check_now(self) -> None:
        if self._checking:
            return
        self._checking = True
        self._timer.stop()
        Task(self, self.api.health()).on_success(lambda _health: self._result(True)).on_failure(
            self._failed
        ).run()

    def _failed(self, exc: BaseException) -> None:
        if not errors.is_user_facing(exc):
            log.warning("health check failed unexpectedly: %s", type(exc).__name__)
        self._result(False)

    def _result(self, online: bool) -> None:
        self._checking = False
        self.checks += 1
        self._set(online)
        if not self._stopped:
            self._timer.start(self._interval_ms if online else self._retry_ms)

    def _set(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.state_changed.emit(online)
