"""The simulator against real servers: a mosquitto broker and a pymodbus client, no mocks."""

from __future__ import annotations

import math
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from pymodbus.client import ModbusTcpClient
from pymodbus.exceptions import ModbusIOException

from hmi.core.domain import Sensor, SensorType
from hmi.core.plant import Plant, parse_plant
from hmi.core.registers import decode_registers, engineering_value
from hmi.core.simulation import Faults, SignalModel
from hmi.core.sources import ModbusSource, MqttSource, parse_source
from hmi.services.mill_controller import MillController
from hmi.services.simulator import Simulator, reading_payload
from tests.support.modbus_server import ModbusTestServer
from tests.support.servers import Mosquitto

DEMO = Path(__file__).resolve().parents[2] / "resources" / "plants" / "demo.toml"


@pytest.fixture(scope="module")
def demo() -> Plant:
    return parse_plant(tomllib.loads(DEMO.read_text()))


class Subscriber:
    """A plain paho client recording every message on `topics`, with waits instead of sleeps."""

    def __init__(self, broker: Mosquitto, *topics: str) -> None:
        self.messages: list[tuple[str, bytes, bool]] = []
        self._cond = threading.Condition()
        self._subscribed = threading.Event()
        self.client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *_: self._subscribed.set()
        self.client.connect(broker.host, broker.port)
        self.client.loop_start()
        self.client.subscribe([(t, mqtt.SubscribeOptions(qos=1)) for t in topics])
        assert self._subscribed.wait(5)

    def _on_message(self, _c: mqtt.Client, _u: object, msg: mqtt.MQTTMessage) -> None:
        with self._cond:
            self.messages.append((msg.topic, bytes(msg.payload), bool(msg.retain)))
            self._cond.notify_all()

    def on(self, topic: str) -> list[bytes]:
        with self._cond:
            return [p for t, p, _ in self.messages if t == topic]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 4.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def publish(self, topic: str, doc: dict[str, Any]) -> None:
        self.client.publish(topic, orjson.dumps(doc), qos=1).wait_for_publish(2)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def subscribers() -> Iterator[list[Subscriber]]:
    subs: list[Subscriber] = []
    yield subs
    for s in subs:
        s.close()


@pytest.fixture
def sims() -> Iterator[list[Simulator]]:
    started: list[Simulator] = []
    yield started
    for s in started:
        s.stop()


def run(sims: list[Simulator], sim: Simulator) -> Simulator:
    sims.append(sim)
    sim.start()
    assert sim.wait_ready(5)
    return sim


def subscribe(subscribers: list[Subscriber], broker: Mosquitto, *topics: str) -> Subscriber:
    sub = Subscriber(broker, *topics)
    subscribers.append(sub)
    return sub


def command(name: str, command_id: str) -> dict[str, Any]:
    return {"command_id": command_id, "issued_by": "tester", "issued_at": datetime.now(UTC).isoformat()}


def mqtt_sensor(plant: Plant, interval: float) -> Sensor:
    """The first MQTT sensor sampled every `interval` seconds (the tests do not pin demo EUIs)."""
    return next(s for s in plant.sensors() if s.source.startswith("mqtt://") and s.sampling_interval == interval)


def topic_of(s: Sensor) -> str:
    src = parse_source(s.effective_source())
    assert isinstance(src, MqttSource)
    return src.topic


def within_model_band(plant: Plant, eui: str, calibrated: float) -> bool:
    """Inside the band the model can reach (excursions included): baseline +- 3 spans."""
    s = next(x for x in plant.sensors() if x.eui == eui)
    m = SignalModel(s, 0)
    return abs(calibrated - m.baseline) <= 3 * m.span


# ---------------------------------------------------------------------------------------------------
# Payload helpers
# ---------------------------------------------------------------------------------------------------


