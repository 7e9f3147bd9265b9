"""The MQTT driver against a real mosquitto: contract payloads, manual acks, reconnect."""

from __future__ import annotations

import threading
import time

import orjson
import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from hmi.core.broker import parse_broker_url
from hmi.core.domain import Sensor, SensorType
from hmi.core.sources import parse_source
from hmi.drivers.base import DriverContext, LinkState, Sample
from hmi.drivers.mqtt import MqttDriver

S1 = Sensor("m1", "bearing", SensorType.TEMPERATURE, "0C0C0C0C0C0C0001")
S2 = Sensor("m1", "water", SensorType.FLOW, "0C0C0C0C0C0C0002", source="mqtt://site/water?path=reading.val&ts=t")
S3 = Sensor("m1", "bin", SensorType.LEVEL, "0C0C0C0C0C0C0003", source="mqtt://site/bins/4/level")


class Collect:
    def __init__(self, settle: bool = True) -> None:
        self.samples: list[Sample] = []
        self.rejects: list[tuple[str, str]] = []
        self.links: list[tuple[str, LinkState]] = []
        self.settle = settle
        self.lock = threading.Lock()

    def on_samples(self, batch: list[Sample]) -> None:
        with self.lock:
            self.samples.extend(batch)
        if self.settle:
            for s in batch:
                assert s.ack is not None
                s.ack()

    def ctx(self) -> DriverContext:
        return DriverContext(
            self.on_samples, lambda n, s, d: self.links.append((n, s)), lambda r, d: self.rejects.append((r, d)), {}
        )

    def wait(self, n: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.samples) < n:
            time.sleep(0.02)
        assert len(self.samples) >= n, f"{len(self.samples)} < {n}"


def driver(c: Collect, broker_url: str, client_id: str = "t-driver") -> MqttDriver:
    d = MqttDriver(c.ctx(), parse_broker_url(broker_url), client_id=client_id)
    for s in (S1, S2, S3):
        d.add(s, parse_source(s.effective_source()))
    return d


def publish(port: int, items: list[tuple[str, bytes]], qos: int = 1) -> None:
    p = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    p.connect("127.0.0.1", port)
    p.loop_start()
    infos = [p.publish(t, payload, qos=qos) for t, payload in items]
    for i in infos:
        i.wait_for_publish(5)
    p.disconnect()
    p.loop_stop()


def test_contract_payloads(mosquitto) -> None:  # type: ignore[no-untyped-def]
    c = Collect()
    d = driver(c, mosquitto.url)
    d.start()
    assert d.connected.wait(5)
    time.sleep(0.2)
    publish(
        mosquitto.port,
        [
            ("mills/m1/sensors/0C0C0C0C0C0C0001/reading", b'{"value": 21.5, "ts": 1764000000, "quality": "good"}'),
            ("mills/m1/sensors/0C0C0C0C0C0C0001/reading", b"not json"),
            ("site/water", b'{"reading": {"val": 14.2}, "t": "2026-11-24T09:00:00Z"}'),
            ("site/bins/4/level", b"120"),
            ("mills/m1/readings", b'[{"eui": "0C0C0C0C0C0C0001", "value": 22, "ts": 1764000001}, {"eui": "x"}]'),
            ("mills/m1/sensors/FFFFFFFFFFFFFFFF/reading", b'{"value": 1}'),
        ],
    )
    c.wait(4)
    d.stop()
    got = {(s.eui, s.value) for s in c.samples}
    assert got == {
        ("0C0C0C0C0C0C0001", 21.5),
        ("0C0C0C0C0C0C0002", 14.2),
        ("0C0C0C0C0C0C0003", 120.0),
        ("0C0C0C0C0C0C0001", 22.0),
    }
    reasons = sorted(r for r, _ in c.rejects)
    assert reasons == ["no_value", "not_json", "unknown_sensor"]
    assert (f"broker mqtt://127.0.0.1:{mosquitto.port}", LinkState.UP) in c.links


