"""Generated files match their sources, resources are found, English and dark mode work, arguments parse."""

from __future__ import annotations

import ast
import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from coffreo_desktop.gui import i18n, theme
from coffreo_desktop.gui.app import parse_args
from coffreo_desktop.gui.resources import resource_path, resource_root

ROOT = Path(__file__).resolve().parents[2]
GUI_SOURCES = ROOT / "coffreo_desktop" / "gui"


def _build_ui() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_ui", ROOT / "packaging" / "build_ui.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_compiled_form_and_translation_is_up_to_date() -> None:
    build_ui = _build_ui()
    ui_files = sorted((ROOT / "ui").glob("*.ui"))
    assert ui_files, "no Qt Designer form found"
    assert build_ui.stale_outputs() == [], "run: python packaging/build_ui.py"


def test_no_form_is_loaded_at_run_time() -> None:
    offenders = [p.name for p in GUI_SOURCES.rglob("*.py") if "loadUiType" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_resource_locator_finds_icons_in_both_variants() -> None:
    assert (resource_root() / "style.qss").is_file()
    light = {p.name for p in resource_path("icons/light").glob("*.svg")}
    dark = {p.name for p in resource_path("icons/dark").glob("*.svg")}
    assert light == dark
    needed = {
        "home",
        "documents",
        "send",
        "campaign",
        "timesheet",
        "advance",
        "clients",
        "employees",
        "rights",
        "logout",
        "contact",
        "online",
        "offline",
        "logo",
    }
    assert {f"{name}.svg" for name in needed} <= light
    for path in resource_path("icons/light").glob("*.svg"):
        ET.parse(path)  # well-formed


def test_every_french_string_has_an_english_translation() -> None:
    tree = ET.parse(resource_path("i18n/coffreo_en.ts"))
    messages = tree.getroot().iter("message")
    untranslated = []
    for message in messages:
        translation = message.find("translation")
        assert translation is not None
        if (
            translation.get("type") in ("unfinished", "vanished", "obsolete")
            or not (translation.text or "").strip()
        ):
            untranslated.append(message.findtext("source"))
    assert untranslated == []


def test_translation_file_holds_every_string_of_the_code() -> None:
    assert _build_ui().untranslatable_sources() == [], (
        "run: python packaging/build_ui.py --update-ts, then translate"
    )


def test_no_text_reaches_translate_through_a_helper_that_hides_it_from_lupdate() -> None:
    """lupdate reads ``tr("…")``, ``translate("Contexte", "…")`` and ``QT_TRANSLATE_NOOP``: a literal
    handed to a module's own ``_tr`` helper is never extracted, so it would stay French in English."""
    hidden = []
    for path in sorted((ROOT / "coffreo_desktop").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert hidden == [], 'write translate("Contexte", "…") (gui/i18n.py) instead'


def test_english_translation_is_used_when_asked(qapp: QApplication) -> None:
    try:
        assert i18n.install_translators(qapp, "en") == "en"
        assert QCoreApplication.translate("LoginDialog", "Se connecter") == "Log in"
        assert QCoreApplication.translate("domain", "Droits et accès") == "Rights and access"
    finally:
        i18n.install_translators(qapp, "fr")
    assert QCoreApplication.translate("LoginDialog", "Se connecter") == "Se connecter"


def test_language_follows_the_option_then_the_system() -> None:
    from PySide6.QtCore import QLocale

    assert i18n.choose_language("en", None, QLocale(QLocale.Language.French)) == "en"
    assert i18n.choose_language(None, None, QLocale(QLocale.Language.French)) == "fr"
    assert i18n.choose_language(None, None, QLocale(QLocale.Language.German)) == "en"


def test_dark_scheme_switches_stylesheet_palette_and_icons(qapp: QApplication) -> None:
    installed = theme.install(qapp, Qt.ColorScheme.Dark)
    try:
        assert installed.dark and theme.is_dark()
        assert theme.DARK["window"] in qapp.styleSheet()
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 128
        installed.force(Qt.ColorScheme.Light)
        assert not theme.is_dark()
        assert theme.LIGHT["window"] in qapp.styleSheet()
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 128
    finally:
        qapp.setStyleSheet("")
        theme._current = None


def test_command_line_options() -> None:
    args = parse_args(["--demo", "--lang", "en", "--reset-session"])
    assert args.demo and args.lang == "en" and args.reset_session
    assert parse_args(["--server", "https://coffreo.exemple.fr"]).server == "https://coffreo.exemple.fr"
    with pytest.raises(SystemExit):
        parse_args(["--demo", "--server", "https://x.example"])  # one place at a time
