"""The campaign wizard (F4.4) driven like a user on the real embedded demo backend: every step filled by
keyboard and mouse, documents dropped (real QDropEvents) and chosen (the file dialog replaced), a 2.1 MB
PDF refused, the launch confirmed; the duplicate pre-filled; each page's French validation messages; a
colleague's change (409) and the reload; deleting a draft."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QMessageBox,
    QRadioButton,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.campaigns import Campaign, CampaignOptions, CampaignsApi, Scope
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.domain import campaigns as rules
from coffreo_desktop.gui import theme
from coffreo_desktop.gui.campaign_wizard import DELETE, LAUNCH, SAVE, CampaignWizard, today
from coffreo_desktop.gui.flow import AppFlow
from coffreo_desktop.gui.main_window import MainWindow
from tests.gui.helpers import WAIT_MS, drop, log_in, make_pdf, server_call

DIFFUSER = "diffusion@demo.coffreo.fr"  # "D" on Paris 11e and Nanterre
NEXT = QWizard.WizardButton.NextButton
#: Where the pages are saved as PNG for a person to look at (a temporary folder unless set).
SHOTS_ENV = "COFFREO_WIZARD_SHOTS"


def click(qtbot: QtBot, widget: QWidget) -> None:
    """A check box or a radio button reacts on its box and its text, not on the rest of its row."""
    center = widget.rect().center()
    where = QPoint(8, center.y()) if isinstance(widget, QCheckBox | QRadioButton) else center
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=where)


def click_next(qtbot: QtBot, wizard: CampaignWizard) -> None:
    click(qtbot, wizard.button(NEXT))


def type_date(qtbot: QtBot, edit: QDateEdit, day: date) -> None:
    """Typed as a user does: the day section selected, then the digits (each section moves on to the next).
    A day the shown month lacks (31 in November) is cut short by Qt, so it is typed again, as a user would."""
    edit.setFocus()
    for _ in range(2):
        edit.setSelectedSection(QDateEdit.Section.DaySection)
        qtbot.keyClicks(edit, f"{day:%d%m%Y}")
        if edit.date().toPython() == day:
            break
    assert edit.date().toPython() == day


def message(wizard: CampaignWizard) -> str:
    page = wizard.currentPage()
    label = page.message  # type: ignore[attr-defined]
    return label.text() if label.isVisible() else ""


def shoot(wizard: CampaignWizard, folder: Path, name: str) -> None:
    image = wizard.grab()
    assert not image.isNull()
    assert image.save(str(folder / f"{name}.png"))


@pytest.fixture
def shots(tmp_path: Path, qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Where the pages go; styled as in the application when a person asked to look at them."""
    folder = Path(os.environ.get(SHOTS_ENV) or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    if not os.environ.get(SHOTS_ENV):
        yield folder
        return
    style, palette = qapp.styleSheet(), qapp.palette()
    monkeypatch.setattr(theme, "_current", None)  # restored after the test
    theme.install(qapp, Qt.ColorScheme.Light)
    yield folder
    qapp.setStyleSheet(style)
    qapp.setPalette(palette)


@pytest.fixture
def window(qtbot: QtBot, make_flow: Callable[..., AppFlow], demo_passwords: dict[str, str]) -> MainWindow:
    return log_in(qtbot, make_flow(), DIFFUSER, demo_passwords[DIFFUSER])


@pytest.fixture
def api(window: MainWindow) -> CampaignsApi:
    return CampaignsApi(window.context.session.api)


@pytest.fixture
def scope(window: MainWindow) -> Scope:
    agency = next(a for a in window.context.me.agencies if a.code == "PAR11")
    return Scope("agency", agency.id, agency.name)


@pytest.fixture
def options(
    qtbot: QtBot, qt_event_loop: asyncio.AbstractEventLoop, api: CampaignsApi, scope: Scope
) -> CampaignOptions:
    found = server_call(qt_event_loop, qtbot, api.options(scope))
    assert isinstance(found, CampaignOptions)
    return found


@pytest.fixture
def open_wizard(
    qtbot: QtBot, window: MainWindow, api: CampaignsApi, scope: Scope, options: CampaignOptions
) -> Iterator[Callable[..., CampaignWizard]]:
    opened: list[CampaignWizard] = []

    def make(campaign: Campaign | None = None, *, duplicate: bool = False) -> CampaignWizard:
        wizard = CampaignWizard(
            window.context, api, scope, options, campaign, duplicate=duplicate, parent=window
        )
        wizard.resize(820, 620)
        wizard.show()
        qtbot.waitExposed(wizard)
        opened.append(wizard)
        return wizard

    yield make
    for wizard in opened:
        wizard.hide()
        wizard.deleteLater()


def call(qtbot: QtBot, loop: asyncio.AbstractEventLoop, coroutine: object) -> object:
    return server_call(loop, qtbot, coroutine)


def test_wizard_filled_by_a_user_launches_a_campaign_with_its_documents(
    qtbot: QtBot,
    qt_event_loop: asyncio.AbstractEventLoop,
    open_wizard: Callable[..., CampaignWizard],
    api: CampaignsApi,
    options: CampaignOptions,
    tmp_path: Path,
    shots: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert options.max_document_size == 2 * 1024 * 1024 and options.clients and options.signed_available
    notice = make_pdf(tmp_path / "Notice mutuelle.pdf")
    booklet = make_pdf(tmp_path / "Livret sécurité.pdf")
    rgpd = make_pdf(tmp_path / "Information RGPD.pdf")
    heavy = make_pdf(tmp_path / "Catalogue lourd.pdf", padding=2_200_000)
    assert 2.0 < heavy.stat().st_size / 1024 / 1024 < 2.3
    wizard = open_wizard()

    # (1) target and name
    for hidden in (LAUNCH, SAVE, DELETE):  # the actions belong to the summary
        assert not wizard.button(hidden).isVisible()
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    assert "Paris" in wizard.target.target.text() and "Diffusion Agence" in wizard.target.target.text()
    shoot(wizard, shots, "1-cible")
    qtbot.keyClicks(wizard.target.name, "Notice mutuelle 2026")
    click_next(qtbot, wizard)
    assert wizard.currentPage() is wizard.triggers

    # (2) triggers: payslips and contracts, non-cadres, the second client, retroactive
    triggers = wizard.triggers
    click(qtbot, triggers.payslips)
    click(qtbot, triggers.contracts)
    click(qtbot, triggers.cadre_buttons["non_cadre"])
    triggers.client.setFocus()
    qtbot.keyClick(triggers.client, Qt.Key.Key_Down)
    qtbot.keyClick(triggers.client, Qt.Key.Key_Down)
    chosen_client = options.clients[1]
    print(
        "DEBUG",
        triggers.payslips.isChecked(),
        triggers.contracts.isChecked(),
        triggers.client.isEnabled(),
        triggers.client.currentIndex(),
        triggers.client.count(),
        triggers.cadre_filter(),
    )
    assert triggers.client.currentData() == chosen_client[0]
    click(qtbot, triggers.retroactive)
    shoot(wizard, shots, "2-declencheurs")
    click_next(qtbot, wizard)
    assert wizard.currentPage() is wizard.documents

    # (3) documents: two dropped, two chosen in the file dialog (one too heavy), then one removed
    page = wizard.documents
    assert page.signed.isVisible()
    assert drop(page, [notice, booklet])
    qtbot.waitUntil(lambda: not page.busy() and len(page.documents) == 2, timeout=WAIT_MS)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(rgpd), str(heavy)], "Documents PDF (*.pdf)")
    )
    click(qtbot, page.add_button)
    qtbot.waitUntil(lambda: not page.busy() and len(page.documents) == 3, timeout=WAIT_MS)
    assert page.refused.isVisible()
    assert "« Catalogue lourd.pdf » pèse 2,1 Mo : 2 Mo maximum." in page.refused.text()
    sizes = [page.model.index(row, 1).data() for row in range(page.model.rowCount())]
    assert all(size.endswith("Ko") for size in sizes)
    shoot(wizard, shots, "3-documents")
    # "Livret sécurité" is taken out again
    page.view.selectionModel().clearSelection()
    rect = page.view.visualRect(page.model.index(1, 0))
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    click(qtbot, page.remove_button)
    assert [d.title for d in page.documents] == ["Notice mutuelle", "Information RGPD"]
    click_next(qtbot, wizard)
    assert wizard.currentPage() is wizard.dates

    # (4) dates: a month back (retroactive), an end in two months
    start = rules.months_before(today(), 1)
    end = today() + timedelta(days=60)
    type_date(qtbot, wizard.dates.start, start)
    click(qtbot, wizard.dates.has_end)
    type_date(qtbot, wizard.dates.end, end)
    shoot(wizard, shots, "4-dates")
    click_next(qtbot, wizard)
    assert wizard.currentPage() is wizard.summary

    # (5) summary, then "Lancer la diffusion", confirmed
    summary = wizard.summary.summary.text()
    for expected in ("Notice mutuelle 2026", "Information RGPD", chosen_client[1], f"{start:%d/%m/%Y}"):
        assert expected in summary
    assert wizard.button(LAUNCH).isVisible() and wizard.button(SAVE).isVisible()
    assert not wizard.button(DELETE).isVisible()  # nothing to delete yet
    shoot(wizard, shots, "5-recapitulatif")
    asked: list[str] = []

    def confirm(*args: object, **_: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", confirm)
    with qtbot.waitSignal(wizard.saved, timeout=WAIT_MS) as saved:
        click(qtbot, wizard.button(LAUNCH))
        # While it is saved: progress shown, every action frozen; a second click launches nothing more.
        assert wizard.summary.progress.isVisible()
        assert not wizard.button(LAUNCH).isEnabled() and not wizard.button(SAVE).isEnabled()
        assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
        click(qtbot, wizard.button(LAUNCH))
    assert len(asked) == 1 and "Notice mutuelle 2026" in asked[0]
    launched = saved.args[0]
    assert isinstance(launched, Campaign)

    stored = call(qtbot, qt_event_loop, api.get(launched.id))
    assert isinstance(stored, Campaign)
    assert stored.state == "active"
    assert stored.name == "Notice mutuelle 2026"
    assert (stored.on_payslips, stored.on_contracts, stored.signed) == (True, True, False)
    assert (stored.cadre_filter, stored.client_filter_id) == ("non_cadre", chosen_client[0])
    assert (stored.starts_on, stored.ends_on, stored.retroactive_from) == (start, end, start)
    assert [(d.title, d.file_name, d.size) for d in stored.documents] == [
        ("Notice mutuelle", notice.name, notice.stat().st_size),
        ("Information RGPD", rgpd.name, rgpd.stat().st_size),
    ]
    content = call(qtbot, qt_event_loop, api.document_file(stored.id, stored.documents[1].id))
    assert content == rgpd.read_bytes()
    assert not wizard.isVisible()


def _original(
    qtbot: QtBot,
    loop: asyncio.AbstractEventLoop,
    api: CampaignsApi,
    scope: Scope,
    options: CampaignOptions,
    tmp_path: Path,
) -> Campaign:
    """A draft with every field away from its default, and two documents."""
    config = {
        "name": "Livret d'accueil",
        "on_payslips": False,
        "on_contracts": True,
        "retroactive": True,
        "cadre_filter": "cadre",
        "client_filter_id": options.clients[0][0],
        "signed": True,
        "starts_on": rules.months_before(today(), 2).isoformat(),
        "ends_on": (today() + timedelta(days=30)).isoformat(),
    }
    campaign = call(qtbot, loop, api.create(scope, config))
    assert isinstance(campaign, Campaign)
    for name in ("Livret d'accueil.pdf", "Consignes de sécurité.pdf"):
        campaign = call(
            qtbot, loop, api.add_document(campaign.id, campaign.version, make_pdf(tmp_path / name), name[:-4])
        )
        assert isinstance(campaign, Campaign)
    return campaign


def test_duplicate_prefills_every_field(
    qtbot: QtBot,
    qt_event_loop: asyncio.AbstractEventLoop,
    open_wizard: Callable[..., CampaignWizard],
    api: CampaignsApi,
    scope: Scope,
    options: CampaignOptions,
    tmp_path: Path,
) -> None:
    original = _original(qtbot, qt_event_loop, api, scope, options, tmp_path)
    wizard = open_wizard(original, duplicate=True)
    assert wizard.windowTitle() == "Dupliquer la diffusion"
    assert wizard.target.name.text() == "Copie de Livret d'accueil"
    assert wizard.triggers.payslips.isChecked() is False
    assert wizard.triggers.contracts.isChecked() is True
    assert wizard.triggers.retroactive.isChecked() is True
    assert wizard.triggers.cadre_filter() == "cadre"
    assert wizard.triggers.client_filter_id() == original.client_filter_id
    assert wizard.documents.signed.isChecked() is True
    assert [(d.title, d.file_name, d.size, d.pages) for d in wizard.documents.documents] == [
        (d.title, d.file_name, d.size, d.pages) for d in original.documents
    ]
    assert wizard.dates.starts_on() == original.starts_on
    assert wizard.dates.ends_on() == original.ends_on
    settings = wizard.settings()
    assert (settings.on_payslips, settings.on_contracts, settings.retroactive, settings.signed) == (
        False,
        True,
        True,
        True,
    )
    assert (settings.cadre_filter, settings.client_filter_id) == ("cadre", original.client_filter_id)

    # Saved: the server copies it (documents included), the first document taken out of the copy only.
    page = wizard.documents
    page.view.setCurrentIndex(page.model.index(0, 0))
    page.remove_selected()
    wizard.target.name.clear()
    qtbot.keyClicks(wizard.target.name, "Livret d'accueil bis")
    for _ in range(4):
        click_next(qtbot, wizard)
    assert wizard.currentPage() is wizard.summary
    with qtbot.waitSignal(wizard.saved, timeout=WAIT_MS) as saved:
        click(qtbot, wizard.button(SAVE))
    copy = saved.args[0]
    assert isinstance(copy, Campaign) and copy.id != original.id
    assert copy.state == "draft" and copy.name == "Livret d'accueil bis"
    assert (copy.on_contracts, copy.cadre_filter, copy.client_filter_id, copy.signed) == (
        True,
        "cadre",
        original.client_filter_id,
        True,
    )
    assert (copy.starts_on, copy.ends_on) == (original.starts_on, original.ends_on)
    assert [d.title for d in copy.documents] == ["Consignes de sécurité"]
    again = call(qtbot, qt_event_loop, api.get(original.id))
    assert isinstance(again, Campaign) and len(again.documents) == 2 and again.version == original.version


def test_each_page_says_what_is_wrong_in_french(
    qtbot: QtBot, open_wizard: Callable[..., CampaignWizard], shots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = open_wizard()
    click_next(qtbot, wizard)
    assert message(wizard) == "Donnez un nom à la diffusion."
    qtbot.keyClicks(wizard.target.name, "Consignes")
    click_next(qtbot, wizard)

    click_next(qtbot, wizard)  # no trigger
    assert wizard.currentPage() is wizard.triggers
    assert message(wizard) == "Choisissez au moins un déclencheur : bulletins de paie ou contrats."
    click(qtbot, wizard.triggers.payslips)
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)  # no document: a draft may have none
    assert wizard.currentPage() is wizard.dates

    dates = wizard.dates
    type_date(qtbot, dates.start, today() - timedelta(days=3))
    click_next(qtbot, wizard)  # in the past, without the retroactive option
    assert message(wizard).startswith("La date de début est passée")
    type_date(qtbot, dates.start, today() + timedelta(days=10))
    click(qtbot, dates.has_end)
    type_date(qtbot, dates.end, today() + timedelta(days=5))
    click_next(qtbot, wizard)  # end before start
    assert message(wizard) == "La date de fin doit suivre la date de début."
    shoot(wizard, shots, "4-dates-erreur")

    click(qtbot, wizard.button(QWizard.WizardButton.BackButton))
    click(qtbot, wizard.button(QWizard.WizardButton.BackButton))
    click(qtbot, wizard.triggers.retroactive)
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    type_date(qtbot, dates.start, rules.months_before(today(), 3) - timedelta(days=1))
    type_date(qtbot, dates.end, today() + timedelta(days=5))
    click_next(qtbot, wizard)  # more than 3 months back
    assert message(wizard).startswith("La date de début ne peut pas précéder de plus de 3 mois")
    type_date(qtbot, dates.start, today())
    click_next(qtbot, wizard)
    assert wizard.currentPage() is wizard.summary

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("rien à confirmer"))
    click(qtbot, wizard.button(LAUNCH))  # no document to launch
    assert message(wizard) == "Ajoutez au moins un document à diffuser."
    assert wizard.isVisible()


