"""Benchmark: time from launch to the sign-in page shown, against a bare Qt + pyqtgraph window.

Each run is a fresh subprocess, timed from spawn until its window has been rendered to a PNG (the
app's own `--screenshot FILE --exit-after 0`: the window grabbed as soon as the event loop runs,
i.e. once it is shown; the probe does the same with a QWidget):
- project: `python -m hmi --db sqlite:///... --screenshot F --exit-after 0` on a migrated database
  holding the demo plant, no broker: the real start path (settings, migrations check, plant,
  runtime, services, main window, session shell) up to the sign-in page.
- baseline: `python -c` importing PySide6.QtWidgets and pyqtgraph and showing an empty window.
Both alternate, several times each, in the same run; medians count. Peak RSS of each child too.
With the ratio above 1.5, `python -X importtime` of one app start lists the slowest imports
(cumulative), i.e. what to import lazily.

Last line: {"figure": "startup_ratio", "value": app/probe, "unit": "x", "baseline": 1.0, ...}

    .venv/bin/python benchmarks/startup.py [--quick] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import _common as C

GOAL_RATIO = 1.5
GOAL_RSS_MB = 400
PROBE = """
import sys
from PySide6.QtWidgets import QApplication, QWidget
import pyqtgraph  # noqa: F401
from PySide6.QtCore import QTimer
app = QApplication(sys.argv[:1])
w = QWidget()
w.resize(1280, 800)
w.show()
def done():
    w.grab().save(sys.argv[1])
    app.exit(0)
QTimer.singleShot(0, done)
app.exec()
"""


def env_for(d: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    # Bytecode caches written (by the warm-up runs) and used, as in an installed app: any non-empty
    # value of PYTHONDONTWRITEBYTECODE, "0" included, would leave every edited module compiled anew.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        env[var] = str(d / sub)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    return env


def timed(cmd: list[str], shot: Path, env: dict[str, str], timeout: float = 120.0) -> tuple[float, float]:
    """(seconds from spawn until `shot` exists, peak RSS MB of the child)."""
    shot.unlink(missing_ok=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=C.ROOT)
    shown = None
    while time.perf_counter() - t0 < timeout:
        if shown is None and shot.exists() and shot.stat().st_size > 0:
            shown = time.perf_counter() - t0
            break
        if proc.poll() is not None:
            break
        time.sleep(0.003)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if shown is None:
        raise RuntimeError(f"{cmd[:4]} showed nothing (exit {proc.returncode}): {err.strip()[-400:]}")
    return shown, usage.ru_maxrss / 1024.0


def slowest_imports(cmd: list[str], shot: Path, env: dict[str, str], top: int = 12) -> list[tuple[str, float]]:
    """Third-party packages and project modules by cumulative import time (ms), from -X importtime."""
    shot.unlink(missing_ok=True)
    out = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], env=env, capture_output=True, text=True,
                         cwd=C.ROOT, timeout=120)
    rows: dict[str, float] = {}
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line[len("import time:"):].split("|")
        try:
            cumulative = int(parts[1].strip())
        except ValueError:
            continue
        name = parts[2].rstrip()
        name = name.strip()
        key = name if name.startswith("hmi.") else name.split(".")[0]  # third parties by package
        rows[key] = max(rows.get(key, 0.0), cumulative / 1000.0)
    return sorted(rows.items(), key=lambda kv: -kv[1])[:top]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a run under a minute")
    ap.add_argument("--runs", type=int, default=None, help="runs of each (default 7, quick 3)")
    args = ap.parse_args()
    runs = args.runs or (3 if args.quick else 7)
    with C.tempdir() as d:
        env = env_for(d)
        for sub in ("data", "config", "cache"):
            (d / sub).mkdir(parents=True, exist_ok=True)
        db = f"sqlite:///{d / 'startup.sqlite'}"
        from hmi.app import demo_plant_path
        from hmi.services.plant_io import read_plant_file

        os.environ.update({k: env[k] for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")})
        C.prepare_db(db, read_plant_file(demo_plant_path())).dispose()
        shot = d / "shown.png"
        app_cmd = [sys.executable, "-m", "hmi", "--db", db, "--screenshot", str(shot), "--exit-after", "0"]
        probe_cmd = [sys.executable, "-c", PROBE, str(shot)]
        timed(probe_cmd, shot, env)  # warm the file cache for both
        timed(app_cmd, shot, env)
        app_t, probe_t, app_rss, probe_rss = [], [], [], []
        for i in range(runs):
            t, rss = timed(probe_cmd, shot, env)
            probe_t.append(t)
            probe_rss.append(rss)
            t, rss = timed(app_cmd, shot, env)
            app_t.append(t)
            app_rss.append(rss)
            C.log(f"  run {i + 1}: probe {probe_t[-1] * 1000:6.0f} ms ({probe_rss[-1]:.0f} MB), "
                  f"app to sign-in {app_t[-1] * 1000:6.0f} ms ({app_rss[-1]:.0f} MB)")
        app_med, probe_med = statistics.median(app_t), statistics.median(probe_t)
        ratio = app_med / probe_med
        C.log(f"median: app {app_med * 1000:.0f} ms, probe {probe_med * 1000:.0f} ms, ratio {ratio:.2f}")
        slow: list[tuple[str, float]] = []
        if ratio > GOAL_RATIO:
            slow = slowest_imports(app_cmd, shot, env)
            C.log("slowest imports at startup (cumulative ms):")
            for name, ms in slow:
                C.log(f"  {ms:8.1f}  {name}")
    rss = max(app_rss)
    C.emit({
        "figure": "startup_ratio",
        "value": round(ratio, 3),
        "unit": "x",
        "baseline": 1.0,
        "ratio": round(ratio, 3),
        "goal": f"<= {GOAL_RATIO}; RSS < {GOAL_RSS_MB} MB",
        "goal_met": ratio <= GOAL_RATIO and rss < GOAL_RSS_MB,
        "app_ms": round(app_med * 1000),
        "probe_ms": round(probe_med * 1000),
        "app_rss_mb": round(rss),
        "probe_rss_mb": round(max(probe_rss)),
        "runs": runs,
        "slowest_imports_ms": {name: round(ms, 1) for name, ms in slow},
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
