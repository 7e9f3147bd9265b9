"""Benchmark: end-to-end ingest, mosquitto -> the real Runtime -> history database, against paho's bare
receive rate on the same broker in the same run.

Setup (all on loopback): the product's zero-loss mosquitto (`LocalBroker`, plus queue_qos0_messages
in drain mode), a plant of 10 mills x 100 temperature sensors on their default topics, and a paho
publisher in its own (spawned) process that pre-builds every payload, waits for "go", then publishes
as fast as it can. Every reading carries a unique timestamp, so nothing is deduplicated.

Two ways to feed the consumer:
- drain (default): the consumer subscribes with a persistent session and goes away; the publisher
  fills the broker's queue; the consumer comes back and the clock runs from its CONNECT. This is the
  collector catching up after an outage, and it measures the consumer alone: on a 2-core machine a
  live publisher competes with it for CPU and, at QoS 1, is often slower than the bare subscriber.
- live (--live): the consumer is connected while the publisher publishes; the clock runs from "go".
  A run whose consumer finished right behind the publisher is flagged PUBLISHER-BOUND.

- project: `Runtime(RuntimeConfig(plant, engine, broker))`: the MQTT driver (paho 2, MQTT v5, persistent
  session, manual acks after commit) -> IngestPipeline (with the alarm evaluator) -> HistoryWriter ->
  SQLite (and PostgreSQL with --pg, or in full mode). Rate = readings / time until the writer has
  stored the last one (in drain mode a fresh Runtime on the same client id and database is started).
  Zero loss: the rows counted in the database must equal the readings published.
- baseline: a paho client (MQTT v5, same subscriptions and QoS, automatic acks) that only counts.
  Rate = readings / time until the last one arrived.

Figures: one reading per message at QoS 0 (goal >= 0.6x bare) and QoS 1 (goal >= 0.5x bare), and
gateway batches (`mills/{mill}/readings`, JSON arrays of 100 readings, QoS 1; goal >= 200,000
readings/s). Baseline and project alternate, round after round, so machine noise hits both; medians
are reported. Each run also prints the CPU time this process spent per reading (all threads) and, for
the batched load, a raw sqlite3 executemany of the same rows: the ceiling any ingest into SQLite has
on this machine. The last line is the QoS 1 figure with the others as extra keys (and in "figures").

    .venv/bin/python benchmarks/ingest.py [--quick] [--pg] [--rounds N] [--messages N] [--batches N]
                                          [--live] [--only bare,qos0,qos1,batched]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import _common as C

MILLS, SENSORS = 10, 100
# Sensors report far more often than this here; a long interval keeps the stale check (3 intervals
# without a reading) from firing in the quiet after a burst, which is not what is measured.
SAMPLING_INTERVAL = 60.0
GOAL_QOS0, GOAL_QOS1, GOAL_BATCHED = 0.6, 0.5, 200_000


@dataclass
class Run:
    rate: float  # readings/s
    readings: int
    stored: int = 0  # rows counted in the database (project) or messages counted (bare)
    received_rate: float = 0.0  # project: readings through the driver per second
    publisher_rate: float = 0.0
    rejected: int = 0
    cpu_us: float = 0.0  # CPU time of this process (all threads) per reading during the measured window
    publisher_bound: bool = False  # live mode: the consumer finished right behind the publisher


def cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


def topics() -> list[str]:
    return [f"mills/{C.mill_slug(m)}/sensors/+/reading" for m in range(MILLS)] + [
        f"mills/{C.mill_slug(m)}/readings" for m in range(MILLS)
    ]


def make_load(messages: int, qos: int, batched: bool) -> C.Load:
    # A fresh, old-enough base per run: unique (sensor, ts) everywhere, never "in the future".
    return C.Load(MILLS, SENSORS, messages, qos, batched=batched, base_ts=time.time() - 86400 + (time.time() % 3600))


def run_bare(port: int, messages: int, qos: int, batched: bool, drain: bool) -> Run:
    load = make_load(messages, qos, batched)
    per = C.BATCH if batched else 1
    n = load.readings
    if drain:
        # Subscribe with a persistent session, leave, let the publisher fill the broker's queue, come back.
        cid = f"bench-bare-{uuid.uuid4().hex[:8]}"
        C.BareSubscriber("127.0.0.1", port, topics(), qos, client_id=cid, session_expiry=3600).close()
        pub = C.Publisher("127.0.0.1", port, load)
        try:
            t_pub = pub.go()
            res = pub.result()
        finally:
            pub.close()
        time.sleep(0.3)  # the broker has queued the last ones
        c0 = cpu_seconds()
        sub = C.BareSubscriber("127.0.0.1", port, topics(), qos, per_message=per, client_id=cid,
                               session_expiry=3600, target=n)
        t0 = sub.t_connect
        try:
            if not sub.done.wait(max(60.0, n / 500)):
                raise RuntimeError(f"bare subscriber got {sub.count} of {n}")
            c1 = cpu_seconds()
        finally:
            sub.close()
            C.clear_session("127.0.0.1", port, cid)
        return Run(rate=n / (sub.t_last - t0), readings=n, stored=sub.count,
                   publisher_rate=n / (res["t1"] - t_pub), cpu_us=(c1 - c0) / n * 1e6)
    sub = C.BareSubscriber("127.0.0.1", port, topics(), qos, per_message=per)
    pub = C.Publisher("127.0.0.1", port, load)
    try:
        sub.expect(n)
        c0 = cpu_seconds()
        t0 = pub.go()
        res = pub.result()
        if not sub.done.wait(max(60.0, n / 500)):
            raise RuntimeError(f"bare subscriber got {sub.count} of {n}")
        c1 = cpu_seconds()
        run = Run(
            cpu_us=(c1 - c0) / n * 1e6,
            rate=n / (sub.t_last - t0),
            readings=n,
            stored=sub.count,
            publisher_rate=n / (res["t1"] - t0),
        )
        run.publisher_bound = sub.t_last - res["t1"] < 0.1 * (sub.t_last - t0)
        return run
    finally:
        pub.close()
        sub.close()


def _count_rows(engine, base_ts: float) -> int:  # type: ignore[no-untyped-def]
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        p = "?" if engine.dialect.name == "sqlite" else "%s"
        cur.execute(f"SELECT count(*) FROM readings WHERE ts >= {p}", (base_ts,))
        n = int(cur.fetchone()[0])
        cur.close()
        return n
    finally:
        raw.close()


def run_project(port: int, messages: int, qos: int, batched: bool, db_url: str, workdir: Path,
                drain: bool) -> Run:
    from hmi.core.broker import parse_broker_url
    from hmi.runtime import Runtime, RuntimeConfig

    plant = C.build_plant(MILLS, SENSORS, SAMPLING_INTERVAL)
    engine = C.prepare_db(db_url, plant)
    load = make_load(messages, qos, batched)
    n = load.readings
    client_id = f"bench-rt-{uuid.uuid4().hex[:8]}"
    cfg = RuntimeConfig(
        plant=plant,
        engine=engine,
        broker=parse_broker_url(f"mqtt://127.0.0.1:{port}"),
        client_id=client_id,
        spill_path=workdir / f"spill-{client_id}.bin",
    )
    pub: C.Publisher | None = None
    rt = Runtime(cfg)
    try:
        rt.start()
        _wait_subscribed(rt, port, load.base_ts)
        t_pub = 0.0
        res: dict[str, float] = {}
        if drain:
            # The collector is away (its persistent session stays), the backlog builds up, it comes back.
            rt.stop()
            pub = C.Publisher("127.0.0.1", port, load)
            t_pub = pub.go()
            res = pub.result()
            pub.close()
            pub = None
            time.sleep(0.3)
            rt = Runtime(cfg)
            r0 = s0 = 0
            c0 = cpu_seconds()
            t0 = time.monotonic()
            rt.start()
        else:
            pub = C.Publisher("127.0.0.1", port, load)
            snap = rt.counters.snapshot()
            r0, s0 = int(snap["received"]), int(snap["stored"])  # type: ignore[call-overload]
            c0 = cpu_seconds()
            t0 = t_pub = pub.go()
        t_recv = 0.0
        deadline = t0 + max(120.0, n / 200)
        while True:
            snap = rt.counters.snapshot()
            if not t_recv and int(snap["received"]) - r0 >= n:  # type: ignore[call-overload]
                t_recv = time.monotonic()
            if int(snap["stored"]) - s0 >= n:  # type: ignore[call-overload]
                t_end = time.monotonic()
                c1 = cpu_seconds()
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"project stored {int(snap['stored']) - s0} of {n}: {snap}")  # type: ignore[call-overload]
            time.sleep(0.005)
        if pub is not None:
            res = pub.result()
        snap = rt.counters.snapshot()
    finally:
        rt.stop()
        if pub is not None:
            pub.close()
        C.clear_session("127.0.0.1", port, client_id)
    rows = _count_rows(engine, load.base_ts)
    engine.dispose()
    rejected = sum(snap["rejected"].values())  # type: ignore[attr-defined]
    return Run(
        rate=n / (t_end - t0),
        readings=n,
        stored=rows,
        received_rate=n / ((t_recv or t_end) - t0),
        publisher_rate=n / (res["t1"] - t_pub),
        rejected=rejected,
        cpu_us=(c1 - c0) / n * 1e6,
    )


def run_raw_db(path: Path, batches: int) -> float:
    """Reference: raw sqlite3 executemany of the batched run's rows (same order, 5,000-row commits, the
    writer's default) into a fresh database: the ceiling for any ingest into SQLite on this machine."""
    import sqlite3

    from hmi.storage.history import SQLITE_INSERT
    from hmi.storage.plant_repo import sensor_ids

    engine = C.prepare_db(f"sqlite:///{path}", C.build_plant(MILLS, SENSORS, SAMPLING_INTERVAL))
    ids = sensor_ids(engine)
    engine.dispose()
    base = time.time() - 86400
    rows = []
    for i in range(batches):
        m = i % MILLS
        for k in range(i * C.BATCH, (i + 1) * C.BATCH):
            rows.append((ids[C.eui_of(m, k % SENSORS)], base + k * 1e-5, 20.0 + (k % 100) * 0.1,
                         20.0 + (k % 100) * 0.1, 0))
    con = sqlite3.connect(path)
    try:
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
            con.execute(f"PRAGMA {pragma}")
        t0 = time.monotonic()
        for i in range(0, len(rows), 5000):
            con.executemany(SQLITE_INSERT, rows[i : i + 5000])
            con.commit()
        return len(rows) / (time.monotonic() - t0)
    finally:
        con.close()


