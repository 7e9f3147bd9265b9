"""Alarm evaluation persisted to the shared database, and operator actions from another workstation."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from hmi.core.alarms import AlarmKey, AlarmKind, AlarmRefused, AlarmState
from hmi.core.domain import MillStatus, Quality, Reading, Role
from hmi.core.permissions import PermissionDenied
from hmi.services.alarm_service import AlarmActions, AlarmEvaluator
from hmi.services.auth import AuthService
from hmi.services.plant_io import import_plant, read_plant_file
from hmi.services.users import add_user
from hmi.storage.database import make_engine
from hmi.storage.migrate import upgrade
from hmi.storage.schema import AlertJournalRow, AlertRow, AuditRow

DEMO = Path(__file__).resolve().parents[2] / "resources/plants/demo.toml"
PLANT = read_plant_file(DEMO)
BEARING = next(s for s in PLANT.mill("north").sensors if s.name == "B1 roller bearing")  # warn 60, crit 75


PASSWORD = "a long enough password"


def sessions(e: Engine) -> tuple[AuthService, dict]:
    """Real accounts signed in through the real auth service: operator of north, viewer, technician."""
    auth = AuthService(e)
    out = {}
    for name, role, mills in (
        ("ana", Role.OPERATOR, ["north"]),
        ("vic", Role.VIEWER, ["north"]),
        ("tom", Role.TECHNICIAN, ["south"]),
    ):
        add_user(e, name, PASSWORD, role, mills=mills)
        res = auth.sign_in(name, PASSWORD)
        assert res.ok, res.message
        out[name] = res.session
    return auth, out


class Clock:
    def __init__(self) -> None:
        self.t = time.time()

    def __call__(self) -> float:
        return self.t


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, sqlite_url) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    url = sqlite_url if request.param == "sqlite" else request.getfixturevalue("pg_url")
    e = make_engine(url)
    upgrade(e)
    import_plant(e, DEMO)
    yield e
    e.dispose()


def rows(e: Engine) -> list:
    with e.connect() as c:
        return c.execute(select(AlertRow.__table__).order_by(AlertRow.__table__.c.id)).all()


def journal(e: Engine) -> list[str]:
    with e.connect() as c:
        return [r.action for r in c.execute(select(AlertJournalRow.__table__).order_by(AlertJournalRow.__table__.c.id))]


def feed(ev: AlarmEvaluator, clock: Clock, value: float, seconds: float = 0.0, quality: Quality = Quality.GOOD) -> None:
    clock.t += seconds
    ev.on_reading(BEARING, Reading(BEARING.eui, clock.t, value, quality, value + 0.4))
    ev.tick()


def test_lifecycle_persisted_and_acknowledged_from_another_workstation(db: Engine) -> None:
    clock = Clock()
    ev = AlarmEvaluator(db, PLANT, now=clock, sync_period=0.0)
    seen: list = []
    ev.add_listener(seen.extend)
    for _ in range(40):  # past any on-delay
        feed(ev, clock, 80.0, 1.0)
    keys = {str(r.alarm_key): r.state for r in rows(db)}
    hh = AlarmKey("north", BEARING.eui, AlarmKind.HIGH_HIGH)
    assert keys[str(hh)] == AlarmState.UNACK_ACTIVE.value
    assert any(a.key == hh for a in seen), "the UI listener hears every change"
    r = next(r for r in rows(db) if r.alarm_key == str(hh))
    assert (r.severity, r.title, r.acknowledged) == ("critical", "B1 roller bearing: high high", False)
    # a workstation with its own engine acknowledges
    other = make_engine(str(db.url.render_as_string(hide_password=False)))
    try:
        auth, who = sessions(other)
        actions = AlarmActions(other, auth, now=clock)
        with pytest.raises(PermissionDenied, match="may not acknowledge"):
            actions.acknowledge(who["vic"], hh)
        with pytest.raises(PermissionDenied, match="no access to mill north"):
            actions.acknowledge(who["tom"], hh)
        with pytest.raises(PermissionDenied):
            actions.shelve(who["ana"], hh, 30, "sensor replaced")  # operators acknowledge, do not shelve
        after = actions.acknowledge(who["ana"], hh, "checking the bearing")
        assert after.state is AlarmState.ACK_ACTIVE
        with pytest.raises(AlarmRefused):
            actions.acknowledge(who["ana"], hh)
    finally:
        other.dispose()
    ev.tick()  # sync: the evaluator sees the acknowledgement (sync_period 0: at once)
    assert ev.engine.get(hh).state is AlarmState.ACK_ACTIVE  # type: ignore[union-attr]
    for _ in range(75):  # temperature's default off-delay is 60 s (ISA-18.2 TR2 starting point)
        feed(ev, clock, 40.0, 1.0)  # back to normal: acknowledged + returned = finished
    assert ev.engine.get(hh).state is AlarmState.NORMAL  # type: ignore[union-attr]
    r = next(r for r in rows(db) if r.alarm_key == str(hh))
    assert (r.state, r.acknowledged_by, r.cleared_at is not None) == ("normal", "ana", True)
    j = journal(db)
    assert "raised" in j and "acknowledged" in j and "cleared" in j
    with db.connect() as c:
        audit = [a.action for a in c.execute(select(AuditRow.__table__))]
    assert "alarm.acknowledge" in audit
    # a new excursion is a new occurrence
    for _ in range(40):
        feed(ev, clock, 80.0, 1.0)
    assert sorted(r.occurrence for r in rows(db) if r.alarm_key == str(hh)) == [1, 2]


def test_bad_quality_raises_only_the_quality_alarm(db: Engine) -> None:
    clock = Clock()
    ev = AlarmEvaluator(db, PLANT, now=clock)
    for _ in range(40):
        feed(ev, clock, 99.0, 1.0, Quality.BAD)
    kinds = {AlarmKey.parse(r.alarm_key).kind for r in rows(db)}
    assert kinds == {AlarmKind.BAD_QUALITY}


def test_maintenance_suppresses_but_journals(db: Engine) -> None:
    clock = Clock()
    ev = AlarmEvaluator(db, PLANT, now=clock)
    ev.on_mill_status("north", MillStatus.MAINTENANCE)
    for _ in range(40):
        feed(ev, clock, 80.0, 1.0)
    hh = [r for r in rows(db) if r.alarm_key.endswith("high_high")]
    assert hh and not hh[0].announced
    assert "raised" in journal(db)


def test_database_down_keeps_changes_in_order(db: Engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import OperationalError

    clock = Clock()
    ev = AlarmEvaluator(db, PLANT, now=clock)
    real = ev.store.write

    def down(*a, **k):  # type: ignore[no-untyped-def]
        raise OperationalError("write", {}, Exception("database is down"))

    monkeypatch.setattr(ev.store, "write", down)
    for _ in range(40):
        feed(ev, clock, 80.0, 1.0)
    assert rows(db) == [] and ev._pending and not ev.db_ok
    monkeypatch.setattr(ev.store, "write", real)
    ev.tick()
    assert ev.db_ok and not ev._pending
    assert {AlarmKey.parse(r.alarm_key).kind for r in rows(db)} == {AlarmKind.HIGH, AlarmKind.HIGH_HIGH}


def test_acknowledgement_reaches_another_workstation_within_2s(pg_url: str) -> None:
    """Three instances on one PostgreSQL database: the evaluator, workstation A acknowledging,
    workstation B watching through its AlarmFeed."""
    from hmi.services.alarm_service import AlarmFeed

    engines = [make_engine(pg_url) for _ in range(3)]
    upgrade(engines[0])
    import_plant(engines[0], DEMO)
    try:
        clock = Clock()
        ev = AlarmEvaluator(engines[0], PLANT, now=clock)
        for _ in range(5):
            feed(ev, clock, 80.0, 1.0)
        hh = AlarmKey("north", BEARING.eui, AlarmKind.HIGH_HIGH)
        seen: list = []
        watch = AlarmFeed(engines[2], seen.extend, period=0.2)
        watch.start()
        deadline = time.monotonic() + 5
        while not any(a.key == hh for a in seen) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any(a.key == hh and a.unacked for a in seen)
        auth, who = sessions(engines[1])
        AlarmActions(engines[1], auth).acknowledge(who["ana"], hh)
        t0 = time.monotonic()
        while not any(a.key == hh and a.acked_by == "ana" for a in seen) and time.monotonic() - t0 < 5:
            time.sleep(0.02)
        elapsed = time.monotonic() - t0
        watch.stop()
        assert any(a.key == hh and a.acked_by == "ana" for a in seen)
        assert elapsed < 2.0, f"acknowledgement took {elapsed:.2f}s to reach the other workstation"
    finally:
        for e in engines:
            e.dispose()
