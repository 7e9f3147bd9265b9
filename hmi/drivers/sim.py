"""The `sim://` driver: samples from the signal model instead of a device, on a background thread.

It behaves like a real driver (own thread, batches through `ctx.on_samples`, link state through
`ctx.on_link`) so the demo and tests exercise the same ingest path as production. With the option
`simulate_all` it takes any sensor, whatever its source, which is how the foundation demo runs a
whole plant without a broker or PLC.

Options (from `DriverContext.options`, all optional):
- `seed` (int, 0): the signal models' seed; same seed, same plant.
- `speed` (float, 1.0): sampling runs `speed` times faster and the signal's time runs `speed` times
  faster from the start (excursions come sooner); sample timestamps stay wall-clock.
- `interval` (float): sample every sensor at this period (seconds, wall clock) instead of its own.
- `simulate_all` (bool, False): accept sensors whose source is not `sim://`.
- `faults` (Faults or a string for `Faults.parse`): inject faults into the samples.
- `clock` (callable returning epoch seconds, time.time): timestamps and signal time, for tests that
  pin time (timers always run on the monotonic clock).
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from hmi.core.domain import Quality, Sensor
from hmi.core.simulation import Fault, FaultInjector, Faults, SignalModel, uncalibrate
from hmi.core.sources import SimSource, Source
from hmi.drivers.base import DriverContext, LinkState, Sample

log = logging.getLogger(__name__)

# What a transport-less driver can show of the faults: a dropped sample, a stuck or wild value, a NaN,
# an unreadable payload (rejected), a device exception (bad quality). Slow responses have no meaning here.
SIM_DRIVER_FAULTS = frozenset(
    {Fault.STUCK, Fault.DROPOUT, Fault.SPIKES, Fault.NAN, Fault.MALFORMED, Fault.EXCEPTION}
)
LINK_NAME = "sim"
# Sensors due within this many seconds of each other are sampled together and delivered as one batch:
# far fewer wake-ups and callbacks for a big plant, at the cost of a few ms of timing jitter.
BATCH_WINDOW = 0.02


@dataclass(slots=True)
class _Entry:
    sensor: Sensor
    model: SignalModel
    period: float


class SimDriver:
    """Generates samples for every added sensor at its sampling interval (or the override)."""

    scheme = "sim"

    def __init__(
        self,
        ctx: DriverContext,
        *,
        seed: int = 0,
        speed: float = 1.0,
        interval: float | None = None,
        simulate_all: bool = False,
        faults: Faults | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not speed > 0:
            raise ValueError(f"sim speed must be above 0, got {speed}")
        if interval is not None and not interval > 0:
            raise ValueError(f"sim interval must be above 0, got {interval}")
        self._ctx = ctx
        self.seed = seed
        self.speed = speed
        self.interval = interval
        self.simulate_all = simulate_all
        self.faults = faults or Faults()
        self._injector = FaultInjector(self.faults, seed)
        self._clock = clock
        self._entries: list[_Entry] = []
        self._euis: set[str] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._t0 = 0.0

    # -- Driver protocol ------------------------------------------------------------------------------

    def add(self, sensor: Sensor, source: Source) -> None:
        """Take a sensor; raises ValueError for a non-sim source unless simulate_all, or a duplicate."""
        if self._thread is not None:
            raise RuntimeError("add sensors before start()")
        if source.scheme != "sim" and not self.simulate_all:
            raise ValueError(f"sensor {sensor.eui}: source {source.scheme}:// is not simulated (simulate_all is off)")
        if sensor.eui in self._euis:
            raise ValueError(f"sensor {sensor.eui} added twice")
        sim_source = source if isinstance(source, SimSource) else None
        model = SignalModel(sensor, self.seed, source=sim_source)
        period = self.interval if self.interval is not None else sensor.sampling_interval / self.speed
        self._entries.append(_Entry(sensor, model, period))
        self._euis.add(sensor.eui)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._t0 = self._clock()
        self._ctx.on_link(LINK_NAME, LinkState.UP, "")  # before the first sample can arrive
        self._thread = threading.Thread(target=self._run, name="sim-driver", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        thread = self._thread
        if thread is None:
            return
        self._stop.set()
        thread.join(timeout=5.0)
        self._thread = None
        self._ctx.on_link(LINK_NAME, LinkState.DOWN, "stopped")

    # -- sampling -------------------------------------------------------------------------------------

    @property
    def sensor_count(self) -> int:
        return len(self._entries)

    def sim_time(self, wall: float) -> float:
        """The signal's time for a wall-clock time: runs `speed` times faster from start()."""
        if self.speed == 1.0:
            return wall
        return self._t0 + (wall - self._t0) * self.speed

    def _sample(self, e: _Entry, wall: float) -> Sample | None:
        """One sample at wall time `wall`; None when dropped or rejected as malformed."""
        t = self.sim_time(wall)
        fv = self._injector.value(e.model, t, SIM_DRIVER_FAULTS)
        if fv.fault is Fault.DROPOUT:
            return None
        if fv.fault is Fault.MALFORMED:
            self._ctx.on_reject("malformed", f"sim: unreadable payload for {e.sensor.eui}")
            return None
        if fv.fault is Fault.EXCEPTION or fv.value is None:
            return Sample(e.sensor.eui, wall, None, Quality.BAD, "sim: device exception")
        return Sample(e.sensor.eui, wall, uncalibrate(fv.value, e.sensor.calibration))

    def _run(self) -> None:
        """Wake at the earliest due sensor, sample every due sensor, deliver them as one batch.

        Timers run on the monotonic clock; only timestamps and signal time come from `clock`, so a
        pinned or shifted clock cannot stall the loop.
        """
        now = time.monotonic()
        heap: list[tuple[float, int]] = []
        for i, e in enumerate(self._entries):
            # Spread first samples over one period so a big plant does not arrive as one burst.
            first = now + (i * 0.618033988749895 % 1.0) * min(e.period, 1.0)
            heapq.heappush(heap, (first, i))
        while not self._stop.is_set() and heap:
            wait = heap[0][0] - time.monotonic()
            if wait > 0 and self._stop.wait(wait):
                break
            now = time.monotonic()
            wall = self._clock()
            batch: list[Sample] = []
            while heap and heap[0][0] <= now + BATCH_WINDOW:
                when, i = heapq.heappop(heap)
                e = self._entries[i]
                s = self._sample(e, wall)
                if s is not None:
                    batch.append(s)
                nxt = when + e.period
                if nxt <= now:  # fell behind (suspended machine, slow receiver): skip, don't burst
                    nxt = now + e.period
                heapq.heappush(heap, (nxt, i))
            if batch:
                try:
                    self._ctx.on_samples(batch)
                except Exception:
                    log.exception("sim driver: sample receiver failed; continuing")


def create_sim_driver(ctx: DriverContext) -> SimDriver:
    """DriverFactory for the registry: reads the options described in the module docstring."""
    opts = ctx.options
    faults = opts.get("faults")
    if isinstance(faults, str) or faults is None:
        faults = Faults.parse(faults)  # type: ignore[arg-type]
    if not isinstance(faults, Faults):
        raise TypeError(f"sim option faults must be Faults or a string, got {type(faults).__name__}")
    interval = opts.get("interval")
    clock = opts.get("clock", time.time)
    return SimDriver(
        ctx,
        seed=int(opts.get("seed", 0)),  # type: ignore[call-overload]
        speed=float(opts.get("speed", 1.0)),  # type: ignore[arg-type]
        interval=float(interval) if interval is not None else None,  # type: ignore[arg-type]
        simulate_all=bool(opts.get("simulate_all", False)),
        faults=faults,
        clock=clock,  # type: ignore[arg-type]
    )
