"""Benchmark: cross-thread signals to the GUI thread, the LiveBridge against one queued signal per reading.

Setup: a QApplication on the offscreen platform; a plain Python thread (standing in for the ingest
pipeline) produces readings for 1,000 sensors at a paced rate (default 20,000 readings/s), handing
them over one reading per call, as the pipeline does for single-reading MQTT messages. A 5 ms
heartbeat timer on the GUI thread measures how late the event loop runs (the stall an operator feels).

- project: `LiveBridge` (latest value per EUI under a lock, flushed by a GUI-thread timer); the GUI side
  is a slot connected to `valuesChanged` that counts emissions and keeps the latest readings.
  Figure: valuesChanged emissions per second counted on the GUI thread; goal <= 50/s whatever the rate.
  Also measured at the highest rate the feeder thread reaches ("max").
- baseline: the naive approach, a QObject with `Signal(object)` emitted from the feeder thread once per
  reading, connected (queued) to the same kind of slot: the signals per second it emits and delivers,
  the backlog left in the GUI queue when the feeder stops and the time to drain it, and the heartbeat
  lateness it causes.

Last line: {"figure": "gui_signals", "value": signals/s, "baseline": naive signals/s, ...}.

    .venv/bin/python benchmarks/gui_signals.py [--quick] [--rate 20000] [--seconds N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import _common as C
import PySide6  # noqa: F401 - PySide6 before anything that could pull in pyqtgraph
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication

from hmi.core.domain import Reading
from hmi.ui.bridge import LiveBridge

SENSORS = 1000
HEARTBEAT_MS = 5
GOAL = 50


class Sink(QObject):
    """The GUI side: counts what arrives on the GUI thread and keeps the latest value per EUI."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.readings = 0
        self.latest: dict[str, Reading] = {}
        self.gui_thread = threading.get_ident()
        self.wrong_thread = 0

    @Slot(object)
    def on_values(self, values: dict[str, Reading]) -> None:
        if threading.get_ident() != self.gui_thread:
            self.wrong_thread += 1
        self.calls += 1
        self.readings += len(values)
        self.latest.update(values)

    @Slot(object)
    def on_reading(self, r: Reading) -> None:
        if threading.get_ident() != self.gui_thread:
            self.wrong_thread += 1
        self.calls += 1
        self.readings += 1
        self.latest[r.eui] = r


class NaiveBridge(QObject):
    reading = Signal(object)


class Heartbeat(QObject):
    """A precise 5 ms timer on the GUI thread; the gaps between its ticks show event-loop stalls."""

    def __init__(self) -> None:
        super().__init__()
        self.ticks: list[float] = []
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self.tick)
        self.recording = False

    @Slot()
    def tick(self) -> None:
        if self.recording:
            self.ticks.append(time.perf_counter())

    def lateness_ms(self) -> tuple[float, float]:
        """(p99, max) of how much later than 5 ms each tick came."""
        gaps = [(b - a) * 1000.0 - HEARTBEAT_MS for a, b in zip(self.ticks, self.ticks[1:], strict=False)]
        if not gaps:
            return float("nan"), float("nan")
        p99 = statistics.quantiles(gaps, n=100)[98] if len(gaps) >= 100 else max(gaps)
        return max(p99, 0.0), max(max(gaps), 0.0)


