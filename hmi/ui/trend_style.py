"""The trend screen's look: pen colours, plot colours and the screen's stylesheet rules.

ISA-101: a calm grey plot; pens in muted colours that are easy to tell apart, none of them an alarm
colour (red, amber, the magenta of bad quality), so colour on a trend never reads as an alarm.

Pens are coloured distinctly and consistently: a sensor gets the same colour every time it is
trended (a hash of its EUI picks it) unless that colour is already taken in the view, when it gets
the next free one; past the palette, colours repeat with a dashed line.
"""

from __future__ import annotations

import zlib

PEN_COLOURS: tuple[str, ...] = (
    "#1f5f99",  # steel blue
    "#2e7d4f",  # green
    "#8a5a2b",  # brown
    "#0f7c80",  # teal
    "#5a4b9a",  # indigo
    "#6e6e1e",  # olive
    "#3f3f3f",  # charcoal
    "#4f8cc9",  # sky blue
    "#9a7535",  # ochre
    "#5c7385",  # slate
)

PLOT_BACKGROUND = "#f7f7f7"
PLOT_FRAME = "#c4c4c4"
AXIS_PEN = "#8c9196"
AXIS_TEXT = "#3a3f45"
GRID_COLOUR = "#dadde0"
CURSOR_COLOUR = "#353a40"
LEGEND_BACKGROUND = (247, 247, 247, 215)
LEGEND_BORDER = "#c4c4c4"
PEN_WIDTH = 1.5


def preferred_colour_index(eui: str) -> int:
    return zlib.crc32(eui.encode("ascii", "replace")) % len(PEN_COLOURS)


class PenColours:
    """Hands out pen colours: the EUI's own colour when free, else the next free one."""

    def __init__(self) -> None:
        self._taken: dict[str, tuple[str, bool]] = {}  # eui -> (colour, dashed)

    def assign(self, eui: str, wanted: str = "") -> tuple[str, bool]:
        if eui in self._taken:
            return self._taken[eui]
        used = [c for c, _ in self._taken.values()]
        if wanted and wanted.lower() not in (c.lower() for c in used):
            choice = (wanted, False)
        else:
            start = preferred_colour_index(eui)
            n = len(PEN_COLOURS)
            free = [PEN_COLOURS[(start + k) % n] for k in range(n) if PEN_COLOURS[(start + k) % n] not in used]
            if free:
                choice = (free[0], False)
            else:  # every colour in use: repeat the least used one, dashed
                colour = min(PEN_COLOURS, key=lambda c: (used.count(c), PEN_COLOURS.index(c)))
                choice = (colour, True)
        self._taken[eui] = choice
        return choice

    def release(self, eui: str) -> None:
        self._taken.pop(eui, None)

    def clear(self) -> None:
        self._taken.clear()


# Rules for the trend screen's widgets. They belong in resources/styles/light.qss (the one stylesheet);
# kept here, scoped to #trendScreen, until that file takes them.
TREND_QSS = """
QWidget#trendScreen { background-color: #e3e3e3; color: #1f2327; }
QFrame#trendToolbar { background-color: #d6d6d6; border-bottom: 1px solid #bcbcbc; }
QFrame#trendToolbar QLabel { color: #3a3f45; background: transparent; }
QFrame#trendToolbar QToolButton, QFrame#trendToolbar QPushButton {
    background-color: #ececec; color: #1f2327; border: 1px solid #b4b8bc; border-radius: 3px;
    padding: 4px 10px; min-height: 20px;
}
QFrame#trendToolbar QToolButton:hover, QFrame#trendToolbar QPushButton:hover { background-color: #f5f5f5; }
QFrame#trendToolbar QToolButton:checked { background-color: #c5ccd4; border-color: #8e979f; font-weight: bold; }
QFrame#trendToolbar QToolButton:disabled, QFrame#trendToolbar QPushButton:disabled { color: #9aa0a6; }
QFrame#trendToolbar QComboBox, QFrame#trendToolbar QDateTimeEdit {
    background-color: #f5f5f5; color: #1f2327; border: 1px solid #b4b8bc; border-radius: 3px; padding: 3px 6px;
}
QFrame#trendToolbar QFrame#toolbarDivider { background-color: #b4b8bc; max-width: 1px; min-width: 1px; }
QWidget#trendScreen QLineEdit#sensorFilter {
    background-color: #f5f5f5; border: 1px solid #c4c4c4; border-radius: 3px; padding: 4px 6px; margin: 6px;
}
QTreeView#sensorTree {
    background-color: #ebebeb; color: #1f2327; border: none; outline: 0;
    selection-background-color: #c5ccd4; selection-color: #101316;
}
QTableView#penTable {
    background-color: #f0f0f0; color: #1f2327; border: none; border-top: 1px solid #bcbcbc; outline: 0;
    gridline-color: #d2d2d2; selection-background-color: #c5ccd4; selection-color: #101316;
}
QLabel#trendStatus { color: #5b6167; padding: 3px 10px; background-color: #d6d6d6; border-top: 1px solid #bcbcbc; }
QLabel#trendStatus[state="error"] { color: #1a1a1a; background-color: #f2b200; font-weight: bold; }
QSplitter#trendSplitter::handle { background-color: #c4c4c4; }
"""
