"""`millwatch simulate`: a whole plant's devices on real transports, for the demo and the tests.

The simulator plays every field device of a plant file:
- MQTT sensors publish their raw readings on their source topic (QoS 1) as the contract's JSON,
  `{"value": 12.3, "ts": 1795510800.0, "quality": "good"}`, honouring `?path=a.b` and `?ts=field`;
- each mill publishes `mills/{mill}/status` (retained) and `mills/{mill}/production` (retained, so a
  new subscriber sees today's figure at once) `{"date": "2026-11-24", "actual": 412.5}`;
- Modbus sensors are served as registers of a real pymodbus TCP server, one unit per `unit=` used;
- each mill's controller answers commands on `mills/{mill}/commands/{name}` with an ack on
  `.../{name}/ack`, and on Modbus (unit of the mill's e-stop URL): writing 1 to the stop coil (coil 0)
  latches discrete input 0 after ~100 ms; discrete input 1 = running; coil 1 = reset request,
  coil 2 = start request (both self-clearing); holding register 900 = last command code
  (1 estop, 2 estop_reset, 3 start_production);
- faults (`Faults`) make it misbehave like real devices.

Values are the signal model's (hmi/core/simulation.py), so they are reproducible from the seed.
All timed work runs on one engine thread; MQTT and Modbus callbacks only hand work to it.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from pymodbus.constants import ExcCodes

from hmi.core.broker import parse_broker_url
from hmi.core.domain import Mill, MillStatus, Sensor
from hmi.core.plant import Plant
from hmi.core.registers import encode_value, scaled_register_value
from hmi.core.simulation import (
    DAY,
    MODBUS_FAULTS,
    MQTT_FAULTS,
    Fault,
    FaultInjector,
    Faults,
    SignalModel,
    production_rate,
    production_so_far,
    uncalibrate,
)
from hmi.core.sources import ModbusSource, MqttSource, parse_source
from hmi.services.mill_controller import MillController
from hmi.services.modbus_device import ModbusDeviceServer
from hmi.services.scheduler import Scheduler

log = logging.getLogger(__name__)

COMMAND_TOPIC_FILTER = "mills/+/commands/+"
COMMAND_CODE_REGISTER = 900
_NAN_MARK = "\x00NaN\x00"


# ---------------------------------------------------------------------------------------------------
# Payloads and addresses
# ---------------------------------------------------------------------------------------------------


def _put(obj: dict[str, Any], path: str, value: object) -> None:
    keys = [k for k in path.split(".") if k] or ["value"]
    for k in keys[:-1]:
        nxt = obj.get(k)
        if not isinstance(nxt, dict):
            nxt = obj[k] = {}
        obj = nxt
    obj[keys[-1]] = value


def reading_payload(
    value: float,
    ts: float,
    *,
    value_path: str = "value",
    ts_field: str = "ts",
    quality: str = "good",
    iso: bool = False,
) -> bytes:
    """The contract's reading JSON, with the value (and timestamp) at the source's dotted paths.

    NaN has no JSON spelling; it is sent as the bare `NaN` token that Python's json module and many
    gateways emit, so the ingest path meets what the field sends.
    """
    doc: dict[str, Any] = {}
    v: object = _NAN_MARK if math.isnan(value) else round(value, 4)
    _put(doc, value_path, v)
    stamp: object = (
        datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        if iso
        else round(ts, 3)
    )
    _put(doc, ts_field or "ts", stamp)
    doc.setdefault("quality", quality)
    data = orjson.dumps(doc)
    return data.replace(orjson.dumps(_NAN_MARK), b"NaN") if v is _NAN_MARK else data




# ---------------------------------------------------------------------------------------------------
# What the simulator serves
# ---------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _MqttPoint:
    sensor: Sensor
    model: SignalModel
    source: MqttSource
    period: float


@dataclass(slots=True)
class _ModbusPoint:
    sensor: Sensor
    model: SignalModel
    source: ModbusSource
    period: float
    failing: bool = False


@dataclass(frozen=True, slots=True)
class _ModbusControl:
    """Where a mill's controller lives on Modbus (from the mill's e-stop URL)."""

    slug: str
    unit: int
    stop_coil: int
    latched_di: int

    @property
    def reset_coil(self) -> int:
        return self.stop_coil + 1

    @property
    def start_coil(self) -> int:
        return self.stop_coil + 2

    @property
    def running_di(self) -> int:
        return self.latched_di + 1


@dataclass(slots=True)
class _Production:
    day: int
    actual: float
    last: float


def _modbus_control(mill: Mill) -> _ModbusControl | None:
    if not mill.estop_modbus:
        return None
    src = parse_source(mill.estop_modbus)
    if not isinstance(src, ModbusSource) or src.serial or src.table != "coil":
        return None
    latched = src.address
    if src.readback:
        table, _, addr = src.readback.partition("/")
        if table.lower() == "di" and addr.isdigit():
            latched = int(addr)
    return _ModbusControl(mill.slug, src.unit, src.address, latched)


class Simulator:
    """Plays a plant's devices on an MQTT broker and a Modbus TCP server until stopped.

    `broker_url` follows hmi/core/broker.py (`mqtt[s]://[user@]host[:port][?ca=&cert=&key=]`, the
    password separately as `broker_password`); `broker_url=None` skips MQTT. `modbus_port=None` skips
    Modbus (0 picks a free port, see `.modbus_port`). `speed` runs sampling and the signals faster
    (timestamps stay wall-clock); `latch_delay` is the controller's reaction time to an e-stop,
    `coast_down` how long the mill keeps running after the latch; `production_interval` the period
    of production messages.
    """

    def __init__(
        self,
        plant: Plant,
        broker_url: str | None = None,
        modbus_host: str = "127.0.0.1",
        modbus_port: int | None = None,
        faults: Faults | None = None,
        speed: float = 1.0,
        seed: int = 0,
        *,
        latch_delay: float = 0.1,
        coast_down: float = 0.0,
        production_interval: float = 10.0,
        iso_timestamps: bool = False,
        client_id: str | None = None,
        broker_password: str | None = None,
    ) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be above 0, got {speed}")
        self.plant = plant
        self.broker = parse_broker_url(broker_url) if broker_url else None
        self._broker_password = broker_password
        self.faults = faults or Faults()
        self.speed = speed
        self.seed = seed
        self.latch_delay = latch_delay
        self.coast_down = coast_down
        self.production_interval = production_interval
        self.iso_timestamps = iso_timestamps
        self.stats: Counter[str] = Counter()
        self._injector = FaultInjector(self.faults, seed)
        self._sched = Scheduler("simulator")
        self._thread: threading.Thread | None = None
        self._t0 = time.time()
        self.controllers = {m.slug: MillController(m.slug, running=m.status is MillStatus.ACTIVE) for m in plant.mills}
        self._production: dict[str, _Production] = {}
        self._mqtt_points: list[_MqttPoint] = []
        self._modbus_points: list[_ModbusPoint] = []
        self._controls: dict[str, _ModbusControl] = {}
        self._collect_points()
        self._client: mqtt.Client | None = None
        self._connected = threading.Event()
        self._subscribed = threading.Event()
        self._client_id = client_id or f"millwatch-sim-{uuid.uuid4().hex[:10]}"
        self._modbus: ModbusDeviceServer | None = None
        units = {p.source.unit for p in self._modbus_points} | {c.unit for c in self._controls.values()}
        if modbus_port is not None and units:
            self._modbus = ModbusDeviceServer(
                units,
                host=modbus_host,
                port=modbus_port,
                on_write=self._on_modbus_write_hook,
                delay=self._delay_hook if self.faults.slow else None,
            )
        elif units:
            log.warning("simulator: no Modbus port given; %d Modbus sensors are not served", len(self._modbus_points))

    # -- setup ----------------------------------------------------------------------------------------

    def _collect_points(self) -> None:
        endpoints: set[str] = set()
        for mill in self.plant.mills:
            ctl = _modbus_control(mill)
            if ctl is not None:
                self._controls[mill.slug] = ctl
            for s in mill.sensors:
                src = parse_source(s.effective_source())
                period = s.sampling_interval / self.speed
                if isinstance(src, MqttSource):
                    self._mqtt_points.append(_MqttPoint(s, SignalModel(s, self.seed), src, period))
                elif isinstance(src, ModbusSource) and not src.serial:
                    endpoints.add(src.device_key)
                    self._modbus_points.append(_ModbusPoint(s, SignalModel(s, self.seed), src, period))
                else:
                    log.info("simulator: %s (%s) is not served (%s source)", s.name, s.eui, src.scheme)
        if len(endpoints) > 1:
            log.info("simulator: Modbus sources name %s; all are served on one port", ", ".join(sorted(endpoints)))
        self._check_overlaps()

    def _check_overlaps(self) -> None:
        used: dict[tuple[int, str, int], str] = {}
        for p in self._modbus_points:
            for a in range(p.source.address, p.source.address + p.source.count):
                key = (p.source.unit, p.source.table, a)
                if key in used:
                    log.warning("simulator: %s and %s share unit %s %s %s", used[key], p.sensor.eui, *key)
                used[key] = p.sensor.eui

    # -- lifecycle ------------------------------------------------------------------------------------

    @property
    def modbus_port(self) -> int | None:
        return self._modbus.port if self._modbus is not None else None

    @property
    def modbus_server(self) -> ModbusDeviceServer | None:
        return self._modbus

    @property
    def mqtt_connected(self) -> bool:
        return self._connected.is_set()

    def start(self) -> None:
        """Fill the registers, open the Modbus port, connect to the broker, start the engine.

        Returns once Modbus listens; the MQTT connection is made in the background (and re-made after
        a broker restart): `wait_ready()` waits for it.
        """
        if self._thread is not None:
            return
        self._t0 = time.time()
        self._sched.reset()
        now_wall = time.time()
        for p in self._modbus_points:
            self._update_modbus(p, now_wall)
        for ctl in self._controls.values():
            self._sync_modbus_control(ctl.slug)
        for mill in self.plant.mills:
            t = self.sim_time(now_wall)
            self._production[mill.slug] = _Production(
                int(t // DAY), production_so_far(mill.capacity, self.seed, mill.slug, t), t
            )
        if self._modbus is not None:
            self._modbus.start()
        if self.broker is not None:
            self._start_mqtt()
        self._schedule_points()
        self._thread = threading.Thread(target=self._sched.run, name="simulator", daemon=True)
        self._thread.start()

    def wait_ready(self, timeout: float = 5.0) -> bool:
        """True once connected to the broker and subscribed to commands (at once without MQTT)."""
        if self.broker is None:
            return True
        deadline = time.monotonic() + timeout
        return self._connected.wait(timeout) and self._subscribed.wait(max(0.0, deadline - time.monotonic()))

    def stop(self) -> None:
        """Stop the engine, say the mills are offline (retained), disconnect, close the Modbus port."""
        thread = self._thread
        if thread is not None:
            self._sched.stop()
            thread.join(timeout=5.0)
            self._thread = None
        client = self._client
        if client is not None:
            if client.is_connected():
                infos = [
                    client.publish(f"mills/{m.slug}/status", orjson.dumps({"status": "offline"}), qos=1, retain=True)
                    for m in self.plant.mills
                ]
                for info in infos:
                    try:
                        info.wait_for_publish(timeout=1.0)
                    except (RuntimeError, ValueError):
                        log.warning("simulator: offline status not delivered")
            client.disconnect()
            client.loop_stop()
            self._client = None
            self._connected.clear()
            self._subscribed.clear()
        if self._modbus is not None:
            self._modbus.stop()

    def run_forever(self, stop_event: threading.Event) -> None:
        """Run until `stop_event` is set (the CLI sets it on SIGINT/SIGTERM)."""
        self.start()
        try:
            stop_event.wait()
        finally:
            self.stop()

    def __enter__(self) -> Simulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def sim_time(self, wall: float) -> float:
        """Signal time for a wall-clock time: `speed` times faster from start()."""
        if self.speed == 1.0:
            return wall
        return self._t0 + (wall - self._t0) * self.speed

    # -- MQTT -----------------------------------------------------------------------------------------

    def _start_mqtt(self) -> None:
        assert self.broker is not None
        client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=self._client_id,
            protocol=mqtt.MQTTv5,
        )
        if self.broker.username:
            client.username_pw_set(self.broker.username, self._broker_password)
        if self.broker.tls:
            client.tls_set(
                ca_certs=self.broker.ca_file or None,
                certfile=self.broker.cert_file or None,
                keyfile=self.broker.key_file or None,
            )
        client.reconnect_delay_set(min_delay=1, max_delay=5)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_subscribe = self._on_subscribe
        client.on_message = self._on_message
        client.connect_async(self.broker.host, self.broker.port, keepalive=30, clean_start=True)
        self._client = client
        client.loop_start()

    def _on_connect(self, client: mqtt.Client, _userdata: object, _flags: object, reason: Any, _props: object) -> None:
        if reason.is_failure:
            log.warning("simulator: broker refused connection: %s", reason)
            return
        self._connected.set()
        client.subscribe(COMMAND_TOPIC_FILTER, qos=1)
        for m in self.plant.mills:
            client.publish(f"mills/{m.slug}/status", orjson.dumps({"status": m.status.value}), qos=1, retain=True)
        self._sched.call_soon(self._publish_production)

    def _on_subscribe(self, _c: mqtt.Client, _u: object, _mid: int, reasons: list[Any], _p: object) -> None:
        if all(not r.is_failure for r in reasons):
            self._subscribed.set()
        else:
            log.warning("simulator: command subscription refused: %s", reasons)

    def _on_disconnect(self, _c: mqtt.Client, _u: object, _f: object, reason: Any, _p: object) -> None:
        self._connected.clear()
        self._subscribed.clear()
        log.info("simulator: disconnected from broker (%s)", reason)

    def _on_message(self, _c: mqtt.Client, _u: object, msg: mqtt.MQTTMessage) -> None:
        self._sched.call_soon(self._on_command, msg.topic, bytes(msg.payload))

    def _publish(self, topic: str, payload: bytes, *, retain: bool = False) -> bool:
        client = self._client
        if client is None or not self._connected.is_set():
            self.stats["mqtt_not_connected"] += 1
            return False
        client.publish(topic, payload, qos=1, retain=retain)
        self.stats["mqtt_published"] += 1
        return True

    # -- timed work -----------------------------------------------------------------------------------

    def _schedule_points(self) -> None:
        now = time.monotonic()
        for i, mp in enumerate(self._mqtt_points):
            # Spread the first samples over up to a second so a plant does not arrive as one burst.
            first = now + (i * 0.618034 % 1.0) * min(mp.period, 1.0)
            self._sched.call_at(first, self._tick_mqtt, mp, first)
        for bp in self._modbus_points if self._modbus is not None else ():
            self._sched.call_at(now + bp.period, self._tick_modbus, bp, now + bp.period)
        self._sched.call_at(now + self.production_interval, self._tick_production, now + self.production_interval)

    def _next(self, due: float, period: float) -> float:
        nxt = due + period
        now = time.monotonic()
        return nxt if nxt > now else now + period  # fell behind: skip, don't burst

    def _tick_mqtt(self, p: _MqttPoint, due: float) -> None:
        nxt = self._next(due, p.period)
        self._sched.call_at(nxt, self._tick_mqtt, p, nxt)
        self._publish_reading(p, time.time())

    def _publish_reading(self, p: _MqttPoint, wall: float) -> None:
        t = self.sim_time(wall)
        fv = self._injector.value(p.model, t, MQTT_FAULTS)
        if fv.fault is Fault.DROPOUT:
            self.stats["dropout"] += 1
            return
        if fv.fault is Fault.MALFORMED or fv.value is None:
            payload = self._injector.malformed_payload(p.sensor.eui, t)
            self.stats["malformed"] += 1
        else:
            if fv.fault is not Fault.NONE:
                self.stats[fv.fault.value] += 1
            raw = uncalibrate(fv.value, p.sensor.calibration)
            payload = reading_payload(
                raw, wall, value_path=p.source.value_path, ts_field=p.source.ts_field, iso=self.iso_timestamps
            )
        self._publish(p.source.topic, payload)

    def _tick_modbus(self, p: _ModbusPoint, due: float) -> None:
        nxt = self._next(due, p.period)
        self._sched.call_at(nxt, self._tick_modbus, p, nxt)
        self._update_modbus(p, time.time())

    def _update_modbus(self, p: _ModbusPoint, wall: float) -> None:
        if self._modbus is None:
            return
        src = p.source
        dev = self._modbus.device(src.unit)
        t = self.sim_time(wall)
        fv = self._injector.value(p.model, t, MODBUS_FAULTS - {Fault.SLOW})
        failing = fv.fault is Fault.EXCEPTION
        if failing != p.failing:
            dev.set_exception(src.table, src.address, src.count, ExcCodes.DEVICE_FAILURE if failing else None)
            p.failing = failing
        if fv.value is None or fv.fault is Fault.DROPOUT:
            return
        if fv.fault is not Fault.NONE:
            self.stats[f"modbus_{fv.fault.value}"] += 1
        raw = uncalibrate(fv.value, p.sensor.calibration)
        reg = scaled_register_value(raw, src.scale, src.offset)
        if src.table in ("coil", "di"):
            if not math.isnan(reg):
                dev.set_bits(src.table, src.address, [reg >= 0.5])
            return
        if math.isnan(reg) and src.data_type not in ("float32", "float64"):
            return  # an integer register cannot hold NaN: the device keeps its last value
        dev.set_registers(src.table, src.address, encode_value(reg, src.data_type, src.order, clamp=True))
        self.stats["modbus_updates"] += 1

    def _delay_hook(self, unit: int, table: str, address: int, count: int) -> float:
        return self._injector.response_delay(f"unit{unit}", time.time())

    def _tick_production(self, due: float) -> None:
        nxt = self._next(due, self.production_interval)
        self._sched.call_at(nxt, self._tick_production, nxt)
        self._publish_production()

    def _advance_production(self, mill: Mill, t: float) -> _Production:
        prod = self._production[mill.slug]
        day = int(t // DAY)
        if day != prod.day:  # a new day: production restarts from what has run since midnight
            since = max(prod.last, day * DAY)
            prod.day, prod.actual, prod.last = day, 0.0, since
        if self.controllers[mill.slug].running and t > prod.last:
            prod.actual += production_rate(mill.capacity, self.seed, mill.slug, t) * (t - prod.last)
        prod.last = max(prod.last, t)
        return prod

    def _publish_production(self) -> None:
        t = self.sim_time(time.time())
        for mill in self.plant.mills:
            prod = self._advance_production(mill, t)
            day = datetime.fromtimestamp(prod.day * DAY, UTC).date().isoformat()
            payload = orjson.dumps({"date": day, "actual": round(prod.actual, 1)})
            self._publish(f"mills/{mill.slug}/production", payload, retain=True)

    # -- the mill controllers -------------------------------------------------------------------------

    def _on_command(self, topic: str, payload: bytes) -> None:
        if not payload:  # the HMI clears its retained stop with an empty message before a reset
            return
        parts = topic.split("/")
        if len(parts) != 4 or parts[0] != "mills" or parts[2] != "commands":
            return
        slug, name = parts[1], parts[3]
        ctl = self.controllers.get(slug)
        if ctl is None:
            log.warning("simulator: command %s for unknown mill %r ignored", name, slug)
            self.stats["bad_commands"] += 1
            return
        try:
            doc = orjson.loads(payload)
        except orjson.JSONDecodeError:
            doc = None
        command_id = doc.get("command_id") if isinstance(doc, dict) else None
        if command_id in (None, ""):
            log.warning("simulator: command %s for %s without command_id ignored", name, slug)
            self.stats["bad_commands"] += 1
            return
        self.stats["commands"] += 1
        log.info("simulator: %s %s (command %s, by %s)", slug, name, command_id, doc.get("issued_by"))
        self._apply(slug, name, command_id)

    def _apply(self, slug: str, name: str, command_id: object | None) -> None:
        ctl = self.controllers[slug]
        # Account production up to now under the old running state before a command changes it.
        self._advance_production(self.plant.mill(slug), self.sim_time(time.time()))
        before_latched = ctl.latched
        outcome = ctl.command(name, command_id)
        if outcome.schedule_latch:
            self._sched.call_later(self.latch_delay, self._latch, slug)
        if name == "estop_reset" and before_latched and not ctl.latched:
            self._clear_request_coils(slug, stop=True)
        self._sync_modbus_control(slug)
        if outcome.state is not None and command_id is not None:
            self._ack(slug, name, command_id, outcome.state, outcome.reason)

    def _latch(self, slug: str) -> None:
        ctl = self.controllers[slug]
        waiting = ctl.latch()
        generation = ctl.generation
        if self.coast_down > 0:
            self._sched.call_later(self.coast_down, self._coasted, slug, generation)
        else:
            self._advance_production(self.plant.mill(slug), self.sim_time(time.time()))
            ctl.coast_stopped(generation)
        self._sync_modbus_control(slug)
        log.info("simulator: %s e-stop latched", slug)
        for command_id in waiting:
            self._ack(slug, "estop", command_id, "latched")

    def _coasted(self, slug: str, generation: int) -> None:
        self._advance_production(self.plant.mill(slug), self.sim_time(time.time()))
        if self.controllers[slug].coast_stopped(generation):
            self._sync_modbus_control(slug)

    def _ack(self, slug: str, name: str, command_id: object, state: str, reason: str = "") -> None:
        ctl = self.controllers[slug]
        doc: dict[str, object] = {"command_id": command_id, "state": state, "running": ctl.running}
        if reason:
            doc["reason"] = reason
        doc["ts"] = round(time.time(), 3)
        self._publish(f"mills/{slug}/commands/{name}/ack", orjson.dumps(doc))

    def _sync_modbus_control(self, slug: str) -> None:
        mc = self._controls.get(slug)
        if mc is None or self._modbus is None:
            return
        ctl = self.controllers[slug]
        dev = self._modbus.device(mc.unit)
        dev.set_bits("di", mc.latched_di, [ctl.latched])
        dev.set_bits("di", mc.running_di, [ctl.running])
        dev.set_registers("hr", COMMAND_CODE_REGISTER, [ctl.last_command])

    def _clear_request_coils(self, slug: str, *, stop: bool = False) -> None:
        mc = self._controls.get(slug)
        if mc is None or self._modbus is None:
            return
        dev = self._modbus.device(mc.unit)
        dev.set_bits("coil", mc.reset_coil, [False, False])
        if stop:
            dev.set_bits("coil", mc.stop_coil, [False])

    def _on_modbus_write_hook(self, unit: int, table: str, address: int, values: list[int]) -> None:
        """Called on the Modbus server's loop: hand the write to the engine thread."""
        if table == "coil":
            self._sched.call_soon(self._on_modbus_write, unit, address, values)

    def _on_modbus_write(self, unit: int, address: int, values: list[int]) -> None:
        written = {address + i: v for i, v in enumerate(values)}
        for mc in self._controls.values():
            if mc.unit != unit:
                continue
            if written.get(mc.stop_coil):
                self.stats["modbus_commands"] += 1
                self._apply(mc.slug, "estop", None)
            if written.get(mc.reset_coil):
                self.stats["modbus_commands"] += 1
                self._apply(mc.slug, "estop_reset", None)
                self._clear_request_coils(mc.slug)
            if written.get(mc.start_coil):
                self.stats["modbus_commands"] += 1
                self._apply(mc.slug, "start_production", None)
                self._clear_request_coils(mc.slug)
