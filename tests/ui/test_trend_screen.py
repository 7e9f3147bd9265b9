"""The trend screen with a real database and bridge: pens from the tree or a drop, live and history
modes, gaps, pause, cursor, layouts, saved views, exports and a screenshot."""

from __future__ import annotations

import csv
import math
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent, QImage
from PySide6.QtWidgets import QVBoxLayout, QWidget

from hmi.core.domain import Quality, Reading
from hmi.core.plant import Plant
from hmi.services.rollup_job import RollupJob
from hmi.services.trends import CancelToken, FetchCancelled, TrendHistory, TrendViews
from hmi.storage.database import make_engine
from hmi.storage.history import write_rows
from hmi.storage.migrate import upgrade
from hmi.storage.plant_repo import apply_plant, sensor_ids
from hmi.ui.bridge import LiveBridge
from hmi.ui.trend_mime import SENSOR_MIME, euis_from_mime, sensor_mime_data
from hmi.ui.trend_screen import TrendScreen
from hmi.ui.trend_style import PEN_COLOURS, PenColours
from hmi.ui.trend_worker import TrendWorker
from tests.ui.conftest import FakeWallClock

HISTORY_SENSORS = 5


def _series(k: int, ts: np.ndarray, lo: float, hi: float, rng: np.random.Generator) -> np.ndarray:
    mid, amp = (lo + hi) / 2, (hi - lo) * 0.28
    return mid + amp * np.sin(ts / 3600 * (0.8 + 0.25 * k) + k) + 0.3 * amp * np.sin(ts / 650 + 2 * k) + \
        rng.normal(0, amp * 0.015, len(ts))


@pytest.fixture(scope="module")
def history_db(tmp_path_factory: pytest.TempPathFactory, plant: Plant) -> str:
    """48 h of five sensors every 10 s ending at the fake clock's start; a bad spell and an outage."""
    path = tmp_path_factory.mktemp("trend") / "trend.sqlite"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    apply_plant(engine, plant)
    ids = sensor_ids(engine)
    now = FakeWallClock().t
    rng = np.random.default_rng(3)
    rows = []
    for k, s in enumerate(plant.sensors()[:HISTORY_SENSORS]):
        th = s.thresholds
        lo = next((x for x in (th.warning_min, th.critical_min) if x is not None), 0.0)
        hi = next((x for x in (th.warning_max, th.critical_max) if x is not None), 100.0)
        if lo >= hi:
            lo = hi - 10.0
        ts = np.arange(now - 2 * 86400, now, 10.0) + rng.random(int(2 * 86400 / 10))
        v = _series(k, ts, lo, hi, rng)
        for t, x in zip(ts.tolist(), v.tolist(), strict=True):
            age = now - t
            if k == 2 and 5 * 3600 < age < 6.5 * 3600:
                continue  # outage
            q = 2 if k == 1 and 14 * 3600 < age < 14.5 * 3600 else 0
            rows.append((ids[s.eui], t, x, x, q))
    write_rows(engine, rows)
    RollupJob(engine, lag=0).run_once(now)
    engine.dispose()
    return url


@pytest.fixture
def host(qtbot, themed_app):  # type: ignore[no-untyped-def]
    """A top-level window of fixed minimum size for the screen (size hints then never change after show)."""
    w = QWidget()
    w.setMinimumSize(1400, 820)
    w.resize(1400, 820)
    QVBoxLayout(w).setContentsMargins(0, 0, 0, 0)
    qtbot.addWidget(w)
    return w


@pytest.fixture
def screen(qtbot, host, plant: Plant, history_db: str, clock: FakeWallClock):  # type: ignore[no-untyped-def]
    engine = make_engine(history_db)
    bridge = LiveBridge(interval_ms=1000)
    bridge.stop()  # the tests flush by hand
    s = TrendScreen(plant, TrendHistory(engine, plant), bridge, views=TrendViews(engine), user="ana", now=clock)
    host.layout().addWidget(s)
    host.show()
    qtbot.waitExposed(host)
    qtbot.waitUntil(s.wait_idle, timeout=5000)
    yield s
    s.shutdown()
    engine.dispose()


def euis(plant: Plant, n: int) -> list[str]:
    return [s.eui for s in plant.sensors()[:n]]


def feed(bridge: LiveBridge, readings: list[Reading]) -> None:
    bridge.submit(readings)
    bridge.flush()


def wait_history(qtbot, s: TrendScreen) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: s.wait_idle() and all(s.pen(e).history is not None for e in s.pens()), timeout=10000)


# -- pens ------------------------------------------------------------------------------------------------------------


