"""The pages of the main window and their registry: a feature appears in the navigation once its page is here.

A later issue adds its page in one line at the bottom, e.g. ``PAGES[Feature.DOCUMENTS] = DocumentsPage``.
A page gets a :class:`PageContext` and is told which agency the selector scopes it to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from coffreo_desktop.client.models import Me
from coffreo_desktop.client.session import Session
from coffreo_desktop.domain.services import Feature
from coffreo_desktop.gui.i18n import domain_text


@dataclass(frozen=True)
class PageContext:
    """What every page may use: the logged-in session (its ``api`` and ``me``)."""

    session: Session
    me: Me


class Page(QWidget):
    """A page of the main window, shown in its stack and listed in the side navigation."""

    #: The feature this page delivers; None for the home page.
    feature: Feature | None = None

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.agency_id: int | None = None

    @property
    def title(self) -> str:
        return domain_text(self.feature.label) if self.feature is not None else ""

    def set_agency(self, agency_id: int | None) -> None:
        """The agency selector changed: None means "Toutes mes agences". Pages reload their lists here."""
        self.agency_id = agency_id

    def set_online(self, online: bool) -> None:
        """The server became reachable or unreachable (the status bar's "hors ligne"); pages that keep
        data for offline work switch to it here."""


PageFactory = Callable[[PageContext], Page]

#: Feature → page factory. Only features with an entry here are offered in the navigation and home.
PAGES: dict[Feature, PageFactory] = {}

#: Icon name (resources/icons/<variant>/<name>.svg) of each feature.
FEATURE_ICONS: dict[Feature, str] = {
    Feature.DOCUMENTS: "documents",
    Feature.DIFFUSION_LIBRE: "send",
    Feature.CAMPAIGNS: "campaign",
    Feature.TIMESHEETS: "timesheet",
    Feature.ADVANCES: "advance",
    Feature.CLIENTS: "clients",
    Feature.EMPLOYEES: "employees",
    Feature.RIGHTS: "rights",
}


def navigable_features(me: Me) -> list[Feature]:
    """The features of the user that have a page, in the server's display order."""
    return [feature for feature in me.features if feature in PAGES]


# Pages of later issues are registered below, one line each.


def _documents_page(context: PageContext) -> Page:
    # Imported on first visit: the home page paints without loading the documents page's modules.
    from coffreo_desktop.gui.pages.documents import DocumentsPage

    return DocumentsPage(context)


PAGES[Feature.DOCUMENTS] = _documents_page


def _diffusion_page(context: PageContext) -> Page:
    # Imported on first visit, like the documents page.
    from coffreo_desktop.gui.pages.diffusion import DiffusionPage

    return DiffusionPage(context)


PAGES[Feature.DIFFUSION_LIBRE] = _diffusion_page


def _campaigns_page(context: PageContext) -> Page:
    # Imported on first visit, like the documents page.
    from coffreo_desktop.gui.pages.campaigns import CampaignsPage

    return CampaignsPage(context)


PAGES[Feature.CAMPAIGNS] = _campaigns_page


def _advances_page(context: PageContext) -> Page:
    # Imported on first visit, like the documents page.
    from coffreo_desktop.gui.pages.advances import AdvancesPage

    return AdvancesPage(context)


PAGES[Feature.ADVANCES] = _advances_page


def _rights_page(context: PageContext) -> Page:
    # Imported on first visit, like the documents page.
    from coffreo_desktop.gui.pages.rights import RightsPage

    return RightsPage(context)


PAGES[Feature.RIGHTS] = _rights_page


def _clients_page(context: PageContext) -> Page:
    # Imported on first visit, like the documents page.
    from coffreo_desktop.gui.pages.clients import ClientsPage

    return ClientsPage(context)


PAGES[Feature.CLIENTS] = _clients_page


def _employees_page(context: PageContext) -> Page:
    # Imported on first visit, like the documents page.
    from coffreo_desktop.gui.pages.employees import EmployeesPage

    return EmployeesPage(context)


PAGES[Feature.EMPLOYEES] = _employees_page