def _unsettled(broker_url: str, port: int, client_id: str, n: int) -> tuple[MqttDriver, Collect]:
    """A driver that takes `n` published messages and settles none of them (yet)."""
    lazy = Collect(settle=False)
    d = driver(lazy, broker_url, client_id=client_id)
    d.start()
    assert d.connected.wait(5)
    time.sleep(0.2)
    publish(port, [("site/bins/4/level", str(i).encode()) for i in range(n)])
    lazy.wait(n)
    return d, lazy


def _assert_nothing_comes_back(broker_url: str, client_id: str) -> None:
    """A new session on `client_id` gets nothing: the broker holds no unacknowledged message for it."""
    c = Collect()
    d = driver(c, broker_url, client_id=client_id)
    d.start()
    assert d.connected.wait(5)
    time.sleep(0.5)
    d.stop()
    assert c.samples == []


def test_unacked_messages_are_redelivered(mosquitto) -> None:  # type: ignore[no-untyped-def]
    """Manual acks: what was not settled (not committed) comes back after a reconnect."""
    d, _lazy = _unsettled(mosquitto.url, mosquitto.port, "t-redeliver", 20)
    d.stop()  # crash-like: nothing was acknowledged
    again = Collect()
    d2 = driver(again, mosquitto.url, client_id="t-redeliver")
    d2.start()
    again.wait(20)
    d2.stop()
    assert sorted(s.value for s in again.samples[:20]) == [float(i) for i in range(20)]
    _assert_nothing_comes_back(mosquitto.url, "t-redeliver")  # now that they were acknowledged


def test_acks_settled_in_one_batch_reach_the_broker(mosquitto) -> None:  # type: ignore[no-untyped-def]
    """The history writer settles a commit's acknowledgements together (one write of PUBACKs): the
    broker takes them, and a new session gets nothing back."""
    from hmi.services.history_writer import settle

    d, lazy = _unsettled(mosquitto.url, mosquitto.port, "t-batch-ack", 30)
    assert all(hasattr(s.ack, "settle_many") for s in lazy.samples)
    settle([s.ack for s in lazy.samples])  # type: ignore[misc]
    time.sleep(0.5)
    d.stop()
    _assert_nothing_comes_back(mosquitto.url, "t-batch-ack")


def test_reconnects_after_broker_restart(mosquitto) -> None:  # type: ignore[no-untyped-def]
    c = Collect()
    d = driver(c, mosquitto.url, client_id="t-reconnect")
    d.start()
    assert d.connected.wait(5)
    mosquitto.restart()
    t0 = time.monotonic()
    deadline = t0 + 10
    while time.monotonic() < deadline and not (d.connected.is_set() and len(c.links) >= 3):
        time.sleep(0.05)
    assert d.connected.is_set(), "driver did not reconnect"
    assert time.monotonic() - t0 < 8, "reconnect backoff must be capped at a few seconds"
    time.sleep(0.3)
    publish(mosquitto.port, [("site/bins/4/level", b"7")])
    c.wait(1)
    states = [s for _, s in c.links]
    d.stop()
    assert LinkState.DOWN in states and states[-1] is LinkState.UP


def test_tls_url_and_no_password_in_url() -> None:
    b = parse_broker_url("mqtts://ops@broker.example:8883?ca=/etc/ca.pem")
    assert b.tls and b.username == "ops" and b.ca_file == "/etc/ca.pem"
    from hmi.core.errors import ValidationError

    with pytest.raises(ValidationError):
        parse_broker_url("mqtt://ops:secret@broker")
    assert orjson.loads(b"1") == 1