def test_pens_from_the_tree_and_from_a_drop(qtbot, screen: TrendScreen, plant: Plant) -> None:
    first, second, third = euis(plant, 3)
    assert screen.tree.select_eui(first)
    screen.tree.view.activated.emit(screen.tree.view.currentIndex())  # double-click / Enter
    assert screen.pens() == [first]
    assert not screen.add_pen(first)  # once only
    assert not screen.add_pen("FFFFFFFFFFFFFFFF")  # unknown sensor

    mime = sensor_mime_data([second, third])
    assert euis_from_mime(mime) == [second, third] and mime.hasFormat(SENSOR_MIME)
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    screen.plot.dropEvent(drop)
    assert screen.pens() == [first, second, third]
    plain = QMimeData()
    plain.setText(f"sensor {plant.sensors()[5].eui.lower()} from a report")
    assert euis_from_mime(plain) == [plant.sensors()[5].eui]

    model = screen.pen_model
    assert model.rowCount() == 3 and model.data(model.index(1, 0)) == plant.sensors()[1].name
    assert screen.plot.units() == list(dict.fromkeys(s.display_unit for s in plant.sensors()[:3]))
    screen.pen_table.selectRow(0)
    screen.pen_table.removeRequested.emit(screen.pen_table.selected_euis())
    assert screen.pens() == [second, third]


def test_pen_colours_are_distinct_and_consistent(plant: Plant) -> None:
    all_euis = [s.eui for s in plant.sensors()]
    a, b = PenColours(), PenColours()
    first = [a.assign(e) for e in all_euis[: len(PEN_COLOURS)]]
    assert len({c for c, _ in first}) == len(PEN_COLOURS) and not any(d for _, d in first)
    # the same sensor alone in another view gets the same colour as its own first choice
    lone = b.assign(all_euis[3])
    fresh = PenColours()
    assert fresh.assign(all_euis[3]) == lone
    # past the palette: repeated, dashed
    more = [a.assign(e) for e in all_euis[len(PEN_COLOURS): len(PEN_COLOURS) + 3]]
    assert all(d for _, d in more)
    assert a.assign(all_euis[0]) == first[0]  # asking again changes nothing
    for c in PEN_COLOURS:  # no alarm colours
        assert c.lower() not in ("#c81e1e", "#f2b200", "#8e3b9e")


# -- live ------------------------------------------------------------------------------------------------------------


def test_live_buffers_gaps_pause_and_refresh_rate(qtbot, screen: TrendScreen, plant: Plant,
                                                  clock: FakeWallClock) -> None:
    bridge: LiveBridge = screen._bridge  # type: ignore[assignment]
    e1, e2 = euis(plant, 2)
    screen.set_live_window(300)
    filled: list[str] = []
    screen.backfilled.connect(filled.append)
    screen.add_pens([e1, e2])
    qtbot.waitUntil(lambda: sorted(filled) == sorted([e1, e2]), timeout=5000)
    start = clock.t
    for i in range(1, 31):
        clock.t = start + i
        q2 = Quality.BAD if 10 <= i < 13 else Quality.GOOD
        readings = [Reading(e1, clock.t, float(i)), Reading(e2, clock.t, 100.0 + i, q2)]
        if 20 <= i < 26:
            readings = readings[1:]  # e1 silent for 6 s (> 3 x its 2 s interval)
        feed(bridge, readings)
    screen.refresh_now()
    ts, v = screen.plot.curve_data(e2)
    live = ts > start
    assert np.isnan(v[live][9:12]).all() and np.isfinite(v[live][12:]).all()  # bad quality: a gap
    ts1, v1 = screen.plot.curve_data(e1)
    assert np.isnan(v1[(ts1 > start + 19) & (ts1 < start + 26)]).any()  # silence: a gap
    x0, x1 = screen.plot.x_range()
    assert x1 == pytest.approx(clock.t) and x1 - x0 == pytest.approx(300)
    stats = screen.pen(e1).stats
    assert stats is not None and stats.latest == 30.0 and stats.latest_ts == clock.t
    assert stats.count >= 24 + 25  # the live samples and the backfilled history before them

    # pause: the picture stays, the data keeps coming
    screen.pause()
    drawn = screen.draws
    before = screen.plot.curve_data(e1)[0][-1]
    for i in range(31, 41):
        clock.t = start + i
        feed(bridge, [Reading(e1, clock.t, float(i))])
    qtbot.wait(1200)
    assert screen.draws == drawn and screen.plot.curve_data(e1)[0][-1] == before
    assert screen.pen(e1).live.newest() == (start + 40, 40.0)
    assert "paused" in screen.status.text()
    screen.resume()
    assert screen.plot.curve_data(e1)[1][-1] == 40.0

    # 1 Hz data flushed at 10 Hz for 3 s: redrawn at most twice a second
    drawn = screen.draws
    t_end = time.monotonic() + 3.0
    i = 41
    while time.monotonic() < t_end:
        clock.t = start + i
        feed(bridge, [Reading(e1, clock.t, float(i)), Reading(e2, clock.t, float(i))])
        i += 1
        qtbot.wait(100)
    assert 2 <= screen.draws - drawn <= 7


