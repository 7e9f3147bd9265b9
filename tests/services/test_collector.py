"""`millwatch collect` as a control room runs it, against real servers: nothing lost, nothing doubled,
whatever the broker, the database or the collector itself does."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import orjson
import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from tests.conftest import cli_env, millwatch_cmd
from tests.support.servers import Mosquitto, PostgresCluster

PLANT = """schema_version = 1
[[mills]]
slug = "m1"
name = "Mill 1"
capacity = 100
  [[mills.sensors]]
  name = "s1"
  type = "temperature"
  eui = "0C0C0C0C0C0C0001"
  sampling_interval = 1
  calibration = { offset = 1.0, multiplier = 1.0 }
  [[mills.sensors]]
  name = "s2"
  type = "flow"
  eui = "0C0C0C0C0C0C0002"
  sampling_interval = 1
"""
T0 = time.time() - 7200
EUIS = ("0C0C0C0C0C0C0001", "0C0C0C0C0C0C0002")


class Publisher:
    """A device-side publisher with its own persistent session so it retransmits across restarts."""

    def __init__(self, port: int, client_id: str) -> None:
        self.c = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id=client_id,
                             protocol=mqtt.MQTTv5)
        self.c.reconnect_delay_set(1, 2)
        self.c.max_queued_messages_set(0)
        self.c.max_inflight_messages_set(1000)
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 3600
        self.acked = 0
        self.sent = 0
        self._lock = threading.Lock()
        self.c.on_publish = self._on_publish
        self.c.connect("127.0.0.1", port, clean_start=False, properties=props)
        self.c.loop_start()

    def _on_publish(self, *_args: object) -> None:
        with self._lock:
            self.acked += 1

    def publish(self, topic: str, payload: bytes) -> None:
        """QoS 1; while the broker is away paho keeps the message and sends it on reconnect."""
        self.c.publish(topic, payload, qos=1)
        self.sent += 1

    def send(self, i: int, eui: str | None = None) -> None:
        eui = eui or EUIS[i % 2]
        payload = orjson.dumps({"value": float(i % 500), "ts": T0 + i * 0.001, "quality": "good"})
        self.publish(f"mills/m1/sensors/{eui}/reading", payload)

    def finish(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.acked < self.sent and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self.acked == self.sent, f"publisher delivered {self.acked} of {self.sent}"
        self.c.disconnect()
        self.c.loop_stop()


def start_collector(plant: Path, broker: str, db: str, log: Path, client_id: str = "t-collector") -> subprocess.Popen:
    with open(log, "a") as out:  # the child keeps its own descriptor
        return subprocess.Popen(
            millwatch_cmd("collect", "--plant", str(plant), "--broker", broker, "--db", db, "--client-id", client_id,
                          "--status-interval", "1"),
            env=cli_env(), stdout=out, stderr=subprocess.STDOUT,
        )


def wait_for_connect(log: Path, n: int = 1, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and log.read_text().count(": up") >= n:
            return
        time.sleep(0.05)
    raise AssertionError(f"collector did not connect: {log.read_text() if log.exists() else ''}")


def stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    return proc.wait(60)


def sqlite_count(path: Path) -> int:
    return sqlite3.connect(path, timeout=10).execute("select count(*) from readings").fetchone()[0]


def wait_count(count, n: int, timeout: float = 60) -> int:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    got = -1
    while time.monotonic() < deadline:
        got = count()
        if got >= n:
            return got
        time.sleep(0.2)
    return got


@pytest.fixture
def plant_file(tmp_path: Path) -> Path:
    p = tmp_path / "plant.toml"
    p.write_text(PLANT)
    return p


def test_broker_restart_mid_stream_loses_nothing(mosquitto: Mosquitto, plant_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    log = tmp_path / "collect.log"
    col = start_collector(plant_file, mosquitto.url, f"sqlite:///{db}", log)
    wait_for_connect(log)
    pub = Publisher(mosquitto.port, "t-device-1")
    n = 3000
    for i in range(n):
        pub.send(i)
        if i == 1000:
            mosquitto.restart()
        if i % 100 == 0:
            time.sleep(0.02)
    pub.finish()
    assert wait_count(lambda: sqlite_count(db), n) == n
    assert stop(col) == 0
    con = sqlite3.connect(db)
    assert con.execute("select count(distinct ts) from readings").fetchone()[0] == n
    values = con.execute("select value, raw_value from readings r join sensors s on s.id = r.sensor_id "
                         "where s.eui = ? order by ts", (EUIS[0],)).fetchall()
    assert all(v == raw + 1.0 for v, raw in values), "calibrated beside raw"


def test_kill_9_then_restart_nothing_missing_or_doubled(mosquitto: Mosquitto, plant_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    log = tmp_path / "collect.log"
    col = start_collector(plant_file, mosquitto.url, f"sqlite:///{db}", log, client_id="t-kill")
    wait_for_connect(log)
    pub = Publisher(mosquitto.port, "t-device-2")
    n = 4000
    killed = False
    for i in range(n):
        pub.send(i)
        if i % 200 == 0:
            time.sleep(0.02)
        if i == 2000:
            os.kill(col.pid, signal.SIGKILL)
            col.wait()
            killed = True
    assert killed
    pub.finish()
    assert sqlite3.connect(db).execute("pragma integrity_check").fetchone()[0] == "ok"
    col = start_collector(plant_file, mosquitto.url, f"sqlite:///{db}", log, client_id="t-kill")
    assert wait_count(lambda: sqlite_count(db), n) == n
    time.sleep(1.0)  # any late redelivery must not double a row
    assert stop(col) == 0
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert con.execute("select count(*) from readings").fetchone()[0] == n


def test_malformed_payloads_interleaved_keep_every_good_one(mosquitto: Mosquitto, plant_file: Path,
                                                             tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    log = tmp_path / "collect.log"
    col = start_collector(plant_file, mosquitto.url, f"sqlite:///{db}", log, client_id="t-malformed")
    wait_for_connect(log)
    pub = Publisher(mosquitto.port, "t-device-3")
    bad = [b"not json", b"{}", b'{"value": "abc"}', b'{"value": NaN}', b'{"value": Infinity}', b'{"value": 1e999}',
           b'{"value": 1, "ts": "2400-01-01T00:00:00Z"}', b'{"value": 1, "ts": 5}', b"[1,2]", b"x" * 70000,
           b'{"value": 99999999}']
    for i in range(500):
        pub.send(i)
        pub.publish(f"mills/m1/sensors/{EUIS[0]}/reading", bad[i % len(bad)])
    pub.send(500, eui="FFFFFFFFFFFFFFFF")
    pub.finish()
    assert wait_count(lambda: sqlite_count(db), 500) == 500
    time.sleep(1.2)
    assert stop(col) == 0
    assert sqlite_count(db) == 500
    text = log.read_text()
    for reason in ("not_json", "no_value", "value_not_number", "too_large", "future_timestamp", "bad_timestamp",
                   "out_of_range", "unknown_sensor"):
        assert f"{reason}=" in text, reason


def test_postgres_down_30s_under_1000_per_s_stores_everything_once(mosquitto: Mosquitto, plant_file: Path,
                                                                     tmp_path: Path) -> None:
    cluster = PostgresCluster()
    cluster.init()
    cluster.start()
    try:
        url = cluster.url()
        log = tmp_path / "collect.log"
        col = start_collector(plant_file, mosquitto.url, url, log, client_id="t-pg")
        wait_for_connect(log)
        pub = Publisher(mosquitto.port, "t-device-4")
        rate, seconds = 1000, 45
        outage = threading.Timer(5.0, cluster.stop)
        back = threading.Timer(35.0, cluster.start)
        outage.start()
        back.start()
        t0 = time.monotonic()
        for i in range(rate * seconds):
            pub.send(i)
            if i % 100 == 99:
                lag = t0 + (i + 1) / rate - time.monotonic()
                if lag > 0:
                    time.sleep(lag)
        pub.finish()
        outage.join()
        back.join()
        import psycopg

        def count() -> int:
            try:
                with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres") as c:
                    return int(c.execute("select count(*) from readings").fetchone()[0])
            except psycopg.OperationalError:
                return -1

        n = rate * seconds
        assert wait_count(count, n, timeout=90) == n
        assert stop(col) == 0
        assert count() == n
        text = log.read_text()
        assert "database write failed" in text and "database back" in text
    finally:
        cluster.destroy()


def test_mill_status_and_production_reports_are_stored(mosquitto: Mosquitto, plant_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    log = tmp_path / "collect.log"
    col = start_collector(plant_file, mosquitto.url, f"sqlite:///{db}", log, client_id="t-events")
    wait_for_connect(log)
    pub = Publisher(mosquitto.port, "t-device-5")
    pub.publish("mills/m1/status", b'{"status": "maintenance"}')
    pub.publish("mills/m1/status", b'{"status": "exploded"}')  # refused, counted
    pub.publish("mills/m1/production", b'{"date": "2026-11-24", "actual": 61.5}')
    pub.publish("mills/m1/production", b'{"date": "yesterday", "actual": 1}')  # refused, counted
    pub.finish()

    def state() -> tuple:
        con = sqlite3.connect(db, timeout=10)
        status = con.execute("select status from mills where slug = 'm1'").fetchone()[0]
        prod = con.execute("select actual from production_records").fetchall()
        return status, prod

    deadline = time.monotonic() + 10
    while state() != ("maintenance", [(61.5,)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert state() == ("maintenance", [(61.5,)])
    time.sleep(1.2)
    assert stop(col) == 0
    text = log.read_text()
    assert "bad_status=1" in text and "bad_production=1" in text


def test_simulate_command_publishes_the_contract(mosquitto: Mosquitto, tmp_path: Path) -> None:
    """`millwatch simulate` as an installer runs it: readings arrive on the contract topics."""
    from tests.support.servers import free_port

    plant = tmp_path / "p.toml"
    plant.write_text(PLANT)
    proc = subprocess.Popen(
        millwatch_cmd("simulate", "--plant", str(plant), "--broker", mosquitto.url, "--modbus-port",
                      str(free_port()), "--speed", "5"),
        env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    got: list[tuple[str, dict]] = []
    sub = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    sub.on_message = lambda _c, _u, m: got.append((m.topic, orjson.loads(m.payload)))
    sub.connect("127.0.0.1", mosquitto.port)
    sub.subscribe("mills/#", qos=1)
    sub.loop_start()
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not any(t.endswith("/reading") for t, _ in got):
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
        sub.disconnect()
        sub.loop_stop()
    readings = [d for t, d in got if t.startswith("mills/m1/sensors/") and t.endswith("/reading")]
    assert readings and all(isinstance(d["value"], float) and "ts" in d for d in readings if isinstance(d, dict))
    assert any(t == "mills/m1/status" and d == {"status": "active"} for t, d in got)
