"""The recipient widgets of Diffusion libre (F3.3, F3.4) driven like a user on the real embedded demo
backend: suggestions as one types, stale answers dropped, "Créer destinataire", its checks and refusals."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Coroutine, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.diffusion import DiffusionApi, Recipient
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.embedded import EmbeddedServer
from coffreo_desktop.gui.recipient_widgets import RecipientPanel, RecipientPicker
from tests.gui.helpers import WAIT_MS

SENDER = "diffusion@demo.coffreo.fr"  # DL, DLP and DLS on two agencies of the demo
T = TypeVar("T")


def wait_for(qtbot: QtBot, coroutine: Coroutine[Any, Any, T]) -> T:
    future = asyncio.ensure_future(coroutine)
    qtbot.waitUntil(future.done, timeout=WAIT_MS)
    return future.result()


class WatchedApi(DiffusionApi):
    """The real client, with a count of creations and a gate that holds back one search's answer, so that
    a test can make an answer arrive after a newer one. The HTTP calls are the real ones."""

    def __init__(self, api: ApiClient) -> None:
        super().__init__(api)
        self.creations = 0
        self.held_text: str | None = None
        self.gate = asyncio.Event()
        self.held_answer: list[Recipient] | None = None
        self.held_waiting = False

    async def search_recipients(self, agency_id: int, text: str, limit: int = 20) -> list[Recipient]:
        found = await super().search_recipients(agency_id, text, limit)
        if text == self.held_text:
            self.held_waiting = True
            await self.gate.wait()
            self.held_answer = found
        return found

    async def create_recipient(self, agency_id: int, fields: Mapping[str, str]) -> Recipient:
        self.creations += 1
        return await super().create_recipient(agency_id, fields)


@dataclass
class Desk:
    api: WatchedApi
    agency_id: int
    other_agency_id: int  # an agency where the sender holds no diffusion right
    staff: list[Recipient]  # the agency's recipients, as the server lists them
    host: QWidget
    picker: RecipientPicker
    panel: RecipientPanel


@pytest.fixture
def desk(qtbot: QtBot, demo_server: EmbeddedServer, demo_passwords: dict[str, str]) -> Iterator[Desk]:
    assert demo_server.base_url is not None
    client = ApiClient(demo_server.base_url, timeout=30)
    wait_for(qtbot, client.login(SENDER, demo_passwords[SENDER]))
    me = wait_for(qtbot, client.me())
    api = WatchedApi(client)
    # The agency with the most recipients, so that short texts match several people.
    listed = {
        a.id: wait_for(qtbot, api.search_recipients(a.id, ""))
        for a in me.agencies_with(Right.DIFFUSION_LIBRE)
    }
    agency_id = max(listed, key=lambda a: len(listed[a]))
    other = next(i for i in itertools.count(1) if i not in {a.id for a in me.agencies})
    host = QWidget()
    qtbot.addWidget(host)
    layout = QHBoxLayout(host)
    picker, panel = RecipientPicker(api, host), RecipientPanel(api, host)
    layout.addWidget(picker, 1, Qt.AlignmentFlag.AlignTop)
    layout.addWidget(panel)
    picker.set_agency(agency_id)
    panel.set_agency(agency_id)
    host.resize(1000, 640)
    host.show()
    qtbot.waitExposed(host)
    yield Desk(api, agency_id, other, listed[agency_id], host, picker, panel)
    wait_for(qtbot, client.aclose())


def type_search(qtbot: QtBot, picker: RecipientPicker, text: str) -> None:
    picker.edit.setFocus()
    qtbot.keyClicks(picker.edit, text)
    qtbot.waitUntil(lambda: picker.results_text == text and picker.popup_visible(), timeout=WAIT_MS)


def search(qtbot: QtBot, desk: Desk, text: str) -> list[Recipient]:
    """What the server answers, asked directly (not through the widgets)."""
    return wait_for(qtbot, DiffusionApi.search_recipients(desk.api, desk.agency_id, text))


def shared_text(qtbot: QtBot, desk: Desk) -> str:
    """Two letters of a last name that the server matches with several recipients."""
    for person in desk.staff:
        name = person.last_name
        for start in range(len(name) - 1):
            text = name[start : start + 2]
            if text.isalpha() and len(search(qtbot, desk, text)) >= 2:
                return text
    pytest.fail("no two recipients share two letters in this demo agency")


def fill(qtbot: QtBot, panel: RecipientPanel, values: Mapping[str, str]) -> None:
    """Fill the form with the keyboard, as a user does; ``birth_date`` as typed digits (JJMMAAAA)."""
    if "civility" in values:
        qtbot.mouseClick(
            panel.male if values["civility"] == "M." else panel.female, Qt.MouseButton.LeftButton
        )
    for name, edit in panel.line_edits.items():
        if name in values and values[name].isascii():
            qtbot.keyClicks(edit, values[name])
        elif name in values:
            edit.insert(values[name])  # QTest types ASCII only: "Éloïse" comes as if pasted
    if "birth_date" in values:
        panel.birth_date.setFocus()
        qtbot.keyClicks(panel.birth_date, values["birth_date"])


def new_person(**changes: str) -> dict[str, str]:
    tag = uuid.uuid4().hex[:8].upper()
    person = {
        "civility": "Mme",
        "first_name": "Éloïse",
        "last_name": f"Testeuse{tag[:4]}",
        "matricule": f"T{tag}",
        "email": f"eloise.{tag.lower()}@exemple.fr",
        "phone": "06 12 34 56 78",
        "birth_date": "14071985",
        "address": "12 rue des Lilas, 92000 Nanterre",
    }
    return person | changes


def no_message_box() -> bool:
    return not any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets())


# ---- RecipientPicker ---------------------------------------------------------------------------------
def test_typing_an_employees_name_suggests_them_and_enter_chooses_them(qtbot: QtBot, desk: Desk) -> None:
    person = desk.staff[0]
    type_search(qtbot, desk.picker, person.last_name)
    assert person in desk.picker.results
    shown = [desk.picker.model.item(r).text() for r in range(desk.picker.model.rowCount())]
    assert any(person.label in text for text in shown)
    first = desk.picker.results[0]
    with qtbot.waitSignal(desk.picker.recipient_chosen, timeout=WAIT_MS) as chosen:
        qtbot.keyClick(desk.picker.popup, Qt.Key.Key_Return)
    assert chosen.args == [first]
    assert desk.picker.edit.text() == "" and not desk.picker.popup_visible()


def test_arrow_keys_and_a_click_choose_among_several(qtbot: QtBot, desk: Desk) -> None:
    text = shared_text(qtbot, desk)
    type_search(qtbot, desk.picker, text)
    results = desk.picker.results
    assert len(results) >= 2
    qtbot.keyClick(desk.picker.popup, Qt.Key.Key_Down)
    with qtbot.waitSignal(desk.picker.recipient_chosen, timeout=WAIT_MS) as chosen:
        qtbot.keyClick(desk.picker.popup, Qt.Key.Key_Return)
    assert chosen.args == [results[1]]

    type_search(qtbot, desk.picker, text)
    popup = desk.picker.popup
    last = desk.picker.completer.completionModel().index(len(results) - 1, 0)
    popup.scrollTo(last)
    with qtbot.waitSignal(desk.picker.recipient_chosen, timeout=WAIT_MS) as clicked:
        qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(last).center())
    assert clicked.args == [results[-1]]


def test_one_letter_asks_nothing_and_an_unknown_name_says_so(qtbot: QtBot, desk: Desk) -> None:
    picker = desk.picker
    picker.edit.setFocus()
    qtbot.keyClicks(picker.edit, "z")
    qtbot.wait(400)  # longer than the debounce: a search would have started
    assert not picker.searching and picker.results_text is None and not picker.popup_visible()
    qtbot.keyClicks(picker.edit, "qxw")
    qtbot.waitUntil(lambda: picker.results_text == "zqxw", timeout=WAIT_MS)
    assert picker.results == []
    assert picker.model.rowCount() == 1 and picker.model.item(0).text() == "Aucun destinataire trouvé"
    assert not picker.model.item(0).isEnabled()
    with qtbot.assertNotEmitted(picker.recipient_chosen, wait=200):
        qtbot.keyClick(picker.popup, Qt.Key.Key_Return)


def test_an_answer_for_text_since_changed_is_ignored(qtbot: QtBot, desk: Desk) -> None:
    held = shared_text(qtbot, desk)  # its answer lists several people: shown, it would change the list
    full = search(qtbot, desk, held)[0].last_name
    desk.api.held_text = held
    desk.picker.edit.setFocus()
    qtbot.keyClicks(desk.picker.edit, held)
    qtbot.waitUntil(lambda: desk.api.held_waiting, timeout=WAIT_MS)  # that answer is held back
    desk.picker.edit.selectAll()
    qtbot.keyClicks(desk.picker.edit, full)
    qtbot.waitUntil(lambda: desk.picker.results_text == full, timeout=WAIT_MS)
    fresh = list(desk.picker.results)
    desk.api.gate.set()
    qtbot.waitUntil(lambda: desk.api.held_answer is not None, timeout=WAIT_MS)
    qtbot.wait(100)  # the held answer's callback has had its turn
    assert desk.api.held_answer is not None and len(desk.api.held_answer) > len(fresh)
    assert desk.picker.results_text == full and desk.picker.results == fresh
    assert desk.picker.model.rowCount() == len(fresh)


def test_a_refused_search_is_explained_in_the_field_not_in_a_box(qtbot: QtBot, desk: Desk) -> None:
    desk.picker.set_agency(desk.other_agency_id)
    desk.picker.edit.setFocus()
    qtbot.keyClicks(desk.picker.edit, "Du")
    qtbot.waitUntil(desk.picker.status_label.isVisible, timeout=WAIT_MS)
    assert desk.picker.status_label.text().startswith("La recherche a échoué : ")
    assert len(desk.picker.status_label.text()) > len("La recherche a échoué : ") + 10
    assert no_message_box()
    assert not desk.picker.searching


def test_without_an_issuer_the_picker_is_disabled_and_says_why(qtbot: QtBot, desk: Desk) -> None:
    desk.picker.set_agency(None)
    assert not desk.picker.edit.isEnabled() and not desk.picker.create_button.isEnabled()
    assert "émetteur" in desk.picker.edit.toolTip()
    desk.panel.set_agency(None)
    assert not desk.panel.create_button.isEnabled() and "émetteur" in desk.panel.create_button.toolTip()
    desk.picker.set_agency(desk.agency_id)
    assert desk.picker.edit.isEnabled() and desk.picker.create_button.isEnabled()
    assert desk.picker.edit.placeholderText() == "Nom, prénom ou matricule…"
    assert desk.picker.edit.accessibleName()


def test_creer_destinataire_hands_the_typed_text_to_the_panel(qtbot: QtBot, desk: Desk) -> None:
    desk.picker.edit.setFocus()
    qtbot.keyClicks(desk.picker.edit, "X99-42")
    with qtbot.waitSignal(desk.picker.create_requested, timeout=WAIT_MS) as asked:
        qtbot.mouseClick(desk.picker.create_button, Qt.MouseButton.LeftButton)
    assert asked.args == ["X99-42"]
    desk.panel.open_for(asked.args[0])
    assert desk.panel.isVisible() and desk.panel.line_edits["matricule"].text() == "X99-42"
    desk.panel.open_for("Le Goff")
    assert desk.panel.line_edits["last_name"].text() == "Le Goff"
    assert desk.panel.line_edits["matricule"].text() == ""


# ---- RecipientPanel ----------------------------------------------------------------------------------
def test_creating_a_recipient_with_every_field_reaches_the_server(qtbot: QtBot, desk: Desk) -> None:
    person = new_person()
    desk.panel.open_for("")
    fill(qtbot, desk.panel, person)
    assert desk.panel.birth_date.date() == QDate(1985, 7, 14)
    with qtbot.waitSignal(desk.panel.created, timeout=WAIT_MS) as created:
        qtbot.keyClick(
            desk.panel.line_edits["first_name"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    recipient = created.args[0]
    assert isinstance(recipient, Recipient)
    assert (recipient.civility, recipient.first_name, recipient.last_name, recipient.matricule) == (
        "Mme",
        "Éloïse",
        person["last_name"],
        person["matricule"],
    )
    assert recipient.email == person["email"]
    assert not desk.panel.isVisible() and desk.api.creations == 1
    found = search(qtbot, desk, person["matricule"])
    assert [r.id for r in found] == [recipient.id]
    # And the picker now suggests them.
    type_search(qtbot, desk.picker, person["matricule"])
    assert desk.picker.results == [recipient]


def test_a_missing_field_is_named_in_french_and_nothing_is_sent(qtbot: QtBot, desk: Desk) -> None:
    person = new_person()
    desk.panel.open_for("")
    fill(qtbot, desk.panel, {k: v for k, v in person.items() if k != "phone"})
    with qtbot.assertNotEmitted(desk.panel.created, wait=300):
        qtbot.mouseClick(desk.panel.create_button, Qt.MouseButton.LeftButton)
    error = desk.panel.field_errors["phone"]
    assert error.isVisible() and error.text() == "Le téléphone est obligatoire."
    assert not any(label.isVisible() for name, label in desk.panel.field_errors.items() if name != "phone")
    assert desk.panel.form_error.isVisible() and desk.api.creations == 0
    assert desk.panel.line_edits["matricule"].text() == person["matricule"]  # the form is kept
    assert search(qtbot, desk, person["matricule"]) == []


def test_an_email_without_a_domain_is_refused_before_sending(qtbot: QtBot, desk: Desk) -> None:
    desk.panel.open_for("")
    fill(qtbot, desk.panel, new_person(email="eloise@exemple"))
    qtbot.mouseClick(desk.panel.create_button, Qt.MouseButton.LeftButton)
    assert desk.panel.field_errors["email"].text().startswith("L'adresse e-mail n'est pas valide")
    assert desk.api.creations == 0


def test_the_servers_refusal_of_a_field_shows_next_to_it(qtbot: QtBot, desk: Desk) -> None:
    person = new_person(phone="12 34")
    desk.panel.open_for("")
    fill(qtbot, desk.panel, person)
    qtbot.keyClick(desk.panel.line_edits["address"], Qt.Key.Key_Return)  # Entrée on the last field
    error = desk.panel.field_errors["phone"]
    qtbot.waitUntil(lambda: error.isVisible() and not desk.panel.busy, timeout=WAIT_MS)
    assert error.text() == "Le numéro de téléphone n'est pas valide."
    assert desk.api.creations == 1 and desk.panel.isVisible()
    assert desk.panel.values()["phone"] == "12 34" and desk.panel.values()["first_name"] == "Éloïse"


def test_a_taken_matricule_is_shown_and_the_form_kept(qtbot: QtBot, desk: Desk) -> None:
    taken = desk.staff[0].matricule
    person = new_person(matricule=taken)
    desk.panel.open_for(taken)
    fill(qtbot, desk.panel, {k: v for k, v in person.items() if k != "matricule"})
    with qtbot.assertNotEmitted(desk.panel.created, wait=0):
        qtbot.keyClick(desk.panel.line_edits["address"], Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: desk.panel.form_error.isVisible() and not desk.panel.busy, timeout=WAIT_MS)
    assert f"« {taken} »" in desk.panel.form_error.text() and "déjà" in desk.panel.form_error.text()
    assert desk.panel.field_errors["matricule"].isVisible()
    kept = desk.panel.values()
    assert (
        kept["matricule"] == taken and kept["email"] == person["email"] and kept["birth_date"] == "1985-07-14"
    )
    assert no_message_box()


def test_a_double_click_on_creer_sends_one_request(qtbot: QtBot, desk: Desk) -> None:
    person = new_person()
    desk.panel.open_for("")
    fill(qtbot, desk.panel, person)
    with qtbot.waitSignal(desk.panel.created, timeout=WAIT_MS):
        qtbot.mouseDClick(desk.panel.create_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(desk.panel.create_button, Qt.MouseButton.LeftButton)
        desk.panel.submit()  # Ctrl+Entrée meanwhile
        assert not desk.panel.create_button.isEnabled()
    qtbot.wait(200)
    assert desk.api.creations == 1
    assert not desk.panel.form_error.isVisible()  # a second request would have met "matricule déjà pris"
    found = search(qtbot, desk, person["matricule"])
    assert len(found) == 1
    assert desk.panel.create_button.isEnabled()


def test_echap_closes_the_panel_and_the_next_opening_is_empty(qtbot: QtBot, desk: Desk) -> None:
    desk.panel.open_for("")
    fill(qtbot, desk.panel, {"first_name": "Jean", "birth_date": "01021990"})
    with qtbot.waitSignal(desk.panel.closed, timeout=WAIT_MS):
        qtbot.keyClick(desk.panel.line_edits["first_name"], Qt.Key.Key_Escape)
    assert not desk.panel.isVisible()
    desk.panel.open_for("")
    assert desk.panel.values() == dict.fromkeys(desk.panel.values(), "")
    assert desk.panel.birth_date.text() == "jj/mm/aaaa"


def test_tab_goes_through_the_form_in_reading_order(qtbot: QtBot, desk: Desk) -> None:
    panel = desk.panel
    panel.open_for("")
    panel.female.setChecked(True)
    desk.host.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is desk.host, timeout=WAIT_MS)
    panel.female.setFocus()
    expected = [
        *(panel.line_edits[n] for n in ("first_name", "last_name", "matricule", "email", "phone")),
        panel.birth_date,
        panel.line_edits["address"],
        panel.create_button,
        panel.cancel_button,
    ]
    visited = []
    for _ in expected:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        visited.append(focus.parentWidget() if focus is panel.birth_date.lineEdit() else focus)
    assert visited == expected
