"""Render every dialog and page to PNG files for a person to look at.

    python -m coffreo_desktop.gui.screenshots OUTDIR [--lang en] [--scale 0.02]

Starts an embedded demo backend (small) in a temporary folder, offscreen, with an in-memory keyring:
nothing of the user's own data, settings or keyring is touched.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import keyring.backend
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QWidget

import qasync  # isort: skip

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.credentials import CredentialStore
from coffreo_desktop.client.session import Session
from coffreo_desktop.client.settings import Settings
from coffreo_desktop.gui import i18n, theme
from coffreo_desktop.gui.app import create_application
from coffreo_desktop.gui.connection_dialog import ConnectionDialog
from coffreo_desktop.gui.contact_dialog import ContactDialog
from coffreo_desktop.gui.login_dialog import DemoLogin, LoginDialog
from coffreo_desktop.gui.main_window import MainWindow

DEMO_SCALE = 0.02
WINDOW_SIZE = (1180, 760)


class _MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment, unused-ignore]

    def __init__(self) -> None:
        super().__init__()
        self._store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._store.pop((service, username), None)


async def _until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("l'écran attendu n'est pas apparu")
        await asyncio.sleep(0.02)  # a script, not a test: polling the screen is fine here


class Shooter:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.files: list[Path] = []

    async def shoot(self, widget: QWidget, name: str, size: tuple[int, int] | None = None) -> None:
        if size is not None:
            widget.resize(*size)
        else:
            widget.adjustSize()
        widget.show()
        await asyncio.sleep(0.15)  # let layouts, style polish and pending paints settle
        path = self.out / f"{name}.png"
        widget.grab().save(str(path))
        self.files.append(path)
        print(path)


async def _session(url: str) -> Session:
    return Session(ApiClient(url), CredentialStore(), server_url=url)


async def render_all(out: Path, url: str, accounts: list[DemoLogin]) -> list[Path]:
    shooter = Shooter(out)
    passwords = {a.email: a.password for a in accounts}
    installed = theme.current()
    assert installed is not None

    dialog = ConnectionDialog(Settings(mode="local", demo=True))
    await shooter.shoot(dialog, "01-choix-du-serveur")
    dialog.ui.remoteRadio.setChecked(True)
    dialog.ui.urlEdit.setText("https://coffreo mon-groupe.fr")
    dialog.ui.continueButton.click()
    await shooter.shoot(dialog, "02-choix-du-serveur-adresse-invalide")
    dialog.close()

    session = await _session(url)
    login = LoginDialog(
        session,
        server_label=QCoreApplication.translate("AppFlow", "Serveur local (démonstration)"),
        demo_accounts=accounts,
        remember=True,
    )
    await shooter.shoot(login, "03-identification-comptes-demo")
    login.ui.emailEdit.setText("admin@demo.coffreo.fr")
    login.ui.passwordEdit.setText("mauvais-mot-de-passe")
    login.submit()
    await _until(lambda: login.ui.errorLabel.isVisible() and login.ui.loginButton.isEnabled())
    await shooter.shoot(login, "04-identification-erreur")
    login.close()

    insecure = LoginDialog(
        session,
        server_label="https://coffreo.mon-groupe.fr",
        email="admin@demo.coffreo.fr",
        keyring_secure=False,
        show_keyring_notice=True,
    )
    await shooter.shoot(insecure, "05-identification-sans-trousseau")
    insecure.close()

    contact = ContactDialog(session.api, email="admin@demo.coffreo.fr")
    await _until(lambda: contact.support is not None)
    await shooter.shoot(contact, "06-contactez-nous")
    contact.close()

    windows: list[MainWindow] = []
    for name, email in (
        ("07-accueil-administratrice", "admin@demo.coffreo.fr"),
        ("08-accueil-diffusion", "diffusion@demo.coffreo.fr"),
        ("09-accueil-acomptes", "acomptes@demo.coffreo.fr"),
        ("10-accueil-restreint", "restreint@demo.coffreo.fr"),
    ):
        user_session = await _session(url)
        await user_session.login(email, passwords[email], remember=False)
        window = MainWindow(user_session, server_label=login.ui.serverLabel.text())
        windows.append(window)
        await shooter.shoot(window, name, WINDOW_SIZE)
        window.hide()

    await _documents(shooter, windows[0])
    await _diffusion(shooter, windows[0])

    installed.force(Qt.ColorScheme.Dark)
    await shooter.shoot(windows[0], "11-accueil-sombre", WINDOW_SIZE)
    windows[0].hide()
    dark_login = LoginDialog(
        session,
        server_label=login.ui.serverLabel.text(),
        demo_accounts=accounts,
        email="admin@demo.coffreo.fr",
        message=login.ui.errorLabel.text(),
    )
    await shooter.shoot(dark_login, "12-identification-sombre")
    dark_login.close()
    dark_connection = ConnectionDialog(Settings(mode="remote", server_url="https://coffreo.mon-groupe.fr"))
    await shooter.shoot(dark_connection, "13-choix-du-serveur-sombre")
    installed.force(None)
    for window in windows:
        await window.session.api.aclose()
        window.deleteLater()
    await session.api.aclose()
    return shooter.files


async def _documents(shooter: Shooter, window: MainWindow) -> None:
    """The documents page with its results, then a document open in the viewer."""
    from coffreo_desktop.domain.services import Feature
    from coffreo_desktop.gui.pages.documents import DocumentsPage

    window.resize(*WINDOW_SIZE)
    window.show()
    window.open_feature(Feature.DOCUMENTS)
    page = window.current_page()
    assert isinstance(page, DocumentsPage)
    await _until(lambda: page.model.rowCount() > 0 and not page.model.loading)
    await shooter.shoot(window, "14-documents", WINDOW_SIZE)
    row = page.model.row_at(0)
    assert row is not None
    page.actions.open_document(row)
    await _until(lambda: page.actions.viewer is not None and page.actions.viewer.isVisible())
    viewer = page.actions.viewer
    assert viewer is not None
    await asyncio.sleep(0.8)  # QPdfView renders asynchronously
    await shooter.shoot(viewer, "15-visionneuse", (900, 760))
    viewer.close()
    window.open_feature(None)
    window.hide()


async def _diffusion(shooter: Shooter, window: MainWindow) -> None:
    """Diffusion libre: the empty page, files dropped and matched, "Créer destinataire", the send."""
    from fpdf import FPDF

    from coffreo_desktop.client.diffusion import DiffusionApi
    from coffreo_desktop.domain.services import Feature
    from coffreo_desktop.gui.diffusion_send_dialog import SendDialog
    from coffreo_desktop.gui.pages.diffusion import DiffusionPage

    window.resize(*WINDOW_SIZE)
    window.show()
    window.open_feature(Feature.DIFFUSION_LIBRE)
    page = window.current_page()
    assert isinstance(page, DiffusionPage)
    await shooter.shoot(window, "16-diffusion-libre", WINDOW_SIZE)
    agency = page.issuer()
    assert agency is not None
    people = await DiffusionApi(window.session.api).search_recipients(agency.id, "")
    folder = Path(tempfile.mkdtemp(prefix="coffreo-captures-"))
    for n, person in enumerate(people[:6]):
        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("Helvetica", size=14)
        pdf.text(20, 30, f"Note d'information {n + 1}")
        (folder / f"{person.matricule}_note-information.pdf").write_bytes(bytes(pdf.output()))
    (folder / "9999999_inconnu.pdf").write_bytes(
        (folder / f"{people[0].matricule}_note-information.pdf").read_bytes()[:-9]
    )
    (folder / "planning.xlsx").write_bytes(b"PK\x03\x04 pas un PDF")
    page.add_paths([folder])
    await _until(lambda: not page.is_busy() and bool(page.ready_rows()))
    await shooter.shoot(window, "17-diffusion-fichiers", WINDOW_SIZE)
    page.ui.panel.open_for("Nouvelle")
    await shooter.shoot(window, "18-creer-destinataire", WINDOW_SIZE)
    page.ui.panel.hide()
    page.send(page.ready_rows())
    found: list[SendDialog] = []

    def sent() -> bool:
        found[:] = [w for w in window.findChildren(SendDialog) if w.report is not None]
        return bool(found)

    await _until(sent, timeout=60)
    await shooter.shoot(found[0], "19-envoi-termine", (860, 480))
    found[0].close()
    window.open_feature(None)
    window.hide()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--lang", choices=i18n.SUPPORTED, default="fr")
    parser.add_argument("--scale", type=float, default=DEMO_SCALE, help="taille du groupe de démonstration")
    args = parser.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="coffreo-screens-") as tmp:
        os.environ["COFFREO_DESKTOP_HOME"] = tmp
        keyring.set_keyring(_MemoryKeyring())
        from coffreo_desktop.embedded import EmbeddedServer

        server = EmbeddedServer(Path(tmp) / "serveur", demo=True, demo_scale=args.scale)
        url = server.start(timeout=300)
        try:
            app = create_application(sys.argv[:1])
            i18n.install_translators(app, args.lang)
            theme.install(app, Qt.ColorScheme.Light)
            loop = qasync.QEventLoop(app)
            asyncio.set_event_loop(loop)
            with loop:
                files = loop.run_until_complete(render_all(args.outdir, url, server.demo_accounts))
        finally:
            server.stop()
    print(f"{len(files)} captures dans {args.outdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
