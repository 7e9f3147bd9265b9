"""AlarmList: the Qt-free core of the alarm views (ordering, counts, floods, stale updates)."""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest

from hmi.core.alarms import AlarmKind, AlarmState
from hmi.core.domain import Severity
from hmi.core.plant import Plant
from hmi.ui.alarm_list import AlarmList, AlarmTexts
from tests.ui.alarm_samples import acked, make_alarm, mixed_alarms, north_flood

NOW = 1_790_000_000.0


def test_importing_the_core_does_not_import_qt() -> None:
    assert "hmi.ui.alarm_list" in sys.modules
    mod = sys.modules["hmi.ui.alarm_list"]
    assert not [name for name in vars(mod) if name.startswith("Q")]


def test_ordering_unacknowledged_first_then_priority_then_newest() -> None:
    alarms = AlarmList()
    old_crit = make_alarm("north", "E1", AlarmKind.HIGH_HIGH, NOW - 300)
    new_warn = make_alarm("north", "E2", AlarmKind.HIGH, NOW - 10)
    old_warn = make_alarm("north", "E3", AlarmKind.LOW, NOW - 200)
    acked_emerg = make_alarm("south", "", AlarmKind.ESTOP, NOW - 100, state=AlarmState.ACK_ACTIVE)
    info = make_alarm("south", "E4", AlarmKind.HIGH, NOW - 5, priority=Severity.INFO)
    alarms.apply([old_warn, acked_emerg, new_warn, info, old_crit])
    assert [a.key for a in alarms.ordered()] == [
        old_crit.key,  # unacked critical
        new_warn.key,  # unacked warnings, newest first
        old_warn.key,
        info.key,
        acked_emerg.key,  # acknowledged last, whatever its priority
    ]
    assert len(alarms) == 5
    rows = [old_warn.key, acked_emerg.key, new_warn.key, info.key, old_crit.key]
    assert [a.key for a in alarms] == rows  # the rows stay in arrival order


def test_counts_are_of_announced_alarms_per_priority(plant: Plant) -> None:
    alarms = AlarmList()
    alarms.apply(mixed_alarms(plant, NOW))
    assert alarms.counts() == {Severity.EMERGENCY: 1, Severity.CRITICAL: 3, Severity.WARNING: 12, Severity.INFO: 0}
    assert alarms.counts(unacked_only=True) == {
        Severity.EMERGENCY: 1,
        Severity.CRITICAL: 2,
        Severity.WARNING: 8,
        Severity.INFO: 0,
    }
    assert alarms.hidden_counts() == {"shelved": 1, "suppressed": 1, "out of service": 0}
    assert len(alarms) == 18  # shelved and suppressed are still unfinished rows
    assert alarms.has_unacked(Severity.EMERGENCY)


def test_older_occurrences_and_changes_are_ignored() -> None:
    alarms = AlarmList()
    a1 = make_alarm("north", "E1", AlarmKind.HIGH, NOW, occurrence=2, value=50.0)
    assert alarms.put(a1) is not None
    assert alarms.put(replace(a1, occurrence=1, changed_at=NOW + 100)) is None  # an older occurrence
    ack = acked(a1, NOW + 30)
    assert alarms.put(ack) is not None
    assert alarms.put(a1) is None  # the same occurrence changed earlier: late, ignored
    assert alarms.get(a1.key) == ack
    assert alarms.put(ack) is None  # a repeat changes nothing
    shelved = replace(ack, shelved_until=NOW + 600, shelved_by="ana", shelve_reason="repair")
    update = alarms.put(shelved)  # shelving keeps changed_at: the same stamp is accepted
    assert update is not None and update.before == ack and update.after == shelved
    newer = make_alarm("north", "E1", AlarmKind.HIGH, NOW + 900, occurrence=3)
    assert alarms.put(newer) is not None and alarms.get(a1.key) == newer


def test_finished_alarms_leave_the_rows() -> None:
    alarms = AlarmList()
    a = make_alarm("north", "E1", AlarmKind.HIGH, NOW)
    alarms.put(a)
    rtn = replace(acked(a, NOW + 10), state=AlarmState.NORMAL, changed_at=NOW + 20)
    update = alarms.put(rtn)
    assert update is not None and update.after is None and update.before == a
    assert len(alarms) == 0 and a.key not in alarms
    assert alarms.get(a.key) == rtn  # remembered: a late record of it stays ignored
    assert alarms.put(a) is None
    # finished before it was ever shown: remembered, no row
    other = replace(make_alarm("north", "E2", AlarmKind.LOW, NOW), state=AlarmState.NORMAL)
    assert alarms.put(other) is None and len(alarms) == 0


def test_flood_groups_a_mill_and_marks_the_first_out(plant: Plant) -> None:
    alarms = AlarmList()
    flood = north_flood(plant, NOW)
    alarms.apply(flood)
    floods = alarms.floods(NOW)
    assert [f.mill for f in floods] == ["north"]
    f = floods[0]
    assert f.recent == 12
    assert f.since == flood[0].flood_since
    assert {a.key for a in f.members} == {a.key for a in flood}
    assert f.unacked == 9
    assert f.top is not None and f.top.unacked and f.top.priority is Severity.CRITICAL
    assert [a.key for a in f.members if a.first_out] == [flood[0].key]
    # ten minutes after the last activation the window is empty: the flood is over
    assert alarms.floods(NOW + 601) == []


def test_flood_seen_from_the_rate_alone() -> None:
    alarms = AlarmList()
    alarms.apply(make_alarm("south", f"E{i}", AlarmKind.HIGH, NOW - 500 + i * 40) for i in range(11))
    floods = alarms.floods(NOW)
    assert len(floods) == 1 and floods[0].since is None and floods[0].recent == 11
    alarms2 = AlarmList()
    alarms2.apply(make_alarm("south", f"E{i}", AlarmKind.HIGH, NOW - 500 + i * 40) for i in range(10))
    assert alarms2.floods(NOW) == []  # ten in ten minutes is not more than ten


@pytest.mark.parametrize(
    ("kind", "source", "expected"),
    [
        (
            AlarmKind.HIGH_HIGH,
            "A1B2C3D4E5F6100B",
            "CRITICAL \u00b7 North Mill \u00b7 B1 roller bearing high high 79.6 \u00b0C",
        ),
        (AlarmKind.ESTOP, "", "EMERGENCY \u00b7 North Mill emergency stop"),
    ],
)
def test_texts(plant: Plant, kind: AlarmKind, source: str, expected: str) -> None:
    texts = AlarmTexts(plant, lambda: NOW)
    a = make_alarm("north", source, kind, NOW, value=79.6 if source else None)
    assert texts.one_line(a) == expected
    assert texts.source_name(a.key) == ("B1 roller bearing" if source else "Whole mill")
    assert texts.marks(replace(a, first_out=True, flood_since=NOW)) == "1st \u00b7 flood"
