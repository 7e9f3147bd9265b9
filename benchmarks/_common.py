"""Shared helpers for the benchmarks: a broker, a PostgreSQL cluster, a synthetic plant, a paho
publisher in its own process, a bare paho subscriber, and the last-line JSON result.

Everything runs on loopback and in temporary directories; nothing here touches the user's data
directory (callers point XDG_DATA_HOME at a temp dir before the product picks a spill path).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python benchmarks/x.py` puts benchmarks/ first, not the project
    sys.path.insert(1, str(ROOT))

from hmi.services.local_broker import LocalBroker, free_port  # noqa: E402

BATCH = 100  # readings per gateway message (mills/{mill}/readings)


def log(msg: str) -> None:
    print(msg, flush=True)


def emit(result: dict[str, Any]) -> None:
    """The last line of every benchmark: one JSON object."""
    sys.stdout.flush()
    print(json.dumps(result), flush=True)


def ratio(value: float, baseline: float) -> float | None:
    return round(value / baseline, 3) if baseline else None


@contextmanager
def tempdir(prefix: str = "mw-bench-") -> Iterator[Path]:
    d = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(d, 0o777)
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def isolate_user_dirs(d: Path) -> None:
    """Keep the product's platformdirs paths (spill files, default DB) inside `d`."""
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        p = d / sub
        p.mkdir(parents=True, exist_ok=True)
        os.environ[var] = str(p)


# -- broker --------------------------------------------------------------------------------------------------


def start_broker(workdir: Path, *, queue_qos0: bool = False) -> LocalBroker:
    """The product's own zero-loss mosquitto (persistence on, unlimited queues) on a free port.

    `queue_qos0`: also queue QoS 0 messages for offline persistent sessions (mosquitto's
    `queue_qos0_messages`), so a QoS 0 backlog can be drained like a QoS 1 one."""
    broker = LocalBroker(workdir / "mosquitto")
    if queue_qos0:
        with open(broker.conf, "a", encoding="utf-8") as f:
            f.write("queue_qos0_messages true\n")
    broker.start()
    return broker


# -- PostgreSQL ----------------------------------------------------------------------------------------------


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    cands = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if not cands:
        raise FileNotFoundError(f"{name} not found: apt-get install postgresql")
    return str(cands[-1])


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def pg_available() -> bool:
    try:
        _pg_bin("initdb")
        _pg_bin("pg_ctl")
    except FileNotFoundError:
        return False
    return True


