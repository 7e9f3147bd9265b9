"""Alarms as a service: evaluation on the ingesting instance, operator actions from any workstation,
and the shared state every workstation shows.

- `AlarmEvaluator` runs on the ingest thread of the instance that ingests (the collector, or the app
  when it ingests itself): it feeds readings, staleness and mill status to the pure `AlarmEngine`
  and persists every change with its journal entries. With the database down it keeps the changes in
  order and writes them when the database returns; alarm events are never coalesced.
- `AlarmActions` is what an operator does (acknowledge, acknowledge all, shelve, unshelve, reset):
  permission-checked here, applied to the database row with optimistic concurrency, audited. The
  evaluator picks the change up within its sync period, and so does every workstation's view.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from hmi.core.alarm_config import AlarmConfig
from hmi.core.alarm_engine import AlarmEngine, EngineEvent, FloodChange
from hmi.core.alarms import (
    Acknowledge,
    Activate,
    Alarm,
    AlarmEvent,
    AlarmKey,
    AlarmRefused,
    Clear,
    JournalAction,
    JournalEntry,
    Reset,
    Shelve,
    ShelveExpired,
    Suppress,
    Unshelve,
    Unsuppress,
    transition,
)
from hmi.core.domain import MillStatus, Reading, Sensor
from hmi.core.permissions import Action, PermissionDenied
from hmi.core.plant import Plant
from hmi.core.text import Text
from hmi.services.auth import AuthService, Session
from hmi.storage.alarm_repo import AlarmStore, VersionConflict
from hmi.storage.audit import audit_transaction

log = logging.getLogger(__name__)
AlarmListener = Callable[[list[Alarm]], None]

# The system's own events, recovered from journal entries when a write must be re-applied on top of
# a row someone else changed meanwhile (an operator's acknowledgement must never be overwritten).
_SYSTEM_EVENTS: dict[JournalAction, Callable[[JournalEntry], AlarmEvent]] = {
    JournalAction.RAISED: lambda e: Activate(e.value),
    JournalAction.REACTIVATED: lambda e: Activate(e.value),
    JournalAction.CLEARED: lambda e: Clear(e.value),
    JournalAction.SHELVE_EXPIRED: lambda e: ShelveExpired(),
    JournalAction.SUPPRESSED: lambda e: Suppress(e.comment or "by design"),
    JournalAction.UNSUPPRESSED: lambda e: Unsuppress(),
}


@dataclass
class _Pending:
    alarm: Alarm
    entries: tuple[JournalEntry, ...]


@dataclass
class AlarmEvaluator:
    engine_db: Engine
    plant: Plant
    config: AlarmConfig = field(default_factory=AlarmConfig)
    now: Callable[[], float] = time.time
    sync_period: float = 1.0

    def __post_init__(self) -> None:
        self.engine = AlarmEngine(self.config, self.plant.mills)
        for s in self.plant.sensors():
            self.engine.add_sensor(s)
        self.store = AlarmStore(self.engine_db)
        self._versions: dict[tuple[str, int], int] = {}
        self._pending: list[_Pending] = []
        self._listeners: list[AlarmListener] = []
        self._flood_listeners: list[Callable[[FloodChange], None]] = []
        self._last_sync: datetime | None = None
        self._next_sync = 0.0
        self._lock = threading.Lock()
        self.db_ok = True
        restored = self.store.latest_all()
        self.engine.restore(a for a, _ in restored)
        for a, v in restored:
            self._versions[(str(a.key), a.occurrence)] = v
        for m in self.plant.mills:  # a mill already in error or maintenance alarms / suppresses from the start
            if m.status is not MillStatus.ACTIVE:
                self._handle(self.engine.mill_status(m.slug, m.status, self.now()))

    def add_listener(self, sink: AlarmListener) -> None:
        """`sink` gets every changed alarm in order (never coalesced), on the ingest thread."""
        self._listeners.append(sink)

    def add_flood_listener(self, sink: Callable[[FloodChange], None]) -> None:
        self._flood_listeners.append(sink)

    # -- inputs (ingest thread) -----------------------------------------------------------------------
    def on_reading(self, sensor: Sensor, reading: Reading) -> None:
        self._handle(self.engine.evaluate(sensor, reading, self.now()))

    @property
    def quiet_path(self) -> Callable[[Sensor, float, float], bool]:
        """`(sensor, ts, value) -> handled` for GOOD finite readings, tried before `on_reading`: most
        readings change no alarm, and this takes them without building a Reading or an event list
        (the engine's `evaluate_quiet`; False means `on_reading` must judge the reading)."""
        return self.engine.evaluate_quiet

    @property
    def quiet_windows(self) -> AlarmEngine:
        """The quiet path per sensor and batch for the ingest pipeline (`quiet_window`, `note_quiet`,
        `evaluate_quiet` of the engine): what `on_reading` would find unchanged, it need not hear of
        reading by reading."""
        return self.engine

    def on_stale(self, euis: Iterable[str]) -> None:
        now = self.now()
        for eui in euis:
            self._handle(self.engine.mark_stale(eui, now))

    def on_mill_status(self, mill: str, status: MillStatus) -> None:
        self._handle(self.engine.mill_status(mill, status, self.now()))

    def raise_estop(self, mill: str, user: str, comment: str = "") -> None:
        """The emergency stop of `mill` was activated (EMERGENCY alarm with the user's name)."""
        self._handle(self.engine.raise_estop(mill, user, self.now(), comment=comment))

    def clear_estop(self, mill: str, user: str, comment: str = "") -> None:
        self._handle(self.engine.clear_estop(mill, user, self.now(), comment=comment))

    def tick(self) -> None:
        """Delays, shelving expiry, retries after a database outage, and other workstations' actions."""
        now = self.now()
        self._handle(self.engine.tick(now))
        if self._pending:
            self._flush()
        if time.monotonic() >= self._next_sync:
            self._next_sync = time.monotonic() + self.sync_period
            self._sync_from_db()

    # -- persistence ----------------------------------------------------------------------------------
    def _handle(self, events: list[EngineEvent]) -> None:
        changed: list[Alarm] = []
        for ev in events:
            if isinstance(ev, FloodChange):
                for sink in self._flood_listeners:
                    sink(ev)
                continue
            if ev.alarm.occurrence == 0:
                continue
            self._pending.append(_Pending(ev.alarm, ev.entries))
            changed.append(ev.alarm)
        if changed:
            self._flush()
            for sink in self._listeners:
                sink(changed)

    def _flush(self) -> None:
        """Write every pending change in one transaction (many sensors going stale at once must not
        hold the ingest thread for one commit each); a conflicting row is re-applied on its own."""
        if not self._pending:
            return
        batch = list(self._pending)
        conflicts: list[_Pending] = []
        try:
            with self.engine_db.begin() as conn:
                versions: dict[tuple[str, int], int] = {}
                for p in batch:
                    k = (str(p.alarm.key), p.alarm.occurrence)
                    try:  # a conflict is raised before anything of that change is written
                        versions[k] = self.store.write(conn, p.alarm, p.entries, versions.get(k, self._versions.get(k)))
                    except VersionConflict:
                        conflicts.append(p)
            self._versions.update(versions)
            for p in conflicts:
                self._reapply(p)
        except SQLAlchemyError as exc:
            if self.db_ok:
                log.error("alarms: database unavailable, %d change(s) kept in order (%s)",
                          len(self._pending), type(exc).__name__)
            self.db_ok = False
            return
        del self._pending[: len(batch)]
        if not self.db_ok:
            log.warning("alarms: database back, journal written")
        self.db_ok = True

    def _reapply(self, p: _Pending) -> None:
        """Someone changed the row: apply our system events on top of their record, not over it."""
        with self.engine_db.begin() as conn:
            cur = self.store.current(conn, p.alarm.key)
            if cur is None:
                return
            alarm, version = cur
            entries: list[JournalEntry] = []
            for e in p.entries:
                make = _SYSTEM_EVENTS.get(e.action)
                if make is None:
                    continue
                try:
                    alarm, made = transition(alarm, make(e), e.at)
                except AlarmRefused:
                    continue
                entries.extend(made)
            self._versions[(str(alarm.key), alarm.occurrence)] = self.store.write(conn, alarm, entries, version)
        self.engine.restore([alarm])

    def _sync_from_db(self) -> None:
        """Load what other workstations changed (acknowledgements, shelving) into the engine."""
        try:
            rows = self.store.changed_since(self._last_sync)
        except SQLAlchemyError:
            return
        fresh = []
        for alarm, version, updated in rows:
            k = (str(alarm.key), alarm.occurrence)
            if self._versions.get(k, 0) < version:
                self._versions[k] = version
                current = self.engine.get(alarm.key)
                if current is None or current.occurrence <= alarm.occurrence:
                    fresh.append(alarm)
            self._last_sync = updated if self._last_sync is None else max(self._last_sync, updated)
        if fresh:
            self.engine.restore(fresh)
            for sink in self._listeners:
                sink(fresh)


class AlarmFeed:
    """A workstation's view of the shared alarms: polls the database off the GUI thread and hands
    every changed occurrence, in order, to `sink` (the UI bridge). Acknowledgements made on another
    workstation arrive within `period` seconds."""

    def __init__(self, engine_db: Engine, sink: AlarmListener, period: float = 1.0) -> None:
        self._store = AlarmStore(engine_db)
        self._sink = sink
        self._period = period
        self._versions: dict[tuple[str, int], int] = {}
        self._last: datetime | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.db_ok = True

    def poll(self) -> list[Alarm]:
        try:
            rows = self._store.changed_since(self._last)
        except SQLAlchemyError:
            self.db_ok = False
            return []
        self.db_ok = True
        fresh = []
        for alarm, version, updated in rows:
            k = (str(alarm.key), alarm.occurrence)
            if self._versions.get(k, 0) < version:
                self._versions[k] = version
                fresh.append(alarm)
            self._last = updated if self._last is None else max(self._last, updated)
        if fresh:
            self._sink(fresh)
        return fresh

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="alarm-feed", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.poll()
            self._stop.wait(self._period)


class AlarmActionRefused(RuntimeError):
    """An operator action that is not possible right now; the message says why."""


class AlarmActions:
    """Operator actions on alarms, from any workstation, straight on the shared rows.

    Permission is checked here through the auth service (acknowledge: operators, technicians and
    admins of the mill; shelve: technicians and admins), whatever the UI shows; every action is
    audited in the same transaction as the change.
    """

    def __init__(
        self,
        engine_db: Engine,
        auth: AuthService,
        now: Callable[[], float] = time.time,
        max_shelve_minutes: float = 480.0,
    ) -> None:
        self.store = AlarmStore(engine_db)
        self._db = engine_db
        self._auth = auth
        self._now = now
        self._max_shelve = max_shelve_minutes

    def acknowledge(self, session: Session, key: AlarmKey, comment: str = "") -> Alarm:
        return self._apply(
            session, Action.ACKNOWLEDGE_ALARM, key, Acknowledge(session.username, comment), "alarm.acknowledge", comment
        )

    def acknowledge_all(self, session: Session, keys: Iterable[AlarmKey], comment: str = "") -> list[Alarm]:
        """Acknowledge every listed (visible) alarm the user may and that needs it; others are skipped."""
        done = []
        for key in keys:
            try:
                done.append(self.acknowledge(session, key, comment))
            except (AlarmRefused, AlarmActionRefused, PermissionDenied):
                continue
        return done

    def shelve(self, session: Session, key: AlarmKey, minutes: float, reason: str) -> Alarm:
        return self._apply(
            session, Action.SHELVE_ALARM, key, Shelve(session.username, minutes, reason), "alarm.shelve", reason
        )

    def unshelve(self, session: Session, key: AlarmKey, comment: str = "") -> Alarm:
        return self._apply(
            session, Action.SHELVE_ALARM, key, Unshelve(session.username, comment), "alarm.unshelve", comment
        )

    def reset(self, session: Session, key: AlarmKey, comment: str = "") -> Alarm:
        return self._apply(
            session, Action.ACKNOWLEDGE_ALARM, key, Reset(session.username, comment), "alarm.reset", comment
        )

    def _apply(
        self, session: Session, action: Action, key: AlarmKey, event: AlarmEvent, audit: str, comment: str
    ) -> Alarm:
        self._auth.require(session, action, key.mill)  # raises PermissionDenied (audited) when refused
        for _attempt in range(5):
            try:
                with audit_transaction(self._db, self._auth.head_log) as conn:
                    cur = self.store.current(conn, key)
                    if cur is None:
                        raise AlarmActionRefused(Text("no alarm {alarm}", alarm=str(key)))
                    alarm, version = cur
                    after, entries = transition(alarm, event, self._now(), max_shelve_minutes=self._max_shelve)
                    self.store.write(conn, after, entries, version)
                    self._auth.audit(
                        conn,
                        actor=session.username,
                        action=audit,
                        mill=key.mill,
                        target=str(key),
                        before={"state": alarm.state.value},
                        after={"state": after.state.value, "comment": comment},
                    )
                    return after
            except VersionConflict:
                continue  # the evaluator or another workstation wrote first: read again and retry
        raise AlarmActionRefused(Text("{alarm} keeps changing; try again", alarm=str(key)))
