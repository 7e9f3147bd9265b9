"""Benchmark: drawing trends, against bare pyqtgraph doing the same drawing in the same run.

Figures
- trend_redraw_1m: one pen of 1,000,000 points; a redraw = move the X range (zoom out, zoom in, pan)
  and render the plot (`grab()`, synchronous). Project: the TrendScreen's plot (date axis, legend,
  connect="finite", clip-to-view and peak downsampling per curve); baseline: a bare `pg.PlotWidget`
  with `setClipToView(True)` and `setDownsampling(auto=True, mode="peak")`, the same data, pen and
  size. Goal: ratio <= 1.25.
- trend_live_tick: 20 pens x 1 h of 1 Hz data (3,600 points each, pens in two units). A tick = one new
  reading per pen and a redraw. Project: the readings through `TrendScreen._on_values` (the bridge's
  slot: ring buffers), then the live redraw (copy of each visible window to its curve, X range,
  statistics, table), then the plot rendered; baseline: bare pyqtgraph, 20 curves on one PlotWidget,
  the new sample written into preallocated arrays and each curve given its window (a view, no copy),
  X range set, rendered. Goal: ratio <= 1.25.
- trend_refresh_rate: the screen fed 1 Hz readings for every pen through a real LiveBridge flushing at
  10 Hz, for a few seconds of wall time: redraws per second. Goal: <= 2.

Offscreen Qt (no display needed). Project and baseline alternate; medians are reported.

    .venv/bin/python benchmarks/trend_live.py [--quick] [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))

import PySide6  # noqa: E402, F401 - PySide6 before anything that could pull in pyqtgraph
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget  # noqa: E402

# isort: split
import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402

GOAL_REDRAW = 1.25
GOAL_TICK = 1.25
GOAL_RATE = 2.0
PENS = 20
WINDOW = 3600.0
NOW = 1_790_000_000.0
SIZE = (1400, 820)


def log(msg: str) -> None:
    print(msg, flush=True)


def plant():  # type: ignore[no-untyped-def]
    import tomli_w

    from hmi.core.plant import parse_plant

    sensors = []
    for i in range(PENS):
        kind = "temperature" if i % 2 == 0 else "humidity"
        sensors.append({"name": f"{kind.title()} {i}", "type": kind, "eui": f"B3{i:014X}", "sampling_interval": 1.0,
                        "thresholds": {"warning_max": 90.0}})
    doc = {"schema_version": 1, "mills": [{"slug": "bench", "name": "Bench mill", "sensors": sensors}]}
    return parse_plant(tomllib.loads(tomli_w.dumps(doc)))


def make_screen(app: QApplication, p: Any):  # type: ignore[no-untyped-def]
    from hmi.ui.theme import apply_theme
    from hmi.ui.trend_screen import TrendScreen

    apply_theme(app)
    host = QWidget()
    host.setMinimumSize(*SIZE)
    host.resize(*SIZE)
    layout = QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    screen = TrendScreen(p, None, None, now=lambda: NOW)
    layout.addWidget(screen)
    host.show()
    settle(app)
    return host, screen


def settle(app: QApplication, seconds: float = 0.2) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)


def bare_plot(size: Any, colours: list[str], width: float) -> tuple[pg.PlotWidget, list[pg.PlotDataItem]]:
    w = pg.PlotWidget()
    w.setBackground("#f7f7f7")
    w.resize(size)
    item = w.getPlotItem()
    item.setClipToView(True)
    item.setDownsampling(auto=True, mode="peak")
    curves = []
    for c in colours:
        pen = pg.mkPen(c, width=width)
        pen.setCosmetic(True)
        curves.append(item.plot(pen=pen))
    w.show()
    return w, curves


# -- 1 M point redraw ----------------------------------------------------------------------------------------


def bench_redraw(app: QApplication, p: Any, rounds: int) -> dict[str, Any]:
    from hmi.ui.trend_style import PEN_WIDTH

    host, screen = make_screen(app, p)
    eui = p.sensors()[0].eui
    screen.add_pen(eui)
    screen.pause()  # the live timer leaves the plot alone; the plot pans and zooms freely
    n = 1_000_000
    rng = np.random.default_rng(1)
    x = NOW - n + np.arange(n, dtype=float)
    y = 20 + 5 * np.sin(np.arange(n) / 3000.0) + rng.normal(0, 0.5, n)
    screen.plot.set_curve(eui, x, y)
    colour = screen.pen(eui).colour
    base, (bcurve,) = bare_plot(screen.plot.size(), [colour], PEN_WIDTH)
    bcurve.setData(x, y)
    settle(app)
    views = [(x[0], x[-1]), (x[0] + n * 0.25, x[0] + n * 0.75), (x[0] + n * 0.40, x[0] + n * 0.45),
             (x[0] + n * 0.5, x[-1]), (x[0] + n * 0.1, x[0] + n * 0.3)]

    def project(v: tuple[float, float]) -> None:
        screen.plot.set_x_range(*v)
        screen.plot.grab()

    def baseline(v: tuple[float, float]) -> None:
        base.getPlotItem().setXRange(*v, padding=0)
        base.grab()

    for v in views + views:  # warm-up: tick texts, pictures, downsampling caches
        project(v)
        baseline(v)
    ps, bs = [], []
    for r in range(rounds):
        v = views[r % len(views)]
        t = time.perf_counter()
        project(v)
        ps.append(time.perf_counter() - t)
        t = time.perf_counter()
        baseline(v)
        bs.append(time.perf_counter() - t)
        app.processEvents()
    screen.shutdown()
    host.close()
    base.close()
    pm, bm = statistics.median(ps) * 1000, statistics.median(bs) * 1000
    log(f"1 M point redraw: project {pm:.1f} ms, bare PlotWidget {bm:.1f} ms")
    return {"figure": "trend_redraw_1m", "value": round(pm, 2), "unit": "ms", "baseline": round(bm, 2),
            "ratio": round(pm / bm, 3), "goal": f"<= {GOAL_REDRAW}"}


# -- live tick ------------------------------------------------------------------------------------------------


def bench_tick(app: QApplication, p: Any, ticks: int) -> dict[str, Any]:
    from hmi.core.domain import Reading
    from hmi.ui.trend_style import PEN_WIDTH

    clock = [NOW]
    host, screen = make_screen(app, p)
    screen._now = lambda: clock[0]  # a fake clock: one tick = one second
    euis = [s.eui for s in p.sensors()]
    screen.add_pens(euis)
    screen.set_live_window(WINDOW)
    screen._refresh.stop()  # ticks are driven by hand
    rng = np.random.default_rng(2)
    hist_t = NOW - WINDOW + np.arange(WINDOW)
    level = [40 + 30 * rng.random() for _ in euis]
    for k, eui in enumerate(euis):
        screen.pen(eui).live.load_history(hist_t, level[k] + 5 * np.sin(hist_t / 300.0 + k))
    screen.refresh_now()
    colours = [screen.pen(e).colour for e in euis]
    base, curves = bare_plot(screen.plot.size(), colours, PEN_WIDTH)
    cap = int(WINDOW) + ticks + 10
    bx = np.empty(cap)
    by = [np.empty(cap) for _ in euis]
    bx[: int(WINDOW)] = hist_t
    for k in range(len(euis)):
        by[k][: int(WINDOW)] = level[k] + 5 * np.sin(hist_t / 300.0 + k)
    fill = [int(WINDOW)]
    settle(app)

    def project(i: int) -> None:
        clock[0] = NOW + i
        values = {e: Reading(e, clock[0], level[k] + 5 * np.sin(clock[0] / 300.0 + k)) for k, e in enumerate(euis)}
        screen._on_values(values)
        screen.refresh_now()
        screen.plot.grab()

    def baseline(i: int) -> None:
        t = NOW + i
        j = fill[0]
        bx[j] = t
        for k in range(len(curves)):
            by[k][j] = level[k] + 5 * np.sin(t / 300.0 + k)
        fill[0] = j + 1
        lo = max(0, fill[0] - int(WINDOW))
        for k, c in enumerate(curves):
            c.setData(bx[lo : fill[0]], by[k][lo : fill[0]])
        base.getPlotItem().setXRange(t - WINDOW, t, padding=0)
        base.grab()

    for i in range(1, 4):  # warm-up
        project(i)
        baseline(i)
    ps, bs = [], []
    for i in range(4, 4 + ticks):
        t = time.perf_counter()
        project(i)
        ps.append(time.perf_counter() - t)
        t = time.perf_counter()
        baseline(i)
        bs.append(time.perf_counter() - t)
        app.processEvents()
    points = sum(len(screen.plot.curve_data(e)[0]) for e in euis)
    screen.shutdown()
    host.close()
    base.close()
    pm, bm = statistics.median(ps) * 1000, statistics.median(bs) * 1000
    log(f"live tick, {PENS} pens x 1 h ({points:,} points): project {pm:.1f} ms, bare pyqtgraph {bm:.1f} ms")
    return {"figure": "trend_live_tick", "value": round(pm, 2), "unit": "ms", "baseline": round(bm, 2),
            "ratio": round(pm / bm, 3), "goal": f"<= {GOAL_TICK}"}


# -- refresh rate ------------------------------------------------------------------------------------------------


def bench_rate(app: QApplication, p: Any, seconds: float) -> dict[str, Any]:
    from hmi.core.domain import Reading
    from hmi.ui.bridge import LiveBridge

    host, screen = make_screen(app, p)
    screen._now = time.time
    bridge = LiveBridge(interval_ms=100)
    bridge.valuesChanged.connect(screen._on_values)
    euis = [s.eui for s in p.sensors()]
    screen.add_pens(euis)
    settle(app, 0.5)
    draws0 = screen.draws
    start = time.monotonic()
    next_sample = start
    k = 0
    while time.monotonic() - start < seconds:
        now = time.monotonic()
        if now >= next_sample:  # 1 Hz readings for every pen
            t = time.time()
            bridge.submit([Reading(e, t, 50.0 + (k % 10)) for e in euis])
            k += 1
            next_sample += 1.0
        app.processEvents()
        time.sleep(0.005)
    elapsed = time.monotonic() - start
    rate = (screen.draws - draws0) / elapsed
    bridge.stop()
    screen.shutdown()
    host.close()
    log(f"refresh rate with 1 Hz data for {elapsed:.1f} s: {rate:.2f} redraws/s ({k} samples per pen)")
    return {"figure": "trend_refresh_rate", "value": round(rate, 2), "unit": "redraws/s", "baseline": 1.0,
            "ratio": round(rate / 1.0, 3), "goal": f"<= {GOAL_RATE:g} Hz"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--rounds", type=int, default=None)
    args = ap.parse_args()
    rounds = args.rounds or (40 if args.quick else 100)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    p = plant()
    figs = [
        bench_redraw(app, p, rounds),
        bench_tick(app, p, rounds if args.quick else 2 * rounds),
        bench_rate(app, p, 5.0 if args.quick else 20.0),
    ]
    main_fig = dict(figs[1])
    main_fig.update({
        "redraw_1m_ratio": figs[0]["ratio"], "refresh_hz": figs[2]["value"],
        "mode": "quick" if args.quick else "full",
        "goals_met": (figs[0]["ratio"] <= GOAL_REDRAW and figs[1]["ratio"] <= GOAL_TICK
                      and figs[2]["value"] <= GOAL_RATE),
        "figures": figs,
    })
    sys.stdout.flush()
    print(json.dumps(main_fig), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
