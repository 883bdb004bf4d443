"""The in-app viewer (F2.5): pages, zoom, fit width, save a copy, print, and the signature banner fed by
a background check on real PDFs sealed and signed in the test."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from pyhanko.sign.fields import MDPPerm
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from coffreo_desktop.client.signatures import CheckState, SignatureReport, check_signatures
from coffreo_desktop.gui.viewer import DocumentViewer, ViewerWindow
from tests import pdf_signing
from tests.pdf_signing import SigningIdentity

WAIT_MS = 15_000


@pytest.fixture(scope="module")
def agency() -> SigningIdentity:
    return pdf_signing.make_identity("Marie Martin", "Agence Lyon Intérim")


@pytest.fixture(scope="module")
def sealed(agency: SigningIdentity) -> bytes:
    return pdf_signing.certify(pdf_signing.make_pdf(3, "Document protégé"), agency, MDPPerm.NO_CHANGES)


@pytest.fixture
def viewer(qtbot: QtBot, agency: SigningIdentity) -> DocumentViewer:
    widget = DocumentViewer(trust_roots=[agency.certificate_der])
    qtbot.addWidget(widget)
    widget.resize(800, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def show_and_check(
    qtbot: QtBot, viewer: DocumentViewer, data: bytes, label: str | None = None
) -> SignatureReport:
    with qtbot.waitSignal(viewer.signatureChecked, timeout=WAIT_MS) as checked:
        viewer.show_document(
            data, title="Bulletin de mars", file_name="bulletin.pdf", signature_state_label=label
        )
    report = checked.args[0]
    assert isinstance(report, SignatureReport)
    return report


def test_pages_are_counted_and_navigated_with_keys_buttons_and_spin_box(
    qtbot: QtBot, viewer: DocumentViewer
) -> None:
    show_and_check(qtbot, viewer, pdf_signing.make_pdf(5))
    assert viewer.page_count_label.text() == "/ 5"
    assert viewer.current_page == 0 and viewer.page_spin.value() == 1
    assert not viewer.previous_action.isEnabled() and viewer.next_action.isEnabled()
    viewer.next_action.trigger()
    qtbot.waitUntil(lambda: viewer.current_page == 1)
    viewer.view.setFocus()
    qtbot.keyClick(viewer.view, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: viewer.current_page == 2)
    assert viewer.page_spin.value() == 3
    qtbot.keyClick(viewer.view, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: viewer.current_page == 1)
    viewer.page_spin.setValue(5)
    qtbot.waitUntil(lambda: viewer.current_page == 4)
    assert not viewer.next_action.isEnabled()
    viewer.next_page()  # past the end: stays on the last page
    assert viewer.current_page == 4


def test_zoom_in_and_out_leave_fit_width_and_ctrl_0_comes_back(qtbot: QtBot, viewer: DocumentViewer) -> None:
    show_and_check(qtbot, viewer, pdf_signing.make_pdf(2))
    assert viewer.fit_width_action.isChecked()
    assert viewer.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    fitted = viewer.effective_zoom()
    viewer.view.setFocus()
    qtbot.keyClick(viewer.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert viewer.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert not viewer.fit_width_action.isChecked()
    zoomed = viewer.view.zoomFactor()
    assert zoomed > fitted
    assert viewer.zoom_label.text() == f"{round(zoomed * 100)} %"
    qtbot.keyClick(viewer.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(viewer.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert viewer.view.zoomFactor() < zoomed
    qtbot.keyClick(viewer.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert viewer.fit_width_action.isChecked()
    assert viewer.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert viewer.effective_zoom() == pytest.approx(fitted)
    for _ in range(30):
        viewer.zoom_out()
    assert viewer.view.zoomFactor() == pytest.approx(0.25)


def test_save_a_copy_writes_the_bytes_received(
    qtbot: QtBot, viewer: DocumentViewer, sealed: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    show_and_check(qtbot, viewer, sealed)
    target = tmp_path / "copie.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "PDF"))
    viewer.view.setFocus()
    qtbot.keyClick(viewer.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert target.read_bytes() == sealed  # byte for byte: the seal stays valid in the copy
    assert [p.name for p in tmp_path.iterdir()] == ["copie.pdf"]


def test_failed_save_says_why_in_french(
    qtbot: QtBot, viewer: DocumentViewer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    show_and_check(qtbot, viewer, pdf_signing.make_pdf(1))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    assert not viewer.save_copy_to(tmp_path / "absent" / "copie.pdf")
    assert len(warnings) == 1 and warnings[0].startswith("La copie n'a pas pu être enregistrée : ")


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_print_renders_every_page(qtbot: QtBot, viewer: DocumentViewer, tmp_path: Path) -> None:
    show_and_check(qtbot, viewer, pdf_signing.make_pdf(4))
    out = tmp_path / "impression.pdf"
    assert viewer.print_to(_pdf_printer(out))
    printed = PdfReader(out)
    assert len(printed.pages) == 4
    assert printed.pages[0].images, "each page is printed as its rendered image"


def test_print_shortcut_goes_through_the_dialog_and_honours_the_page_range(
    qtbot: QtBot, viewer: DocumentViewer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    show_and_check(qtbot, viewer, pdf_signing.make_pdf(4))
    out = tmp_path / "pages-2-3.pdf"

    def accept(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setFromTo(2, 3)
        return int(QPrintDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    viewer.view.setFocus()
    qtbot.keyClick(viewer.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert len(PdfReader(out).pages) == 2


def test_trusted_intact_seal_shows_a_green_banner(
    qtbot: QtBot, viewer: DocumentViewer, sealed: bytes
) -> None:
    report = show_and_check(qtbot, viewer, sealed)
    assert report.state is CheckState.VALID
    assert viewer.banner.isVisible() and viewer.banner.tone == "valid"
    assert viewer.banner.summary.text() == "Cachet valide."
    assert not viewer.banner.details.isVisible()
    viewer.banner.toggle.click()
    assert viewer.banner.details.isVisible()
    assert "Cachet de certification apposé par Marie Martin" in viewer.banner.details.text()


def test_seal_from_an_unknown_authority_is_orange(qtbot: QtBot, sealed: bytes) -> None:
    viewer = DocumentViewer()  # no trust root
    qtbot.addWidget(viewer)
    viewer.show()
    report = show_and_check(qtbot, viewer, sealed)
    assert report.state is CheckState.UNTRUSTED
    assert viewer.banner.tone == "warning"


@pytest.mark.parametrize("damage", ["flip", "append"])
def test_tampered_or_changed_file_shows_a_red_banner(
    qtbot: QtBot, viewer: DocumentViewer, sealed: bytes, damage: str
) -> None:
    if damage == "flip":
        data = pdf_signing.flip_byte(sealed, pdf_signing.signed_range_offset(sealed))
    else:
        data = pdf_signing.append_page(sealed)
    report = show_and_check(qtbot, viewer, data)
    assert report.state is (CheckState.INVALID if damage == "flip" else CheckState.CHANGED)
    assert viewer.banner.isVisible() and viewer.banner.tone == "danger"


def test_unsigned_document_needing_no_signature_has_no_banner(qtbot: QtBot, viewer: DocumentViewer) -> None:
    report = show_and_check(qtbot, viewer, pdf_signing.make_pdf(1))
    assert report.state is CheckState.NONE
    assert not viewer.banner.isVisible()


def test_unsigned_document_that_should_be_signed_says_so(qtbot: QtBot, viewer: DocumentViewer) -> None:
    show_and_check(qtbot, viewer, pdf_signing.make_pdf(1), label="Non signé")
    assert viewer.banner.isVisible() and viewer.banner.tone == "neutral"
    assert viewer.banner.summary.text() == "Ce document ne porte aucune signature électronique."
    assert "État dans Coffreo : Non signé" in viewer.banner.details.text()


class GatedChecker:
    """A signature check that waits for the test's go-ahead on chosen documents."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.gated: set[bytes] = set()
        self.finished: list[bytes] = []  # the documents whose check returned, in order

    def __call__(self, data: bytes, roots: Sequence[bytes]) -> SignatureReport:
        if data in self.gated:
            self.gate.wait(WAIT_MS / 1000)
        report = check_signatures(data, roots)
        self.finished.append(data)
        return report


