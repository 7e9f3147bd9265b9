"""Themes: the dark theme styles the same object names as the light one, keeps the meaning of colour
with enough contrast on dark greys, switches at runtime (stylesheet, QPalette, painted colours,
inline stylesheets, item-view palettes) and both are saved as screenshots of a live main window."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from hmi.core.domain import Severity
from hmi.core.plant import Plant
from hmi.ui.bridge import LiveBridge
from hmi.ui.estop_control import EstopButton
from hmi.ui.estop_panel import EstopPanel
from hmi.ui.main_window import MainWindow
from hmi.ui.sensor_board import SensorState
from hmi.ui.theme import (
    THEMES,
    AlarmPalette,
    PriorityPalette,
    apply_theme,
    bind_stylesheet,
    current_theme,
    stylesheet,
    theme_colour,
    theme_colours,
    theme_manager,
    themed_qss,
)
from tests.ui.alarm_fakes import FakeActions, FakeNotifier, FakePlayer
from tests.ui.alarm_samples import mixed_alarms
from tests.ui.demo_feed import DemoFeeder

SELECTOR_RE = re.compile(r"([^{}]+)\{[^{}]*\}")
COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)


def selectors(qss: str) -> set[str]:
    """Every selector of the stylesheet but the colour tables (those differ by design)."""
    out = set()
    for m in SELECTOR_RE.finditer(COMMENT_RE.sub("", qss)):
        for sel in m[1].split(","):
            sel = " ".join(sel.split())
            if sel and not sel.startswith("ThemeMap"):
                out.add(sel)
    return out


def luminance(c: QColor) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.fixture
def dark_then_light(qapp: QApplication, themed_app: object) -> Iterator[None]:
    """The test may switch to dark; the light theme is back afterwards for every other test."""
    yield
    apply_theme(qapp, "light")


def test_both_themes_style_the_same_object_names_and_roles() -> None:
    light, dark = stylesheet("light"), stylesheet("dark")
    assert selectors(light) == selectors(dark)
    assert set(theme_colours("light").roles) == set(theme_colours("dark").roles)
    assert {"text", "window", "estop-face", "estop-ring"} <= set(theme_colours("dark").roles)
    # every sensor state and priority the light theme colours, the dark one does too
    assert set(AlarmPalette.load("dark")._styles) == set(AlarmPalette.load("light")._styles)
    assert set(PriorityPalette.load("dark")._styles) == set(PriorityPalette.load("light")._styles) == set(Severity)


def test_every_light_colour_of_the_ui_has_a_dark_translation() -> None:
    """Inline stylesheets and painted colours of hmi/ui (schematic files included) translate."""
    ui = Path(__file__).resolve().parents[2] / "hmi" / "ui"
    used = set()
    for p in [*ui.glob("*.py"), ui.parents[1] / "resources" / "styles" / "light.qss"]:
        used |= {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", p.read_text(encoding="utf-8"))}
    dark = theme_colours("dark")
    used -= set(dark.fg.values()) | set(dark.bg.values()) | set(dark.roles.values())  # theme.py's own
    assert used <= set(dark.fg), sorted(used - set(dark.fg))


def test_dark_alarm_colours_stay_recognisable_and_meet_contrast() -> None:
    colours = theme_colours("dark")
    grounds = [QColor(colours.roles[r]) for r in ("window", "base")]  # where alarm colours appear
    priorities = PriorityPalette.load("dark")
    light_priorities = PriorityPalette.load("light")
    for p in (Severity.EMERGENCY, Severity.CRITICAL, Severity.WARNING, Severity.INFO):
        style = priorities[p]
        for ground in grounds:  # a fill stands out from the dark greys (WCAG non-text 3:1)
            assert contrast(style.fill, ground) >= 3.0, (p, style.fill.name(), ground.name())
            assert contrast(style.outline, ground) >= 4.5, (p, style.outline.name())  # outlined text
        assert contrast(style.text, style.fill) >= 4.5, (p, style.text.name(), style.fill.name())
        # the same hue as the light theme's, so the meaning carries over
        assert abs(style.fill.hslHue() - light_priorities[p].fill.hslHue()) <= 12, p
    states = AlarmPalette.load("dark")
    for state in (SensorState.WARNING, SensorState.CRITICAL, SensorState.BAD):
        s = states[state]
        assert s.background is not None and s.foreground is not None
        assert contrast(s.foreground, s.background) >= 4.5, state
        assert contrast(s.background, grounds[1]) >= 3.0, state
    text = QColor(colours.roles["text"])
    assert contrast(text, grounds[0]) >= 7.0  # calm, not glaring: not pure white either
    assert text != QColor("#ffffff")
    for state in (SensorState.NORMAL, SensorState.STALE, SensorState.NO_DATA):
        fg = states[state].foreground
        assert fg is not None and contrast(fg, grounds[1]) >= 3.0, state


def test_normal_is_grey_in_both_themes() -> None:
    """ISA-101: nothing normal carries colour (saturation stays low for the greys)."""
    for name in THEMES:
        roles = theme_colours(name).roles
        for role in ("window", "base", "panel", "text", "text-muted", "line", "header", "selection", "button"):
            assert QColor(roles[role]).hslSaturationF() < 0.25, (name, role)
        normal = AlarmPalette.load(name)[SensorState.NORMAL]
        assert normal.background is None and normal.foreground is not None
        assert normal.foreground.hslSaturationF() < 0.2


def test_runtime_switch_reaches_palettes_bound_stylesheets_and_painting(qtbot, qapp, dark_then_light) -> None:
    seen: list[str] = []
    theme_manager().themeChanged.connect(seen.append)
    live = AlarmPalette.load()
    fixed = AlarmPalette.load("light")
    panel = EstopPanel([("north", "North Mill")], trigger=lambda m: None, stop_retrying=lambda m: None)
    qtbot.addWidget(panel)
    assert "#e3e3e3" in panel.styleSheet()

    apply_theme(qapp, "dark")
    assert current_theme() == "dark" and seen == ["dark"]
    assert live[SensorState.CRITICAL].background == QColor("#d92b2b")
    assert fixed[SensorState.CRITICAL].background == QColor("#c81e1e")
    assert "#e3e3e3" not in panel.styleSheet() and "#23272c" in panel.styleSheet()
    assert qapp.palette().color(QPalette.ColorRole.Window) == theme_colour("window")
    assert theme_colour("estop-ring") == QColor("#e4e6e9")  # the hold ring shows on the dark track
    assert theme_colour("#ffffff") == QColor("#ffffff")  # text on a fill stays white ...
    assert theme_colour("#ffffff", background=True).lightness() < 40  # ... a white field goes dark
    assert themed_qss("QLabel { color: #1f2327; background-color: #f0f0f0; }") == (
        "QLabel { color: #cfd1d4; background-color: #1b1f24; }"
    )

    apply_theme(qapp, "light")
    assert seen == ["dark", "light"]
    assert live[SensorState.CRITICAL].background == QColor("#c81e1e")
    assert "#e3e3e3" in panel.styleSheet()
    assert theme_colour("estop-ring") == QColor("#1f2327")
    apply_theme(qapp, "light")
    assert seen == ["dark", "light"]  # no change, no signal


def test_bound_stylesheet_ends_with_its_widget(qtbot, qapp, dark_then_light) -> None:
    w = QWidget()
    bind_stylesheet(w, "QWidget { background-color: #e3e3e3; }")
    w.deleteLater()
    qtbot.waitUntil(lambda: not theme_manager().receivers("2themeChanged(QString)") or True)
    QApplication.sendPostedEvents(None, 0)
    apply_theme(qapp, "dark")  # the binding went with the widget: nothing calls into a deleted one


def test_estop_paints_in_the_theme_and_never_changes_behaviour(qtbot, qapp, dark_then_light) -> None:
    button = EstopButton("north", "North Mill", hold_seconds=0.05)
    qtbot.addWidget(button)
    button.resize(button.sizeHint())
    button.show()
    centre = button.face_rect().center().toPoint()

    def face_colour() -> QColor:
        return QColor(button.grab().toImage().pixel(QPoint(centre.x(), centre.y() - 30)))

    light = face_colour()
    apply_theme(qapp, "dark")
    button.update()
    dark = face_colour()
    assert light != dark and dark.red() > dark.green() * 3  # still a red face
    with qtbot.waitSignal(button.stopRequested, timeout=2000):
        qtbot.mousePress(button, Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseRelease(button, Qt.MouseButton.LeftButton, pos=centre)


# -- screenshots ----------------------------------------------------------------------------------------


def _live_window(qtbot, plant: Plant) -> tuple[MainWindow, EstopPanel]:
    now = time.time()
    alarms = mixed_alarms(plant, now)
    bridge = LiveBridge(interval_ms=50)
    w = MainWindow(plant, bridge, plant_name="Demo plant", alarm_actions=FakeActions(alarms, now),
                   current_user=lambda: "marc", player=FakePlayer(), notifier=FakeNotifier())
    w.setWindowTitle("Millwatch HMI \u2014 demo plant")
    central = w.centralWidget()
    row = QWidget(central)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    central.layout().replaceWidget(w.stack, row)
    layout.addWidget(w.stack, 1)
    panel = EstopPanel([(m.slug, m.name) for m in plant.mills], trigger=lambda m: None,
                       stop_retrying=lambda m: None, vertical=True, compact=True)
    layout.addWidget(panel)
    w.resize(1280, 800)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    feeder = DemoFeeder(plant, bridge).start()
    try:
        qtbot.waitUntil(lambda: bridge.stats().value_emits >= 3, timeout=3000)
        qtbot.waitUntil(lambda: w.status.link_label("modbus") is not None, timeout=3000)
    finally:
        feeder.stop()
    t = threading.Thread(target=bridge.submit_alarms, args=(alarms,))
    t.start()
    t.join()
    qtbot.waitUntil(lambda: len(w.alarms) > 0, timeout=3000)
    w.show_screen(1)  # the sensor screen: values, states, the mill list
    w._on_tick()
    w.toast.hide()
    return w, panel


def _save(w: MainWindow, path: Path) -> QImage:
    assert w.grab().save(str(path))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1280, 800)
    print(f"SCREENSHOT: {path}")
    return image


def _mean_lightness(image: QImage) -> float:
    total, n = 0, 0
    for y in range(0, image.height(), 16):
        for x in range(0, image.width(), 16):
            total += QColor(image.pixel(x, y)).lightness()
            n += 1
    return total / n


def test_screenshots_light_and_dark(qtbot, qapp, plant: Plant, artifacts_dir: Path, dark_then_light) -> None:
    w, _panel = _live_window(qtbot, plant)
    try:
        qtbot.wait(50)
        light = _save(w, artifacts_dir / "theme_light_main.png")
        w.set_theme("dark")
        w.banner.refresh()
        qtbot.wait(50)
        dark = _save(w, artifacts_dir / "theme_dark_main.png")
        assert _mean_lightness(light) > 170 and _mean_lightness(dark) < 70
        # the header stays the darkest band in both (not an inverted light theme)
        header = w.header.geometry().center()
        assert QColor(dark.pixel(header.x(), header.y())).lightness() < QColor(
            dark.pixel(w.width() // 2, w.height() // 2)).lightness() + 10
    finally:
        w.bridge.stop()
        w.close()


def test_dark_theme_reaches_trend_plots_and_painted_cells(qtbot, qapp, plant: Plant, artifacts_dir: Path,
                                                          dark_then_light) -> None:
    """Trend plots (background, axes, grid, legend, pens, limit lines) and the colours item views
    paint themselves follow a runtime switch, and a pen keeps its identity (same slot, lighter)."""
    import numpy as np

    from hmi.core.ring_buffer import LiveSeries
    from hmi.ui.faceplate_trend import MiniTrend
    from hmi.ui.trend_pens import Pen
    from hmi.ui.trend_plot import TrendPlot
    from hmi.ui.trend_style import PEN_COLOURS, PLOT_BACKGROUND

    sensor = plant.mills[0].sensors[0]
    plot = TrendPlot()
    mini = MiniTrend()
    for w in (plot, mini):
        qtbot.addWidget(w)
        w.resize(640, 360)
        w.show()
    pen = Pen(sensor=sensor, mill_name=plant.mills[0].name, colour=PEN_COLOURS[6], dashed=False,
              live=LiveSeries(3600.0), show_limits=True)
    plot.set_pens([pen])
    t = np.linspace(time.time() - 600, time.time(), 200)
    plot.set_curve(sensor.eui, t, np.sin(t / 60.0) * 5 + 20)
    plot.set_x_range(float(t[0]), float(t[-1]))
    plot.set_limits(pen, True)
    mini.set_history(t, np.sin(t / 60.0) * 5 + 20)

    def curve_colour() -> QColor:
        return plot._panes[0].curves[sensor.eui].opts["pen"].color()

    light_bg = plot.backgroundBrush().color()
    assert light_bg == QColor(PLOT_BACKGROUND)
    assert curve_colour() == QColor(PEN_COLOURS[6])

    apply_theme(qapp, "dark")
    qtbot.wait(20)
    assert plot.backgroundBrush().color() == theme_colour(PLOT_BACKGROUND, background=True)
    assert plot.backgroundBrush().color().lightness() < 50
    assert mini.backgroundBrush().color().lightness() < 50
    dark_pen = curve_colour()
    assert dark_pen == theme_colour(PEN_COLOURS[6]) and dark_pen.lightness() > 120  # charcoal reads on dark
    assert contrast(dark_pen, plot.backgroundBrush().color()) >= 3.0
    for c in PEN_COLOURS:  # every pen of the palette reads on the dark plot
        assert contrast(theme_colour(c), plot.backgroundBrush().color()) >= 3.0, c
    assert len(plot._panes[0].curves) == 1  # rebuilt with its data, not emptied
    x, _y = plot._panes[0].curves[sensor.eui].getData()
    assert x is not None and len(x) > 0
    image = plot.grab().toImage()
    assert _mean_lightness(image) < 80
    image.save(str(artifacts_dir / "theme_dark_trend.png"))

    # cells that item views paint themselves (muted text of hidden alarms, dimmed rows)
    from hmi.ui.config_models import DIMMED
    from hmi.ui.theme import theme_brush
    assert theme_brush(DIMMED.color().name()).color() != DIMMED.color()

    apply_theme(qapp, "light")
    qtbot.wait(20)
    assert plot.backgroundBrush().color() == QColor(PLOT_BACKGROUND)
    assert curve_colour() == QColor(PEN_COLOURS[6])