def test_reading_payload_contract() -> None:
    doc = orjson.loads(reading_payload(12.345678, 1795510800.123456))
    assert doc == {"value": 12.3457, "ts": 1795510800.123, "quality": "good"}
    nested = orjson.loads(reading_payload(1.5, 100.0, value_path="data.temp", ts_field="meta.time"))
    assert nested == {"data": {"temp": 1.5}, "meta": {"time": 100.0}, "quality": "good"}
    same_parent = orjson.loads(reading_payload(1.5, 100.0, value_path="d.v", ts_field="d.t"))
    assert same_parent["d"] == {"v": 1.5, "t": 100.0}
    iso = orjson.loads(reading_payload(1.0, 1795510800.0, iso=True))
    assert iso["ts"] == "2026-11-24T09:00:00.000Z"
    nan = reading_payload(math.nan, 100.0)
    assert nan == b'{"value":NaN,"ts":100.0,"quality":"good"}'


def test_broker_url_follows_the_project_contract(demo: Plant) -> None:
    sim = Simulator(demo, "mqtts://sim@broker.example?ca=/etc/ca.pem", broker_password="secret")
    assert sim.broker is not None
    b = sim.broker
    assert (b.host, b.port, b.tls, b.username) == ("broker.example", 8883, True, "sim")
    assert sim.broker.ca_file == "/etc/ca.pem"
    for bad in ("http://h", "mqtt://", "mqtt://h:99999", "mqtt://u:pw@h"):
        with pytest.raises(ValueError):
            Simulator(demo, bad)


def test_mill_controller_rules() -> None:
    c = MillController("north")
    out = c.command("estop", "a")
    assert out.state is None and out.schedule_latch
    again = c.command("estop", "b")
    assert again.state is None and not again.schedule_latch  # joins the pending latch
    assert c.command("start_production", "c").state == "refused"
    assert c.command("estop_reset", "d").reason == "e-stop is latching"
    assert c.latch() == ["a", "b"]
    assert c.coast_stopped(c.generation) and not c.running
    assert c.command("estop", "e").state == "latched"
    refused = c.command("start_production", "f")
    assert refused.state == "refused" and "latched" in refused.reason
    assert c.command("estop_reset", "g").state == "reset" and not c.latched and not c.running
    assert c.command("estop_reset", "h").reason == "e-stop not latched"
    assert c.command("start_production", "i").state == "started" and c.running
    assert c.last_command == 3
    assert c.command("reboot", "j").state == "refused"
    # A coast-down of an old stop does not stop a restarted mill.
    c.command("estop", "k")
    c.latch()
    old = c.generation
    c.command("estop_reset", "l")
    c.command("start_production", "m")
    assert not c.coast_stopped(old) and c.running


# ---------------------------------------------------------------------------------------------------
# MQTT side
# ---------------------------------------------------------------------------------------------------


def test_mqtt_sensors_publish_contract_readings(
    mosquitto: Mosquitto, demo: Plant, sims: list[Simulator], subscribers: list[Subscriber]
) -> None:
    sub = subscribe(subscribers, mosquitto, "mills/+/sensors/+/reading")
    run(sims, Simulator(demo, mosquitto.url, speed=10.0))
    mqtt_sensors = {topic_of(s): s for s in demo.sensors() if s.source.startswith("mqtt://")}
    assert len(mqtt_sensors) > 10
    assert sub.wait_for(lambda: all(sub.on(topic) for topic in mqtt_sensors))
    now = time.time()
    for topic, s in mqtt_sensors.items():
        for payload in sub.on(topic):
            doc = orjson.loads(payload)
            assert set(doc) == {"value", "ts", "quality"}
            assert doc["quality"] == "good"
            assert isinstance(doc["value"], float)
            assert abs(doc["ts"] - now) < 5
            assert within_model_band(demo, s.eui, s.calibration.apply(doc["value"])), (s.name, doc)
    # No Modbus sensor leaks onto MQTT.
    modbus_euis = {s.eui for s in demo.sensors() if s.source.startswith("modbus:")}
    assert not any(t.split("/")[3] in modbus_euis for t, _, _ in sub.messages)


