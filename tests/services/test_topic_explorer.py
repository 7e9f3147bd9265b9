"""The topic explorer against a real mosquitto: topics published with paho appear with count, QoS,
retained flag and payload; the topic and payload caps hold; the keyring password is used; source URLs
built from a picked JSON leaf parse back to the same topic and paths."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from hmi.core.broker import parse_broker_url
from hmi.core.errors import ValidationError
from hmi.core.permissions import PermissionDenied
from hmi.core.sources import MqttSource, parse_source
from hmi.services.topic_explorer import (
    ExplorerSnapshot,
    TopicExplorer,
    check_filter,
    json_leaves,
    mqtt_source_url,
    pretty_payload,
    timestamp_candidates,
)
from hmi.storage.secrets import set_secret
from tests.support.servers import free_port, wait_port


def publisher(port: int, username: str | None = None, password: str | None = None) -> mqtt.Client:
    c = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    if username:
        c.username_pw_set(username, password)
    c.connect("127.0.0.1", port)
    c.loop_start()
    return c


def publish_all(c: mqtt.Client, messages: list[tuple[str, bytes, int, bool]]) -> None:
    infos = [c.publish(t, p, qos=q, retain=r) for t, p, q, r in messages]
    for info in infos:
        info.wait_for_publish(timeout=5)


def wait_for(explorer: TopicExplorer, ok: Callable[[ExplorerSnapshot], bool], timeout: float = 5.0) -> ExplorerSnapshot:
    deadline = time.monotonic() + timeout
    snap = explorer.snapshot()
    while time.monotonic() < deadline:
        snap = explorer.snapshot()
        if ok(snap):
            return snap
        time.sleep(0.02)
    raise AssertionError(f"condition not met: {snap}")


@pytest.fixture
def no_thread_leak() -> Iterator[None]:
    before = {t.ident for t in threading.enumerate()}
    yield
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        extra = [t for t in threading.enumerate() if t.ident not in before and t.is_alive()]
        if not extra:
            return
        time.sleep(0.02)
    raise AssertionError(f"threads left running: {[t.name for t in extra]}")


@pytest.fixture
def explorer_factory(no_thread_leak) -> Iterator[Callable[..., TopicExplorer]]:  # type: ignore[no-untyped-def]
    made: list[TopicExplorer] = []

    def make(url: str, **kwargs: object) -> TopicExplorer:
        e = TopicExplorer(url, **kwargs)  # type: ignore[arg-type]
        made.append(e)
        return e

    yield make
    for e in made:
        e.stop()


def test_live_topics_appear_with_count_qos_retained_and_payload(mosquitto, explorer_factory) -> None:  # type: ignore[no-untyped-def]
    pub = publisher(mosquitto.port)
    try:
        publish_all(pub, [("mills/north/status", b'{"status": "active"}', 1, True)])  # retained before we look
        explorer = explorer_factory(mosquitto.url, topic_filter="mills/#")
        explorer.start()
        wait_for(explorer, lambda s: s.state == "connected" and s.topic_count == 1)
        reading = orjson.dumps({"value": 21.5, "ts": 1_790_000_000, "quality": "good"})
        publish_all(pub, [("mills/north/sensors/A1/reading", reading, 1, False)] * 5
                    + [("mills/north/production", b'{"actual": 3}', 2, False), ("other/topic", b"x", 0, False)])
        topic = "mills/north/sensors/A1/reading"
        snap = wait_for(explorer, lambda s: {t.topic: t.count for t in s.topics}.get(topic) == 5 and s.topic_count == 3)
    finally:
        pub.loop_stop()
        pub.disconnect()
    by = {t.topic: t for t in snap.topics}
    assert set(by) == {"mills/north/status", "mills/north/sensors/A1/reading", "mills/north/production"}
    status, reading_info, prod = by["mills/north/status"], by[topic], by["mills/north/production"]
    assert status.retained and status.qos == 1 and status.payload == b'{"status": "active"}'
    assert not reading_info.retained and reading_info.qos == 1 and reading_info.payload == reading
    assert prod.qos == 2  # the publisher's QoS, not capped by our subscription
    assert reading_info.rate > 0 and snap.messages == 7 and snap.dropped == 0
    assert not reading_info.truncated and abs(reading_info.last_seen - time.time()) < 5
    # incremental snapshots: nothing new since this version except topics whose rate still moves
    later = explorer.snapshot(since=snap.version)
    assert not later.full and {t.topic for t in later.topics} <= set(by)
    again = explorer.topic("mills/north/status")
    assert again is not None and (again.version, again.count) == (status.version, 1)  # nothing new since
    assert explorer.topic("no/such/topic") is None
    explorer.stop()
    assert explorer.snapshot().state == "idle" and not explorer.running


def test_topic_and_payload_caps(mosquitto, explorer_factory) -> None:  # type: ignore[no-untyped-def]
    explorer = explorer_factory(mosquitto.url, max_topics=5, max_payload_bytes=16)
    explorer.start()
    wait_for(explorer, lambda s: s.state == "connected")
    time.sleep(0.1)  # the subscription is on its way with the CONNACK
    pub = publisher(mosquitto.port)
    try:
        publish_all(pub, [(f"flood/{i}", b"A" * 100, 0, False) for i in range(12)] + [("z" * 600, b"1", 0, False)])
        snap = wait_for(explorer, lambda s: s.messages == 13)
    finally:
        pub.loop_stop()
        pub.disconnect()
    assert snap.topic_count == 5 and len(snap.topics) == 5
    assert snap.dropped == 8  # seven over the cap, one name too long
    for t in snap.topics:
        assert t.payload == b"A" * 16 and t.size == 100 and t.truncated
    # a new filter forgets the old topics
    explorer.set_filter("flood/3")
    snap = wait_for(explorer, lambda s: s.topic_filter == "flood/3" and s.topic_count == 0)
    assert snap.dropped == 0


def test_guard_refuses_before_connecting(mosquitto, explorer_factory) -> None:  # type: ignore[no-untyped-def]
    def refuse() -> None:
        raise PermissionDenied("viewer vic may not edit sensors")

    explorer = explorer_factory(mosquitto.url, guard=refuse)
    with pytest.raises(PermissionDenied):
        explorer.start()
    assert not explorer.running and explorer.snapshot().state == "idle"


@pytest.fixture
def auth_broker(tmp_path: Path) -> Iterator[int]:
    d = tmp_path / "auth"
    d.mkdir()
    os.chmod(d, 0o777)
    passwd = d / "passwd"
    subprocess.run(["mosquitto_passwd", "-c", "-b", str(passwd), "tech", "sieve-and-flour"], check=True,
                   capture_output=True)
    os.chmod(passwd, 0o644)
    port = free_port()
    lines = [f"listener {port} 127.0.0.1", "allow_anonymous false", f"password_file {passwd}"]
    if os.geteuid() == 0:
        lines.append("user root")
    (d / "m.conf").write_text("\n".join(lines) + "\n")
    proc = subprocess.Popen(["mosquitto", "-c", str(d / "m.conf")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    wait_port(port, proc)
    yield port
    proc.terminate()
    proc.wait(5)


def test_password_comes_from_the_keyring(auth_broker: int, explorer_factory) -> None:  # type: ignore[no-untyped-def]
    url = f"mqtt://tech@127.0.0.1:{auth_broker}"
    without = explorer_factory(url)
    without.start()
    wait_for(without, lambda s: s.state == "down")
    time.sleep(0.2)
    assert without.snapshot().detail.startswith("refused")
    without.stop()

    set_secret(parse_broker_url(url).keyring_key, "sieve-and-flour")
    explorer = explorer_factory(url)
    explorer.start()
    wait_for(explorer, lambda s: s.state == "connected")
    pub = publisher(auth_broker, "tech", "sieve-and-flour")
    try:
        publish_all(pub, [("mills/south/status", b'{"status": "maintenance"}', 1, False)])
        wait_for(explorer, lambda s: s.topic_count == 1)
    finally:
        pub.loop_stop()
        pub.disconnect()


def test_json_leaves_and_source_urls() -> None:
    doc = {"ts": "2026-11-24T09:00:00Z", "data": {"temp": 21.5, "ok": True, "a.b": 1}, "list": [1, 2], "name": "x"}
    leaves = {lf.path: lf for lf in json_leaves(doc)}
    assert leaves["data.temp"].bindable and leaves["data.temp"].depth == 2
    assert not leaves["data.ok"].bindable  # a bool is not a reading
    assert not leaves["data.a.b"].bindable and not leaves["data.a.b"].reachable  # dots in keys cannot be written
    assert not leaves["list[0]"].bindable  # the contract has no list indices
    assert not leaves["name"].bindable and leaves["name"].reachable
    assert timestamp_candidates(list(leaves.values()))[0] == "ts"
    assert [lf.path for lf in json_leaves(21.5)] == [""] and json_leaves(21.5)[0].bindable

    topic = "mills/north/sensors/A1B2/reading"
    assert mqtt_source_url(topic) == f"mqtt://{topic}"
    url = mqtt_source_url(topic, "data.temp", "meta.time")
    assert url == f"mqtt://{topic}?path=data.temp&ts=meta.time"
    assert parse_source(url) == MqttSource(topic, "data.temp", "meta.time")
    assert parse_source(mqtt_source_url(topic, "value", "")) == MqttSource(topic, "value", "")  # arrival time
    for bad in ("mills/+/x", "a/#", "/lead", "with space", "q?x"):
        with pytest.raises(ValidationError):
            mqtt_source_url(bad)
    assert check_filter(" mills/# ") == "mills/#"
    for bad in ("", "a/#/b", "a+/b", "a/b#"):
        with pytest.raises(ValidationError):
            check_filter(bad)
    assert pretty_payload(b'{"a":1}') == '{\n  "a": 1\n}'
    assert pretty_payload(b'{"a":', truncated=True) == '{"a":'
    assert pretty_payload(b"\xff\x00") == "ff 00"