class PgCluster:
    """A throwaway PostgreSQL cluster on loopback, trust auth, fsync off (the disk is not measured)."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="mw-bench-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self._n = 0
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        os.chmod(self.dir, 0o777)

    def start(self) -> PgCluster:
        subprocess.run(
            _as_postgres([_pg_bin("initdb"), "-D", str(self.data), "--auth=trust", "-U", "postgres", "-E", "UTF8"]),
            check=True,
            capture_output=True,
        )
        opts = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        subprocess.run(
            _as_postgres([_pg_bin("pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.dir / "pg.log"),
                          "-w", "start"]),
            check=True,
            capture_output=True,
        )
        return self

    def dsn(self, dbname: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname}"

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        """Name of a fresh empty database."""
        import psycopg

        self._n += 1
        name = f"bench{os.getpid()}_{self._n}"
        with psycopg.connect(self.dsn(), autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return name

    def destroy(self) -> None:
        subprocess.run(
            _as_postgres([_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


# -- plant ---------------------------------------------------------------------------------------------------


def eui_of(mill: int, sensor: int) -> str:
    return f"B1{mill:04X}{sensor:010X}"


def mill_slug(mill: int) -> str:
    return f"m{mill:03d}"


def plant_toml(mills: int, sensors_per_mill: int, sampling_interval: float = 1.0) -> str:
    """A plant of `mills` x `sensors_per_mill` temperature sensors on their default MQTT topics."""
    out = ["# Benchmark plant (generated)", "schema_version = 1", ""]
    for m in range(mills):
        out += ["[[mills]]", f'slug = "{mill_slug(m)}"', f'name = "Bench Mill {m}"', "capacity = 100", ""]
        for s in range(sensors_per_mill):
            out += [
                "  [[mills.sensors]]",
                f'  name = "Sensor {s}"',
                '  type = "temperature"',
                f'  eui = "{eui_of(m, s)}"',
                f"  sampling_interval = {sampling_interval}",
                "",
            ]
    return "\n".join(out)


def write_plant(path: Path, mills: int, sensors_per_mill: int, sampling_interval: float = 1.0) -> Path:
    path.write_text(plant_toml(mills, sensors_per_mill, sampling_interval), encoding="utf-8")
    return path


def build_plant(mills: int, sensors_per_mill: int, sampling_interval: float = 1.0):  # type: ignore[no-untyped-def]
    import tomllib

    from hmi.core.plant import parse_plant

    return parse_plant(tomllib.loads(plant_toml(mills, sensors_per_mill, sampling_interval)))


def prepare_db(url: str, plant) -> Any:  # type: ignore[no-untyped-def]
    """make_engine + migrations + the plant applied: what the collector does before it starts."""
    from hmi.storage.database import make_engine
    from hmi.storage.migrate import upgrade
    from hmi.storage.plant_repo import apply_plant

    engine = make_engine(url)
    upgrade(engine)
    apply_plant(engine, plant)
    return engine


# -- publisher process ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Load:
    """What the publisher sends. `batched`: `mills/{m}/readings` arrays of BATCH readings; else one
    reading per message on `mills/{m}/sensors/{eui}/reading`. Timestamps are unique per reading:
    `base_ts + i * ts_step` for the i-th reading overall."""

    mills: int
    sensors_per_mill: int
    messages: int
    qos: int
    batched: bool = False
    base_ts: float = 0.0
    ts_step: float = 1e-5
    rate: float = 0.0  # readings per second; 0: as fast as possible
    connections: int = 1

    @property
    def readings(self) -> int:
        return self.messages * (BATCH if self.batched else 1)


def _payloads(load: Load, start: int, stop: int) -> Iterator[tuple[str, bytes]]:
    import orjson

    sensors = load.mills * load.sensors_per_mill
    topics = [f"mills/{mill_slug(m)}/sensors/{eui_of(m, s)}/reading"
              for m in range(load.mills) for s in range(load.sensors_per_mill)]
    euis = [eui_of(m, s) for m in range(load.mills) for s in range(load.sensors_per_mill)]
    for i in range(start, stop):
        if load.batched:
            m = i % load.mills
            first = i * BATCH
            items = [
                {
                    "eui": euis[m * load.sensors_per_mill + (k % load.sensors_per_mill)],
                    "value": 20.0 + (k % 100) * 0.1,
                    "ts": load.base_ts + k * load.ts_step,
                    "quality": "good",
                }
                for k in range(first, first + BATCH)
            ]
            yield f"mills/{mill_slug(m)}/readings", orjson.dumps(items)
        else:
            yield topics[i % sensors], orjson.dumps(
                {"value": 20.0 + (i % 100) * 0.1, "ts": load.base_ts + i * load.ts_step, "quality": "good"}
            )


def _publisher_main(host: str, port: int, load: Load, conn: Any) -> None:
    """Child process: connect, pre-build the payloads, report ready, publish on "go", report timing."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    try:
        clients = []
        for c_i in range(load.connections):
            c = mqtt.Client(
                callback_api_version=CallbackAPIVersion.VERSION2,
                client_id=f"bench-pub-{os.getpid()}-{c_i}",
                protocol=mqtt.MQTTv5,
            )
            c.max_inflight_messages_set(0)  # unlimited: the publisher must not be the bottleneck
            c.max_queued_messages_set(0)
            c.connect(host, port, keepalive=60)
            c.loop_start()
            clients.append(c)
        deadline = time.monotonic() + 10
        while not all(c.is_connected() for c in clients):
            if time.monotonic() > deadline:
                raise RuntimeError("publisher could not connect")
            time.sleep(0.01)
        paced = load.rate > 0
        payloads = None if paced else list(_payloads(load, 0, load.messages))
        conn.send(("ready", None))
        cmd = conn.recv()
        if cmd != "go":
            return
        t0 = time.monotonic()
        infos = []
        if paced:
            per_msg = BATCH if load.batched else 1
            msg_rate = load.rate / per_msg
            sent = 0
            gen = _payloads(load, 0, load.messages)
            while sent < load.messages:
                due = min(load.messages, int((time.monotonic() - t0) * msg_rate) + 1)
                while sent < due:
                    topic, payload = next(gen)
                    infos.append(clients[sent % len(clients)].publish(topic, payload, qos=load.qos))
                    sent += 1
                if len(infos) > 10000:
                    infos = infos[-1:]
                time.sleep(0.005)
        else:
            assert payloads is not None
            n = len(clients)
            for i, (topic, payload) in enumerate(payloads):
                infos.append(clients[i % n].publish(topic, payload, qos=load.qos))
        t_sent = time.monotonic()
        for info in infos:  # QoS 1: every PUBACK back; QoS 0: every packet written to the socket
            info.wait_for_publish(timeout=300)
        t1 = time.monotonic()
        conn.send(("done", {"t0": t0, "t_sent": t_sent, "t1": t1, "messages": load.messages}))
        conn.recv()  # stay connected until the parent says so
        for c in clients:
            c.disconnect()
            c.loop_stop()
    except Exception as exc:  # noqa: BLE001 - report anything to the parent, which fails loudly
        conn.send(("error", repr(exc)))