def test_sampling_interval_respected(
    mosquitto: Mosquitto, demo: Plant, sims: list[Simulator], subscribers: list[Subscriber]
) -> None:
    sub = subscribe(subscribers, mosquitto, "mills/+/sensors/+/reading")
    run(sims, Simulator(demo, mosquitto.url, speed=10.0))  # 1 s sensors every 0.1 s, 10 s ones every 1 s
    time.sleep(1.5)
    fast = len(sub.on(topic_of(mqtt_sensor(demo, 1))))
    slow = len(sub.on(topic_of(mqtt_sensor(demo, 10))))
    assert 8 <= fast <= 17, fast
    assert 1 <= slow <= 3, slow


def test_value_path_and_ts_overrides(
    mosquitto: Mosquitto, sims: list[Simulator], subscribers: list[Subscriber]
) -> None:
    plant = parse_plant(
        {
            "schema_version": 1,
            "mills": [
                {
                    "slug": "m1",
                    "name": "M1",
                    "capacity": 100,
                    "sensors": [
                        {
                            "name": "Nested",
                            "type": "temperature",
                            "eui": "00000000000000B1",
                            "sampling_interval": 0.1,
                            "source": "mqtt://plant/line1/temp?path=data.celsius&ts=meta.time",
                            "thresholds": {"warning_max": 30, "critical_max": 38},
                        }
                    ],
                }
            ],
        }
    )
    sub = subscribe(subscribers, mosquitto, "plant/#")
    run(sims, Simulator(plant, mosquitto.url, iso_timestamps=True))
    assert sub.wait_for(lambda: len(sub.on("plant/line1/temp")) >= 2)
    doc = orjson.loads(sub.on("plant/line1/temp")[0])
    assert isinstance(doc["data"]["celsius"], float)
    assert datetime.fromisoformat(doc["meta"]["time"].replace("Z", "+00:00")).tzinfo is not None
    assert doc["quality"] == "good"


def test_status_and_production(
    mosquitto: Mosquitto, demo: Plant, sims: list[Simulator], subscribers: list[Subscriber]
) -> None:
    sim = run(sims, Simulator(demo, mosquitto.url, production_interval=0.2))
    # Subscribing after the fact: status and production are retained.
    sub = subscribe(subscribers, mosquitto, "mills/+/status", "mills/+/production")
    assert sub.wait_for(lambda: all(sub.on(f"mills/{m}/status") for m in ("north", "south")))
    retained = {t for t, _, r in sub.messages if r}
    assert {"mills/north/status", "mills/south/status"} <= retained
    assert orjson.loads(sub.on("mills/north/status")[0]) == {"status": "active"}
    assert sub.wait_for(lambda: len(sub.on("mills/north/production")) >= 3)
    today = datetime.now(UTC).date().isoformat()
    actuals = []
    for payload in sub.on("mills/north/production"):
        doc = orjson.loads(payload)
        assert set(doc) == {"date", "actual"}
        assert doc["date"] == today
        actuals.append(doc["actual"])
    assert 0.0 <= actuals[0] <= 0.95 * 400
    assert actuals == sorted(actuals)  # grows through the day
    for payload in sub.on("mills/south/production"):
        assert 0.0 <= orjson.loads(payload)["actual"] <= 0.95 * 280
    # Stopping says the mills are offline, retained for whoever looks next.
    sim.stop()
    assert sub.wait_for(lambda: b'{"status":"offline"}' in sub.on("mills/south/status"))


