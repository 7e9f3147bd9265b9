"""The buffered socket under the MQTT driver's paho client: paho's small reads are served from large
ones, nothing is lost or reordered across reads, and paho's loop is told when bytes wait in the
buffer (its `pending()` hook). Whole-driver behaviour through it runs against a real mosquitto in
test_mqtt_driver.py and the runtime tests."""

from __future__ import annotations

import random
import socket

import pytest

from hmi.drivers.mqtt_client import BufferedSocket


@pytest.fixture
def pair() -> tuple[socket.socket, socket.socket]:
    a, b = socket.socketpair()
    b.setblocking(False)
    yield a, b
    a.close()
    b.close()


def test_small_reads_are_served_from_one_large_read(pair: tuple[socket.socket, socket.socket]) -> None:
    a, b = pair
    a.sendall(b"\x30\x05hello\x30\x03abc")
    s = BufferedSocket(b, read_size=4096)
    assert s.recv(1) == b"\x30"
    assert s.pending() == s.buffered() == 11  # the rest came with the first read
    assert s.recv(1) == b"\x05"
    assert s.recv(5) == b"hello"
    assert s.recv(100) == b"\x30\x03abc"  # a short read, as a socket gives
    assert s.pending() == 0
    with pytest.raises(BlockingIOError):
        s.recv(1)  # nothing buffered, nothing on the wire: the socket's own answer


def test_a_random_stream_arrives_whole_and_in_order(pair: tuple[socket.socket, socket.socket]) -> None:
    a, b = pair
    rng = random.Random(7)
    data = bytes(rng.getrandbits(8) for _ in range(200_000))
    s = BufferedSocket(b, read_size=8192)
    got = bytearray()
    sent = 0
    while len(got) < len(data):
        if sent < len(data):
            n = rng.randint(1, 30_000)
            a.sendall(data[sent : sent + n])
            sent += n
        try:
            got += s.recv(rng.choice((1, 2, 7, 100, 5000, 70_000)))
        except BlockingIOError:
            continue
    assert bytes(got) == data


def test_end_of_stream_and_other_calls_pass_through(pair: tuple[socket.socket, socket.socket]) -> None:
    a, b = pair
    s = BufferedSocket(b)
    assert s.fileno() == b.fileno()  # select() and paho's other calls reach the socket
    a.sendall(b"xy")
    a.close()
    assert s.recv(1) == b"x" and s.recv(1) == b"y"
    assert s.recv(1) == b""  # the peer closed: paho sees the connection lost


def test_an_inner_pending_count_adds_up() -> None:
    class Tls:
        def recv(self, n: int) -> bytes:
            return b"abcdef"[:n] if n >= 6 else b"abcdef"

        def pending(self) -> int:
            return 9  # bytes an SSL socket decrypted already

    s = BufferedSocket(Tls(), read_size=6)
    assert s.recv(2) == b"ab"
    assert s.pending() == 4 + 9


# -- PUBLISH decoding: the light path gives what paho's own gives -------------------------------------


def _publish(topic: bytes, payload: bytes, qos: int, mid: int = 0, props: bytes = b"\x00") -> bytes:
    body = len(topic).to_bytes(2, "big") + topic
    if qos:
        body += mid.to_bytes(2, "big")
    return body + props + payload


Delivery = tuple[object, list[tuple[object, ...]], list[bytes]]  # rc, messages, packets queued to send


def _deliver(cls: type, header: int, packet: bytes, manual_ack: bool) -> Delivery:
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    c = cls(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5, manual_ack=manual_ack)
    got: list[tuple[object, ...]] = []

    def on_message(_c: object, _ud: object, m: mqtt.MQTTMessage) -> None:
        try:
            topic: object = m.topic
        except UnicodeDecodeError:
            topic = "undecodable"
        got.append((topic, m.payload, type(m.payload), m.qos, m.mid, m.retain, m.dup,
                    m.properties.packetType if m.properties else None, str(m.properties)))

    c.on_message = on_message
    c._in_packet["command"] = header
    c._in_packet["packet"] = bytearray(packet)
    rc = c._handle_publish()
    return rc, got, [bytes(p["packet"]) for p in c._out_packet]


PACKETS = [
    (0x30, _publish(b"mills/m1/readings", b'[{"eui": "x"}]', 0)),
    (0x32, _publish(b"mills/m1/sensors/AB/reading", b"21.5", 1, mid=7)),
    (0x3B, _publish(b"mills/m1/status", b'{"status": "active"}', 1, mid=65535)),  # dup, retain
    (0x32, _publish(b"t", b"", 1, mid=1)),  # empty payload
    (0x32, _publish(b"t/props", b"1", 1, mid=2, props=b"\x05\x02\x00\x00\x00\x3c")),  # message expiry 60 s
    (0x30, _publish(b"", b"1", 0, props=b"\x03\x23\x00\x01")),  # a topic alias, no topic
    (0x34, _publish(b"t/qos2", b"1", 2, mid=3)),
    (0x30, _publish(b"bad\xff", b"1", 0)),  # no UTF-8 topic
    (0x32, b"\x00\x10short"),  # topic longer than the packet
    (0x32, b"\x00"),
]


