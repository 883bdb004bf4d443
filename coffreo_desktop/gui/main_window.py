"""The main window (F1.2-F1.4): side navigation, agency selector, the pages, and the status bar.

The navigation lists "Accueil" and every feature of the user that has a registered page; pages are
built on first visit. Geometry and splitter state are kept with QSettings in the config folder.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidgetItem, QMainWindow, QToolButton, QWidget

from coffreo_desktop.client.models import Me
from coffreo_desktop.client.paths import config_dir
from coffreo_desktop.client.session import Session
from coffreo_desktop.domain.services import Feature
from coffreo_desktop.gui import theme
from coffreo_desktop.gui.advance_badge import BadgeDelegate, set_badge
from coffreo_desktop.gui.agency_selector import AgencySelector
from coffreo_desktop.gui.connection_monitor import ConnectionMonitor
from coffreo_desktop.gui.contact_dialog import ContactDialog
from coffreo_desktop.gui.forms.ui_main_window import Ui_MainWindow
from coffreo_desktop.gui.i18n import domain_text
from coffreo_desktop.gui.pages import FEATURE_ICONS, PAGES, Page, PageContext, navigable_features
from coffreo_desktop.gui.pages.home import HomePage

WINDOW_SETTINGS_FILE = "fenetres.ini"
FEATURE_ROLE = Qt.ItemDataRole.UserRole + 1


def window_settings() -> QSettings:
    """QSettings only for geometry and splitter state (STYLE.md point 8), in our config folder."""
    return QSettings(str(config_dir() / WINDOW_SETTINGS_FILE), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    logout_requested = Signal()
    closed = Signal()  # closed by the user: the application quits
    agency_changed = Signal(object)  # int | None

    def __init__(
        self,
        session: Session,
        *,
        server_label: str,
        me: Me | None = None,
        pending: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """``me`` and ``pending``: opened from the cached profile while the session resumes (F2.9)."""
        super().__init__(parent)
        known = me or session.me
        assert known is not None, "the main window needs a logged-in session or a cached profile"
        self.session = session
        self.me = known
        self.pending = pending
        self.context = PageContext(session=session, me=self.me)
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.setWindowIcon(theme.app_icon())
        self.ui.topBar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._leaving_for_logout = False
        self._online = not pending

        self.agency_selector = AgencySelector(self.ui.agencyCombo, self.me)
        self.agency_selector.agency_changed.connect(self._on_agency_changed)

        self.pages: dict[Feature | None, Page] = {}
        #: Counts painted on navigation entries (requests waiting), kept when the navigation is rebuilt.
        self._badges: dict[Feature, int] = {}
        self.advance_notifier: object | None = None
        self.ui.navigation.setItemDelegate(BadgeDelegate(self.ui.navigation))
        self.home = HomePage(self.context)
        self.home.feature_opened.connect(self.open_feature)
        self._add_page(None, self.home)
        self._fill_navigation()
        self.ui.navigation.currentRowChanged.connect(self._on_navigation_row)

        self._build_status_bar(server_label)
        self.monitor = ConnectionMonitor(session.api, self)
        self.monitor.state_changed.connect(self._show_connection)
        # From the cache, "hors ligne" until the server has answered the resume.
        self.monitor.start(online=not pending)
        self._refresh_icons()
        self._install_shortcuts()
        theme.on_theme_changed(self._refresh_icons)
        self._restore_layout()
        self.setAcceptDrops(True)
        if not pending:
            self._start_notifiers()

    # ---- navigation ------------------------------------------------------------------------------
    def _fill_navigation(self) -> None:
        nav = self.ui.navigation
        home = QListWidgetItem(theme.icon("home"), self.tr("Accueil"))
        home.setData(FEATURE_ROLE, None)
        nav.addItem(home)
        for feature in navigable_features(self.me):
            item = QListWidgetItem(theme.icon(FEATURE_ICONS[feature]), domain_text(feature.label))
            item.setData(FEATURE_ROLE, feature.value)
            set_badge(item, self._badges.get(feature, 0))
            nav.addItem(item)
        nav.setCurrentRow(0)

    def set_navigation_badge(self, feature: Feature, count: int) -> None:
        """Paint ``count`` on the navigation entry of ``feature`` (0 hides it): requests waiting."""
        self._badges[feature] = count
        entries = self.navigation_features()
        if feature in entries:
            set_badge(self.ui.navigation.item(entries.index(feature)), count)

    def _start_notifiers(self) -> None:
        """Background notices of the user's features, once the session is live (new advance requests)."""
        if self.advance_notifier is None:
            from coffreo_desktop.gui import advance_notifier  # only loaded for a live session

            self.advance_notifier = advance_notifier.attach(self)

    def _stop_notifiers(self) -> None:
        """The window closes or the rights changed: background notices stop and their badges go."""
        if self.advance_notifier is not None:
            from coffreo_desktop.gui import advance_notifier

            advance_notifier.detach(self, self.advance_notifier)  # type: ignore[arg-type]
            self.advance_notifier = None

    def navigation_features(self) -> list[Feature | None]:
        """The entries of the side navigation, in order (None is "Accueil")."""
        nav = self.ui.navigation
        values = (nav.item(row).data(FEATURE_ROLE) for row in range(nav.count()))
        return [Feature(v) if v else None for v in values]

    def open_feature(self, feature: Feature | None) -> None:
        """Show the page of ``feature`` (None: home); a feature without page or right is ignored."""
        entries = self.navigation_features()
        if feature in entries:
            self.ui.navigation.setCurrentRow(entries.index(feature))

    def current_page(self) -> Page:
        page = self.ui.pages.currentWidget()
        assert isinstance(page, Page)
        return page

    def _on_navigation_row(self, row: int) -> None:
        if row < 0:
            return
        feature = self.navigation_features()[row]
        page = self.pages.get(feature)
        if page is None and feature is not None:
            page = PAGES[feature](self.context)
            self._add_page(feature, page)
        assert page is not None
        self.ui.pages.setCurrentWidget(page)
        self.setWindowTitle(self.tr("{page} — Coffreo Desktop").format(page=page.title))

    def _add_page(self, feature: Feature | None, page: Page) -> None:
        page.set_agency(self.agency_selector.current_agency_id())
        page.set_online(self._online)
        self.pages[feature] = page
        self.ui.pages.addWidget(page)

    def _on_agency_changed(self, agency_id: int | None) -> None:
        for page in self.pages.values():
            page.set_agency(agency_id)
        self.agency_changed.emit(agency_id)

    # ---- session from the cache -------------------------------------------------------------------
    def attach_session(self, session: Session) -> None:
        """Work with ``session`` from now on (the backend is ready; its resume may still be under way)."""
        self.session = session
        self.context = PageContext(session=session, me=self.me)
        for page in self.pages.values():
            page.context = self.context
        self.monitor.api = session.api
        self.server_label.setToolTip(session.api.base_url)

    def confirm_session(self, me: Me) -> None:
        """The server resumed the session: the window is live, with the profile it returned."""
        if me != self.me:
            self.update_me(me)
        self.pending = False
        self.pending_label.hide()
        self.monitor.start(online=True)
        self._start_notifiers()

    def update_me(self, me: Me) -> None:
        """Show another profile in place: user name, agency selector, navigation, tiles (pages rebuilt)."""
        self.me = me
        self.context = PageContext(session=self.session, me=me)
        self._stop_notifiers()  # built for the old rights; started again below for the new ones
        self.user_label.setText(me.display_name)
        self.user_label.setToolTip(me.email)

        previous_agency = self.agency_selector.current_agency_id()
        old_selector = self.agency_selector
        old_selector.agency_changed.disconnect(self._on_agency_changed)
        self.ui.agencyCombo.currentIndexChanged.disconnect(old_selector._on_index_changed)
        old_selector.deleteLater()
        self.agency_selector = AgencySelector(self.ui.agencyCombo, me)
        if previous_agency is not None:
            self.agency_selector.select_agency(previous_agency)
        self.agency_selector.agency_changed.connect(self._on_agency_changed)

        previous_feature = self.navigation_features()[max(self.ui.navigation.currentRow(), 0)]
        for page in self.pages.values():  # built with the old rights: rebuilt on the next visit
            self.ui.pages.removeWidget(page)
            page.deleteLater()
        self.pages = {}
        self.home = HomePage(self.context)
        self.home.feature_opened.connect(self.open_feature)
        self._add_page(None, self.home)
        nav = self.ui.navigation
        nav.blockSignals(True)
        nav.clear()
        self._fill_navigation()
        nav.blockSignals(False)
        entries = self.navigation_features()
        row = entries.index(previous_feature) if previous_feature in entries else 0
        nav.setCurrentRow(row)
        self._on_navigation_row(row)
        if not self.pending:
            self._start_notifiers()

    # ---- status bar ------------------------------------------------------------------------------
    def _build_status_bar(self, server_label: str) -> None:
        bar = self.ui.statusBar
        self.user_label = QLabel(self.me.display_name, objectName="userLabel")
        self.user_label.setToolTip(self.me.email)
        self.server_label = QLabel(server_label, objectName="serverLabel")
        self.server_label.setToolTip(self.session.api.base_url)
        self.connection_label = QLabel(objectName="connectionLabel")
        self._status_icons: dict[QLabel, str] = {}
        for label, icon in (
            (self.user_label, "user"),
            (self.server_label, "server"),
            (self.connection_label, ""),
        ):
            bar.addWidget(self._with_icon(label, icon))
        self.contact_button = self._status_button("contact", self.tr("Contactez-nous"), self.open_contact)
        self.logout_button = self._status_button("logout", self.tr("Se déconnecter"), self.request_logout)
        self.pending_label = QLabel(self.tr("connexion…"), objectName="pendingLabel")
        self.pending_label.setProperty("role", "muted")
        self.pending_label.setVisible(self.pending)
        bar.addWidget(self.pending_label)
        bar.addPermanentWidget(self.contact_button)
        bar.addPermanentWidget(self.logout_button)
        self._show_connection(True)

    def _with_icon(self, label: QLabel, icon: str) -> QWidget:
        """An icon and its text side by side, as one item of the status bar."""
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(6, 0, 10, 0)
        row.setSpacing(2)
        icon_label = QLabel()
        self._status_icons[icon_label] = icon
        if label is self.connection_label:
            self.connection_icon = icon_label
        row.addWidget(icon_label)
        row.addWidget(label)
        return holder

    def _status_button(self, icon: str, text: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setProperty("role", "statusAction")
        button.setProperty("iconName", icon)
        button.setText(text)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setIconSize(QSize(16, 16))
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(slot)
        return button

    def _show_connection(self, online: bool) -> None:
        label = self.connection_label
        label.setText(self.tr("en ligne") if online else self.tr("hors ligne"))
        label.setProperty("online", "true" if online else "false")
        label.style().unpolish(label)
        label.style().polish(label)
        self.connection_icon.setPixmap(theme.icon("online" if online else "offline").pixmap(QSize(12, 12)))
        if online != self._online:
            self._online = online
            for page in self.pages.values():
                page.set_online(online)

    def is_online(self) -> bool:
        return bool(self.connection_label.property("online") == "true")

    def _refresh_icons(self, _dark: bool = False) -> None:
        for icon_label, name in self._status_icons.items():
            if name:
                icon_label.setPixmap(theme.icon(name).pixmap(QSize(14, 14)))
        for button in (self.contact_button, self.logout_button):
            button.setIcon(theme.icon(str(button.property("iconName"))))
        nav = self.ui.navigation
        for row, feature in enumerate(self.navigation_features()):
            nav.item(row).setIcon(theme.icon(FEATURE_ICONS[feature] if feature else "home"))
        self.ui.logoLabel.setPixmap(theme.icon("logo").pixmap(QSize(28, 28)))
        self._show_connection(self.is_online())

    # ---- actions ---------------------------------------------------------------------------------
    def _install_shortcuts(self) -> None:
        for number in range(1, 10):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda row=number - 1: self._go_to_row(row))
        QShortcut(QKeySequence("Ctrl+Q"), self).activated.connect(self.close)
        QShortcut(QKeySequence(Qt.Key.Key_F1), self).activated.connect(self.open_contact)

    def _go_to_row(self, row: int) -> None:
        if row < self.ui.navigation.count():
            self.ui.navigation.setCurrentRow(row)

    def open_contact(self) -> ContactDialog:
        dialog = ContactDialog(self.session.api, email=self.me.email, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()
        return dialog

    def request_logout(self) -> None:
        """Logging out asks nothing (F1.1): the flow forgets the stored session and shows the login."""
        self.logout_button.setEnabled(False)
        self.logout_requested.emit()

    def close_for_logout(self) -> None:
        self._leaving_for_logout = True
        self.close()

    # ---- files dropped on the window (F3.9) --------------------------------------------------------
    def _dropped_files(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        """Local files or folders, and a Diffusion libre page to take them."""
        urls = event.mimeData().urls()
        return (
            any(url.isLocalFile() for url in urls) and Feature.DIFFUSION_LIBRE in self.navigation_features()
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._dropped_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Files dropped anywhere on the window: the Diffusion libre page opens and takes them."""
        if not self._dropped_files(event):
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_feature(Feature.DIFFUSION_LIBRE)
        add_urls = getattr(self.pages.get(Feature.DIFFUSION_LIBRE), "add_urls", None)
        if add_urls is not None:
            add_urls(event.mimeData().urls())

    # ---- layout memory ---------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        settings = window_settings()
        geometry = settings.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = settings.value("main/splitter")
        if splitter is None or not self.ui.splitter.restoreState(splitter):
            self.ui.splitter.setSizes([230, max(self.width() - 230, 400)])

    def save_layout(self) -> None:
        settings = window_settings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/splitter", self.ui.splitter.saveState())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.monitor.stop()
        self._stop_notifiers()
        super().closeEvent(event)
        if not self._leaving_for_logout:
            self.closed.emit()
