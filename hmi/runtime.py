"""The data runtime shared by the app and the headless collector: drivers -> ingest -> history.

Qt-free, so `millwatch collect` runs without a display. Drivers are chosen per sensor by the
scheme of its source URL through the one registry; link states and counters are collected here
for the status bar and the collector's status line.
"""

from __future__ import annotations

import gc
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from hmi.core.broker import BrokerUrl
from hmi.core.domain import Calibration, Reading, Sensor
from hmi.core.plant import Plant
from hmi.core.sources import parse_source
from hmi.drivers.base import Driver, DriverContext, LinkState
from hmi.drivers.registry import DriverRegistry
from hmi.services.alarm_service import AlarmEvaluator
from hmi.services.counters import IngestCounters
from hmi.services.history_writer import HistoryWriter
from hmi.services.ingest import IngestPipeline
from hmi.services.mill_events import MillEventStore
from hmi.services.retention import RetentionSettings
from hmi.services.rollup_job import RollupJob
from hmi.storage.plant_repo import sensor_ids

log = logging.getLogger(__name__)
LinkListener = Callable[[str, LinkState, str], None]
# Allocations between young collections of the cyclic garbage collector while the runtime runs
# (CPython's default is 700). Ingest allocates container objects fast (paho's objects per message,
# the JSON arrays, rows waiting for their commit): with the default, the collector ran about once
# per 800 readings and took 0.9 us of CPU per reading (measured at 100k readings/s, about a tenth of
# all the ingest cost, its full passes going over every object the application holds); with 50,000,
# 0.08 us. Objects in reference cycles are freed a little later; nothing else changes.
INGEST_GC_THRESHOLD0 = 50_000


# The built-in drivers' factories import their module (paho, pymodbus...) when a driver of that kind is
# first created: a plant without Modbus never loads pymodbus, and nothing loads before the runtime starts
# (the app's window shows first).
def _mqtt_driver(ctx: DriverContext) -> Driver:
    from hmi.drivers.mqtt import create_mqtt_driver

    return create_mqtt_driver(ctx)


def _modbus_driver(ctx: DriverContext) -> Driver:
    from hmi.drivers.modbus import create_modbus_driver

    return create_modbus_driver(ctx)


def _sim_driver(ctx: DriverContext) -> Driver:
    from hmi.drivers.sim import create_sim_driver

    return create_sim_driver(ctx)


def default_registry() -> DriverRegistry:
    """Built-in drivers registered explicitly; third-party ones from the entry-point group."""
    reg = DriverRegistry()
    reg.register("mqtt", _mqtt_driver)
    reg.register("modbus", _modbus_driver)
    reg.register("modbus+rtu", _modbus_driver)
    reg.register("sim", _sim_driver)
    reg.load_entry_points()
    return reg


@dataclass
class RuntimeConfig:
    plant: Plant
    engine: Engine | None
    broker: BrokerUrl | None = None
    broker_password: str | None = None
    client_id: str = field(default_factory=lambda: f"millwatch-{socket.gethostname()}")
    simulate_all: bool = False
    sim_options: dict[str, object] = field(default_factory=dict)
    modbus_options: dict[str, object] = field(default_factory=dict)
    spill_path: Path | None = None
    evaluate_alarms: bool = True  # the one instance per database that ingests also evaluates alarms
    # Seconds before the rollup job's first pass (with its retention sweep, thousands of small
    # transactions): a collector that restarts after an outage first drains the broker's backlog.
    rollup_delay: float = 30.0
    # Young collections every INGEST_GC_THRESHOLD0 allocations while running (the default restored at stop).
    tune_gc: bool = True


