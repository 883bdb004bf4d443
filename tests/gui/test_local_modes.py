""" "Mode local" with and without the demo group: two data folders, two keyring entries.

The demo accounts (whose passwords are published) never reach the plain local database, and a
remembered demo session is never resumed against it.
"""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from coffreo_desktop.client.credentials import CredentialStore
from coffreo_desktop.client.paths import embedded_data_dir
from coffreo_desktop.client.settings import Settings
from coffreo_desktop.gui.flow import AppFlow, StartOptions
from coffreo_desktop.gui.login_dialog import LoginDialog
from tests.gui.conftest import GUI_DEMO_SCALE
from tests.gui.helpers import WAIT_MS, submit_login

ADMIN = "admin@demo.coffreo.fr"
#: The flow builds its own embedded servers here (the demo group included): more than WAIT_MS.
START_MS = 120_000


def test_local_mode_without_the_demo_has_none_of_its_accounts(
    qtbot: QtBot, make_flow: Callable[..., AppFlow]
) -> None:
    demo = make_flow(Settings(), StartOptions(demo=True), embedded=None, demo_scale=GUI_DEMO_SCALE)
    with qtbot.waitSignal(demo.login_dialog_shown, timeout=START_MS) as shown:
        demo.start()
    assert demo.embedded is not None and demo.embedded.data_dir == embedded_data_dir(demo=True)
    password = {a.email: a.password for a in demo.demo_accounts()}[ADMIN]
    # Logged in with "Rester connecté" on the demo group, then the application quits.
    with qtbot.waitSignal(demo.main_window_shown, timeout=WAIT_MS):
        submit_login(qtbot, shown.args[0], ADMIN, password, remember=True)
    assert demo.session is not None
    assert CredentialStore().load(demo.session.credential_id) is not None
    Settings(mode="local", demo=False, remember_me=True, last_email=ADMIN).save()

    # The next start is in "Mode local" without the demo: nothing to resume, no demo account.
    plain = make_flow(Settings.load(), StartOptions(), embedded=None)
    with qtbot.waitSignal(plain.login_dialog_shown, timeout=START_MS) as shown:
        plain.start()
    assert plain.main_window is None, "the demo session must not open the real local data"
    dialog: LoginDialog = shown.args[0]
    assert plain.demo_accounts() == [] and not dialog.ui.demoBox.isVisibleTo(dialog)
    submit_login(qtbot, dialog, ADMIN, password)
    qtbot.waitUntil(
        lambda: dialog.ui.errorLabel.isVisible() or plain.main_window is not None, timeout=WAIT_MS
    )
    assert plain.main_window is None, "the demo account must not exist in the plain local database"
    assert dialog.ui.errorLabel.text() == "Adresse e-mail ou mot de passe incorrect."
    assert plain.embedded is not None and plain.embedded.data_dir == embedded_data_dir(demo=False)
