"""Alarm latency: from a reading's arrival at the broker to the alarm in the banner model.

Setup: a private mosquitto, the real Runtime (MQTT driver -> ingest -> alarm evaluator -> history in
SQLite) and the GUI thread seam (LiveBridge's ordered alarm channel, offscreen Qt) holding a banner
list. A publisher in this process sends 1,000 readings/s over 20 sensors; every 200 ms one sensor
jumps past its critical limit (a value that encodes its send time). Latency = time the alarm reaches
the banner model on the GUI thread - time the reading was published. Also measured: the evaluation
cost per reading, pipeline with alarms against the same pipeline without (in-process, no broker).

Last line: {"figure": "alarm_latency_p99", "value": p99_ms, ...}. --quick: 15 s of load.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks._common import emit, isolate_user_dirs, log, ratio, start_broker, tempdir

MILLS, SENSORS = 2, 10
CRIT, WARN = 75.0, 60.0


def plant_text() -> str:
    out = ["schema_version = 1"]
    for m in range(MILLS):
        out += ["[[mills]]", f'slug = "m{m}"', f'name = "Mill {m}"', "capacity = 100"]
        for s in range(SENSORS):
            out += [
                "  [[mills.sensors]]", f'  name = "S{s}"', '  type = "temperature"', f'  eui = "A0{m:02X}{s:012X}"',
                "  sampling_interval = 1", f"  thresholds = {{ warning_max = {WARN}, critical_max = {CRIT} }}",
                "  alarm = { off_delay = 0, deadband = 0.1 }",
            ]
    return "\n".join(out)


def evaluation_cost(plant, n: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Seconds per reading through IngestPipeline._process without and with the alarm evaluator."""
    from hmi.core.domain import Quality
    from hmi.drivers.base import Sample
    from hmi.services.alarm_service import AlarmEvaluator
    from hmi.services.ingest import IngestPipeline
    from hmi.storage.database import make_engine
    from hmi.storage.migrate import upgrade
    from hmi.storage.plant_repo import apply_plant

    with tempdir() as d:
        engine = make_engine(f"sqlite:///{d / 'cost.sqlite'}")
        upgrade(engine)
        apply_plant(engine, plant)
        sensors = plant.sensors()
        t0 = time.time() - n
        batches = [[Sample(sensors[(i + j) % len(sensors)].eui, t0 + i + j / 100, 40.0 + (j % 7), Quality.GOOD)
                    for j in range(100)] for i in range(0, n, 100)]
        bare = IngestPipeline(sensors)
        start = time.perf_counter()
        for b in batches:
            bare._process(b)
        t_bare = (time.perf_counter() - start) / n
        with_alarms = IngestPipeline(sensors)
        ev = AlarmEvaluator(engine, plant)
        with_alarms.set_alarm_hook(ev.on_reading, windows=ev.quiet_windows)  # as the runtime wires it
        start = time.perf_counter()
        for b in batches:
            with_alarms._process(b)
        t_alarm = (time.perf_counter() - start) / n
        engine.dispose()
    return t_bare, t_alarm


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    seconds = 15 if args.quick else 60
    import tomllib

    import orjson
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion
    from PySide6.QtCore import QCoreApplication

    from hmi.core.alarms import AlarmKind
    from hmi.core.plant import parse_plant

    plant = parse_plant(tomllib.loads(plant_text()))
    t_bare, t_alarm = evaluation_cost(plant, 20_000 if args.quick else 100_000)
    log(f"evaluation cost: {t_bare * 1e6:.1f} us/reading without alarms, {t_alarm * 1e6:.1f} us with "
        f"({(t_alarm - t_bare) * 1e6:.1f} us for alarms)")

    from benchmarks._common import prepare_db
    from hmi.core.broker import parse_broker_url
    from hmi.runtime import Runtime, RuntimeConfig
    from hmi.ui.bridge import LiveBridge

    app = QCoreApplication.instance() or QCoreApplication([])
    with tempdir() as d:
        isolate_user_dirs(d)
        broker = start_broker(d)
        engine = prepare_db(f"sqlite:///{d / 'lat.sqlite'}", plant)
        runtime = Runtime(RuntimeConfig(plant=plant, engine=engine, broker=parse_broker_url(broker.url),
                                        client_id="bench-alarm", spill_path=d / "spill.bin"))
        bridge = LiveBridge()
        sent: dict[float, float] = {}
        latencies: list[float] = []
        banner: dict[str, object] = {}

        def on_alarms(alarms) -> None:  # type: ignore[no-untyped-def]  # GUI thread: the banner model
            now = time.perf_counter()
            for a in alarms:
                banner[str(a.key)] = a
                if a.kind is AlarmKind.HIGH_HIGH and a.unacked and a.value in sent:
                    latencies.append((now - sent.pop(a.value)) * 1000)

        bridge.alarmsChanged.connect(on_alarms)
        assert runtime.alarms is not None
        runtime.alarms.add_listener(bridge.submit_alarms)
        runtime.start()
        pub = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        pub.connect("127.0.0.1", broker.port)
        pub.loop_start()
        sensors = plant.sensors()
        stop = threading.Event()

        def publish() -> None:
            i, k = 0, 0
            start = time.perf_counter()
            while not stop.is_set():
                s = sensors[i % len(sensors)]
                if i % 200 == 0:  # an excursion every 200 ms: a unique value marks its send time
                    k += 1
                    value = round(CRIT + 1 + k / 1000.0, 4)
                    sent[value] = time.perf_counter()
                else:
                    value = 40.0
                pub.publish(f"mills/{s.mill_slug}/sensors/{s.eui}/reading",
                            orjson.dumps({"value": value, "ts": time.time()}), qos=1)
                i += 1
                lag = start + i / 1000.0 - time.perf_counter()
                if lag > 0:
                    time.sleep(lag)

        th = threading.Thread(target=publish, daemon=True)
        th.start()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.002)
        stop.set()
        th.join()
        end = time.monotonic() + 2
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.005)
        pub.disconnect()
        pub.loop_stop()
        runtime.stop()
        broker.stop()
        engine.dispose()
    latencies.sort()
    n = len(latencies)
    p50 = latencies[n // 2] if n else float("nan")
    p99 = latencies[min(n - 1, int(n * 0.99))] if n else float("nan")
    log(f"alarm latency broker -> banner model: n={n} p50={p50:.1f} ms p99={p99:.1f} ms")
    emit({"figure": "alarm_latency_p99", "value": round(p99, 1), "unit": "ms", "p50_ms": round(p50, 1),
          "alarms": n, "rate": "1000 readings/s", "eval_us_per_reading": round((t_alarm - t_bare) * 1e6, 2),
          "pipeline_us_per_reading": round(t_bare * 1e6, 2), "baseline": round(t_bare * 1e6, 2),
          "ratio": ratio(t_alarm, t_bare), "goal": "p99 < 250 ms"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
