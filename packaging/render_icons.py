"""Render the application icon (resources/icons/millwatch.svg) to PNGs and a Windows .ico with Qt.

    python packaging/render_icons.py OUT_DIR [--svg FILE]

Writes OUT_DIR/hicolor/<N>x<N>/apps/millwatch.png for the desktop icon theme (48, 128, 256 and
the small sizes menus use), OUT_DIR/hicolor/scalable/apps/millwatch.svg, and OUT_DIR/millwatch.ico
for the Windows executable. Runs offscreen (no display needed); exits 1 if a render is blank.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 24, 32, 48, 64, 128, 256)
DEFAULT_SVG = Path(__file__).resolve().parent.parent / "resources" / "icons" / "millwatch.svg"


def render(svg: Path, size: int) -> QImage:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def opaque_fraction(image: QImage) -> float:
    """Share of pixels that are mostly opaque (a blank render gives 0)."""
    w, h = image.width(), image.height()
    step = max(1, w // 64)
    total = opaque = 0
    for y in range(0, h, step):
        for x in range(0, w, step):
            total += 1
            opaque += image.pixelColor(x, y).alpha() > 200
    return opaque / total if total else 0.0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("--svg", type=Path, default=DEFAULT_SVG)
    args = p.parse_args(argv)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - QPainter needs it
    out: Path = args.out
    for size in SIZES:
        image = render(args.svg, size)
        if opaque_fraction(image) < 0.5:
            print(f"render_icons: {size}px render of {args.svg} is blank", file=sys.stderr)
            return 1
        target = out / "hicolor" / f"{size}x{size}" / "apps" / "millwatch.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            print(f"render_icons: cannot write {target}", file=sys.stderr)
            return 1
    scalable = out / "hicolor" / "scalable" / "apps" / "millwatch.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(args.svg, scalable)
    ico = out / "millwatch.ico"
    if not render(args.svg, 256).save(str(ico), "ICO"):
        print(f"render_icons: cannot write {ico} (Qt's ico image plugin missing?)", file=sys.stderr)
        return 1
    print(f"render_icons: {len(SIZES)} PNGs, SVG and ICO in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