def test_items_sink_one_ack_per_message_redelivered_until_settled(mosquitto) -> None:  # type: ignore[no-untyped-def]
    """With `on_items` (the runtime's pipeline hook) a gateway message arrives as tuples with ONE ack for all
    its readings; unsettled, the message comes back after a reconnect; settled (even twice), it does not."""
    got: list[tuple[list, object]] = []
    lock = threading.Lock()

    def on_items(items: list, ack: object) -> None:
        with lock:
            got.append((items, ack))

    def run(settle: bool, expect: int, client_id: str = "t-items") -> list[tuple[list, object]]:
        got.clear()
        c = Collect()
        ctx = c.ctx()
        ctx.options["on_items"] = on_items
        d = MqttDriver(ctx, parse_broker_url(mosquitto.url), client_id=client_id)
        for s in (S1, S2, S3):
            d.add(s, parse_source(s.effective_source()))
        d.add_mill("m1")
        d.start()
        assert d.connected.wait(5)
        deadline = time.monotonic() + 5
        while len(got) < expect and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.3 if expect == 0 else 0.0)
        out = list(got)
        if settle:
            for _, ack in out:
                ack()  # type: ignore[operator]
                ack()  # type: ignore[operator]
            time.sleep(0.2)
        d.stop()
        assert c.samples == []  # everything went through on_items
        return out

    run(settle=True, expect=0)  # creates the persistent session
    batch = orjson.dumps([{"eui": S1.eui.lower(), "value": 20 + i, "ts": 1764000000 + i} for i in range(5)])
    publish(mosquitto.port, [("mills/m1/readings", batch), ("site/bins/4/level", b"12")])
    first = run(settle=False, expect=2)
    assert sorted(len(items) for items, _ in first) == [1, 5]
    gateway = next(items for items, _ in first if len(items) == 5)
    assert [(e, v) for e, _t, v, _q, _r in gateway] == [(S1.eui, 20.0 + i) for i in range(5)]
    again = run(settle=True, expect=2)  # not acknowledged: redelivered
    assert sorted(len(items) for items, _ in again) == [1, 5]
    assert run(settle=True, expect=0) == []  # acknowledged once each: gone


def test_gateway_batches_go_to_on_gateway_with_their_ack() -> None:
    """With `on_gateway` (the runtime's pipeline hook) a gateway message is handed over as its raw payload
    with its acknowledgement, unread: the pipeline decodes it (and refuses what is no JSON array) on its
    own thread; the driver only routes it by topic."""
    c = Collect()
    ctx = c.ctx()
    handed: list[tuple[object, float, object, str]] = []
    ctx.options["on_gateway"] = lambda doc, arrival, ack, topic: handed.append((doc, arrival, ack, topic))
    ctx.options["on_items"] = lambda items, ack: c.samples.extend(items)
    d = MqttDriver(ctx, parse_broker_url("mqtt://127.0.0.1:1"), client_id="t-gw")
    d.add(S3, parse_source(S3.effective_source()))
    d.add_mill("m1")

    class Msg:
        def __init__(self, topic: str, payload: bytes, mid: int) -> None:
            self.topic, self.payload, self.qos, self.mid = topic, payload, 1, mid

    class Client:
        def __init__(self) -> None:
            self.acks: list[int] = []

        def ack(self, mid: int, qos: int) -> None:
            self.acks.append(mid)

    client = Client()
    d._on_message(client, None, Msg("mills/m1/readings", b'[{"eui": "x", "value": 1}]', 1))  # type: ignore[arg-type]
    d._on_message(client, None, Msg("mills/m1/readings", b'{"eui": "x"}', 2))  # type: ignore[arg-type]
    d._on_message(client, None, Msg("site/bins/4/level", b"12", 3))  # type: ignore[arg-type]
    assert [(doc, topic) for doc, _t, _a, topic in handed] == [
        (b'[{"eui": "x", "value": 1}]', "mills/m1/readings"), (b'{"eui": "x"}', "mills/m1/readings"),
    ]
    assert client.acks == []  # each once the pipeline has settled its readings (or refused it)
    handed[1][2]()  # type: ignore[operator]
    handed[0][2]()  # type: ignore[operator]
    handed[0][2]()  # type: ignore[operator]
    assert client.acks == [2, 1]
    assert c.rejects == []
    assert len(c.samples) == 1  # the single reading still goes through on_items
