"""Benchmark: how long the GUI thread's event loop stalls with the operator screens live.

Setup: the offscreen platform; a plant of 20 mills x 50 sensors (thresholds set, so some sensors
cross into alarm and back), one reading per sensor per second (1,000 readings/s) handed to the real
`LiveBridge` from a plain thread in 100 ms batches, as the ingest pipeline does. The `MainWindow`
(1280x800) shows the sensor screen of one mill with the sparkline column, the filter bar and the
mill actions wired in; the overview screen with all 20 tiles is shown as a torn-off window of its
own (1280x800), with its database figures from a real SQLite database refreshed off the GUI thread.
Every sparkline is pre-filled with an hour of history.

A 5 ms PreciseTimer on the GUI thread ticks throughout; how much later than 5 ms each tick comes is
the stall an operator feels (a click or the e-stop waits that long).
- project: the lateness p99 (and max) with the screens live; the screens' refresh rates: sensor
  table repaints per second, bridge batches applied per second, overview recounts and tile
  repaints per second; the GUI thread's CPU; RSS.
- baseline: the same probe in an idle, empty shown window, in the same run.

Last line: {"figure": "gui_stall_p99", "value": p99 ms, "baseline": idle p99 ms, "goal": "< 30", ...}

    .venv/bin/python benchmarks/gui_stall.py [--quick] [--seconds N]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import threading
import time
import tomllib

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import _common as C
import PySide6  # noqa: F401 - PySide6 before anything that could pull in pyqtgraph
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QApplication, QWidget

from hmi.core.domain import Quality, Reading
from hmi.core.plant import Plant, parse_plant

MILLS = 20
SENSORS_PER_MILL = 50
PROBE_MS = 5
GOAL_P99_MS = 30.0
GOAL_HZ = 5.0
WINDOW = (1280, 800)


def plant_toml() -> str:
    out = ["schema_version = 1"]
    for m in range(MILLS):
        out += ["[[mills]]", f'slug = "{C.mill_slug(m)}"', f'name = "Bench Mill {m}"', f'location = "Site {m}"',
                "capacity = 400"]
        for s in range(SENSORS_PER_MILL):
            out += ["  [[mills.sensors]]", f'  name = "Roller bearing temperature {s}"', '  type = "temperature"',
                    f'  eui = "{C.eui_of(m, s)}"', "  sampling_interval = 1",
                    "  thresholds = { warning_max = 80, critical_max = 90 }"]
    return "\n".join(out)


def value_of(i: int, ts: float) -> float:
    """Mostly around 60; one sensor in 25 swings through the warning and critical bands."""
    base = 60.0 + 8.0 * math.sin(ts / 90.0 + i)
    if i % 25 == 0:
        base += 28.0 * max(0.0, math.sin(ts / 7.0 + i))
    return base


class Probe(QObject):
    """A 5 ms precise timer; the gaps between its ticks show event-loop stalls."""

    def __init__(self) -> None:
        super().__init__()
        self.ticks: list[float] = []
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(self.tick)

    @Slot()
    def tick(self) -> None:
        self.ticks.append(time.perf_counter())

    def lateness(self) -> tuple[float, float, float]:
        """(p50, p99, max) of how much later than 5 ms each tick came, in ms."""
        gaps = [max((b - a) * 1000.0 - PROBE_MS, 0.0) for a, b in zip(self.ticks, self.ticks[1:], strict=False)]
        if len(gaps) < 100:
            return float("nan"), float("nan"), float("nan")
        q = statistics.quantiles(gaps, n=100)
        return q[49], q[98], max(gaps)


class PaintCounter(QObject):
    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self.paints = 0
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


class Counter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.batches = 0

    @Slot(object)
    def on_values(self, _values: object) -> None:
        self.batches += 1


def run_loop(app: QApplication, seconds: float) -> None:
    """Run the event loop for `seconds` (exit(), not quit(): quit() closes every window in Qt 6)."""
    QTimer.singleShot(int(seconds * 1000), lambda: app.exit(0))
    app.exec()


def idle_baseline(app: QApplication, seconds: float) -> tuple[float, float, float]:
    w = QWidget()
    w.resize(*WINDOW)
    w.show()
    probe = Probe()
    probe.timer.start()
    run_loop(app, seconds)
    probe.timer.stop()
    w.close()
    w.deleteLater()
    return probe.lateness()


def feeder(bridge, plant: Plant, stop: threading.Event, sent: list[int]) -> None:  # type: ignore[no-untyped-def]
    """1 Hz per sensor, in ten batches a second (as the ingest pipeline hands them over); sensors of a
    mill are not in step, so every mill gets a tenth of its sensors every 100 ms."""
    euis = [s.eui for s in plant.sensors()]
    n = len(euis)
    k = 0
    next_t = time.perf_counter()
    while not stop.is_set():
        ts = time.time()
        part = range(k % 10, n, 10)
        bridge.submit([Reading(euis[i], ts, value_of(i, ts), Quality.GOOD) for i in part])
        sent[0] += len(part)
        k += 1
        next_t += 0.1
        stop.wait(max(0.0, next_t - time.perf_counter()))


def prefill(board, now: float) -> None:  # type: ignore[no-untyped-def]
    """An hour of history per sensor (every 20 s) so every sparkline draws a full line."""
    for k in range(180, 0, -1):
        ts = now - 20.0 * k
        board.apply({r.eui: Reading(r.eui, ts, value_of(i, ts)) for i, r in enumerate(board.rows)})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a run under a minute")
    ap.add_argument("--seconds", type=float, default=None, help="measured seconds (default 30, quick 8)")
    args = ap.parse_args()
    seconds = args.seconds or (8.0 if args.quick else 30.0)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)

    from hmi.services.overview import mill_overview
    from hmi.ui.bridge import LiveBridge
    from hmi.ui.main_window import MainWindow
    from hmi.ui.overview_screen import OverviewScreen
    from hmi.ui.theme import apply_theme

    palette = apply_theme(app)
    C.log(f"baseline: the probe in an idle empty window for {seconds:.0f} s")
    base = idle_baseline(app, seconds)
    C.log(f"  lateness p50 {base[0]:.2f} ms, p99 {base[1]:.2f} ms, max {base[2]:.2f} ms")

    plant = parse_plant(tomllib.loads(plant_toml()))
    with C.tempdir() as d:
        C.isolate_user_dirs(d)
        engine = C.prepare_db(f"sqlite:///{d / 'bench.sqlite'}", plant)
        bridge = LiveBridge()
        window = MainWindow(plant, bridge, plant_name="Benchmark plant", palette=palette)
        window.resize(*WINDOW)
        actions = window.mill_actions  # the window's own (and its filter bar), as the app has them
        overview = OverviewScreen(window.board, palette, load_overview=lambda mills: mill_overview(engine, mills=mills),
                                  refresh_ms=2000 if args.quick else 10_000)
        overview.resize(*WINDOW)
        overview.setWindowTitle("Overview (torn off)")
        window.table_model.statesChanged.connect(overview.refresh_live)
        prefill(window.board, time.time() - 1)
        window.show()
        overview.show()
        window.open_mill(C.mill_slug(0))  # the sensor screen of one mill in the main window
        run_loop(app, 1.0)  # first paints, first database refresh

        counter = Counter()
        bridge.valuesChanged.connect(counter.on_values)
        table_paints = PaintCounter(window.table.viewport())
        tiles = overview.shown_tiles()
        stop = threading.Event()
        sent = [0]
        th = threading.Thread(target=feeder, args=(bridge, plant, stop, sent), name="bench-feeder", daemon=True)
        th.start()
        run_loop(app, 1.0)  # warm: every sensor has a live reading
        probe = Probe()
        t0, cpu0 = time.perf_counter(), time.thread_time()
        paints0, batches0 = table_paints.paints, counter.batches
        live0, db0 = overview.live_refreshes, overview.db_refreshes
        tile0 = sum(t.paints for t in tiles)
        builds0 = window.table.spark_delegate.builds
        probe.timer.start()
        run_loop(app, seconds)
        probe.timer.stop()
        elapsed = time.perf_counter() - t0
        cpu = time.thread_time() - cpu0
        stop.set()
        th.join(5)
        p50, p99, worst = probe.lateness()
        table_hz = (table_paints.paints - paints0) / elapsed
        batch_hz = (counter.batches - batches0) / elapsed
        overview_hz = (overview.live_refreshes - live0) / elapsed
        tile_hz = (sum(t.paints for t in tiles) - tile0) / elapsed
        db_refreshes = overview.db_refreshes - db0
        in_alarm = sum(t.data.in_alarm for t in tiles)
        rss = C.rss_mb(os.getpid())
        C.log(f"screens live: {sent[0]} readings fed, lateness p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {worst:.2f} ms")
        C.log(f"  sensor table repaints {table_hz:.1f}/s, bridge batches applied {batch_hz:.1f}/s, overview recounts "
              f"{overview_hz:.1f}/s, tile repaints {tile_hz:.1f}/s, database refreshes {db_refreshes}, "
              f"sparkline rebuilds {window.table.spark_delegate.builds - builds0}")
        C.log(f"  GUI thread CPU {cpu / elapsed * 100:.1f}%, RSS {rss:.0f} MB, sensors in alarm now {in_alarm}")
        overview.shutdown()
        actions.shutdown()
        bridge.stop()
        window.close()
        overview.close()
        engine.dispose()

    screens_hz = min(table_hz, batch_hz)
    result = {
        "figure": "gui_stall_p99",
        "value": round(p99, 2),
        "unit": "ms",
        "baseline": round(base[1], 2),
        "ratio": C.ratio(p99, base[1]),
        "goal": f"< {GOAL_P99_MS:.0f} ms; screens >= {GOAL_HZ:.0f} Hz",
        "goal_met": p99 < GOAL_P99_MS and screens_hz >= GOAL_HZ,
        "lateness_p50_ms": round(p50, 2),
        "lateness_max_ms": round(worst, 2),
        "baseline_max_ms": round(base[2], 2),
        "sensor_screen_hz": round(table_hz, 2),
        "bridge_batches_hz": round(batch_hz, 2),
        "overview_recount_hz": round(overview_hz, 2),
        "overview_tile_paints_hz": round(tile_hz, 2),
        "overview_db_refreshes": db_refreshes,
        "gui_cpu_pct": round(cpu / elapsed * 100, 1),
        "rss_mb": round(rss),
        "readings_per_s": round(sent[0] / elapsed),
        "sensors": MILLS * SENSORS_PER_MILL,
        "seconds": seconds,
    }
    C.emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