def test_estop_over_mqtt_is_acked_with_the_same_command_id(
    mosquitto: Mosquitto, demo: Plant, sims: list[Simulator], subscribers: list[Subscriber]
) -> None:
    sim = run(sims, Simulator(demo, mosquitto.url, modbus_port=0))
    sub = subscribe(subscribers, mosquitto, "mills/+/commands/+/ack")
    ack = "mills/north/commands/estop/ack"
    t0 = time.monotonic()
    sub.publish("mills/north/commands/estop", command("estop", "cmd-1"))
    assert sub.wait_for(lambda: bool(sub.on(ack)))
    took = time.monotonic() - t0
    doc = orjson.loads(sub.on(ack)[0])
    assert doc["command_id"] == "cmd-1" and doc["state"] == "latched" and doc["running"] is False
    assert 0.08 <= took < 1.0  # latched after the controller's ~100 ms reaction time
    assert sim.controllers["north"].latched and not sim.controllers["south"].latched
    # The same controller shows on Modbus: DI 0 latched, DI 1 not running, HR 900 = estop.
    with ModbusTcpClient("127.0.0.1", port=sim.modbus_port, timeout=2, retries=0) as client:
        assert client.read_discrete_inputs(0, count=2, device_id=1).bits[:2] == [True, False]
        assert client.read_discrete_inputs(0, count=2, device_id=2).bits[:2] == [False, True]
        assert client.read_holding_registers(900, count=1, device_id=1).registers == [1]

    def ack_of(name: str, cid: str) -> dict[str, Any]:
        topic = f"mills/north/commands/{name}/ack"
        sub.publish(f"mills/north/commands/{name}", command(name, cid))
        assert sub.wait_for(lambda: any(orjson.loads(p)["command_id"] == cid for p in sub.on(topic)))
        return next(d for d in map(orjson.loads, sub.on(topic)) if d["command_id"] == cid)

    refused = ack_of("start_production", "cmd-2")
    assert refused["state"] == "refused" and "latched" in refused["reason"]
    assert ack_of("estop", "cmd-3")["state"] == "latched"  # already latched: at once
    assert ack_of("estop_reset", "cmd-4")["state"] == "reset"
    assert ack_of("estop_reset", "cmd-5")["state"] == "refused"  # only when latched
    started = ack_of("start_production", "cmd-6")
    assert started["state"] == "started" and started["running"] is True


def test_bad_commands_are_ignored(
    mosquitto: Mosquitto, demo: Plant, sims: list[Simulator], subscribers: list[Subscriber]
) -> None:
    sim = run(sims, Simulator(demo, mosquitto.url))
    sub = subscribe(subscribers, mosquitto, "mills/+/commands/+/ack")
    sub.client.publish("mills/north/commands/estop", b"not json", qos=1).wait_for_publish(2)
    sub.publish("mills/north/commands/estop", {"issued_by": "x"})  # no command_id
    sub.publish("mills/atlantis/commands/estop", command("estop", "x1"))
    sub.publish("mills/north/commands/reboot", command("reboot", "x2"))
    assert sub.wait_for(lambda: bool(sub.on("mills/north/commands/reboot/ack")))
    assert orjson.loads(sub.on("mills/north/commands/reboot/ack")[0])["state"] == "refused"
    assert not sub.on("mills/north/commands/estop/ack")
    assert sim.stats["bad_commands"] == 3
    assert not sim.controllers["north"].latched


def test_coast_down(mosquitto: Mosquitto, demo: Plant, sims: list[Simulator], subscribers: list[Subscriber]) -> None:
    sim = run(sims, Simulator(demo, mosquitto.url, modbus_port=0, coast_down=0.4))
    sub = subscribe(subscribers, mosquitto, "mills/+/commands/+/ack")
    sub.publish("mills/south/commands/estop", command("estop", "c1"))
    assert sub.wait_for(lambda: bool(sub.on("mills/south/commands/estop/ack")))
    doc = orjson.loads(sub.on("mills/south/commands/estop/ack")[0])
    assert doc["state"] == "latched" and doc["running"] is True  # still coasting
    with ModbusTcpClient("127.0.0.1", port=sim.modbus_port, timeout=2, retries=0) as client:
        assert client.read_discrete_inputs(0, count=2, device_id=2).bits[:2] == [True, True]
        deadline = time.monotonic() + 2
        while client.read_discrete_inputs(1, count=1, device_id=2).bits[0] and time.monotonic() < deadline:
            time.sleep(0.02)
        assert client.read_discrete_inputs(1, count=1, device_id=2).bits[0] is False
    assert not sim.controllers["south"].running


