"""E-stop latency: from the press (EstopService.trigger) to the broker's PUBACK and to the controller's
confirmation, over loopback, against the simulator as the mill controller (MQTT and Modbus paths).

Setup: a private mosquitto, the simulator (controller reaction ~100 ms, no coast-down) serving MQTT
and its pymodbus server, SQLite for users and audit, the real EstopService with a site key (signed
commands). Each cycle: trigger -> STOPPED (confirmed by the controller) -> reset -> RESET. Measured
per stop: press -> MQTT PUBACK, press -> Modbus write echo, press -> confirmation; every confirmation
is checked against the simulator's own controller state before the cycle's reset (a confirmation
while the controller is not latched is a false confirmation). Baseline: bare paho doing the same
round trip (publish the stop, wait for its ack; publish the reset, wait for its ack) on the same
broker and simulator.

`--broker-nodelay`: mosquitto with ``set_tcp_nodelay true``. Without it the broker's small writes can
wait for a delayed ACK (~40 ms on Linux): an occasional PUBACK takes 40+ ms (the bare paho baseline,
without TCP_NODELAY on its own socket either, takes ~44 ms on every round trip).

`--gui-load`: also run offscreen Qt with a LiveBridge fed 1000 readings/s from a background thread,
and time each confirmation's arrival on the GUI thread through a queued signal (the seam the UI uses).

Last line: {"figure": "estop_confirm_p99", "value": p99_ms, ...}. 200 stops; --quick: 30.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks._common import emit, isolate_user_dirs, log, ratio, start_broker, tempdir

PASSWORD = "flour-stop-latency-2026"


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * q))]


def plant(modbus_port: int):  # type: ignore[no-untyped-def]
    from hmi.core.domain import Mill
    from hmi.core.plant import Plant

    url = f"modbus://127.0.0.1:{modbus_port}/coil/0?unit=1&readback=di/0"
    return Plant((Mill("north", "North", estop_mqtt=True, estop_modbus=url),))


def baseline(host: str, port: int, n: int) -> tuple[list[float], list[float]]:
    """Bare paho: publish the stop (QoS 1), wait for PUBACK and for the controller's ack; then reset."""
    import orjson
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    pubacks: list[float] = []
    confirms: list[float] = []
    acked = threading.Event()
    published = threading.Event()
    want: dict[str, str] = {}
    t_ack = [0.0]
    t_pub = [0.0]

    def on_message(_c: Any, _u: Any, msg: Any) -> None:
        doc = orjson.loads(msg.payload)
        if doc.get("command_id") == want.get("id"):
            t_ack[0] = time.perf_counter()
            acked.set()

    def on_publish(*_a: Any) -> None:
        t_pub[0] = time.perf_counter()
        published.set()

    c = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id=f"bench-bare-{uuid.uuid4().hex[:6]}",
                    protocol=mqtt.MQTTv5)
    c.on_message = on_message
    c.on_publish = on_publish
    subscribed = threading.Event()
    c.on_subscribe = lambda *_a: subscribed.set()
    c.connect(host, port)
    c.loop_start()
    c.subscribe("mills/north/commands/+/ack", qos=1)
    subscribed.wait(5)
    for _ in range(n):
        for name in ("estop", "estop_reset"):
            cid = uuid.uuid4().hex
            want["id"] = cid
            acked.clear()
            published.clear()
            t0 = time.perf_counter()
            c.publish(f"mills/north/commands/{name}", orjson.dumps({"command_id": cid, "issued_by": "bench",
                                                                    "issued_at": time.time()}), qos=1)
            if not acked.wait(3) or not published.wait(1):
                raise RuntimeError(f"bare paho: no answer to {name}")
            if name == "estop":
                pubacks.append((t_pub[0] - t0) * 1000)
                confirms.append((t_ack[0] - t0) * 1000)
    c.disconnect()
    c.loop_stop()
    return pubacks, confirms


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--stops", type=int, default=None)
    ap.add_argument("--gui-load", action="store_true", help="offscreen Qt with 1000 readings/s into a LiveBridge")
    ap.add_argument("--broker-nodelay", action="store_true",
                    help="mosquitto with set_tcp_nodelay true (recommended; hmi/services/local_broker.py lacks it)")
    args = ap.parse_args()
    n = args.stops or (30 if args.quick else 200)

    from hmi.core.domain import Role
    from hmi.core.estop import EstopState
    from hmi.core.estop import Path as EstopPath
    from hmi.services.auth import AuthService
    from hmi.services.estop_service import EstopService
    from hmi.services.simulator import Simulator
    from hmi.services.users import add_user
    from hmi.storage.database import make_engine
    from hmi.storage.migrate import upgrade
    from hmi.storage.plant_repo import apply_plant

    qt: dict[str, Any] = {}
    if args.gui_load:
        qt = gui_setup()

    with tempdir() as d:
        isolate_user_dirs(d)
        if args.broker_nodelay:
            from hmi.services.local_broker import LocalBroker

            broker = LocalBroker(d / "mosquitto")
            broker.conf.write_text(broker.conf.read_text() + "set_tcp_nodelay true\n")
            broker.start()
        else:
            broker = start_broker(d)
        sim = Simulator(plant(5020), broker.url, modbus_port=0)
        sim.start()
        if not sim.wait_ready(10):
            raise RuntimeError("simulator did not connect")
        p = plant(sim.modbus_port or 0)
        engine = make_engine(f"sqlite:///{d / 'estop.sqlite'}")
        upgrade(engine)
        apply_plant(engine, p)
        add_user(engine, "bench", PASSWORD, Role.ADMIN, audit_key=None)
        auth = AuthService(engine, audit_key=None)
        session = auth.sign_in("bench", PASSWORD, console="bench").session
        assert session is not None
        false_confirmations = 0
        confirmations = 0
        gui_ms: list[float] = []

        def on_change(change: Any, status: Any) -> None:  # the dispatcher thread
            if change.cause == "confirmed" and qt:
                qt["relay"].post(change.at)

        service = EstopService(p, auth=auth, broker=broker.url, site_key="bench-site-key", coast_down=0.0)
        service.add_listener(on_change)
        service.start()
        assert service.link is not None and service.link.wait_ready(10)
        if qt:
            qt["relay"].received = gui_ms
            qt["start_load"]()

        def wait(handle: Any, state: Any) -> Any:
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                st = handle.wait_for(state, timeout=0.005 if qt else 5)
                if st is not None:
                    return st
                if qt:
                    qt["app"].processEvents()
            raise RuntimeError(f"no {state} within 5 s: {handle.status()}")

        pubacks: list[float] = []
        echoes: list[float] = []
        confirms: list[float] = []
        by_path = {"mqtt": 0, "modbus": 0}
        time.sleep(0.5)  # the Modbus connection warm-up
        for _ in range(n):
            handle = service.trigger(session, "north")
            st = wait(handle, EstopState.STOPPED)
            # Checked before our reset, the only thing that unlatches the simulated controller: a
            # confirmation while it is not latched would be false.
            confirmations += 1
            if not sim.controllers["north"].latched:
                false_confirmations += 1
            a = st.attempt
            mq, mb = a.paths[EstopPath.MQTT], a.paths[EstopPath.MODBUS]
            if mq.acked_at is not None:
                pubacks.append((mq.acked_at - a.activated_at) * 1000)
            if mb.acked_at is not None:
                echoes.append((mb.acked_at - a.activated_at) * 1000)
            confirms.append(a.confirmation_ms)
            by_path[a.confirmed_by.value] += 1
            wait(service.reset(session, "north", "benchmark cycle"), EstopState.RESET)
        if qt:
            end = time.monotonic() + 0.5
            while time.monotonic() < end:
                qt["app"].processEvents()
                time.sleep(0.002)
            qt["stop_load"]()
        service.audit.flush(10)
        service.stop()
        base_pub, base_conf = baseline("127.0.0.1", broker.port, n)
        sim.stop()
        broker.stop()
        engine.dispose()

    log(f"stops: {n}; confirmed by MQTT {by_path['mqtt']}, by Modbus {by_path['modbus']}; "
        f"false confirmations: {false_confirmations} of {confirmations}")
    log(f"press -> MQTT PUBACK: p50 {pct(pubacks, 0.5):.2f} ms, p99 {pct(pubacks, 0.99):.2f} ms "
        f"(bare paho publish -> PUBACK p50 {pct(base_pub, 0.5):.2f}, p99 {pct(base_pub, 0.99):.2f})")
    log(f"press -> Modbus write echo: p50 {pct(echoes, 0.5):.2f} ms, p99 {pct(echoes, 0.99):.2f} ms")
    log(f"press -> confirmed: p50 {pct(confirms, 0.5):.1f} ms, p99 {pct(confirms, 0.99):.1f} ms "
        f"(bare paho stop -> ack p50 {pct(base_conf, 0.5):.1f}, p99 {pct(base_conf, 0.99):.1f}; "
        f"the controller's reaction time is ~100 ms)")
    result: dict[str, Any] = {
        "figure": "estop_confirm_p99", "value": round(pct(confirms, 0.99), 1), "unit": "ms",
        "p50_confirm_ms": round(pct(confirms, 0.5), 1),
        "p50_puback_ms": round(pct(pubacks, 0.5), 2), "p99_puback_ms": round(pct(pubacks, 0.99), 2),
        "p50_modbus_echo_ms": round(pct(echoes, 0.5), 2), "p99_modbus_echo_ms": round(pct(echoes, 0.99), 2),
        "false_confirmations": false_confirmations, "stops": n, "confirmed_by": by_path,
        "baseline": round(pct(base_conf, 0.99), 1), "baseline_p99_puback_ms": round(pct(base_pub, 0.99), 2),
        "ratio": ratio(pct(confirms, 0.99), pct(base_conf, 0.99)),
        "goal": "p99 < 50 ms to the broker, < 250 ms confirmed, 0 false confirmations",
    }
    result["broker_tcp_nodelay"] = args.broker_nodelay
    if gui_ms:
        result["gui_p99_ms"] = round(pct(gui_ms, 0.99), 1)
        result["gui_load"] = "1000 readings/s into a LiveBridge"
        log(f"confirmation -> GUI thread under load: p50 {pct(gui_ms, 0.5):.1f} ms, p99 {pct(gui_ms, 0.99):.1f} ms")
    emit(result)
    return 0 if false_confirmations == 0 else 1