def test_live_pen_is_backfilled_from_history(qtbot, screen: TrendScreen, plant: Plant, clock: FakeWallClock) -> None:
    e1 = euis(plant, 1)[0]
    with qtbot.waitSignal(screen.backfilled, timeout=10000):
        screen.add_pen(e1)
    ts, v = screen.plot.curve_data(e1)
    assert ts[0] <= clock.t - 3600 + 20 and len(ts) > 300 and np.isfinite(v).sum() > 300


# -- history ---------------------------------------------------------------------------------------------------------


def test_switching_modes_and_panning_history(qtbot, screen: TrendScreen, plant: Plant, clock: FakeWallClock) -> None:
    e = euis(plant, 3)
    screen.add_pens(e)
    screen.apply_preset("last_24h")
    with qtbot.waitSignal(screen.historyLoaded, timeout=10000):
        screen.history_button.click()
    assert screen.mode == "history" and not screen.live_controls.isVisible()
    wait_history(qtbot, screen)
    x0, x1 = screen.plot.x_range()
    assert (x0, x1) == (pytest.approx(clock.t - 86400), pytest.approx(clock.t))
    px = screen.plot.pixel_width()
    for eui in e:
        h = screen.pen(eui).history
        assert h is not None and h.decimated and len(h) <= 4 * px + 10
        assert screen.pen(eui).stats is not None and screen.pen(eui).stats.count > 8000
    # the outage of the third sensor is a gap
    ts, v = screen.plot.curve_data(e[2])
    out = (ts > clock.t - 6.5 * 3600 + 600) & (ts < clock.t - 5 * 3600 - 600)
    assert out.sum() <= 1 and np.isnan(v[out]).all()
    assert "min/max" in screen.status.text()

    # zoom in on ten minutes: raw rows
    with qtbot.waitSignal(screen.historyLoaded, timeout=10000):
        screen.plot.set_x_range(clock.t - 7200, clock.t - 6600)
    wait_history(qtbot, screen)
    assert not screen.pen(e[0]).history.decimated
    assert screen.preset == "last_24h"  # moved by the program, not the mouse
    screen.plot.manualRange.emit()
    assert screen.preset == "custom"

    # a read the view moved on from is superseded: only the last one lands
    tickets = []
    for k in range(5):
        screen.plot.set_x_range(clock.t - 86400 + k * 3600, clock.t - 43200 + k * 3600)
        screen._request_history(force=True)
        tickets.append(screen._hist_ticket)
    wait_history(qtbot, screen)
    qtbot.waitUntil(screen.wait_idle, timeout=10000)
    h = screen.pen(e[0]).history
    assert h.t0 == pytest.approx(clock.t - 86400 + 4 * 3600 - 21600)

    with qtbot.waitSignal(screen.backfilled, timeout=10000):
        screen.live_button.click()
    assert screen.mode == "live" and screen.live_controls.isVisible()


def test_cursor_reads_every_pen(qtbot, screen: TrendScreen, plant: Plant, clock: FakeWallClock) -> None:
    e = euis(plant, 2)
    screen.add_pens(e)
    screen.set_mode("history")
    screen.set_history_range(clock.t - 3600, clock.t)
    wait_history(qtbot, screen)
    t = clock.t - 1800
    screen.set_cursor(t)
    values = screen.cursor_values()
    for eui in e:
        h = screen.pen(eui).history
        i = int(np.searchsorted(h.ts, t, side="right")) - 1
        assert values[eui] == pytest.approx(h.values[i])
    assert screen.pen_model.data(screen.pen_model.index(0, 3)) not in ("", "\u2014")
    screen.set_cursor(None)
    assert all(v is None for v in screen.cursor_values().values())


def test_layouts_and_limits(qtbot, screen: TrendScreen, plant: Plant) -> None:
    sensors = plant.sensors()[:4]
    screen.add_pens([s.eui for s in sensors])
    units = list(dict.fromkeys(s.display_unit for s in sensors))
    assert screen.plot.units() == units
    screen.set_layout_mode("stacked")
    assert len(screen.plot.ci.items) == len(units)  # one pane per unit
    screen.set_layout_mode("axes")
    assert len(screen.plot.ci.items) == 1
    with_limits = next(s for s in sensors if s.thresholds.as_dict())
    screen.show_limits(with_limits.eui)
    assert sorted(screen.plot.limit_values(with_limits.eui)) == sorted(with_limits.thresholds.as_dict().values())
    screen.show_limits(with_limits.eui, False)
    assert screen.plot.limit_values(with_limits.eui) == []