def test_reconnects_after_broker_restart(
    mosquitto: Mosquitto, demo: Plant, sims: list[Simulator], subscribers: list[Subscriber]
) -> None:
    sim = run(sims, Simulator(demo, mosquitto.url, speed=10.0))
    mosquitto.restart()
    assert sim.wait_ready(4)
    sub = subscribe(subscribers, mosquitto, "mills/+/sensors/+/reading")
    assert sub.wait_for(lambda: len(sub.messages) >= 5)


# ---------------------------------------------------------------------------------------------------
# Modbus side
# ---------------------------------------------------------------------------------------------------


def read_sensor(client: ModbusTcpClient, src: ModbusSource) -> Any:
    if src.table == "hr":
        return client.read_holding_registers(src.address, count=src.count, device_id=src.unit)
    if src.table == "ir":
        return client.read_input_registers(src.address, count=src.count, device_id=src.unit)
    raise AssertionError(src.table)


def test_modbus_registers_hold_plausible_values(demo: Plant, sims: list[Simulator]) -> None:
    sim = run(sims, Simulator(demo, None, modbus_port=0, speed=10.0))
    modbus_sensors = [s for s in demo.sensors() if s.source.startswith("modbus:")]
    assert len(modbus_sensors) > 4
    seen: dict[str, list[float]] = {s.eui: [] for s in modbus_sensors}
    with ModbusTcpClient("127.0.0.1", port=sim.modbus_port, timeout=2, retries=0) as client:
        for _ in range(3):
            for s in modbus_sensors:
                src = parse_source(s.source)
                assert isinstance(src, ModbusSource)
                rr = read_sensor(client, src)
                assert not rr.isError(), (s.name, rr)
                raw = engineering_value(decode_registers(rr.registers, src.data_type, src.order), src.scale, src.offset)
                value = s.calibration.apply(raw)
                assert math.isfinite(value)
                assert within_model_band(demo, s.eui, value), (s.name, value)
                if s.type is SensorType.LEVEL:
                    assert 0 <= value <= 100
                seen[s.eui].append(value)
            time.sleep(0.6)
    # Values move: a fast sensor's register changes within a few of its sampling intervals (read until
    # it does: a value that rounds to the same register twice in a row is not a frozen simulator).
    fast = next(s for s in modbus_sensors if s.sampling_interval <= 2)
    src = parse_source(fast.source)
    assert isinstance(src, ModbusSource)
    deadline = time.monotonic() + 10.0
    with ModbusTcpClient("127.0.0.1", port=sim.modbus_port, timeout=2, retries=0) as client:
        while len(set(seen[fast.eui])) < 2 and time.monotonic() < deadline:
            time.sleep(0.3)
            rr = read_sensor(client, src)
            assert not rr.isError(), (fast.name, rr)
            raw = engineering_value(decode_registers(rr.registers, src.data_type, src.order), src.scale, src.offset)
            seen[fast.eui].append(fast.calibration.apply(raw))
    assert len(set(seen[fast.eui])) > 1, seen[fast.eui]


def test_estop_over_modbus_coil_latches_the_di(demo: Plant, sims: list[Simulator]) -> None:
    sim = run(sims, Simulator(demo, None, modbus_port=0))
    with ModbusTcpClient("127.0.0.1", port=sim.modbus_port, timeout=2, retries=0) as client:
        assert client.read_discrete_inputs(0, count=2, device_id=1).bits[:2] == [False, True]
        t0 = time.monotonic()
        assert not client.write_coil(0, True, device_id=1).isError()
        while not client.read_discrete_inputs(0, count=1, device_id=1).bits[0]:
            assert time.monotonic() - t0 < 2, "never latched"
            time.sleep(0.01)
        assert time.monotonic() - t0 >= 0.08
        assert client.read_discrete_inputs(0, count=2, device_id=1).bits[:2] == [True, False]
        assert client.read_holding_registers(900, count=1, device_id=1).registers == [1]
        assert client.read_discrete_inputs(0, count=2, device_id=2).bits[:2] == [False, True]  # south untouched
        # Start is refused while latched; reset clears the latch and the stop request.
        client.write_coil(2, True, device_id=1)
        time.sleep(0.1)
        assert client.read_discrete_inputs(0, count=2, device_id=1).bits[:2] == [True, False]
        client.write_coil(1, True, device_id=1)
        time.sleep(0.1)
        assert client.read_discrete_inputs(0, count=2, device_id=1).bits[:2] == [False, False]
        assert client.read_coils(0, count=3, device_id=1).bits[:3] == [False, False, False]
        assert client.read_holding_registers(900, count=1, device_id=1).registers == [2]
        client.write_coil(2, True, device_id=1)
        time.sleep(0.1)
        assert client.read_discrete_inputs(0, count=2, device_id=1).bits[:2] == [False, True]
        assert client.read_holding_registers(900, count=1, device_id=1).registers == [3]
    assert sim.stats["modbus_commands"] == 4


