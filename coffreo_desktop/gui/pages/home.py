"""'Accueil' (F1.2): a greeting and one tile per feature the user's rights allow.

A tile whose page is registered opens it; one whose page is not delivered yet is shown disabled with
"Bientôt disponible", so that nothing pretends to work.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.domain.services import Feature
from coffreo_desktop.gui import theme
from coffreo_desktop.gui.i18n import domain_text
from coffreo_desktop.gui.pages import FEATURE_ICONS, PAGES, Page, PageContext

MAX_COLUMNS = 3
TILE_MIN_WIDTH = 210
TILE_SPACING = 14
PAGE_MARGIN = 36

#: One line under each tile's title, once its page exists.
DESCRIPTIONS: dict[Feature, str] = {
    Feature.DOCUMENTS: QT_TRANSLATE_NOOP("HomePage", "Rechercher, consulter et exporter les documents"),
    Feature.DIFFUSION_LIBRE: QT_TRANSLATE_NOOP("HomePage", "Envoyer des documents à vos salariés"),
    Feature.CAMPAIGNS: QT_TRANSLATE_NOOP("HomePage", "Joindre des documents aux bulletins et contrats"),
    Feature.TIMESHEETS: QT_TRANSLATE_NOOP("HomePage", "Suivre les relevés d'heures"),
    Feature.ADVANCES: QT_TRANSLATE_NOOP("HomePage", "Traiter les demandes d'acomptes"),
    Feature.CLIENTS: QT_TRANSLATE_NOOP("HomePage", "Entreprises clientes et leurs accès"),
    Feature.EMPLOYEES: QT_TRANSLATE_NOOP("HomePage", "Coffres des salariés et relances"),
    Feature.RIGHTS: QT_TRANSLATE_NOOP("HomePage", "Accès et droits des collaborateurs"),
}


class FeatureTile(QPushButton):
    """A large button: the feature's icon, its label and a one-line caption."""

    def __init__(self, feature: Feature, *, available: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.feature = feature
        self.available = available
        self.setObjectName("featureTile")
        self.setCursor(Qt.CursorShape.PointingHandCursor if available else Qt.CursorShape.ArrowCursor)
        self.setMinimumSize(QSize(TILE_MIN_WIDTH, 108))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.icon_label = QLabel(objectName="tileIcon")
        self.title_label = QLabel(domain_text(feature.label), objectName="tileTitle")
        caption = (
            QCoreApplication.translate("HomePage", DESCRIPTIONS[feature])
            if available
            else QCoreApplication.translate("HomePage", "Bientôt disponible")
        )
        self.caption_label = QLabel(caption, objectName="tileCaption")
        self.caption_label.setWordWrap(True)
        for label in (self.icon_label, self.title_label, self.caption_label):
            # Clicks go to the button underneath.
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(4)
        layout.addWidget(self.icon_label)
        layout.addWidget(self.title_label)
        layout.addWidget(self.caption_label)
        layout.addStretch(1)
        self.setAccessibleName(f"{self.title_label.text()} — {caption}")
        self.setEnabled(available)
        self.refresh_icon()

    def refresh_icon(self) -> None:
        mode = QIcon.Mode.Normal if self.available else QIcon.Mode.Disabled
        self.icon_label.setPixmap(theme.icon(FEATURE_ICONS[self.feature]).pixmap(QSize(30, 30), mode))


class HomePage(Page):
    feature_opened = Signal(object)  # Feature

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("homePage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        me = context.me
        self.tiles: dict[Feature, FeatureTile] = {}

        content = QWidget(objectName="homeContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(PAGE_MARGIN, 30, PAGE_MARGIN, 30)
        column.setSpacing(6)
        greeting = QLabel(self.tr("Bonjour {name}").format(name=me.first_name or me.display_name))
        greeting.setProperty("role", "title")
        column.addWidget(greeting)
        summary = QLabel(self._summary(len(me.agencies)))
        summary.setProperty("role", "muted")
        column.addWidget(summary)
        column.addSpacing(18)

        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(TILE_SPACING)
        self.grid.setVerticalSpacing(TILE_SPACING)
        self._columns = 0
        for feature in me.features:
            tile = FeatureTile(feature, available=feature in PAGES)
            tile.clicked.connect(lambda _checked=False, f=feature: self.feature_opened.emit(f))
            self.tiles[feature] = tile
        self._layout_tiles(MAX_COLUMNS)
        column.addLayout(self.grid)
        if not me.features:
            empty = QLabel(
                self.tr(
                    "Aucun service n'est ouvert pour votre compte. Demandez l'accès à votre administrateur."
                )
            )
            empty.setWordWrap(True)
            empty.setProperty("role", "notice")
            column.addWidget(empty)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        content.setAutoFillBackground(False)
        scroll.viewport().setAutoFillBackground(False)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        theme.on_theme_changed(self._refresh_icons)

    @property
    def title(self) -> str:
        return self.tr("Accueil")

    def _layout_tiles(self, columns: int) -> None:
        """Place the tiles on ``columns`` columns (fewer when the window is narrow)."""
        if columns == self._columns:
            return
        self._columns = columns
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
        for index, tile in enumerate(self.tiles.values()):
            self.grid.addWidget(tile, index // columns, index % columns)
        for col in range(MAX_COLUMNS):
            self.grid.setColumnStretch(col, 1 if col < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        usable = event.size().width() - 2 * PAGE_MARGIN
        fits = max(1, (usable + TILE_SPACING) // (TILE_MIN_WIDTH + TILE_SPACING))
        self._layout_tiles(min(MAX_COLUMNS, fits))
        super().resizeEvent(event)

    def _summary(self, agencies: int) -> str:
        if agencies == 0:
            return self.tr("Vous n'avez accès à aucune agence pour le moment.")
        if agencies == 1:
            return self.tr("Vous avez accès à une agence. Que souhaitez-vous faire ?")
        return self.tr("Vous avez accès à {count} agences. Que souhaitez-vous faire ?").format(count=agencies)

    def _refresh_icons(self, _dark: bool = False) -> None:
        for tile in self.tiles.values():
            tile.refresh_icon()