def test_banner_says_checking_until_the_result_arrives(
    qtbot: QtBot, sealed: bytes, agency: SigningIdentity
) -> None:
    checker = GatedChecker()
    checker.gated.add(sealed)
    viewer = DocumentViewer(trust_roots=[agency.certificate_der], checker=checker)
    qtbot.addWidget(viewer)
    viewer.show()
    viewer.show_document(sealed, title="Contrat", file_name="contrat.pdf")
    assert viewer.banner.isVisible() and viewer.banner.summary.text() == "Vérification des signatures…"
    with qtbot.waitSignal(viewer.signatureChecked, timeout=WAIT_MS):
        checker.gate.set()
    assert viewer.banner.tone == "valid"


def test_late_result_for_a_previous_document_is_ignored(
    qtbot: QtBot, sealed: bytes, agency: SigningIdentity
) -> None:
    checker = GatedChecker()
    tampered = pdf_signing.flip_byte(sealed, pdf_signing.signed_range_offset(sealed))
    checker.gated.add(tampered)
    viewer = DocumentViewer(trust_roots=[agency.certificate_der], checker=checker)
    qtbot.addWidget(viewer)
    viewer.show()
    viewer.show_document(tampered, title="Ancien", file_name="ancien.pdf")
    report = show_and_check(qtbot, viewer, sealed)  # the second document is checked first
    assert report.state is CheckState.VALID
    checker.gate.set()  # now the first document's check finishes
    qtbot.waitUntil(lambda: tampered in checker.finished, timeout=WAIT_MS)
    qtbot.wait(200)  # its result reaches the UI thread (and is dropped)
    assert viewer.signature_report is report
    assert viewer.banner.tone == "valid"


