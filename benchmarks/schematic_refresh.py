"""Benchmark: refreshing a schematic with 300 bound elements at 1 Hz, on the GUI thread.

Figure `schematic_refresh`: milliseconds of the GUI thread per refresh. A refresh is what one bridge
batch costs in the app: one second of 1 Hz data for all 300 sensors (values drifting, so about half
of the displayed digits change each second; a few sensors crossing a limit and a few returning, so
about 6 % of the elements are in alarm at any time) handed to `SchematicView.on_values`, AND the
repaint that follows: the clock runs from the call until the event loop has delivered the view's
next paint of the viewport (1600 x 900, offscreen), so Qt's dirty-item pass, the region update, the
paint and the flush to the backing store are all inside. One batch must cause exactly one paint
(updates coalesce into the next event-loop pass); the script checks it.

Baseline, same run, same scene: the naive refresh that touches every element (every overlay forgets
what it shows and is restyled with its value) and then repaints the whole viewport synchronously.

Also measured: the GUI thread's CPU time per refresh (less sensitive to other load on the machine
than the wall clock), and a full repaint of the viewport alone (what a pan, zoom or expose costs).
Project and baseline alternate; p50 and p99 are reported. Goal: p50 < 10 ms.

    .venv/bin/python benchmarks/schematic_refresh.py [--quick] [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))

from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

ELEMENTS = 300
GOAL_MS = 10.0
NOW = 1_790_000_000.0
COLS, ROWS = 20, 15
WINDOW = (1600, 900)
UPSET_GROUPS = 97  # every second the sensors k with k % 97 == t % 97 cross the warning limit ...
UPSET_SECONDS = 6  # ... and return below it 6 s later: ~6 % of the elements in alarm at a time


def log(msg: str) -> None:
    print(msg, flush=True)


def build(tmp: Path) -> tuple[Any, Path]:
    """A plant of 300 temperature sensors and a 20 x 15 grid schematic binding each by id."""
    import tomli_w

    from hmi.core.plant import parse_plant

    sensors = [{"name": f"T{i}", "type": "temperature", "eui": f"B7{i:014X}", "sampling_interval": 1.0,
                "thresholds": {"warning_max": 60.0, "critical_max": 75.0}} for i in range(ELEMENTS)]
    plant = parse_plant(tomllib.loads(tomli_w.dumps(
        {"schema_version": 1, "mills": [{"slug": "bench", "name": "Bench mill", "sensors": sensors}]})))
    w, h = 96, 22
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{COLS * 110}" height="{ROWS * 56}" '
             f'viewBox="0 0 {COLS * 110} {ROWS * 56}"><rect width="100%" height="100%" fill="#e3e3e3"/>']
    binds = []
    for i in range(ELEMENTS):
        x, y = 8 + (i % COLS) * 110, 24 + (i // COLS) * 56
        parts.append(f'<rect x="{x - 4}" y="{y - 18}" width="{w + 8}" height="48" fill="#d3d6d9" stroke="#4a4f54"/>')
        parts.append(f'<rect id="v{i}" x="{x}" y="{y}" width="{w}" height="{h}" fill="none"/>')
        binds.append({"id": f"v{i}", "sensor": sensors[i]["eui"], "kinds": ["value", "state"]})
    parts.append("</svg>")
    (tmp / "bench.svg").write_text("".join(parts), encoding="utf-8")
    (tmp / "bench.bindings.toml").write_text(tomli_w.dumps({"mill": "bench", "bind": binds}), encoding="utf-8")
    return plant, tmp


class PaintCounter(QObject):
    """Counts the viewport's paint events (the view paints through its viewport)."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def machine_speed_us() -> float:
    """A fixed pure-Python loop (best of 5, microseconds): these shared machines change speed by up
    to 1.7x from one minute to the next; this says which speed a run got."""
    d = {"a": 1}
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(20):
            for _ in range(1000):
                d.get("a")
        best = min(best, (time.perf_counter() - t0) / 20 * 1e6)
    return best


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--rounds", type=int, default=None)
    args = ap.parse_args()
    rounds = args.rounds or (60 if args.quick else 300)
    app = QApplication.instance() or QApplication(sys.argv[:1])

    from hmi.core.domain import Reading
    from hmi.services.schematic_library import SchematicLibrary
    from hmi.ui.schematic_view import SchematicView, ValueItem
    from hmi.ui.theme import apply_theme

    apply_theme(app)
    speed_before = machine_speed_us()
    with tempfile.TemporaryDirectory(prefix="mw-bench-schematic-") as d:
        plant, folder = build(Path(d))
        schematic = SchematicLibrary(plant, [folder]).get("bench")
        assert schematic is not None and not schematic.problems, schematic and schematic.problems
        clock = [NOW]
        view = SchematicView(plant, now=lambda: clock[0])
        view.resize(*WINDOW)
        view.load(schematic)
        view.show()
        counter = PaintCounter()
        view.viewport().installEventFilter(counter)
        for _ in range(5):
            app.processEvents()
        euis = [s.eui for s in plant.sensors()]
        assert len([i for i in view.overlay_items() if isinstance(i, ValueItem)]) == ELEMENTS
        assert len(view.bound_euis()) == ELEMENTS
        rng = random.Random(3)
        level = [40.0 + 10 * rng.random() for _ in euis]

        def batch(t: float) -> dict[str, Reading]:
            out = {}
            up, down = int(t) % UPSET_GROUPS, int(t - UPSET_SECONDS) % UPSET_GROUPS
            for k, e in enumerate(euis):  # a slow drift: about half of the texts change each second
                level[k] += rng.gauss(0, 0.08)
                if k % UPSET_GROUPS == up:
                    level[k] = 62.0 + rng.random()  # over the warning limit
                elif k % UPSET_GROUPS == down:
                    level[k] = 45.0 + rng.random()  # back to normal
                out[e] = Reading(e, t, level[k])
            return out

        def settle() -> None:
            """Let the event loop finish whatever is pending (untimed)."""
            for _ in range(3):
                app.processEvents()

        def project(t: float) -> tuple[float, float, int, int]:
            """One bridge batch -> on_values -> the next paint of the viewport. Returns wall ms,
            GUI-thread CPU ms, overlays changed, paints it took."""
            clock[0] = t
            values = batch(t)
            before = counter.paints
            t0, c0 = time.perf_counter(), time.thread_time()
            touched = view.on_values(values)
            spins = 0
            while touched and counter.paints == before and spins < 50:
                app.processEvents()
                spins += 1
            wall, cpu = (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000
            settle()  # a second paint would show here (and fail the one-paint check)
            return wall, cpu, touched, counter.paints - before

        def baseline(t: float) -> tuple[float, float]:
            """Naive: every element restyled with its value, then the whole viewport repainted."""
            clock[0] = t
            values = batch(t)
            t0, c0 = time.perf_counter(), time.thread_time()
            view.invalidate()
            view.on_values(values)
            view.viewport().repaint()
            wall, cpu = (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000
            settle()
            return wall, cpu

        def full_repaint() -> float:
            t0 = time.perf_counter()
            view.viewport().repaint()
            return (time.perf_counter() - t0) * 1000

        t = NOW
        for _ in range(10):  # warm-up (and the first limits crossed)
            t += 1
            project(t)
            t += 1
            baseline(t)
        pw, pc, touched, paints, bw, bc, fw = [], [], [], [], [], [], []
        for _ in range(rounds):
            t += 1
            w, c, n, p = project(t)
            pw.append(w)
            pc.append(c)
            touched.append(n)
            paints.append(p)
            t += 1
            w, c = baseline(t)
            bw.append(w)
            bc.append(c)
            fw.append(full_repaint())
            settle()
        in_alarm = sum(1 for e in euis if (s := view.state_of(e)) is not None and s.abnormal)
        view.close()
    speed = (speed_before + machine_speed_us()) / 2
    p50, p99, b50 = statistics.median(pw), pct(pw, 0.99), statistics.median(bw)
    cpu50, bcpu50, full50 = statistics.median(pc), statistics.median(bc), statistics.median(fw)
    one_paint = all(p == 1 for p in paints)
    log(f"{ELEMENTS} bound elements at 1 Hz, {WINDOW[0]}x{WINDOW[1]}, {rounds} refreshes: "
        f"median {statistics.median(touched):.0f} overlays changed per refresh, {in_alarm} in alarm at the end")
    log(f"  project (batch -> on_values -> next paint): p50 {p50:.2f} ms, p99 {p99:.2f} ms wall; "
        f"GUI-thread CPU p50 {cpu50:.2f} ms, p99 {pct(pc, 0.99):.2f} ms; paints per batch: {sorted(set(paints))}")
    log(f"  naive touch-all + full repaint:            p50 {b50:.2f} ms wall; GUI-thread CPU p50 {bcpu50:.2f} ms")
    log(f"  a full repaint of the viewport alone (pan/zoom/expose): p50 {full50:.2f} ms")
    log(f"  machine speed: {speed:.1f} us per 1000 dict lookups (about 36 on a quiet machine here)")
    print(json.dumps({
        "figure": "schematic_refresh", "value": round(p50, 2), "unit": "ms", "baseline": round(b50, 2),
        "ratio": round(p50 / b50, 3), "goal": f"< {GOAL_MS:g} ms", "goals_met": p50 < GOAL_MS and one_paint,
        "p99_ms": round(p99, 2), "cpu_p50_ms": round(cpu50, 2), "cpu_p99_ms": round(pct(pc, 0.99), 2),
        "baseline_cpu_p50_ms": round(bcpu50, 2),
        "full_repaint_ms": round(full50, 2), "machine_ref_us": round(speed, 1),
        "changed_per_refresh": statistics.median(touched),
        "paints_per_batch": sorted(set(paints)), "in_alarm": in_alarm, "elements": ELEMENTS,
        "window": f"{WINDOW[0]}x{WINDOW[1]}", "rounds": rounds, "mode": "quick" if args.quick else "full",
    }), flush=True)
    return 0 if one_paint else 1


if __name__ == "__main__":
    sys.exit(main())
