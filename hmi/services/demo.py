"""The demo plant on real links: a private mosquitto, the simulator publishing on it and serving
Modbus registers, so `millwatch --demo` reads the plant through the same MQTT and Modbus drivers
a real site uses. Without mosquitto installed, the caller falls back to the `sim://` driver.
"""

from __future__ import annotations

import dataclasses
import logging
import socket
from pathlib import Path

from hmi.core.plant import Plant
from hmi.services.local_broker import LocalBroker, find_mosquitto, free_port
from hmi.services.simulator import Simulator

log = logging.getLogger(__name__)
DEMO_MODBUS_PORT = 5020
DEMO_COAST_DOWN = 4.0  # seconds the simulated mills run on after a stop: "stopping" is visible, then "stopped"


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def with_modbus_port(plant: Plant, old: int, new: int) -> Plant:
    """The plant with every Modbus URL on 127.0.0.1:`old` moved to `new` (another demo owns `old`)."""
    if old == new:
        return plant
    a, b = f"127.0.0.1:{old}/", f"127.0.0.1:{new}/"
    mills = []
    for m in plant.mills:
        sensors = tuple(dataclasses.replace(s, source=s.source.replace(a, b)) for s in m.sensors)
        mills.append(dataclasses.replace(m, sensors=sensors, estop_modbus=m.estop_modbus.replace(a, b)))
    return dataclasses.replace(plant, mills=tuple(mills))


class DemoLinks:
    def __init__(self, plant: Plant, workdir: Path) -> None:
        self.workdir = workdir
        port = DEMO_MODBUS_PORT if _port_free(DEMO_MODBUS_PORT) else free_port()
        self.plant = with_modbus_port(plant, DEMO_MODBUS_PORT, port)
        self.modbus_port = port
        self.broker = LocalBroker(workdir / "broker")
        self.simulator: Simulator | None = None

    @staticmethod
    def available() -> bool:
        return find_mosquitto() is not None

    @property
    def broker_url(self) -> str:
        return self.broker.url

    def start(self) -> None:
        self.broker.start()
        self.simulator = Simulator(self.plant, broker_url=self.broker.url, modbus_port=self.modbus_port,
                                   coast_down=DEMO_COAST_DOWN)
        self.simulator.start()
        if not self.simulator.wait_ready(10):
            log.warning("demo simulator not ready after 10 s")
        log.info("demo links: broker %s, Modbus 127.0.0.1:%d", self.broker.url, self.modbus_port)

    def stop(self) -> None:
        """Idempotent: the window's shutdown hook and the caller's `finally` may both call it."""
        sim, self.simulator = self.simulator, None
        if sim is not None:
            sim.stop()
        self.broker.stop()