def gui_setup() -> dict[str, Any]:
    """Offscreen Qt: a LiveBridge fed 1000 readings/s, and a queued relay timing e-stop changes."""
    import PySide6  # noqa: F401  (before pyqtgraph, if anything imports it)
    from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

    from hmi.core.domain import Reading
    from hmi.ui.bridge import LiveBridge

    app = QCoreApplication.instance() or QCoreApplication([])

    class Relay(QObject):
        _queued = Signal(float)

        def __init__(self) -> None:
            super().__init__()
            self.received: list[float] = []
            self._queued.connect(self._on_change, Qt.ConnectionType.QueuedConnection)

        def post(self, at: float) -> None:  # any thread
            self._queued.emit(at)

        @Slot(float)
        def _on_change(self, at: float) -> None:  # GUI thread
            self.received.append((time.monotonic() - at) * 1000)

    relay = Relay()
    bridge = LiveBridge()
    stop = threading.Event()

    def feed() -> None:
        i = 0
        start = time.perf_counter()
        while not stop.is_set():
            bridge.submit([Reading(f"00BB{i % 50:012X}", time.time(), 20.0 + (i % 10))])
            i += 1
            lag = start + i / 1000.0 - time.perf_counter()
            if lag > 0:
                time.sleep(lag)

    th = threading.Thread(target=feed, daemon=True)
    return {"app": app, "relay": relay, "bridge": bridge, "start_load": th.start,
            "stop_load": lambda: (stop.set(), th.join(2))}


if __name__ == "__main__":
    sys.exit(main())
