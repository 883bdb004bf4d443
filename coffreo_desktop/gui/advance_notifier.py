"""New advance requests while the app runs (issue 6, point 2): a poll of the pending count every minute
with its ETag (a 304 when nothing changed costs the server almost nothing), paused while offline; the
navigation badge follows the count and a system-tray message says when new requests arrived. Detached
(polling stopped, badge cleared, tray icon hidden) when the window closes or the user loses DA."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from coffreo_desktop.client.advances import AdvancesApi, PendingCount
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.client.models import Me
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.services import Feature
from coffreo_desktop.gui import theme
from coffreo_desktop.gui.i18n import fill_in, number
from coffreo_desktop.gui.tasks import Task

if TYPE_CHECKING:
    from coffreo_desktop.gui.main_window import MainWindow

log = logging.getLogger(__name__)

POLL_INTERVAL_MS = 60_000


class AdvanceNotifier(QObject):
    """Polls ``GET /advances/pending/count``; emits the count and how many requests are new."""

    count_changed = Signal(int)  # pending requests in the user's DA agencies
    new_requests = Signal(int)  # how many arrived since the last poll (never on the first one)

    def __init__(
        self, api: AdvancesApi, parent: QObject | None = None, *, interval_ms: int = POLL_INTERVAL_MS
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.count: PendingCount | None = None
        self.polls = 0
        self.tray: AdvanceTray | None = None
        self._etag: str | None = None
        self._online = True
        self._running = False
        self._polling = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check_now)

    def start(self) -> None:
        self._running = True
        self._timer.start()
        self.check_now()

    def stop(self) -> None:
        self._running = False
        self._timer.stop()

    def set_online(self, online: bool) -> None:
        """Offline: no polling (it would only fail); back online: poll at once, then every minute."""
        self._online = online
        if not self._running:
            return
        if online:
            self._timer.start()
            self.check_now()
        else:
            self._timer.stop()

    def check_now(self) -> None:
        if self._polling or not self._online:
            return
        self._polling = True
        Task(self, self.api.pending_count(self._etag)).on_success(
            lambda result: self._answered(*result)
        ).on_failure(self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        self._polling = False
        # Never a dialog from a background poll: the status bar already says "hors ligne".
        log.info(
            "pending advances not polled: %s", exc.code if isinstance(exc, ApiError) else type(exc).__name__
        )

    def _answered(self, count: PendingCount | None, etag: str | None) -> None:
        self._polling = False
        if not self._running:
            return  # stopped while the poll was on its way: nothing may paint a badge any more
        self.polls += 1
        self._etag = etag
        if count is None:
            return  # 304: unchanged
        previous = self.count
        self.count = count
        if previous is None or previous.total != count.total:
            self.count_changed.emit(count.total)
        grew = previous is not None and (count.latest_id or 0) > (previous.latest_id or 0)
        if grew and previous is not None:
            # The count cannot tell how many arrived when some were processed meanwhile: at least one.
            self.new_requests.emit(max(1, count.total - previous.total))


class AdvanceTray(QObject):
    """The system-tray message for new requests (only where the platform has a tray)."""

    def __init__(self, notifier: AdvanceNotifier, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon: QSystemTrayIcon | None = None
        self.messages: list[str] = []
        self.shown = True
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.icon = QSystemTrayIcon(theme.app_icon(), self)
            self.icon.setToolTip("Coffreo Desktop")
            self.icon.show()
        notifier.new_requests.connect(self.show_new)

    def show_new(self, count: int) -> None:
        text = (
            self.tr("1 nouvelle demande d'acompte")
            if count == 1
            else fill_in(self.tr("%1 nouvelles demandes d'acompte"), number(count))
        )
        if not self.shown:
            return
        self.messages.append(text)
        if self.icon is not None:
            self.icon.showMessage(
                self.tr("Demandes d'acomptes"), text, QSystemTrayIcon.MessageIcon.Information
            )

    def hide(self) -> None:
        self.shown = False
        if self.icon is not None:
            self.icon.hide()


def attach(window: MainWindow) -> AdvanceNotifier | None:
    """Start the notifier of ``window``'s user when they hold DA; it follows the window's connection
    state, sets the badge of "Demandes d'acomptes" and stops with the window."""
    me: Me = window.me
    if Feature.ADVANCES not in me.features or not me.agencies_with(Right.ACOMPTES):
        return None
    notifier = AdvanceNotifier(AdvancesApi(window.session.api), window)
    notifier.tray = AdvanceTray(notifier, notifier)
    if notifier.tray.icon is not None:
        notifier.tray.icon.messageClicked.connect(lambda: _show_requests(window))
    notifier.count_changed.connect(lambda total: window.set_navigation_badge(Feature.ADVANCES, total))
    window.monitor.state_changed.connect(notifier.set_online)
    notifier.set_online(window.is_online())
    notifier.start()
    return notifier


def detach(window: MainWindow, notifier: AdvanceNotifier) -> None:
    """Stop ``notifier`` for good (the window closes, or the user's rights changed): no more polls, the
    badge cleared, the tray icon hidden; the object goes once its pending poll is dropped."""
    notifier.stop()
    if notifier.tray is not None:
        notifier.tray.hide()
    window.monitor.state_changed.disconnect(notifier.set_online)
    window.set_navigation_badge(Feature.ADVANCES, 0)
    notifier.deleteLater()


def _show_requests(window: MainWindow) -> None:
    """The tray message was clicked: the window comes forward on "Demandes d'acomptes"."""
    window.open_feature(Feature.ADVANCES)
    window.showNormal()
    window.raise_()
    window.activateWindow()