def test_unreadable_document_shows_a_french_error(qtbot: QtBot, viewer: DocumentViewer) -> None:
    viewer.show_document(b"ceci n'est pas un PDF", title="Cassé", file_name="casse.pdf")
    assert viewer.stack.currentWidget() is viewer.message
    assert viewer.message.text() == "Ce document est illisible."
    assert not viewer.save_action.isEnabled() and not viewer.print_action.isEnabled()
    assert not viewer.banner.isVisible()
    viewer.clear()
    assert viewer.message.text() == "Aucun document" and viewer.data == b""


def test_window_titles_itself_and_escape_closes_it(qtbot: QtBot, sealed: bytes) -> None:
    window = ViewerWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.viewer.signatureChecked, timeout=WAIT_MS):
        window.show_document(sealed, title="Contrat de mission", file_name="contrat.pdf")
    assert window.windowTitle() == "Contrat de mission — Coffreo"
    qtbot.keyClick(window.viewer.view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert window.viewer.data == b""  # closing frees the document


def test_rendered_viewer_screenshot(qtbot: QtBot, sealed: bytes, agency: SigningIdentity) -> None:
    """Renders the viewer to /tmp/viewer.png for a person to look at; checks the page is painted."""
    window = ViewerWindow(trust_roots=[agency.certificate_der])
    qtbot.addWidget(window)
    window.resize(820, 900)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.viewer.signatureChecked, timeout=WAIT_MS):
        window.show_document(sealed, title="Document protégé", file_name="protege.pdf")
    window.viewer.banner.toggle.click()
    qtbot.wait(800)  # QPdfView renders pages in the background
    image = window.grab().toImage()
    image.save("/tmp/viewer.png")
    view = window.viewer.view
    corner = view.mapTo(window, view.viewport().geometry().center())
    dark_pixels = sum(
        1
        for x in range(corner.x() - 300, corner.x() + 300, 3)
        for y in range(view.mapTo(window, view.rect().topLeft()).y(), corner.y(), 3)
        if image.pixelColor(x, y).lightness() < 100
    )
    assert dark_pixels > 50, "the page text should be painted"