# -- views and exports -----------------------------------------------------------------------------------------------


def test_saved_views_shared_between_users(qtbot, screen: TrendScreen, plant: Plant, host, history_db: str,
                                          clock: FakeWallClock) -> None:
    e = euis(plant, 3)
    screen.add_pens(e)
    screen.set_layout_mode("stacked")
    screen.set_live_window(900)
    with qtbot.waitSignal(screen.viewSaved, timeout=5000) as saved:
        screen.save_view("Intake overview", shared=True)
    view = saved.args[0]
    assert view.owner == "ana" and view.shared
    qtbot.waitUntil(lambda: [v.name for v in screen.saved_views()] == ["Intake overview"], timeout=5000)

    engine = make_engine(history_db)
    other = TrendScreen(plant, TrendHistory(engine, plant), None, views=TrendViews(engine), user="bob", now=clock)
    try:
        qtbot.waitUntil(lambda: len(other.saved_views()) == 1, timeout=5000)
        other.load_view(other.saved_views()[0])
        assert other.pens() == e and other.layout_mode == "stacked" and other.live_window == 900
        assert [other.pen(x).colour for x in e] == [screen.pen(x).colour for x in e]
        assert not other.delete_action.isEnabled()  # not bob's
    finally:
        other.shutdown()
        other.deleteLater()
        engine.dispose()


def test_export_csv_and_png(qtbot, screen: TrendScreen, plant: Plant, tmp_path: Path, clock: FakeWallClock) -> None:
    e = euis(plant, 2)
    screen.add_pens(e)
    screen.set_mode("history")
    screen.set_history_range(clock.t - 1800, clock.t)
    wait_history(qtbot, screen)
    target = tmp_path / "visible.csv"
    with qtbot.waitSignal(screen.exported, timeout=10000) as sig:
        screen.export_csv(target)
    assert sig.args == [str(target)]
    with open(target, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_pen = {x: [r for r in rows if r["eui"] == x] for x in e}
    for eui in e:
        h = screen.pen(eui).history
        m = (h.ts >= clock.t - 1800) & (h.ts <= clock.t) & np.isfinite(h.values)
        assert len(by_pen[eui]) == m.sum() > 100
        assert float(by_pen[eui][0]["value"]) == h.values[m][0]
        assert by_pen[eui][0]["resolution"] == "raw"
    assert rows[0]["time_utc"].endswith("Z") and rows[0]["unit"] == plant.sensors()[0].display_unit
    png = tmp_path / "plot.png"
    with qtbot.waitSignal(screen.exported, timeout=5000):
        assert screen.export_png(png)
    img = QImage(str(png))
    assert not img.isNull() and img.width() > 400


def test_worker_supersedes_and_cancels(qtbot) -> None:
    worker = TrendWorker()
    started = threading.Event()
    cancelled = threading.Event()

    def slow(token: CancelToken) -> str:
        started.set()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if token.cancelled:
                cancelled.set()
                raise FetchCancelled()
            time.sleep(0.01)
        return "slow"

    results = []
    worker.finished.connect(lambda r: results.append((r.key, r.value)))
    worker.submit("history", slow)
    assert started.wait(2)
    worker.submit("history", lambda _t: "second")  # cancels the running one
    worker.submit("other", lambda _t: 1)
    worker.submit("other", lambda _t: 2)  # replaces the queued one
    qtbot.waitUntil(lambda: len(results) == 2, timeout=5000)
    assert cancelled.is_set()
    assert results == [("history", "second"), ("other", 2)]
    worker.close()


# -- screenshot ------------------------------------------------------------------------------------------------------


def test_screenshot(qtbot, screen: TrendScreen, plant: Plant, artifacts_dir: Path, clock: FakeWallClock) -> None:
    sensors = plant.sensors()[:4]
    screen.add_pens([s.eui for s in sensors])
    screen.apply_preset("last_24h")
    screen.set_mode("history")
    with_limits = next(s for s in sensors if s.thresholds.as_dict())
    screen.show_limits(with_limits.eui)
    wait_history(qtbot, screen)
    x0, x1 = screen.plot.x_range()
    screen.set_cursor(x0 + 0.64 * (x1 - x0))
    qtbot.wait(100)
    image = screen.window().grab().toImage()
    out = artifacts_dir / "trend.png"
    assert image.save(str(out))
    assert image.width() >= 1400 and image.height() >= 820
    # a grey ISA-101 background with coloured pens on it
    colours = {image.pixelColor(x, y).name() for x in range(300, 1300, 7) for y in range(60, 600, 7)}
    assert any(c in colours for c in PEN_COLOURS)
    assert math.isfinite(screen.pen(sensors[0].eui).stats.average)