def test_modbus_only_plant_runs_without_a_broker(demo: Plant, sims: list[Simulator]) -> None:
    sim = run(sims, Simulator(demo, None, modbus_port=0))
    assert sim.wait_ready(0.1) and not sim.mqtt_connected
    assert sim.modbus_port and sim.modbus_port > 0


# ---------------------------------------------------------------------------------------------------
# Faults
# ---------------------------------------------------------------------------------------------------


def test_fault_malformed_payloads(
    mosquitto: Mosquitto, demo: Plant, sims: list[Simulator], subscribers: list[Subscriber]
) -> None:
    sub = subscribe(subscribers, mosquitto, "mills/+/sensors/+/reading")
    run(sims, Simulator(demo, mosquitto.url, faults=Faults.parse("malformed,rate=0.5"), speed=10.0))
    assert sub.wait_for(lambda: len(sub.messages) >= 60)

    def valid(payload: bytes) -> bool:
        try:
            doc = orjson.loads(payload)
        except orjson.JSONDecodeError:
            return False
        return isinstance(doc, dict) and isinstance(doc.get("value"), float)

    verdicts = [valid(p) for _, p, _ in sub.messages]
    assert verdicts.count(False) >= 10 and verdicts.count(True) >= 10


def test_fault_nan_spikes_stuck_dropout_on_mqtt(
    mosquitto: Mosquitto, demo: Plant, sims: list[Simulator], subscribers: list[Subscriber]
) -> None:
    sub = subscribe(subscribers, mosquitto, "mills/+/sensors/+/reading")
    run(sims, Simulator(demo, mosquitto.url, faults=Faults.parse("nan,rate=0.5"), speed=10.0))
    assert sub.wait_for(lambda: any(b"NaN" in p for _, p, _ in sub.messages))
    sims.pop().stop()

    fast = mqtt_sensor(demo, 1)
    topic = topic_of(fast)
    stuck = subscribe(subscribers, mosquitto, topic)
    run(sims, Simulator(demo, mosquitto.url, faults=Faults.parse("stuck,window=3600,window_rate=1"), speed=10.0))
    assert stuck.wait_for(lambda: len(stuck.on(topic)) >= 4)
    assert len({orjson.loads(p)["value"] for p in stuck.on(topic)}) == 1
    sims.pop().stop()

    spikes = subscribe(subscribers, mosquitto, topic)
    run(sims, Simulator(demo, mosquitto.url, faults=Faults.parse("spikes,rate=1"), speed=10.0))
    assert spikes.wait_for(lambda: len(spikes.on(topic)) >= 2)
    assert not within_model_band(demo, fast.eui, fast.calibration.apply(orjson.loads(spikes.on(topic)[0])["value"]))
    sims.pop().stop()

    silent = subscribe(subscribers, mosquitto, "mills/+/sensors/+/reading")
    sim = run(sims, Simulator(demo, mosquitto.url, faults=Faults.parse("dropout,window_rate=1"), speed=10.0))
    time.sleep(0.5)
    assert silent.messages == [] and sim.stats["dropout"] > 5