def _wait_subscribed(rt, port: int, base_ts: float) -> None:  # type: ignore[no-untyped-def]
    """Probe readings (timestamps before the measured range) until one is stored: subscriptions are live."""
    import orjson
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    driver = rt.drivers["mqtt"]
    if not driver.connected.wait(10):
        raise RuntimeError("runtime did not connect to the broker")
    c = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id=f"probe-{uuid.uuid4().hex[:6]}",
                    protocol=mqtt.MQTTv5)
    c.connect("127.0.0.1", port)
    c.loop_start()
    try:
        topic = f"mills/{C.mill_slug(0)}/sensors/{C.eui_of(0, 0)}/reading"
        for k in range(50):
            c.publish(topic, orjson.dumps({"value": 1.0, "ts": base_ts - 1000 + k}), qos=1).wait_for_publish(5)
            if C.wait_until(lambda: int(rt.counters.snapshot()["stored"]) > 0, 0.2):
                return
        raise RuntimeError("runtime never stored a probe reading: not subscribed?")
    finally:
        c.disconnect()
        c.loop_stop()


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a run under a minute")
    ap.add_argument("--pg", action="store_true", help="also measure PostgreSQL (always on in full mode)")
    ap.add_argument("--rounds", type=int, default=None, help="alternating rounds (default 2, quick 1)")
    ap.add_argument("--messages", type=int, default=None, help="single-reading messages per run")
    ap.add_argument("--batches", type=int, default=None, help="gateway messages (x100 readings) per run")
    ap.add_argument("--live", action="store_true",
                    help="consume while the publisher publishes (default: drain a backlog published beforehand)")
    ap.add_argument("--only", default="", help="comma list of runs: bare,qos0,qos1,batched (for profiling)")
    args = ap.parse_args()
    rounds = args.rounds or (1 if args.quick else 2)
    messages = args.messages or (10_000 if args.quick else 40_000)
    batches = args.batches or (1_000 if args.quick else 3_000)
    with_pg = (args.pg or not args.quick) and C.pg_available()
    only = set(filter(None, args.only.split(",")))
    drain = not args.live

    def wanted(kind: str, bare: bool = False) -> bool:
        return not only or (kind in only and (not bare or "bare" in only))

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    runs: dict[str, list[Run]] = {}
    raw_db: list[float] = []

    def record(key: str, r: Run, label: str) -> None:
        runs.setdefault(key, []).append(r)
        extra = ""
        if key.startswith("proj") or key.startswith("pg"):
            extra = f"  (received {r.received_rate:8.0f}/s, rows {r.stored}/{r.readings}, rejected {r.rejected})"
        if r.publisher_bound:
            extra += "  PUBLISHER-BOUND: the consumer may be faster than this"
        C.log(f"  {label:<28} {r.rate:10.0f} readings/s  cpu {r.cpu_us:6.1f} us/reading  "
              f"publisher {r.publisher_rate:8.0f}/s{extra}")

    C.log("mode: " + ("drain (the backlog is published while the consumer is away; rate = readings / time from "
                      "its CONNECT to the last reading received, or stored for the project)" if drain else
                      "live (rate = readings / time from the publisher's start to the last reading)"))
    with C.tempdir() as d:
        C.isolate_user_dirs(d)
        broker = C.start_broker(d, queue_qos0=drain)
        pg = C.PgCluster().start() if with_pg else None
        try:
            n = 0
            for rnd in range(rounds):
                C.log(f"round {rnd + 1}/{rounds}")
                for qos in (0, 1):
                    if wanted(f"qos{qos}", bare=True):
                        record(f"bare_q{qos}", run_bare(broker.port, messages, qos, False, drain), f"bare QoS {qos}")
                    if wanted(f"qos{qos}"):
                        n += 1
                        url = f"sqlite:///{d / f'ingest{n}.sqlite'}"
                        record(f"proj_q{qos}", run_project(broker.port, messages, qos, False, url, d, drain),
                               f"project QoS {qos} SQLite")
                if wanted("batched", bare=True):
                    record("bare_b", run_bare(broker.port, batches, 1, True, drain), "bare batched QoS 1")
                if wanted("batched"):
                    n += 1
                    url = f"sqlite:///{d / f'ingest{n}.sqlite'}"
                    record("proj_b", run_project(broker.port, batches, 1, True, url, d, drain),
                           "project batched SQLite")
                    n += 1
                    raw_db.append(run_raw_db(d / f"raw{n}.sqlite", batches))
                    C.log(f"  {'raw SQLite, same rows':<28} {raw_db[-1]:10.0f} rows/s (executemany, 5,000-row commits)")
                if pg is not None and wanted("qos1"):
                    record("pg_q1", run_project(broker.port, messages, 1, False, pg.url(pg.new_database()), d, drain),
                           "project QoS 1 PostgreSQL")
                if pg is not None and wanted("batched"):
                    record("pg_b", run_project(broker.port, batches, 1, True, pg.url(pg.new_database()), d, drain),
                           "project batched PostgreSQL")
        finally:
            if pg is not None:
                pg.destroy()
            broker.stop()

    def med(key: str) -> float:
        return median([r.rate for r in runs.get(key, [])])

    lost = sum(r.readings - r.stored for k, rs in runs.items() if not k.startswith("bare") for r in rs)
    q0, b0 = med("proj_q0"), med("bare_q0")
    q1, b1 = med("proj_q1"), med("bare_q1")
    qb, bb = med("proj_b"), med("bare_b")
    figures = [
        {"figure": "ingest_qos0", "value": round(q0), "unit": "readings/s", "baseline": round(b0),
         "ratio": C.ratio(q0, b0), "goal": f">= {GOAL_QOS0}"},
        {"figure": "ingest_qos1", "value": round(q1), "unit": "readings/s", "baseline": round(b1),
         "ratio": C.ratio(q1, b1), "goal": f">= {GOAL_QOS1}"},
        {"figure": "ingest_batched", "value": round(qb), "unit": "readings/s", "baseline": round(bb),
         "ratio": C.ratio(qb, bb), "goal": f">= {GOAL_BATCHED}"},
    ]
    if with_pg:
        p1, pb = med("pg_q1"), med("pg_b")
        figures += [
            {"figure": "ingest_qos1_pg", "value": round(p1), "unit": "readings/s", "baseline": round(b1),
             "ratio": C.ratio(p1, b1), "goal": f">= {GOAL_QOS1}"},
            {"figure": "ingest_batched_pg", "value": round(pb), "unit": "readings/s", "baseline": round(bb),
             "ratio": C.ratio(pb, bb), "goal": f">= {GOAL_BATCHED}"},
        ]
    met = {
        "ingest_qos0": (figures[0]["ratio"] or 0) >= GOAL_QOS0,
        "ingest_qos1": (figures[1]["ratio"] or 0) >= GOAL_QOS1,
        "ingest_batched": qb >= GOAL_BATCHED,
    }
    C.log("")
    for f in figures:
        C.log(f"figure {f['figure']:<18} {f['value']:>9} readings/s   bare {f['baseline']:>9}   "
              f"ratio {f['ratio']}   goal {f['goal']}")
    C.log(f"lost readings (published - rows in the database): {lost}")
    result = dict(figures[1])
    result.update(
        {
            "qos0_value": figures[0]["value"], "qos0_baseline": figures[0]["baseline"],
            "qos0_ratio": figures[0]["ratio"], "qos0_goal": figures[0]["goal"],
            "batched_readings_per_s": figures[2]["value"], "batched_baseline": figures[2]["baseline"],
            "batched_ratio": figures[2]["ratio"], "batched_goal": figures[2]["goal"],
            "lost": lost,
            "raw_sqlite_rows_per_s": round(median(raw_db)),
            "goals_met": met,
            "mode": "drain" if drain else "live",
            "rounds": rounds, "messages_per_run": messages, "batched_readings_per_run": batches * C.BATCH,
            "sensors": MILLS * SENSORS, "db": "sqlite" + ("+postgresql" if with_pg else ""),
            "figures": figures,
        }
    )
    if with_pg:
        result["pg_qos1_readings_per_s"] = figures[3]["value"]
        result["pg_qos1_ratio"] = figures[3]["ratio"]
        result["pg_batched_readings_per_s"] = figures[4]["value"]
    C.emit(result)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
