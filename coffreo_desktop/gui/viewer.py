"""The in-app PDF viewer (PRODUCT.md F2.5): pages, zoom, fit width, navigation, save a copy, print, and a
banner with the signature check of :mod:`coffreo_desktop.client.signatures`, run in the background."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPainter, QResizeEvent, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSpinBox,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from coffreo_desktop.client.signatures import SignatureReport, check_signatures
from coffreo_desktop.gui import theme
from coffreo_desktop.gui.signature_banner import SignatureBanner, banner_for
from coffreo_desktop.gui.tasks import Lane, Task

log = logging.getLogger(__name__)

Checker = Callable[[bytes, Sequence[bytes]], SignatureReport]
ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
#: Pages are rendered for the printer at no more than this: enough for text, light on memory.
PRINT_DPI = 300
VIEW_PAGE, MESSAGE_PAGE = 0, 1


class DocumentViewer(QWidget):
    """An embeddable PDF viewer fed from memory, with its toolbar, its shortcuts and the signature banner."""

    documentChanged = Signal(str)  # title, "" when cleared
    signatureChecked = Signal(object)  # the SignatureReport of the document shown

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        trust_roots: Sequence[bytes] = (),
        checker: Checker | None = None,
    ) -> None:
        super().__init__(parent)
        self.trust_roots: Sequence[bytes] = trust_roots
        self._checker: Checker = checker or check_signatures
        self._data = b""
        self._file_name = ""
        self._title = ""
        self._required_label: str | None = None
        self._generation = 0  # bumped per document: a late check result for an older one is dropped
        self._check: Task[SignatureReport] | None = None
        self.signature_report: SignatureReport | None = None
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None  # QPdfDocument reads from it lazily: it lives as long
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.navigator = self.view.pageNavigator()
        self.message = QLabel(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.message)
        self.banner = SignatureBanner(self)
        self.toolbar = QToolBar(self)
        self.toolbar.setIconSize(QSize(20, 20))
        self._icons: list[tuple[QAction, str]] = []
        self._build_actions()
        theme.on_theme_changed(self._refresh_icons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        self.navigator.currentPageChanged.connect(self._page_changed)
        self.view.zoomFactorChanged.connect(self._update_zoom_label)
        self.view.zoomModeChanged.connect(self._update_zoom_label)
        self.clear()

    def _action(self, icon: str, text: str, slot: Callable[[], object], *keys: str) -> QAction:
        action = QAction(theme.icon(icon), text, self)
        self._icons.append((action, icon))
        action.setShortcuts([QKeySequence(key) for key in keys])
        # Only while the viewer has the focus: the host window keeps its own Ctrl+S, Ctrl+P...
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{text} ({shortcut})" if shortcut else text)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.previous_action = self._action(
            "previous", self.tr("Page précédente"), self.previous_page, "PgUp"
        )
        self.next_action = self._action("next", self.tr("Page suivante"), self.next_page, "PgDown")
        self.page_spin = QSpinBox(self)
        self.page_spin.setKeyboardTracking(False)
        self.page_spin.setAccessibleName(self.tr("Numéro de page"))
        self.page_spin.valueChanged.connect(lambda number: self.go_to_page(number - 1))
        self.page_count_label = QLabel(self)
        self.zoom_out_action = self._action("zoom_out", self.tr("Zoom arrière"), self.zoom_out, "Ctrl+-")
        self.zoom_in_action = self._action("zoom_in", self.tr("Zoom avant"), self.zoom_in, "Ctrl++", "Ctrl+=")
        self.zoom_label = QLabel(self)
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fit_width_action = self._action(
            "fit_width", self.tr("Ajuster à la largeur"), lambda: None, "Ctrl+0"
        )
        self.fit_width_action.setCheckable(True)
        self.fit_width_action.toggled.connect(self.set_fit_width)
        self.save_action = self._action("save", self.tr("Enregistrer une copie"), self.save_copy, "Ctrl+S")
        self.print_action = self._action("print", self.tr("Imprimer"), self.print_document, "Ctrl+P")
        for item in (
            *(self.previous_action, self.next_action, self.page_spin, self.page_count_label, None),
            *(self.zoom_out_action, self.zoom_label, self.zoom_in_action, self.fit_width_action, None),
            *(self.save_action, self.print_action),
        ):
            if item is None:
                self.toolbar.addSeparator()
            elif isinstance(item, QAction):
                self.toolbar.addAction(item)
            else:
                self.toolbar.addWidget(item)

    def _refresh_icons(self, _dark: bool) -> None:
        for action, name in self._icons:
            action.setIcon(theme.icon(name))

    # ---- documents ---------------------------------------------------------------------------------
    def show_document(
        self, data: bytes, *, title: str, file_name: str, signature_state_label: str | None = None
    ) -> None:
        """Show a PDF held in memory. ``signature_state_label``: the list's signature state ("Signé",
        "Non signé"), or None when the document needs no signature (then an unsigned file shows no banner)."""
        self._reset()
        self._data, self._title, self._file_name = bytes(data), title, file_name
        self._required_label = signature_state_label
        buffer = QBuffer(self)
        buffer.setData(QByteArray(self._data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._buffer = buffer
        self.document.load(buffer)  # synchronous for a random-access device
        if self.document.status() != QPdfDocument.Status.Ready:
            locked = self.document.error() == QPdfDocument.Error.IncorrectPassword
            self.show_error(
                self.tr("Ce document est protégé par un mot de passe et ne peut pas être affiché.")
                if locked
                else self.tr("Ce document est illisible.")
            )
            return
        self.stack.setCurrentIndex(VIEW_PAGE)
        self.page_spin.setRange(1, self.document.pageCount())
        self.page_count_label.setText(self.tr("/ {count}").format(count=self.document.pageCount()))
        self.fit_width_action.setChecked(True)
        self.set_fit_width(True)
        self._set_enabled(True)
        self.go_to_page(0)  # after enabling: it greys out "previous" on the first page
        self.documentChanged.emit(title)
        self._start_signature_check()

    def show_error(self, message: str) -> None:
        """A document that cannot be shown: the French reason in place of the pages."""
        self._reset()
        self._set_message(message, "error")
        self.stack.setCurrentIndex(MESSAGE_PAGE)
        self.documentChanged.emit(self._title)

    def clear(self) -> None:
        self._reset()
        self._title = ""
        self._set_message(self.tr("Aucun document"), "muted")
        self.stack.setCurrentIndex(MESSAGE_PAGE)
        self.documentChanged.emit("")

    def _set_message(self, text: str, role: str) -> None:
        self.message.setText(text)
        self.message.setProperty("role", role)
        self.message.style().polish(self.message)  # the stylesheet styles by role

    def _reset(self) -> None:
        self._generation += 1
        if self._check is not None:
            self._check.cancel()
            self._check = None
        self.signature_report = None
        self.banner.hide()
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None
        self._data = b""
        self._set_enabled(False)
        self.page_spin.setRange(0, 0)
        self.page_count_label.clear()
        self._update_zoom_label()

    def _set_enabled(self, enabled: bool) -> None:
        for action in (self.zoom_in_action, self.zoom_out_action, self.fit_width_action, self.save_action):
            action.setEnabled(enabled)
        for widget in (self.previous_action, self.next_action, self.page_spin, self.print_action):
            widget.setEnabled(enabled)

    @property
    def data(self) -> bytes:
        return self._data

    @property
    def title(self) -> str:
        return self._title

    # ---- signatures --------------------------------------------------------------------------------
    def _start_signature_check(self) -> None:
        generation = self._generation
        # A cheap guess: a signed PDF always holds a /ByteRange in clear (it cannot sit in an object stream).
        if b"/ByteRange" in self._data or self._required_label is not None:
            self.banner.show_message("neutral", self.tr("Vérification des signatures…"))
        self._check = (
            Task(self, partial(self._checker, self._data, tuple(self.trust_roots)), lane=Lane.NETWORK)
            .on_success(lambda report: self._signature_checked(generation, report))
            .on_failure(lambda exc: self._signature_check_failed(generation, exc))
            .run()
        )

    def _signature_checked(self, generation: int, report: SignatureReport) -> None:
        if generation != self._generation:
            log.debug("signature check of a previous document dropped")
            return
        self._check = None
        self.signature_report = report
        banner = banner_for(report, self._required_label)
        if banner is None:
            self.banner.hide()
        else:
            self.banner.show_message(*banner)
        self.signatureChecked.emit(report)

    def _signature_check_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            log.warning("signature check failed: %s", type(exc).__name__)
            self._check = None
            self.banner.show_message("warning", self.tr("Les signatures n'ont pas pu être vérifiées."))

    # ---- pages and zoom ----------------------------------------------------------------------------
    @property
    def current_page(self) -> int:
        return self.navigator.currentPage()

    def go_to_page(self, index: int) -> None:
        count = self.document.pageCount()
        if count == 0:
            return
        index = max(0, min(index, count - 1))
        self.navigator.jump(index, QPointF(), self.navigator.currentZoom())
        self._page_changed(index)

    def next_page(self) -> None:
        self.go_to_page(self.current_page + 1)

    def previous_page(self) -> None:
        self.go_to_page(self.current_page - 1)

    def _page_changed(self, index: int) -> None:
        count = self.document.pageCount()
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(index + 1)
        self.page_spin.blockSignals(False)
        self.previous_action.setEnabled(count > 0 and index > 0)
        self.next_action.setEnabled(count > 0 and index < count - 1)

    def effective_zoom(self) -> float:
        """The zoom shown, also in fit-width mode (where QPdfView keeps its last custom factor)."""
        if self.view.zoomMode() != QPdfView.ZoomMode.FitToWidth or self.document.pageCount() == 0:
            return float(self.view.zoomFactor())
        widest = max(self.document.pagePointSize(page).width() for page in range(self.document.pageCount()))
        margins = self.view.documentMargins()
        available = self.view.viewport().width() - margins.left() - margins.right()
        # QPdfView maps one point to logical DPI / 72 pixels at zoom 1.
        return max(available, 1) / (widest * self.view.logicalDpiY() / 72.0)

    def set_zoom(self, factor: float) -> None:
        self.fit_width_action.blockSignals(True)
        self.fit_width_action.setChecked(False)
        self.fit_width_action.blockSignals(False)
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_STEPS[0], min(factor, ZOOM_STEPS[-1])))
        self._update_zoom_label()

    def zoom_in(self) -> None:
        current = self.effective_zoom()
        self.set_zoom(next((step for step in ZOOM_STEPS if step > current * 1.01), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        current = self.effective_zoom()
        self.set_zoom(next((step for step in reversed(ZOOM_STEPS) if step < current / 1.01), ZOOM_STEPS[0]))

    def set_fit_width(self, fit: bool) -> None:
        if fit:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth:
            self.set_zoom(self.effective_zoom())
        self._update_zoom_label()

    def _update_zoom_label(self, *_: object) -> None:
        shown = self.document.pageCount() > 0
        self.zoom_label.setText(f"{round(self.effective_zoom() * 100)} %" if shown else "")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_zoom_label()  # fit width follows the window

    # ---- save and print ----------------------------------------------------------------------------
    def save_copy(self) -> None:
        if not self._data:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Enregistrer une copie"), str(Path(folder) / (self._file_name or "document.pdf")),
            self.tr("Documents PDF (*.pdf)"),
        )  # fmt: skip
        if path:
            self.save_copy_to(Path(path))

    def save_copy_to(self, path: Path) -> bool:
        """Write the bytes as received (signatures stay valid); a French message when that fails."""
        tmp_name: str | None = None
        try:
            # A temporary file then a rename: a full disk never leaves a truncated PDF behind.
            with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".coffreo-", delete=False) as tmp:
                tmp_name = tmp.name
                tmp.write(self._data)
            os.replace(tmp_name, path)
        except OSError as exc:
            if tmp_name is not None:
                Path(tmp_name).unlink(missing_ok=True)
            log.warning("copy not saved: %s", type(exc).__name__)
            QMessageBox.warning(
                self, self.tr("Enregistrer une copie"),
                self.tr("La copie n'a pas pu être enregistrée : {reason}").format(reason=exc.strerror or exc),
            )  # fmt: skip
            return False
        return True

    def print_document(self) -> None:
        if self.document.pageCount() == 0:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._file_name or self._title)
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, self.document.pageCount())
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        """Render each chosen page into the printer, scaled to fit its printable area."""
        count = self.document.pageCount()
        first, last = printer.fromPage(), printer.toPage()
        if first == 0:
            first, last = 1, count
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, self.tr("Imprimer"), self.tr("L'imprimante n'est pas disponible."))
            return False
        try:
            area = printer.pageLayout().paintRectPixels(printer.resolution())
            dpi = min(printer.resolution(), PRINT_DPI)
            for number, page in enumerate(range(first - 1, min(last, count))):
                if number and not printer.newPage():
                    return False
                points = self.document.pagePointSize(page)
                scale = min(area.width() / points.width(), area.height() / points.height())
                image = self.document.render(
                    page, QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
                )
                width, height = points.width() * scale, points.height() * scale
                target = QRectF((area.width() - width) / 2, (area.height() - height) / 2, width, height)
                painter.drawImage(target, image)
        finally:
            painter.end()
        return True


class ViewerWindow(QMainWindow):
    """A top-level window around a :class:`DocumentViewer`; Esc closes it, its geometry is kept."""

    def __init__(self, parent: QWidget | None = None, *, trust_roots: Sequence[bytes] = ()) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("ViewerWindow")
        self.viewer = DocumentViewer(self, trust_roots=trust_roots)
        self.setCentralWidget(self.viewer)
        self.viewer.documentChanged.connect(self._retitle)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self.resize(900, 1000)
        self._restore_geometry()
        self._retitle("")

    def show_document(
        self, data: bytes, *, title: str, file_name: str, signature_state_label: str | None = None
    ) -> None:
        self.viewer.show_document(
            data, title=title, file_name=file_name, signature_state_label=signature_state_label
        )
        self.viewer.view.setFocus()

    def show_error(self, message: str) -> None:
        self.viewer.show_error(message)

    def clear(self) -> None:
        self.viewer.clear()

    def _retitle(self, title: str) -> None:
        self.setWindowTitle(self.tr("{title} — Coffreo").format(title=title) if title else "Coffreo")

    def _restore_geometry(self) -> None:
        from coffreo_desktop.gui.main_window import window_settings

        geometry = window_settings().value("viewer/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QCloseEvent) -> None:
        from coffreo_desktop.gui.main_window import window_settings

        window_settings().setValue("viewer/geometry", self.saveGeometry())
        self.viewer.clear()  # frees the document and drops a check still running
        super().closeEvent(event)