@pytest.mark.parametrize(("header", "packet"), PACKETS)
@pytest.mark.parametrize("manual_ack", [True, False])
def test_publish_decoding_matches_paho(header: int, packet: bytes, manual_ack: bool) -> None:
    import paho.mqtt.client as mqtt

    from hmi.drivers.mqtt_client import BufferedClient

    def outcome(cls: type) -> tuple[object, ...]:
        try:
            return _deliver(cls, header, packet, manual_ack)
        except Exception as exc:
            return ("raised", type(exc).__name__)

    assert outcome(BufferedClient) == outcome(mqtt.Client)


def test_plain_messages_skip_the_properties_and_message_info() -> None:
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    from hmi.drivers.mqtt_client import NO_PROPERTIES, BufferedClient, InboundMessage

    c = BufferedClient(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5, manual_ack=True)
    got: list[mqtt.MQTTMessage] = []
    c.on_message = lambda _c, _u, m: got.append(m)
    c._in_packet["command"] = 0x32
    c._in_packet["packet"] = bytearray(_publish(b"a/b", b"1.5", 1, mid=9))
    c._handle_publish()
    c._in_packet["packet"] = bytearray(_publish(b"a/b", b"1.5", 1, mid=10, props=b"\x02\x01\x01"))
    c._handle_publish()
    assert type(got[0]) is InboundMessage and got[0].properties is NO_PROPERTIES and got[0].info is None
    assert type(got[1]) is mqtt.MQTTMessage and got[1].properties is not NO_PROPERTIES  # paho's own


# -- acknowledgements in batches -------------------------------------------------------------------------


def _client(cls: type, manual_ack: bool = True) -> object:
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    return cls(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5, manual_ack=manual_ack)


def _queued(c: object) -> list[bytes]:
    return [bytes(p["packet"]) for p in c._out_packet]  # type: ignore[attr-defined]


def test_ack_many_queues_pahos_pubacks_in_order_as_one_write() -> None:
    import paho.mqtt.client as mqtt

    from hmi.drivers.mqtt_client import BufferedClient

    mids = [7, 65535, 1, 300]
    paho_way = _client(mqtt.Client)
    for mid in mids:
        paho_way.ack(mid, 1)  # type: ignore[attr-defined]
    batched = _client(BufferedClient)
    batched.ack_many(mids)  # type: ignore[attr-defined]
    assert _queued(batched) == [b"".join(_queued(paho_way))]  # the same bytes, one queued write
    assert _queued(paho_way)[1] == b"\x40\x02\xff\xff"

    automatic = _client(BufferedClient, manual_ack=False)
    automatic.ack_many(mids)  # type: ignore[attr-defined]
    assert _queued(automatic) == []  # as paho's ack(): nothing to send when paho acknowledges itself
    logged = _client(BufferedClient)
    logged.on_log = lambda *_a: None  # type: ignore[attr-defined]
    logged.ack_many(mids)  # type: ignore[attr-defined]
    assert _queued(logged) == _queued(paho_way)  # paho's own way, one logged PUBACK each


def test_settle_keeps_the_order_and_batches_runs_of_one_client() -> None:
    from hmi.drivers.mqtt import _MessageAck
    from hmi.drivers.mqtt_client import BufferedClient
    from hmi.services.history_writer import settle

    a, b = _client(BufferedClient), _client(BufferedClient)
    calls: list[str] = []
    acks = [
        _MessageAck(a, 1, 1),  # type: ignore[arg-type]
        _MessageAck(a, 2, 1),  # type: ignore[arg-type]
        lambda: calls.append(f"plain after a:{len(_queued(a))}"),
        _MessageAck(a, 3, 1),  # type: ignore[arg-type]
        _MessageAck(b, 4, 1),  # type: ignore[arg-type]
        _MessageAck(a, 5, 2),  # type: ignore[arg-type]  # QoS 2: paho's own ack (PUBCOMP)
    ]
    acks.insert(2, acks[0])  # the same message's ack twice: settled once
    settle(acks)
    settle(acks)  # again: the messages' acks send nothing more (a plain callable runs each time)
    assert calls == ["plain after a:1", "plain after a:3"]  # the run before it went out first
    assert _queued(a) == [b"\x40\x02\x00\x01\x40\x02\x00\x02", b"\x40\x02\x00\x03", b"\x70\x02\x00\x05"]
    assert _queued(b) == [b"\x40\x02\x00\x04"]