def test_fault_modbus_exception_responses(demo: Plant, sims: list[Simulator]) -> None:
    sim = run(sims, Simulator(demo, None, modbus_port=0, faults=Faults.parse("exception,window_rate=1")))
    with ModbusTcpClient("127.0.0.1", port=sim.modbus_port, timeout=2, retries=0) as client:
        rr = client.read_holding_registers(0, count=2, device_id=1)
        assert rr.isError() and rr.exception_code == 4  # device failure
        # The e-stop path stays healthy: controllers are not sensors.
        assert not client.read_discrete_inputs(0, count=2, device_id=1).isError()


def test_fault_modbus_slow_and_nan(demo: Plant, sims: list[Simulator]) -> None:
    sim = run(sims, Simulator(demo, None, modbus_port=0, faults=Faults.parse("slow,nan,rate=1,slow_delay=0.3")))
    with ModbusTcpClient("127.0.0.1", port=sim.modbus_port, timeout=2, retries=0) as client:
        t0 = time.monotonic()
        rr = client.read_holding_registers(0, count=2, device_id=1)  # float32 level sensor
        assert time.monotonic() - t0 >= 0.3
        assert not rr.isError()
        assert math.isnan(decode_registers(rr.registers, "float32", "abcd"))


# ---------------------------------------------------------------------------------------------------
# The test helper (tests/support/modbus_server.py) and the device server under it
# ---------------------------------------------------------------------------------------------------


def test_modbus_test_server_contents_and_misbehaviour() -> None:
    with ModbusTestServer({1: {"hr": {0: [1, 2, 3]}, "di": {5: True}}}, units=(2,)) as dev:
        regs = dev.set_value(2, "hr", 10, 21.5, "float32", "cdab")
        assert dev.get_value(2, "hr", 10, "float32", "cdab") == 21.5
        with ModbusTcpClient(dev.host, port=dev.port, timeout=0.5, retries=0) as client:
            assert client.read_holding_registers(0, count=3, device_id=1).registers == [1, 2, 3]
            assert client.read_discrete_inputs(5, count=1, device_id=1).bits[0] is True
            assert client.read_holding_registers(10, count=2, device_id=2).registers == regs
            # Writes land in the table and are recorded.
            client.write_register(20, 77, device_id=1)
            assert dev.device(1).get_registers("hr", 20) == [77]
            assert dev.writes[-1] == (1, "hr", 20, [77])
            # An exception on one address fails reads touching it, not the others.
            dev.fail(1, "hr", 1)
            rr = client.read_holding_registers(0, count=3, device_id=1)
            assert rr.isError() and rr.exception_code == 2
            assert client.read_holding_registers(2, count=1, device_id=1).registers == [3]
            dev.fail(1, "hr", 1, code=None)
            assert not client.read_holding_registers(0, count=3, device_id=1).isError()
            # Unknown unit: a gateway-style exception.
            assert client.read_holding_registers(0, count=1, device_id=9).isError()
            dev.slow(0.2)
            t0 = time.monotonic()
            client.read_holding_registers(0, count=1, device_id=1)
            assert time.monotonic() - t0 >= 0.2
            dev.slow(0)
        # Silent: the connection stays, answers do not come.
        dev.silent = True
        with (
            ModbusTcpClient(dev.host, port=dev.port, timeout=0.3, retries=0) as client,
            pytest.raises(ModbusIOException, match="No response"),
        ):
            client.read_holding_registers(0, count=1, device_id=1)
        dev.silent = False
        # Gone and back on the same port, with its contents.
        port = dev.port
        dev.stop()
        with ModbusTcpClient(dev.host, port=port, timeout=0.3, retries=0) as client:
            assert not client.connected
        dev.start()
        assert dev.port == port
        with ModbusTcpClient(dev.host, port=port, timeout=1, retries=0) as client:
            assert client.read_holding_registers(0, count=3, device_id=1).registers == [1, 2, 3]


def test_modbus_device_server_refuses_a_taken_port() -> None:
    with ModbusTestServer() as first:
        other = ModbusTestServer(port=first.port)
        with pytest.raises(OSError):
            other.start()
        other.stop()
