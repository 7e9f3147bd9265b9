"""Trends as the trend screen uses them: the history of a pen, statistics of a range, saved views and
range presets. Qt-free; every method does I/O and belongs on a worker thread, never the GUI's.

- `TrendHistory.fetch(eui, t0, t1, max_points)`: the pen's points, min/max-decimated in the database
  (from raw rows or rollups) to at most about `max_points`, or raw when zoomed in; NaN at gaps.
- `TrendHistory.stats(eui, t0, t1)`: count/avg/min/max/latest, exact, through the rollups.
- `TrendViews`: saved views per user; the owner may change or delete a view, everyone may open a
  shared one (and save a copy of their own).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import Engine

from hmi.core.domain import Sensor, normalise_eui
from hmi.core.errors import ValidationError
from hmi.core.permissions import PermissionDenied
from hmi.core.plant import Plant
from hmi.core.text import Text
from hmi.storage import trend_queries as q
from hmi.storage.history import RangeStats
from hmi.storage.plant_repo import sensor_ids
from hmi.storage.rollups import RollupState, read_state
from hmi.storage.trend_queries import CancelToken, FetchCancelled, SeriesData

__all__ = [
    "LIVE_WINDOWS",
    "PRESETS",
    "CancelToken",
    "FetchCancelled",
    "PenSpec",
    "RangeStats",
    "SeriesData",
    "TrendDefinition",
    "TrendHistory",
    "TrendView",
    "TrendViews",
    "preset_range",
]

# -- ranges --------------------------------------------------------------------------------------------------

LIVE_WINDOWS: tuple[tuple[float, str], ...] = (
    (60.0, "1 min"),
    (300.0, "5 min"),
    (900.0, "15 min"),
    (3600.0, "1 h"),
    (4 * 3600.0, "4 h"),
    (8 * 3600.0, "8 h"),
    (86400.0, "24 h"),
)
PRESETS: tuple[tuple[str, str], ...] = (
    ("last_hour", "Last hour"),
    ("shift", "This shift"),
    ("last_24h", "Last 24 h"),
    ("last_7d", "Last 7 days"),
    ("last_30d", "Last 30 days"),
    ("custom", "Custom"),
)
_PRESET_SPAN = {"last_hour": 3600.0, "last_24h": 86400.0, "last_7d": 7 * 86400.0, "last_30d": 30 * 86400.0}
DEFAULT_SHIFT_STARTS = (6, 14, 22)


def shift_start(now: float, shift_starts: tuple[int, ...] = DEFAULT_SHIFT_STARTS, tz: tzinfo | None = None) -> float:
    """The start of the shift running at `now` (shifts start at these local hours)."""
    if not shift_starts:
        raise ValueError("no shift starts")
    local = datetime.fromtimestamp(now, tz) if tz is not None else datetime.fromtimestamp(now).astimezone()
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    best = None
    for day in (midnight - timedelta(days=1), midnight):
        for h in sorted(shift_starts):
            start = day.replace(hour=h)
            if start <= local and (best is None or start > best):
                best = start
    assert best is not None
    return best.timestamp()


def preset_range(
    preset: str, now: float, *, shift_starts: tuple[int, ...] = DEFAULT_SHIFT_STARTS, tz: tzinfo | None = None
) -> tuple[float, float]:
    """[t0, t1] of a named range ending now ("custom" has none: raises KeyError)."""
    if preset == "shift":
        return shift_start(now, shift_starts, tz), now
    return now - _PRESET_SPAN[preset], now


# -- saved views ---------------------------------------------------------------------------------------------

MODES = ("live", "history")
LAYOUTS = ("axes", "stacked")


@dataclass(frozen=True, slots=True)
class PenSpec:
    eui: str
    colour: str = ""  # "#rrggbb"; "" lets the screen choose
    show_limits: bool = False
    visible: bool = True


@dataclass(frozen=True, slots=True)
class TrendDefinition:
    """What a saved view restores: pens, mode, live window or history range, layout."""

    pens: tuple[PenSpec, ...] = ()
    mode: str = "live"
    window: float = 3600.0  # live: seconds shown
    preset: str = "last_hour"  # history: a PRESETS key; "custom" uses t0/t1
    t0: float | None = None
    t1: float | None = None
    layout: str = "axes"  # one axis per unit, or "stacked" panes per unit
    VERSION = 1

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.VERSION,
            "pens": [
                {"eui": p.eui, "colour": p.colour, "show_limits": p.show_limits, "visible": p.visible}
                for p in self.pens
            ],
            "mode": self.mode,
            "window": self.window,
            "range": {"preset": self.preset, "t0": self.t0, "t1": self.t1},
            "layout": self.layout,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> TrendDefinition:
        """Validate a stored definition; raises ValidationError naming the first bad field."""
        if not isinstance(doc, dict):
            raise ValidationError("definition", Text("a trend view definition must be a JSON object"))
        pens = []
        for i, p in enumerate(doc.get("pens", [])):
            if not isinstance(p, dict) or "eui" not in p:
                raise ValidationError(f"pens[{i}]", Text("a pen needs an eui"))
            colour = str(p.get("colour", ""))
            if colour and not (len(colour) == 7 and colour[0] == "#"):
                raise ValidationError(f"pens[{i}].colour", Text("not a #rrggbb colour: {colour!r}", colour=colour))
            pens.append(PenSpec(normalise_eui(str(p["eui"])), colour, bool(p.get("show_limits", False)),
                                bool(p.get("visible", True))))
        mode = doc.get("mode", "live")
        if mode not in MODES:
            raise ValidationError("mode", Text("mode must be one of {values}", values=", ".join(MODES)))
        layout = doc.get("layout", "axes")
        if layout not in LAYOUTS:
            raise ValidationError("layout", Text("layout must be one of {values}", values=", ".join(LAYOUTS)))
        window = float(doc.get("window", 3600.0))
        if not (math.isfinite(window) and window > 0):
            raise ValidationError("window", Text("the live window must be a positive number of seconds"))
        rng = doc.get("range") or {}
        preset = rng.get("preset", "last_hour")
        if preset not in dict(PRESETS):
            raise ValidationError("range.preset", Text("unknown range preset {preset!r}", preset=preset))
        t0, t1 = rng.get("t0"), rng.get("t1")
        if preset == "custom" and not (isinstance(t0, int | float) and isinstance(t1, int | float) and t1 > t0):
            raise ValidationError("range", Text("a custom range needs t0 < t1"))
        return cls(
            pens=tuple(pens), mode=mode, window=window, preset=preset,
            t0=None if t0 is None else float(t0), t1=None if t1 is None else float(t1), layout=layout,
        )


@dataclass(frozen=True, slots=True)
class TrendView:
    id: int
    name: str
    owner: str
    shared: bool
    definition: TrendDefinition
    updated_at: datetime | None = None

    def editable_by(self, user: str) -> bool:
        return user == self.owner


def _view(rec: q.TrendViewRecord) -> TrendView:
    return TrendView(rec.id, rec.name, rec.owner, rec.shared, TrendDefinition.from_json(rec.definition), rec.updated_at)


class TrendViews:
    """Saved trend views in the database, per user."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def list(self, user: str) -> list[TrendView]:
        """The user's views, then the ones others share; a view that no longer validates is left out."""
        out = []
        for rec in q.list_views(self._engine, user):
            try:
                out.append(_view(rec))
            except ValidationError:
                continue
        return out

    def save(self, user: str, name: str, definition: TrendDefinition, *, shared: bool = False) -> TrendView:
        """Save (or overwrite) the user's view `name`."""
        if not user:
            raise PermissionDenied(Text("sign in to save trend views"))
        name = name.strip()
        if not name:
            raise ValidationError("name", Text("a trend view needs a name"))
        if len(name) > 200:
            raise ValidationError("name", Text("a trend view name has at most {n} characters", n=200))
        rec = q.save_view(self._engine, owner=user, name=name, shared=shared, definition=definition.to_json())
        return _view(rec)

    def _own(self, user: str, view_id: int) -> q.TrendViewRecord:
        rec = q.get_view(self._engine, view_id)
        if rec is None:
            raise KeyError(Text("no trend view {id}", id=view_id))
        if rec.owner != user:
            raise PermissionDenied(Text("{user} may not change {owner}'s trend view {name!r}",
                                        user=user or Text("nobody"),
                                         owner=rec.owner, name=rec.name))
        return rec

    def set_shared(self, user: str, view_id: int, shared: bool) -> TrendView:
        self._own(user, view_id)
        rec = q.update_view(self._engine, view_id, shared=shared)
        assert rec is not None
        return _view(rec)

    def delete(self, user: str, view_id: int) -> None:
        self._own(user, view_id)
        q.delete_view(self._engine, view_id)


