"""Render packaging/icons/coffreo.svg into the platform icons PyInstaller needs: .png, .ico, .icns.

    python packaging/icons/make_icons.py        (needs PySide6 and Pillow; runs headless)

Qt's SVG renderer draws the master at 1024 px; Pillow downsamples it and writes the multi-size .ico
(Windows) and .icns (macOS). The outputs are committed, so a build needs to run this only after the SVG
changes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Before any Qt import: no display is needed to rasterise an SVG.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "coffreo.svg"
MASTER_SIZE = 1024
PNG_SIZE = 512
# Windows picks the nearest size for the task bar, Explorer views and Alt-Tab: give it each one.
ICO_SIZES = [16, 20, 24, 32, 40, 48, 64, 96, 128, 256]
ICNS_SIZES = [16, 32, 64, 128, 256, 512, 1024]


def render_svg(svg: Path, size: int) -> Image.Image:
    """The SVG drawn by Qt on a transparent ``size`` x ``size`` canvas, as a Pillow RGBA image."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"SVG illisible : {svg}")
    image = QImage(size, size, QImage.Format.Format_RGBA8888)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    # Format_RGBA8888 is non-premultiplied and byte-ordered R, G, B, A: exactly Pillow's "RGBA".
    data = bytes(image.constBits())
    return Image.frombuffer("RGBA", (size, size), data, "raw", "RGBA", image.bytesPerLine(), 1).copy()


def write_icons(svg: Path = SOURCE, out_dir: Path = HERE) -> list[Path]:
    """Write coffreo.png (512 px), coffreo.ico and coffreo.icns next to the SVG; returns their paths."""
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # QPainter needs one
    master = render_svg(svg, MASTER_SIZE)
    png = out_dir / "coffreo.png"
    master.resize((PNG_SIZE, PNG_SIZE), Image.Resampling.LANCZOS).save(png, optimize=True)
    ico = out_dir / "coffreo.ico"
    master.save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES])
    icns = out_dir / "coffreo.icns"
    master.save(icns, format="ICNS", sizes=[(s, s) for s in ICNS_SIZES])
    del app
    return [png, ico, icns]


def main() -> int:
    for path in write_icons():
        print(f"wrote {path.relative_to(HERE.parent.parent)} ({path.stat().st_size} octets)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