def test_a_colleagues_change_is_shown_and_the_draft_reloaded(
    qtbot: QtBot,
    qt_event_loop: asyncio.AbstractEventLoop,
    open_wizard: Callable[..., CampaignWizard],
    api: CampaignsApi,
    scope: Scope,
    options: CampaignOptions,
    tmp_path: Path,
    shots: Path,
) -> None:
    draft = _original(qtbot, qt_event_loop, api, scope, options, tmp_path)
    wizard = open_wizard(draft)
    # A colleague renames the draft meanwhile.
    changed = call(
        qtbot,
        qt_event_loop,
        api.update(
            draft.id,
            draft.version,
            {
                "name": "Renommée par un collègue",
                "on_payslips": True,
                "on_contracts": False,
                "retroactive": False,
                "cadre_filter": "all",
                "client_filter_id": None,
                "signed": False,
                "starts_on": today().isoformat(),
                "ends_on": None,
            },
        ),
    )
    assert isinstance(changed, Campaign)
    qtbot.keyClick(wizard.target.name, Qt.Key.Key_End)
    qtbot.keyClicks(wizard.target.name, " v2")  # QTest types ASCII only
    wizard.next(), wizard.next(), wizard.next(), wizard.next()
    assert wizard.currentPage() is wizard.summary
    click(qtbot, wizard.button(SAVE))
    qtbot.waitUntil(lambda: wizard.summary.reload_button.isVisible(), timeout=WAIT_MS)
    assert "a été modifiée par Julien Bertrand" in message(wizard)
    shoot(wizard, shots, "5-conflit")
    assert wizard.isVisible()
    click(qtbot, wizard.summary.reload_button)
    qtbot.waitUntil(lambda: wizard.target.name.text() == "Renommée par un collègue", timeout=WAIT_MS)
    assert wizard.triggers.payslips.isChecked() and not wizard.triggers.contracts.isChecked()
    assert wizard.campaign is not None and wizard.campaign.version == changed.version
    # Saved again from the fresh version: accepted.
    with qtbot.waitSignal(wizard.saved, timeout=WAIT_MS) as saved:
        click(qtbot, wizard.button(SAVE))
    assert isinstance(saved.args[0], Campaign) and saved.args[0].name == "Renommée par un collègue"


def test_deleting_a_draft_is_confirmed(
    qtbot: QtBot,
    qt_event_loop: asyncio.AbstractEventLoop,
    open_wizard: Callable[..., CampaignWizard],
    api: CampaignsApi,
    scope: Scope,
    options: CampaignOptions,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draft = _original(qtbot, qt_event_loop, api, scope, options, tmp_path)
    wizard = open_wizard(draft)
    while wizard.currentPage() is not wizard.summary:
        wizard.next()
    delete = wizard.button(DELETE)
    assert delete.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    click(qtbot, delete)
    assert wizard.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(wizard.saved, timeout=WAIT_MS) as saved:
        click(qtbot, delete)
    assert saved.args == [None]
    with pytest.raises(ApiError) as gone:
        call(qtbot, qt_event_loop, api.get(draft.id))
    assert gone.value.status == 404