def feeder(hand_over: Callable[[Reading], None], rate: float, seconds: float, stop: threading.Event,
           sent: list[int]) -> None:
    """Produce readings for SENSORS sensors at `rate`/s (0: as fast as possible), one per call."""
    euis = [C.eui_of(i // 100, i % 100) for i in range(SENSORS)]
    base = time.time() - 3600
    t0 = time.perf_counter()
    n = 0
    while not stop.is_set():
        now = time.perf_counter()
        if now - t0 >= seconds:
            break
        due = int((now - t0) * rate) + 1 if rate > 0 else n + 500
        while n < due:
            hand_over(Reading(euis[n % SENSORS], base + n * 1e-4, 20.0 + (n % 100) * 0.1))
            n += 1
        if rate > 0:
            time.sleep(0.002)
    sent[0] = n


def run(app: QApplication, mode: str, rate: float, seconds: float) -> dict[str, float]:
    """One measurement: mode "bridge" or "naive"."""
    sink = Sink()
    hb = Heartbeat()
    stop = threading.Event()
    sent = [0]
    bridge: LiveBridge | None = None
    naive: NaiveBridge | None = None
    if mode == "bridge":
        bridge = LiveBridge()
        bridge.valuesChanged.connect(sink.on_values)
        b = bridge

        def hand_over(r: Reading) -> None:
            b.submit((r,))
    else:
        naive = NaiveBridge()
        naive.reading.connect(sink.on_reading)  # emitted off-thread: Qt queues one event per reading
        emit = naive.reading.emit

        def hand_over(r: Reading) -> None:
            emit(r)

    th = threading.Thread(target=feeder, args=(hand_over, rate, seconds, stop, sent), daemon=True)
    out: dict[str, float] = {}

    def start() -> None:
        hb.recording = True
        out["cpu0"] = time.thread_time()  # CPU time of the GUI thread
        out["t0"] = time.perf_counter()
        th.start()

    def check() -> None:
        if "t0" not in out or th.is_alive():
            return
        if "t_fed" not in out:
            out["t_fed"] = time.perf_counter()
            out["cpu_fed"] = time.thread_time()
            out["calls_at_end"] = sink.calls
            out["readings_at_end"] = sink.readings
            hb.recording = False
        # naive: the GUI queue still holds readings; wait until they are all delivered
        if mode == "bridge" or sink.readings >= sent[0] or time.perf_counter() - out["t_fed"] > 60:
            out["t_drained"] = time.perf_counter()
            app.quit()

    hb.timer.start()
    poll = QTimer()
    poll.setInterval(10)
    poll.timeout.connect(check)
    poll.start()
    QTimer.singleShot(50, start)
    app.exec()
    poll.stop()
    hb.timer.stop()
    stop.set()
    th.join(5)
    fed = out["t_fed"] - out["t0"]
    p99, worst = hb.lateness_ms()
    res = {
        "readings_per_s": sent[0] / fed,
        "signals_per_s": out["calls_at_end"] / fed,  # delivered on the GUI thread while feeding
        "delivered_per_s": out["readings_at_end"] / fed,
        "backlog": sent[0] - out["readings_at_end"] if mode == "naive" else 0,
        "drain_s": out["t_drained"] - out["t_fed"] if mode == "naive" else 0.0,
        "gui_cpu_pct": (out["cpu_fed"] - out["cpu0"]) / fed * 100.0,
        "lateness_p99_ms": p99,
        "lateness_max_ms": worst,
        "wrong_thread": sink.wrong_thread,
        "latest": len(sink.latest),
    }
    if mode == "naive":
        res["signals_emitted_per_s"] = sent[0] / fed
    if bridge is not None:
        st = bridge.stats()
        res["bridge_value_emits"] = st.value_emits
        bridge.stop()
        bridge.deleteLater()
    if naive is not None:
        naive.deleteLater()
    sink.deleteLater()
    hb.deleteLater()
    app.processEvents()
    return res


def show(label: str, r: dict[str, float]) -> None:
    C.log(f"  {label:<11} {r['readings_per_s']:8.0f} readings/s in -> {r['signals_per_s']:7.1f} signals/s delivered on "
          f"the GUI thread, GUI thread CPU {r['gui_cpu_pct']:5.1f}%, heartbeat lateness p99 "
          f"{r['lateness_p99_ms']:6.1f} ms max {r['lateness_max_ms']:6.1f} ms"
          + (f", backlog at stop {r['backlog']:.0f} drained in {r['drain_s']:.2f} s" if r["backlog"] else ""))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a run under a minute")
    ap.add_argument("--rate", type=float, default=20_000, help="readings per second fed to the GUI side")
    ap.add_argument("--seconds", type=float, default=None, help="per measurement (default 10, quick 3)")
    args = ap.parse_args()
    seconds = args.seconds or (3.0 if args.quick else 10.0)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)

    C.log(f"{SENSORS} sensors, {args.rate:.0f} readings/s for {seconds:.0f} s, one reading per hand-over")
    proj = run(app, "bridge", args.rate, seconds)
    show("LiveBridge", proj)
    naive = run(app, "naive", args.rate, seconds)
    show("naive", naive)
    C.log("at the feeder thread's highest rate:")
    fast = run(app, "bridge", 0, min(seconds, 3.0))
    show("LiveBridge", fast)
    naive_fast = run(app, "naive", 0, min(seconds, 3.0))
    show("naive", naive_fast)
    bad = proj["wrong_thread"] + naive["wrong_thread"] + fast["wrong_thread"] + naive_fast["wrong_thread"]
    if bad:
        C.log(f"  ERROR: {bad} slot calls ran off the GUI thread")

    value = proj["signals_per_s"]
    worst = max(value, fast["signals_per_s"])
    result = {
        "figure": "gui_signals",
        "value": round(value, 2),
        "unit": "signals/s",
        "baseline": round(naive["signals_emitted_per_s"]),
        "ratio": round(value / naive["signals_emitted_per_s"], 6),
        "goal": f"<= {GOAL}",
        "goal_met": worst <= GOAL and not bad,
        "readings_per_s": round(proj["readings_per_s"]),
        "values_delivered_per_s": round(proj["delivered_per_s"]),
        "lateness_p99_ms": round(proj["lateness_p99_ms"], 2),
        "lateness_max_ms": round(proj["lateness_max_ms"], 2),
        "gui_cpu_pct": round(proj["gui_cpu_pct"], 1),
        "max_rate_readings_per_s": round(fast["readings_per_s"]),
        "max_rate_signals_per_s": round(fast["signals_per_s"], 2),
        "naive_delivered_per_s": round(naive["signals_per_s"]),
        "naive_backlog": int(naive["backlog"]),
        "naive_drain_s": round(naive["drain_s"], 3),
        "naive_lateness_p99_ms": round(naive["lateness_p99_ms"], 2),
        "naive_lateness_max_ms": round(naive["lateness_max_ms"], 2),
        "naive_gui_cpu_pct": round(naive["gui_cpu_pct"], 1),
        "naive_max_rate_signals_per_s": round(naive_fast["signals_emitted_per_s"]),
        "naive_max_rate_backlog": int(naive_fast["backlog"]),
        "naive_max_rate_drain_s": round(naive_fast["drain_s"], 3),
        "naive_max_rate_lateness_max_ms": round(naive_fast["lateness_max_ms"], 2),
        "sensors": SENSORS,
        "seconds": seconds,
    }
    C.emit(result)
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