class Publisher:
    """A paho publisher in its own process (spawned: no GIL shared with what is measured)."""

    def __init__(self, host: str, port: int, load: Load) -> None:
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self.load = load
        self.proc = ctx.Process(target=_publisher_main, args=(host, port, load, child), daemon=True)
        self.proc.start()
        kind, detail = self._conn.recv()
        if kind != "ready":
            self.proc.join(5)
            raise RuntimeError(f"publisher failed: {detail}")
        self.t_go = 0.0

    def go(self) -> float:
        self.t_go = time.monotonic()
        self._conn.send("go")
        return self.t_go

    def result(self, timeout: float = 600) -> dict[str, float]:
        if not self._conn.poll(timeout):
            raise TimeoutError("publisher did not finish")
        kind, detail = self._conn.recv()
        if kind != "done":
            raise RuntimeError(f"publisher failed: {detail}")
        return detail

    def close(self) -> None:
        try:
            self._conn.send("bye")
        except (BrokenPipeError, OSError):
            pass
        self.proc.join(10)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()


# -- bare subscriber -----------------------------------------------------------------------------------------


class BareSubscriber:
    """paho doing nothing but count: the baseline every MQTT figure is compared with.

    Same protocol (MQTT v5) and subscriptions as the driver; acks are paho's automatic ones.
    `decode` additionally runs orjson.loads on each payload (what any consumer must do)."""

    def __init__(self, host: str, port: int, topics: list[str], qos: int, *, per_message: int = 1,
                 decode: bool = False, client_id: str | None = None, session_expiry: int = 0,
                 target: int = 0) -> None:
        """`session_expiry` > 0: a persistent session (clean_start false), as the driver uses; the broker
        then queues for this client id while it is away. `target`: readings after which `done` is set."""
        import orjson
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        self.count = 0
        self.target = target
        self.done = threading.Event()
        self.t_last = 0.0
        self._subscribed = threading.Event()
        loads = orjson.loads
        self.client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=client_id or f"bench-bare-{uuid.uuid4().hex[:8]}",
            protocol=mqtt.MQTTv5,
        )
        self.t_connect = 0.0

        def on_message(_c: Any, _u: Any, msg: Any) -> None:
            if decode:
                loads(msg.payload)
            self.count += per_message
            if self.count >= self.target > 0:
                self.t_last = time.monotonic()
                self.done.set()

        def on_connect(c: Any, *_a: Any) -> None:
            c.subscribe([(t, qos) for t in topics])

        self.client.on_message = on_message
        self.client.on_connect = on_connect
        self.client.on_subscribe = lambda *_a: self._subscribed.set()
        props = None
        if session_expiry:
            props = Properties(PacketTypes.CONNECT)
            props.SessionExpiryInterval = session_expiry
        self.t_connect = time.monotonic()
        self.client.connect(host, port, keepalive=60, clean_start=not session_expiry, properties=props)
        self.client.loop_start()
        if not self._subscribed.wait(10):
            raise RuntimeError("bare subscriber: no SUBACK")

    def expect(self, n: int) -> None:
        self.count = 0
        self.done.clear()
        self.target = n

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def clear_session(host: str, port: int, client_id: str) -> None:
    """Drop a persistent session left by a stopped client, so the broker stops queueing for it."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    c = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = 0
    c.connect(host, port, keepalive=10, clean_start=True, properties=props)
    c.loop_start()
    deadline = time.monotonic() + 5
    while not c.is_connected() and time.monotonic() < deadline:
        time.sleep(0.01)
    c.disconnect()
    c.loop_stop()


def wait_until(cond: Callable[[], bool], timeout: float, poll: float = 0.002) -> bool:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            return False
        time.sleep(poll)
    return True


def rss_mb(pid: int) -> float:
    """VmRSS of a process in MB (from /proc)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError(f"no VmRSS for {pid}")
