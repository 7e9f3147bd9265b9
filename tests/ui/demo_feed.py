"""A stand-in for the simulator driver: a plain thread feeding a LiveBridge with plausible readings.

Deterministic: a few sensors are held abnormal (warning, critical, bad quality, stale, no data)
so screenshots show every state. Replaced by the real `sim://` driver once it exists.
"""

from __future__ import annotations

import math
import random
import threading
import time
import tomllib

from hmi.core.domain import Quality, Reading, Sensor
from hmi.core.plant import Plant, parse_plant
from hmi.ui.bridge import LiveBridge
from hmi.ui.resources import read_text

# index in plant.sensors() -> what the feeder does with it
SCENARIO = {
    2: "warning_low",
    10: "critical_high",
    7: "bad",
    14: "stale",
    20: "warning_high",
    25: "nodata",
}


def demo_plant() -> Plant:
    return parse_plant(tomllib.loads(read_text("plants", "demo.toml")))


def normal_value(sensor: Sensor) -> float:
    th = sensor.thresholds
    lo = th.warning_min if th.warning_min is not None else th.critical_min
    hi = th.warning_max if th.warning_max is not None else th.critical_max
    if lo is not None and hi is not None:
        return lo + 0.55 * (hi - lo)
    if hi is not None:
        return 0.6 * hi if hi > 0 else hi * 1.4
    if lo is not None:
        return lo * 1.5 if lo > 0 else lo * 0.6
    return 50.0


def abnormal_value(sensor: Sensor, kind: str) -> float:
    th = sensor.thresholds
    if kind == "critical_high" and th.critical_max is not None:
        return th.critical_max * 1.07
    if kind == "warning_high" and th.warning_max is not None:
        top = th.critical_max if th.critical_max is not None else th.warning_max * 1.1
        return (th.warning_max + top) / 2
    if kind == "warning_low" and th.warning_min is not None:
        bottom = th.critical_min if th.critical_min is not None else th.warning_min - abs(th.warning_min) * 0.1
        return (th.warning_min + bottom) / 2
    return normal_value(sensor)


class DemoFeeder:
    """Submits one reading per sensor every `period` seconds from its own thread."""

    def __init__(self, plant: Plant, bridge: LiveBridge, *, period: float = 0.1, seed: int = 7) -> None:
        self.sensors = plant.sensors()
        self.bridge = bridge
        self.period = period
        self._rng = random.Random(seed)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-feeder", daemon=True)

    def start(self) -> DemoFeeder:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)

    def batch(self, now: float) -> list[Reading]:
        out = []
        for i, s in enumerate(self.sensors):
            kind = SCENARIO.get(i, "normal")
            if kind == "nodata":
                continue
            if kind == "bad":
                out.append(Reading(s.eui, now, None, Quality.BAD))
                continue
            base = abnormal_value(s, kind) if kind != "normal" else normal_value(s)
            wobble = 0.01 * abs(base) * math.sin(now / 7 + i) + 0.002 * abs(base) * self._rng.uniform(-1, 1)
            ts = now - 120 if kind == "stale" else now
            out.append(Reading(s.eui, ts, base + wobble, Quality.GOOD))
        return out

    def _run(self) -> None:
        self.bridge.submit_link("mqtt", "connecting", "broker 127.0.0.1:1883")
        self.bridge.submit_link("modbus", "connecting", "127.0.0.1:5020")
        first = True
        while not self._stop.is_set():
            self.bridge.submit(self.batch(time.time()))
            if first:
                self.bridge.submit_link("mqtt", "connected", "broker 127.0.0.1:1883 (simulated)")
                self.bridge.submit_link("modbus", "connected", "127.0.0.1:5020 (simulated)")
                first = False
            self._stop.wait(self.period)
