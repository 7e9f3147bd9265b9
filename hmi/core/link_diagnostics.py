"""What the link diagnostics panel shows of one link (the broker, a Modbus device, ...), Qt-free.

The panel (hmi/ui/tool_link_diagnostics.py) polls a `snapshot() -> list[LinkDiagnostics]` callable
once a second. The pieces here build that list from what the runtime already has, without importing
any driver:

- `from_modbus_device` turns a Modbus driver's `DeviceDiagnostics` (any object with its attributes,
  see `DeviceDiagnosticsLike`) into a row: state, last poll, latency last/p99, errors by reason,
  reconnects.
- `LinkHistory` listens to link events (`Runtime.add_link_listener(history.on_link)`) and counts
  what a link without its own diagnostics does not: reconnects, drops by reason, and (given message
  counters) when data last arrived. The MQTT driver has only a message counter, so its row comes
  from here.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

STATES = ("up", "degraded", "connecting", "down")


@dataclass(frozen=True, slots=True)
class LinkDiagnostics:
    """One link as the technician sees it. Times are epoch seconds; None means "not yet"."""

    name: str
    kind: str = "link"  # "mqtt", "modbus", "sim", "database", ...
    state: str = "connecting"  # one of STATES
    detail: str = ""
    last_data: float | None = None  # last answered poll / last message
    latency_last_ms: float | None = None
    latency_p99_ms: float | None = None
    requests: int | None = None  # polls or messages, whichever the link counts
    errors: Mapping[str, int] = field(default_factory=dict)
    reconnects: int = 0
    since: float | None = None  # when the link entered its current state

    @property
    def error_total(self) -> int:
        return sum(self.errors.values())


def percentile(values: Iterable[float], q: float) -> float | None:
    """The `q`-th percentile (0..100, nearest rank) of `values`; None for no values."""
    data = sorted(v for v in values if not math.isnan(v))
    if not data:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} outside 0..100")
    rank = max(1, math.ceil(q / 100.0 * len(data)))
    return data[rank - 1]


class DeviceDiagnosticsLike(Protocol):
    """The attributes of hmi.drivers.modbus.DeviceDiagnostics the panel reads."""

    device_key: str
    reason: str
    polls: int
    last_poll: float | None
    last_latency_ms: float | None
    errors: dict[str, int]
    reconnects: int
    recent_latency_ms: Sequence[float]

    @property
    def state(self) -> object: ...


def _state_text(state: object) -> str:
    text = str(getattr(state, "value", state)).lower()
    return text if text in STATES else "connecting"


def from_modbus_device(d: DeviceDiagnosticsLike, since: float | None = None) -> LinkDiagnostics:
    """A Modbus device's row: its driver already keeps everything the panel shows."""
    return LinkDiagnostics(
        name=d.device_key,
        kind="modbus",
        state=_state_text(d.state),
        detail=d.reason,
        last_data=d.last_poll,
        latency_last_ms=d.last_latency_ms,
        latency_p99_ms=percentile(d.recent_latency_ms, 99),
        requests=d.polls,
        errors=dict(d.errors),
        reconnects=d.reconnects,
        since=since,
    )


def kind_of(name: str) -> str:
    """A link's kind from the name the runtime gives it ("broker mqtt://...", "modbus://h:p", "sim")."""
    if name.startswith("broker") or name.startswith("mqtt"):
        return "mqtt"
    if name.startswith(("modbus", "rtu://")):
        return "modbus"
    if name.startswith("sim"):
        return "sim"
    if name.startswith(("database", "db")):
        return "database"
    return "link"


@dataclass(slots=True)
class _Track:
    state: str = "connecting"
    detail: str = ""
    since: float | None = None
    ups: int = 0
    drops: dict[str, int] = field(default_factory=dict)
    messages: int = 0
    last_data: float | None = None


class LinkHistory:
    """Link events -> state, reconnects and drops per link; thread-safe (drivers call from their threads).

    A "reconnect" is every UP after the first. A drop (UP or DEGRADED to DOWN) is counted under its
    reason ("stopped" and a normal disconnection are not drops). `snapshot(message_counts=...)` also
    notes when a link's message counter last moved, which is when data last arrived (to within a poll).
    """

    QUIET_REASONS = ("stopped", "normal disconnection")

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._tracks: dict[str, _Track] = {}

    def on_link(self, name: str, state: object, detail: str = "") -> None:
        """A LinkSink: (name, LinkState or its text, detail)."""
        text = _state_text(state)
        now = self._clock()
        with self._lock:
            t = self._tracks.setdefault(name, _Track(since=now))
            if text == "down" and t.state in ("up", "degraded") and detail.strip().lower() not in self.QUIET_REASONS:
                why = detail.split(":", 1)[0].strip() or "unknown"
                t.drops[why] = t.drops.get(why, 0) + 1
            if text == "up" and t.state != "up":
                t.ups += 1
            if text != t.state:
                t.since = now
            t.state, t.detail = text, detail

    def names(self) -> list[str]:
        with self._lock:
            return sorted(self._tracks)

    def snapshot(
        self,
        modbus: Mapping[str, DeviceDiagnosticsLike] | None = None,
        message_counts: Mapping[str, int] | None = None,
    ) -> list[LinkDiagnostics]:
        """Every known link, sorted by kind then name. Modbus devices come from their own diagnostics."""
        now = self._clock()
        modbus = modbus or {}
        out: list[LinkDiagnostics] = []
        with self._lock:
            for name, count in (message_counts or {}).items():
                t = self._tracks.setdefault(name, _Track(since=now))
                if count != t.messages:
                    if count > t.messages:
                        t.last_data = now
                    t.messages = count
            for key, d in modbus.items():
                seen = self._tracks.get(key)
                out.append(from_modbus_device(d, since=seen.since if seen else None))
            for name, t in self._tracks.items():
                if name in modbus:
                    continue
                out.append(
                    LinkDiagnostics(
                        name=name,
                        kind=kind_of(name),
                        state=t.state,
                        detail=t.detail,
                        last_data=t.last_data,
                        requests=t.messages if message_counts and name in message_counts else None,
                        errors=dict(t.drops),
                        reconnects=max(0, t.ups - 1),
                        since=t.since,
                    )
                )
        return sorted(out, key=lambda r: (r.kind, r.name))