class Runtime:
    def __init__(self, cfg: RuntimeConfig, registry: DriverRegistry | None = None) -> None:
        self.cfg = cfg
        self._registry = registry  # the default one is made at start (plug-ins are looked up then)
        self.counters = IngestCounters()
        self.links: dict[str, tuple[LinkState, str]] = {}
        self._links_lock = threading.Lock()
        self._link_listeners: list[LinkListener] = []
        self.writer: HistoryWriter | None = None
        self.rollups: RollupJob | None = None
        self._rollup_timer: threading.Timer | None = None
        self._stopping = False
        ids: dict[str, int] = {}
        if cfg.engine is not None:
            ids = sensor_ids(cfg.engine)
            # The instance that ingests keeps the per-minute/per-hour rollups the trends read.
            self.rollups = RollupJob(cfg.engine, retention=RetentionSettings(cfg.engine).load)
            self.writer = HistoryWriter(cfg.engine, spill_path=cfg.spill_path, on_stored=self.counters.add_stored,
                                        writer=self.rollups.tracking_writer())
        self.pipeline = IngestPipeline(
            cfg.plant.sensors(), sensor_ids=ids, writer=self.writer, counters=self.counters
        )
        self.alarms: AlarmEvaluator | None = None
        if cfg.engine is not None and cfg.evaluate_alarms:
            self.alarms = AlarmEvaluator(cfg.engine, cfg.plant)
            self.pipeline.set_alarm_hook(self.alarms.on_reading, windows=self.alarms.quiet_windows)
            self.pipeline.add_stale_listener(self.alarms.on_stale)
            self.pipeline.add_ticker(self.alarms.tick)
        self._events = (
            MillEventStore(cfg.engine, self.counters, on_status=self.alarms.on_mill_status if self.alarms else None)
            if cfg.engine is not None
            else None
        )
        self.drivers: dict[str, Driver] = {}
        self._started_at = 0.0
        self._last_status = (0.0, 0, 0)
        self._gc_threshold: tuple[int, int, int] | None = None  # to restore at stop

    @property
    def registry(self) -> DriverRegistry:
        if self._registry is None:
            self._registry = default_registry()
        return self._registry

    # -- wiring ------------------------------------------------------------------------------------
    def add_readings_listener(self, sink: Callable[[list[Reading]], None]) -> None:
        self.pipeline.add_listener(sink)

    def update_calibration(self, eui: str, calibration: Calibration) -> None:
        """A calibration applied at a console: readings from now on are calibrated with it (the raw
        value is stored beside, so history can be re-derived). Runs on the ingest thread."""
        self.pipeline.submit_call(lambda: self.pipeline.set_calibration(eui, calibration))

    def update_sensor(self, sensor: Sensor) -> None:
        """A sensor edited at a console: ingest, staleness and alarms use its new settings from the
        next reading on (the alarm engine reconfigures when it sees the changed sensor)."""
        self.pipeline.submit_call(lambda: self.pipeline.set_sensor(sensor))

    def add_link_listener(self, sink: LinkListener) -> None:
        self._link_listeners.append(sink)

    def _on_link(self, name: str, state: LinkState, detail: str) -> None:
        with self._links_lock:
            changed = self.links.get(name) != (state, detail)
            self.links[name] = (state, detail)
        if changed:
            quiet = state in (LinkState.UP, LinkState.CONNECTING) or detail in ("stopped", "Normal disconnection")
            (log.info if quiet else log.warning)("link %s: %s %s", name, state.value, detail)
            for sink in self._link_listeners:
                sink(name, state, detail)

    def _on_reject(self, reason: str, detail: str) -> None:
        key, sep, rest = detail.partition(": ")
        self.pipeline.reject(reason, rest if sep else detail, key=key if sep else "input")

    def _on_mill_event(self, kind: str, mill: str, doc: dict[str, object]) -> None:
        if self._events is not None:
            events = self._events
            self.pipeline.submit_call(lambda: events.handle(kind, mill, doc))

    def _context(self, scheme: str) -> DriverContext:
        options: dict[str, object] = {}
        if scheme == "mqtt":
            options = {
                "broker": self.cfg.broker, "client_id": self.cfg.client_id, "password": self.cfg.broker_password,
                "on_mill_event": self._on_mill_event, "on_items": self.pipeline.submit_items,
                "on_gateway": self.pipeline.submit_gateway,
            }
        elif scheme.startswith("modbus"):
            options = dict(self.cfg.modbus_options)
        elif scheme == "sim":
            options = {**self.cfg.sim_options, "simulate_all": self.cfg.simulate_all}
        return DriverContext(self.pipeline.submit, self._on_link, self._on_reject, options)

    def _driver(self, scheme: str) -> Driver:
        key = "modbus" if scheme.startswith("modbus") else scheme
        if key not in self.drivers:
            self.drivers[key] = self.registry.factory(scheme)(self._context(scheme))
        return self.drivers[key]

    def build_drivers(self) -> None:
        for sensor in self.cfg.plant.sensors():
            if not sensor.enabled:
                continue
            source = parse_source(sensor.effective_source())
            scheme = "sim" if self.cfg.simulate_all else source.scheme
            if scheme == "mqtt" and self.cfg.broker is None:
                self._on_link("broker", LinkState.DOWN, "no broker configured")
                continue
            self._driver(scheme).add(sensor, source)
        if self.cfg.broker is not None and not self.cfg.simulate_all:
            mqtt_driver = self._driver("mqtt")
            for mill in self.cfg.plant.mills:
                mqtt_driver.add_mill(mill.slug)  # type: ignore[attr-defined]

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> None:
        self._started_at = time.monotonic()
        if self.cfg.tune_gc and self._gc_threshold is None:
            self._gc_threshold = gc.get_threshold()
            g0, g1, g2 = self._gc_threshold
            gc.set_threshold(max(g0, INGEST_GC_THRESHOLD0), g1, g2)
        if self.writer is not None:
            self.writer.start()
        if self.rollups is not None:
            self._rollup_timer = threading.Timer(self.cfg.rollup_delay, self._start_rollups)
            self._rollup_timer.daemon = True
            self._rollup_timer.start()
        self.pipeline.start()
        self.build_drivers()
        for d in self.drivers.values():
            d.start()

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop drivers, process what arrived, commit it (acks go out), then disconnect."""
        for name, d in self.drivers.items():
            if name != "mqtt":
                d.stop()
        self.pipeline.drain(timeout)
        clean = True
        if self.writer is not None:
            self.writer.flush(timeout)
            clean = self.writer.stop(timeout)
        if "mqtt" in self.drivers:
            time.sleep(0.1)  # let the last PUBACKs leave before the DISCONNECT
            self.drivers["mqtt"].stop()
        self.pipeline.stop()
        if self.rollups is not None:
            with self._links_lock:
                self._stopping = True
            if self._rollup_timer is not None:
                self._rollup_timer.cancel()
            self.rollups.stop()
        if self._gc_threshold is not None:
            gc.set_threshold(*self._gc_threshold)
            self._gc_threshold = None
        return clean

    def _start_rollups(self) -> None:
        with self._links_lock:  # never after stop()
            if not self._stopping and self.rollups is not None:
                self.rollups.start()

    def status_line(self) -> str:
        """received/s, stored/s, rejected by reason, backlog, links: one line for the log."""
        snap = self.counters.snapshot()
        now = time.monotonic()
        t0, r0, s0 = self._last_status
        dt = max(now - t0, 1e-6) if t0 else max(now - self._started_at, 1e-6)
        received, stored = int(snap["received"]), int(snap["stored"])  # type: ignore[call-overload]
        self._last_status = (now, received, stored)
        rejected = snap["rejected"]
        rej = ",".join(f"{k}={v}" for k, v in sorted(rejected.items())) or "0"  # type: ignore[attr-defined]
        with self._links_lock:
            up = sum(1 for s, _ in self.links.values() if s is LinkState.UP)
            down = [n for n, (s, _) in self.links.items() if s is not LinkState.UP]
        backlog = self.writer.backlog if self.writer is not None else 0
        return (
            f"received/s={(received - r0) / dt:.1f} stored/s={(stored - s0) / dt:.1f} total={received}/{stored} "
            f"rejected={rej} backlog={backlog} links up={up} down={len(down)}"
            + (f" ({', '.join(sorted(down))})" if down else "")
        )
