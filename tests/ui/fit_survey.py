"""Walks every screen of the real demo app at given window sizes and reports what does not fit: a
button, combo box or single-line label narrower than its text asks, two widgets of one layout on top
of each other (a layout squeezed below its minimum overlaps them), or a widget of a layout reaching
past its parent's edge (cut off there, scroll bar and all).

Run as a script (the fit test does, in a subprocess: the app is the real one, on the demo plant):

    python tests/ui/fit_survey.py --language nl --sizes 1024x700,1280x720 --shots DIR

It starts `millwatch --demo` signed in as the demo admin (every screen), and just before the app
would save its screenshot, resizes the window to each size, opens each screen, saves a picture of it
in DIR and checks it. The last line printed is JSON: {"WxH screen": ["what does not fit", ...]},
only entries with findings.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ELIDED_ROOM = 200  # px a label that elides (the banner's alarm source) gets at least, when its text is longer
SCREENS = ("overview", "sensors", "alarms", "journal", "trends", "schematics", "users", "audit",
           "configuration", "tools")


def show_sized(qtbot, widget, size: tuple[int, int], minimum: tuple[int, int],  # type: ignore[no-untyped-def]
               maximum: tuple[int, int] = (16000, 16000)) -> None:
    """Show `widget` as a window of `size` inside fixed limits (a shown top-level window must not change
    them: the layouts then fit the widget, not the widget its layouts), and wait until it is exposed."""
    widget.setMinimumSize(*minimum)
    widget.setMaximumSize(*maximum)
    widget.resize(*size)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)


def findings(window) -> list[str]:  # type: ignore[no-untyped-def]
    """What does not fit in `window` as it is shown now."""
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLayout, QStyle, QStyleOptionComboBox, QWidget

    out: list[str] = []

    def name(w: QWidget) -> str:
        text = w.currentText() if isinstance(w, QComboBox) else getattr(w, "text", lambda: "")()
        return f"{type(w).__name__} {w.objectName() or '?'} {text[:48]!r}"

    def needed(w: QWidget) -> int | None:
        if isinstance(w, QComboBox):
            opt = QStyleOptionComboBox()
            w.initStyleOption(opt)
            text = QSize(w.fontMetrics().horizontalAdvance(w.currentText()), w.fontMetrics().height())
            return w.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, opt, text, w).width()
        if isinstance(w, QAbstractButton) and w.text():
            return w.sizeHint().width()
        if isinstance(w, QLabel) and w.text() and not w.wordWrap() and w.pixmap().isNull():
            if w.sizePolicy().horizontalPolicy().name == "Ignored":  # elides its text on purpose...
                full = getattr(w, "full_text", None)  # ...but must keep room to say something
                return min(w.fontMetrics().horizontalAdvance(full()), ELIDED_ROOM) if full is not None else None
            return w.sizeHint().width()
        return None

    def managed(lay: QLayout) -> list[QWidget]:
        """The widgets `lay` places, its nested layouts' included."""
        widgets: list[QWidget] = []
        for i in range(lay.count()):
            item = lay.itemAt(i)
            if item.widget() is not None:
                widgets.append(item.widget())
            elif item.layout() is not None:
                widgets += managed(item.layout())
        return widgets

    for w in window.findChildren(QWidget):
        if not w.isVisible() or w.window() is not window or w.width() <= 0:
            continue
        want = needed(w)
        if want is not None and w.width() + 1 < want:
            out.append(f"clipped: {name(w)} {w.width()} < {want} px")
        layout = w.layout()
        if layout is None or type(layout).__name__ == "QStackedLayout":
            continue
        shown = [c for c in managed(layout) if c.isVisible() and c.width() > 0 and c.height() > 0]
        for i, a in enumerate(shown):
            if a.x() < -1 or a.geometry().right() > w.width():
                out.append(f"outside: {name(a)} beyond its {type(w).__name__} {w.objectName() or '?'}")
            for b in shown[i + 1:]:
                overlap = a.geometry().intersected(b.geometry())
                if overlap.width() > 1 and overlap.height() > 1:
                    out.append(f"overlap: {name(a)} and {name(b)} ({overlap.width()} px)")
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--language", default="en")
    ap.add_argument("--sizes", default="1024x700,1280x720")
    ap.add_argument("--screens", default=",".join(SCREENS))
    ap.add_argument("--shots", type=Path, required=True)
    args = ap.parse_args()
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    args.shots.mkdir(parents=True, exist_ok=True)

    from PySide6.QtWidgets import QApplication

    import hmi.ui.run as run

    report: dict[str, list[str]] = {}
    finish = run._Finisher.finish

    def survey(self) -> None:  # type: ignore[no-untyped-def]
        w = self.window
        try:
            for width, height in sizes:
                w.setMinimumSize(min(width, w.minimumWidth()), min(height, w.minimumHeight()))
                w.resize(width, height)
                for screen in args.screens.split(","):
                    if not w.show_screen_titled(screen):
                        report[f"{width}x{height} {screen}"] = ["no such screen"]
                        continue
                    for _ in range(20):
                        QApplication.processEvents()
                    w.grab().save(str(args.shots / f"fit_{args.language}_{width}x{height}_{screen}.png"))
                    found = findings(w)
                    if found:
                        report[f"{width}x{height} {screen}"] = sorted(set(found))
        finally:
            finish(self)

    run._Finisher.finish = survey  # type: ignore[method-assign]
    from hmi.cli import main as cli_main

    rc = cli_main(["--demo", "--sign-in", "admin", "--language", args.language, "--exit-after", "4",
                   "--screenshot", str(args.shots / f"fit_{args.language}_start.png")])
    print(json.dumps(report))
    return rc


if __name__ == "__main__":
    sys.exit(main())
