"""Compile the Qt Designer forms and the translations (STYLE.md points 3 and 6).

    python packaging/build_ui.py             ui/*.ui -> coffreo_desktop/gui/forms/ui_*.py, .ts -> .qm
    python packaging/build_ui.py --update-ts refresh resources/i18n/*.ts from the sources first (lupdate)
    python packaging/build_ui.py --check     exit 1 if a generated file differs from what its source gives

The tools are PySide6's own uic, lupdate and lrelease binaries, found next to the installed PySide6.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import PySide6

ROOT = Path(__file__).resolve().parent.parent
UI_DIR = ROOT / "ui"
FORMS_DIR = ROOT / "coffreo_desktop" / "gui" / "forms"
I18N_DIR = ROOT / "resources" / "i18n"
#: lupdate scans these for tr(), QCoreApplication.translate() and QT_TRANSLATE_NOOP().
LUPDATE_SOURCES = [ROOT / "coffreo_desktop" / "gui", ROOT / "coffreo_desktop" / "domain", UI_DIR]

_PYSIDE_DIR = Path(PySide6.__file__).resolve().parent
# uic's header names the Qt version: ignore it when comparing, so a patch upgrade is not "stale".
_VERSION_MARKER = "Created by: Qt User Interface Compiler"

FORMS_INIT = '"""Forms generated from ui/*.ui by packaging/build_ui.py. Do not edit: edit the .ui file."""\n'


def _tool(name: str) -> Path:
    exe = ".exe" if sys.platform == "win32" else ""
    candidates = [_PYSIDE_DIR / "Qt" / "libexec" / name, _PYSIDE_DIR / f"{name}{exe}", _PYSIDE_DIR / name]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{name} introuvable dans {_PYSIDE_DIR}")


def form_target(ui_file: Path) -> Path:
    return FORMS_DIR / f"ui_{ui_file.stem}.py"


def qm_target(ts_file: Path) -> Path:
    return ts_file.with_suffix(".qm")


def compile_form(ui_file: Path) -> str:
    """The Python source uic generates for ``ui_file``."""
    result = subprocess.run(
        [str(_tool("uic")), "-g", "python", str(ui_file)], check=True, capture_output=True, text=True
    )
    return result.stdout


def compile_translation(ts_file: Path) -> bytes:
    """The .qm bytes lrelease produces for ``ts_file``."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.qm"
        subprocess.run(
            [str(_tool("lrelease")), "-silent", "-nounfinished", str(ts_file), "-qm", str(out)],
            check=True,
            capture_output=True,
        )
        return out.read_bytes()


def update_ts() -> None:
    sources = [str(p) for p in LUPDATE_SOURCES]
    for ts_file in sorted(I18N_DIR.glob("*.ts")):
        subprocess.run(
            [
                str(_tool("lupdate")),
                "-no-obsolete",
                "-locations",
                "none",
                "-extensions",
                "py,ui",
                *sources,
                "-ts",
                str(ts_file),
            ],
            check=True,
        )


def untranslatable_sources() -> list[str]:
    """Source texts the code holds that a .ts file lacks (lupdate has not been run since they were added)."""
    import xml.etree.ElementTree as ET

    missing: list[str] = []
    for ts_file in sorted(I18N_DIR.glob("*.ts")):
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / ts_file.name
            subprocess.run(
                [
                    str(_tool("lupdate")),
                    "-silent",
                    "-locations",
                    "none",
                    "-extensions",
                    "py,ui",
                    *[str(p) for p in LUPDATE_SOURCES],
                    "-ts",
                    str(fresh),
                ],
                check=True,
                capture_output=True,
            )
            wanted = _message_keys(ET.parse(fresh).getroot())
        known = _message_keys(ET.parse(ts_file).getroot())
        missing += [f"{ts_file.name}: [{ctx}] {text}" for ctx, text in sorted(wanted - known)]
    return missing


def _message_keys(root: Any) -> set[tuple[str, str]]:
    return {
        (context.findtext("name") or "", message.findtext("source") or "")
        for context in root.iter("context")
        for message in context.iter("message")
    }


def _same_form(generated: str, existing: str) -> bool:
    def strip(text: str) -> list[str]:
        return [line for line in text.splitlines() if _VERSION_MARKER not in line]

    return strip(generated) == strip(existing)


def stale_outputs() -> list[str]:
    """Generated files that are missing or differ from what their source gives now."""
    stale: list[str] = []
    for ui_file in sorted(UI_DIR.glob("*.ui")):
        target = form_target(ui_file)
        if not target.is_file() or not _same_form(compile_form(ui_file), target.read_text(encoding="utf-8")):
            stale.append(str(target.relative_to(ROOT)))
    for ts_file in sorted(I18N_DIR.glob("*.ts")):
        target = qm_target(ts_file)
        if not target.is_file() or compile_translation(ts_file) != target.read_bytes():
            stale.append(str(target.relative_to(ROOT)))
    return stale


def build() -> list[Path]:
    written: list[Path] = []
    FORMS_DIR.mkdir(parents=True, exist_ok=True)
    init = FORMS_DIR / "__init__.py"
    if not init.is_file() or init.read_text(encoding="utf-8") != FORMS_INIT:
        init.write_text(FORMS_INIT, encoding="utf-8")
    for ui_file in sorted(UI_DIR.glob("*.ui")):
        target = form_target(ui_file)
        target.write_text(compile_form(ui_file), encoding="utf-8")
        written.append(target)
    for ts_file in sorted(I18N_DIR.glob("*.ts")):
        target = qm_target(ts_file)
        target.write_bytes(compile_translation(ts_file))
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update-ts", action="store_true", help="run lupdate over the sources first")
    parser.add_argument("--check", action="store_true", help="only report stale generated files")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_outputs()
        for name in stale:
            print(f"stale: {name}")
        return 1 if stale else 0
    if args.update_ts:
        update_ts()
    for path in build():
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