# -- history ---------------------------------------------------------------------------------------------------


@dataclass
class _Cache:
    ids: dict[str, int] = field(default_factory=dict)
    state: RollupState | None = None
    state_at: float = -math.inf


class TrendHistory:
    """A pen's stored history for the trend screen (call from a worker thread)."""

    def __init__(
        self,
        engine: Engine,
        plant: Plant | None = None,
        *,
        gap_factor: float = q.DEFAULT_GAP_FACTOR,
        state_ttl: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._sensors: dict[str, Sensor] = {s.eui: s for s in plant.sensors()} if plant is not None else {}
        self._gap_factor = gap_factor
        self._state_ttl = state_ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._cache = _Cache()

    def sensor(self, eui: str) -> Sensor | None:
        return self._sensors.get(eui)

    def _sensor_id(self, eui: str) -> int:
        with self._lock:
            sid = self._cache.ids.get(eui)
        if sid is None:
            ids = sensor_ids(self._engine)
            with self._lock:
                self._cache.ids = ids
            sid = ids.get(eui)
        if sid is None:
            raise KeyError(Text("no sensor with EUI {eui}", eui=eui))
        return sid

    def _state(self) -> RollupState:
        now = self._clock()
        with self._lock:
            if self._cache.state is not None and now - self._cache.state_at < self._state_ttl:
                return self._cache.state
        state = read_state(self._engine)
        with self._lock:
            self._cache = replace(self._cache, state=state, state_at=now)
        return state

    def fetch(
        self, eui: str, t0: float, t1: float, max_points: int | None, cancel: CancelToken | None = None
    ) -> SeriesData:
        """The pen's points in [t0, t1]: at most about `max_points` (None: every raw row)."""
        sensor = self._sensors.get(eui)
        min_gap = None if sensor is None else self._gap_factor * sensor.sampling_interval
        return q.fetch_series(
            self._engine, self._sensor_id(eui), t0, t1, max_points,
            min_gap=min_gap, gap_factor=self._gap_factor, state=self._state(), cancel=cancel,
        )

    def stats(self, eui: str, t0: float, t1: float, cancel: CancelToken | None = None) -> RangeStats:
        if t1 < t0:
            raise ValueError(Text("the range ends before it starts"))
        return q.range_stats(self._engine, self._sensor_id(eui), t0, t1, state=self._state(), cancel=cancel)
