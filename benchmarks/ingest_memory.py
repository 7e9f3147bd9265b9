"""Benchmark: memory of the headless collector under a steady load, against a bare paho subscriber.

Setup (all on loopback): the product's zero-loss mosquitto, a plant of 10 mills x 100 sensors, and a
paho publisher process sending 1,000 readings/s (one reading per message, QoS 1, every sensor once a
second, unique timestamps) for N minutes (full: 10; --quick: 30 s).

- project: `python -m hmi collect --plant FILE --broker URL --db sqlite:///FILE` as a subprocess
  (persistent session, manual acks after commit, history into SQLite).
- baseline: a bare paho subscriber process (MQTT v5, the same subscriptions and QoS, automatic acks,
  counting only) receiving the same messages at the same time.

Both RSS values (VmRSS from /proc/PID/status) are sampled every few seconds. Figures: the collector's
RSS at the end of the load; its RSS when connected but idle; growth over the second half of the run
(a leak shows as steady growth there). Zero loss: rows in the database == readings published.
Last line: {"figure": "ingest_memory", "value": RSS MB, "baseline": bare RSS MB, ...}.

    .venv/bin/python benchmarks/ingest_memory.py [--quick] [--minutes N] [--rate 1000]
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import _common as C

MILLS, SENSORS = 10, 100
SAMPLE_EVERY = 2.0
GOAL_GROWTH_MB = 5.0  # over the second half of the run


def topics() -> list[str]:
    return [f"mills/{C.mill_slug(m)}/sensors/+/reading" for m in range(MILLS)] + [
        f"mills/{C.mill_slug(m)}/readings" for m in range(MILLS)
    ]


def bare_subscriber_main(port: int, qos: int) -> int:
    """The baseline process: subscribe, print "ready", count, print the count when stdin closes."""
    sub = C.BareSubscriber("127.0.0.1", port, topics(), qos)
    print("ready", flush=True)
    sys.stdin.read()
    print(sub.count, flush=True)
    sub.close()
    return 0


class Proc:
    """A child process whose stderr (or stdout) lines are collected on a thread."""

    def __init__(self, cmd: list[str], env: dict[str, str], stdin: bool = False) -> None:
        self.lines: list[str] = []
        self.p = subprocess.Popen(
            cmd, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        )
        self._t = threading.Thread(target=self._read, daemon=True)
        self._t.start()

    def _read(self) -> None:
        assert self.p.stdout is not None
        for line in self.p.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_line(self, needle: str, timeout: float) -> bool:
        return C.wait_until(lambda: any(needle in x for x in self.lines) or self.p.poll() is not None, timeout,
                            poll=0.05) and any(needle in x for x in self.lines)


def db_rows(path: Path, since: float) -> int:
    con = sqlite3.connect(path, timeout=10)
    try:
        return int(con.execute("SELECT count(*) FROM readings WHERE ts >= ?", (since,)).fetchone()[0])
    finally:
        con.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="30 s of load instead of 10 minutes")
    ap.add_argument("--minutes", type=float, default=None, help="minutes of load (default 10; quick 0.5)")
    ap.add_argument("--rate", type=float, default=1000.0, help="readings per second")
    ap.add_argument("--bare-subscriber", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.bare_subscriber:
        return bare_subscriber_main(args.bare_subscriber, 1)
    minutes = args.minutes or (0.5 if args.quick else 10.0)
    seconds = minutes * 60.0
    messages = int(args.rate * seconds)

    with C.tempdir() as d:
        C.isolate_user_dirs(d)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(C.ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        broker = C.start_broker(d)
        plant = C.write_plant(d / "plant.toml", MILLS, SENSORS)
        db = d / "collector.sqlite"
        client_id = f"bench-mem-{uuid.uuid4().hex[:8]}"
        collector = bare = None
        pub = None
        try:
            collector = Proc(
                [sys.executable, "-m", "hmi", "collect", "--plant", str(plant), "--broker", broker.url,
                 "--db", f"sqlite:///{db}", "--client-id", client_id, "--status-interval", "30"],
                env,
            )
            if not collector.wait_line("connected to", 60):
                raise RuntimeError("collector did not connect:\n" + "\n".join(collector.lines[-20:]))
            bare = Proc([sys.executable, str(Path(__file__).resolve()), "--bare-subscriber", str(broker.port)],
                        env, stdin=True)
            if not bare.wait_line("ready", 30):
                raise RuntimeError("bare subscriber did not start:\n" + "\n".join(bare.lines[-20:]))
            time.sleep(1.0)  # the collector's SUBACK, its first idle second
            rss_idle, bare_idle = C.rss_mb(collector.p.pid), C.rss_mb(bare.p.pid)
            C.log(f"idle: collector {rss_idle:.1f} MB, bare subscriber {bare_idle:.1f} MB")

            load = C.Load(MILLS, SENSORS, messages, 1, base_ts=time.time() - 2 * 86400, ts_step=1e-3,
                          rate=args.rate)
            pub = C.Publisher("127.0.0.1", broker.port, load)
            C.log(f"load: {args.rate:.0f} readings/s for {seconds:.0f} s ({messages:,} messages, QoS 1)")
            samples: list[tuple[float, float, float]] = []  # (t, collector MB, bare MB)
            t0 = pub.go()
            next_log = t0 + max(10.0, seconds / 10)
            while time.monotonic() - t0 < seconds:
                time.sleep(SAMPLE_EVERY)
                t = time.monotonic() - t0
                samples.append((t, C.rss_mb(collector.p.pid), C.rss_mb(bare.p.pid)))
                if time.monotonic() >= next_log:
                    next_log += max(10.0, seconds / 10)
                    C.log(f"  t={t:6.0f}s  collector {samples[-1][1]:7.1f} MB   bare {samples[-1][2]:6.1f} MB")
            res = pub.result(timeout=120)
            sent_rate = messages / (res["t1"] - t0)
            stored_all = C.wait_until(lambda: db_rows(db, load.base_ts) >= messages, 60, poll=0.5)
            rss_end, bare_end = C.rss_mb(collector.p.pid), C.rss_mb(bare.p.pid)
            rows = db_rows(db, load.base_ts)
            assert bare.p.stdin is not None
            bare.p.stdin.close()
            bare.p.wait(10)
            bare_count = int(bare.lines[-1]) if bare.lines and bare.lines[-1].isdigit() else -1
            collector.p.send_signal(signal.SIGINT)
            code = collector.p.wait(60)
        finally:
            if pub is not None:
                pub.close()
            for p in (collector, bare):
                if p is not None and p.p.poll() is None:
                    p.p.kill()
                    p.p.wait()
            C.clear_session("127.0.0.1", broker.port, client_id)
            broker.stop()

    half = [s for s in samples if s[0] >= seconds / 2]
    growth = (half[-1][1] - half[0][1]) if len(half) >= 2 else 0.0
    bare_growth = (half[-1][2] - half[0][2]) if len(half) >= 2 else 0.0
    slope = 0.0  # least-squares MB per minute over the second half: less noisy than the end points
    if len(half) >= 3:
        slope = statistics.linear_regression([s[0] for s in half], [s[1] for s in half]).slope * 60.0
    peak = max(s[1] for s in samples)
    C.log(f"end: collector {rss_end:.1f} MB (peak {peak:.1f}, idle {rss_idle:.1f}, second-half growth "
          f"{growth:+.1f} MB, trend {slope:+.2f} MB/min)")
    C.log(f"     bare subscriber {bare_end:.1f} MB (idle {bare_idle:.1f}, second-half growth {bare_growth:+.1f} MB)")
    C.log(f"published {messages:,} at {sent_rate:.0f}/s; rows stored {rows:,}; bare received {bare_count:,}; "
          f"collector exit code {code}")
    lost = messages - rows
    if not stored_all or lost:
        C.log(f"LOSS: {lost} readings missing from the database")
    result = {
        "figure": "ingest_memory",
        "value": round(rss_end, 1),
        "unit": "MB",
        "baseline": round(bare_end, 1),
        "ratio": C.ratio(rss_end, bare_end),
        "goal": f"growth in 2nd half < {GOAL_GROWTH_MB:g} MB",
        "goal_met": growth < GOAL_GROWTH_MB and lost == 0,
        "rss_idle_mb": round(rss_idle, 1),
        "rss_peak_mb": round(peak, 1),
        "growth_second_half_mb": round(growth, 2),
        "trend_second_half_mb_per_min": round(slope, 3),
        "baseline_idle_mb": round(bare_idle, 1),
        "baseline_growth_second_half_mb": round(bare_growth, 2),
        "readings_per_s": args.rate,
        "seconds": seconds,
        "published": messages,
        "stored": rows,
        "lost": lost,
        "collector_exit": code,
    }
    C.emit(result)
    return 0 if lost == 0 and code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
