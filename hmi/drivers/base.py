"""What every driver provides and what it calls back with.

Drivers call `SampleSink` from their own threads; receivers must be quick and thread-safe (the
ingest pipeline only enqueues). Link state changes go to `LinkSink` so the status bar and the
collector's status line can show which device is down and why.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from hmi.core.domain import Quality, Sensor
from hmi.core.sources import Source


class LinkState(enum.StrEnum):
    UP = "up"
    DOWN = "down"
    DEGRADED = "degraded"
    CONNECTING = "connecting"


@dataclass(slots=True)
class Sample:
    """One value of one sensor as a driver saw it, before calibration.

    `value` is the raw engineering value (after a Modbus scale/offset), None when there is none.
    `reason` says why quality is not good (counted and logged by the pipeline).
    `ack` is called once the sample is committed (MQTT manual acks); None when nothing to ack.
    """

    eui: str
    ts: float
    value: float | None
    quality: Quality = Quality.GOOD
    reason: str = ""
    ack: Callable[[], None] | None = None


SampleSink = Callable[[list[Sample]], None]
LinkSink = Callable[[str, LinkState, str], None]
RejectSink = Callable[[str, str], None]  # (reason, detail) for input that names no usable sample


class Driver(Protocol):
    """A data source chosen by URL scheme. `add` all sensors, then `start`; `stop` joins threads."""

    scheme: str

    def add(self, sensor: Sensor, source: Source) -> None: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...


@dataclass(slots=True)
class DriverContext:
    """What the registry hands to a driver factory."""

    on_samples: SampleSink
    on_link: LinkSink
    on_reject: RejectSink
    options: dict[str, object]


DriverFactory = Callable[[DriverContext], Driver]
