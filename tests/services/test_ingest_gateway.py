"""The gateway fast path of the ingest pipeline (`submit_gateway`: a gateway's JSON array judged element by
element, the contract's own quiet elements straight to rows) against the general path it replaces
(`decode_gateway` in the driver, refusals through the driver context, `submit_items`): the same rows,
qualities, refusals by reason, live values, sensor states and alarm events, for any mix of good and
malformed elements. Also the row blocks the pipeline hands to the history writer."""

from __future__ import annotations

import math
import sqlite3
import time
from collections import Counter
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmi.core.alarm_engine import AlarmEngine
from hmi.core.domain import Calibration, Reading, Sensor, SensorType, Thresholds
from hmi.core.payloads import PayloadError, canonical_eui, decode_gateway, load_json
from hmi.core.plant import Mill, Plant
from hmi.services.history_writer import Ack
from hmi.services.ingest import IngestPipeline
from hmi.storage.database import make_engine
from hmi.storage.history import Row, RowBlock, _statement_plan, write_rows
from hmi.storage.migrate import upgrade
from hmi.storage.plant_repo import apply_plant, sensor_ids

NOW = 1_764_000_000.0
TOPIC = "mills/m1/readings"
HOT = Sensor(
    "m1", "hot", SensorType.TEMPERATURE, "0C0C0C0C0C0C0001", calibration=Calibration(-2.0, 1.5),
    thresholds=Thresholds(warning_max=60.0, critical_max=90.0), sampling_interval=1.0,
)
BIN = Sensor("m1", "bin", SensorType.LEVEL, "0C0C0C0C0C0C0002", thresholds=Thresholds(warning_min=10.0))
FLOW = Sensor("m1", "flow", SensorType.FLOW, "0C0C0C0C0C0C00AB")
OFF = Sensor("m1", "off", SensorType.FLOW, "0C0C0C0C0C0C0004", enabled=False)
SENSORS = [HOT, BIN, FLOW, OFF]
IDS = {HOT.eui: 1, BIN.eui: 2, FLOW.eui: 3, OFF.eui: 4}
PLANT = Plant(mills=(Mill("m1", "Mill 1", sensors=tuple(SENSORS)),))


class Capture:
    """A writer that keeps the chunks it is handed."""

    waiting = True  # HistoryWriter.waiting: never busy committing

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.blocks = 0

    def add_chunk(self, rows: RowBlock | list[Row], acks: list[Ack] | None = None) -> None:
        assert isinstance(rows, RowBlock)
        self.blocks += 1
        self.rows.extend(rows.rows())
        for ack in acks or ():
            ack()


class Rig:
    """A pipeline with a real alarm engine (quiet path and full evaluation) that records what it does."""

    def __init__(self, windows: bool = False) -> None:
        self.writer = Capture()
        self.pipeline = IngestPipeline(SENSORS, sensor_ids=IDS, writer=self.writer,  # type: ignore[arg-type]
                                       now=lambda: NOW)
        self.engine = AlarmEngine(mills=PLANT.mills)
        self.events: list[object] = []
        self.judged: list[tuple[str, Reading]] = []
        if windows:  # as the runtime wires it: quiet windows per sensor and batch
            self.pipeline.set_alarm_hook(self._hook, windows=self.engine)
        else:  # the engine's quiet path reading by reading
            self.pipeline.set_alarm_hook(self._hook, quiet=self.engine.evaluate_quiet)
        self.live: list[Reading] = []
        self.pipeline.add_listener(self.live.extend)

    def _hook(self, sensor: Sensor, reading: Reading) -> None:
        self.judged.append((sensor.eui, reading))
        self.events.extend(self.engine.evaluate(sensor, reading, NOW))

    def general(self, payloads: list[bytes]) -> None:
        """What the driver did without `on_gateway`: decode_gateway, refusals via the context, submit_items."""
        p = self.pipeline
        for payload in payloads:
            items, errors = decode_gateway(load_json(payload), NOW - 1)
            for eui, err in errors:
                p.reject(err.reason, err.detail, eui or TOPIC)
            p._process_items(items, [])
        p._hand_over()
        p._fan_out()

    def fast(self, payloads: list[bytes], split: bool = False, typed: bool = True) -> None:
        """All payloads as one batch, or (`split`) each its own; raw, decoded as the worker decodes them
        (`typed`: msgspec's elements where the payload is all of the contract's shape), or handed over as
        orjson's objects."""
        from hmi.services.ingest import _Gateway

        p = self.pipeline
        gateways = []
        for x in payloads:
            g = _Gateway(x if typed else load_json(x), NOW - 1, None, TOPIC)  # type: ignore[arg-type]
            if not typed or p._decode_gateway(g):
                gateways.append(g)
        for part in [[g] for g in gateways] if split else [gateways]:
            p._process_segments(part, [])  # type: ignore[arg-type]
        p._hand_over()
        p._fan_out()

    def outcome(self) -> dict[str, object]:
        states = {e: (s.last_ts, s.last_arrival, s.stale) for e, s in self.pipeline._state.items()}
        snap = self.pipeline.counters.snapshot()
        return {
            "rows": sorted(self.writer.rows, key=lambda r: (r[0], r[1], repr(r))),
            "received": snap["received"],
            "rejected": snap["rejected"],
            "live": sorted(self.live, key=lambda r: r.eui),
            "judged": self.judged,
            "events": self.events,
            "states": states,
            "alarms": self.engine.alarms(),
            "engine": {e: (s.last_ts, [d.value for d in s.detectors]) for e, s in self.engine._sensors.items()},
        }


_EUIS = st.sampled_from([
    HOT.eui, BIN.eui, FLOW.eui, OFF.eui, "FFFFFFFFFFFFFFFF", HOT.eui.lower(), "0c:0c:0c:0c:0c:0c:00:ab",
])
_VALUES = st.one_of(
    st.floats(-50, 120), st.integers(-50, 120), st.sampled_from([1e9, -1e9, 0.0, True, False, None, "7", [1]]),
)
_TS = st.one_of(
    st.floats(NOW - 5000, NOW + 100), st.integers(int(NOW) - 5000, int(NOW) + 100),
    st.sampled_from([NOW * 1000, NOW + 3600, 100.0, 0, None, True, "2025-11-24T16:00:00Z", "2025-11-24T16:00:00",
                     "soon", [NOW]]),
)
_QUALITY = st.sampled_from(["good", "good", "good", "uncertain", "bad", "GOOD", "great", None, 0])
_DROP = st.frozensets(st.sampled_from(["eui", "value", "ts", "quality"]), max_size=2)


@st.composite
def elements(draw: st.DrawFn) -> object:
    if draw(st.integers(0, 19)) == 0:
        return draw(st.sampled_from([5, "x", None, [1, 2]]))
    d = {"eui": draw(_EUIS), "value": draw(_VALUES), "ts": draw(_TS), "quality": draw(_QUALITY)}
    for k in draw(_DROP):
        d.pop(k)
    if draw(st.integers(0, 9)) == 0:
        d["eui"] = draw(st.sampled_from([7, None, ["a"]]))
    return d


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=st.lists(st.lists(elements(), max_size=12), min_size=1, max_size=4))
def test_fast_path_judges_exactly_as_the_general_path(batches: list[list[object]]) -> None:
    payloads = [orjson.dumps(b) for b in batches]
    general, fast, objects, windowed, split = Rig(), Rig(), Rig(), Rig(windows=True), Rig(windows=True)
    general.general(payloads)
    fast.fast(payloads)
    objects.fast(payloads, typed=False)
    windowed.fast(payloads)
    split.fast(payloads, split=True)
    assert fast.outcome() == general.outcome()
    assert objects.outcome() == general.outcome()
    assert windowed.outcome() == general.outcome()
    assert split.outcome() == general.outcome()


@st.composite
def typed_elements(draw: st.DrawFn) -> dict[str, object]:
    """Elements of the contract's shape (msgspec decodes the payload into typed elements), judged good,
    refused or sent the general way by their EUI, quality, time and value."""
    d: dict[str, object] = {
        "eui": draw(_EUIS),
        "value": draw(st.one_of(st.floats(-50, 120), st.integers(-50, 120), st.sampled_from([1e9, -1e9]))),
        "ts": draw(st.one_of(st.floats(NOW - 5000, NOW + 100), st.integers(int(NOW) - 5000, int(NOW) + 100),
                             st.sampled_from([NOW * 1000, NOW + 3600, 100.0, 0]))),
    }
    if draw(st.integers(0, 3)):
        d["quality"] = draw(st.sampled_from(["good", "good", "uncertain", "bad", "GOOD", None]))
    if draw(st.integers(0, 9)) == 0:
        d["unit"] = "degC"  # other keys are ignored
    return d


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=st.lists(st.lists(typed_elements(), max_size=12), min_size=1, max_size=4))
def test_typed_elements_are_judged_exactly_as_the_general_path(batches: list[list[object]]) -> None:
    from hmi.services.ingest import _Gateway

    payloads = [orjson.dumps(b) for b in batches]
    probe = _Gateway(payloads[0], NOW, None, TOPIC)
    assert Rig().pipeline._decode_gateway(probe) and probe.raw is not None  # typed, every one
    general, fast, windowed = Rig(), Rig(), Rig(windows=True)
    general.general(payloads)
    fast.fast(payloads)
    windowed.fast(payloads)
    assert fast.outcome() == general.outcome()
    assert windowed.outcome() == general.outcome()


def test_a_quiet_window_closes_for_the_batch_once_a_reading_falls_outside() -> None:
    """One batch: the sensor's second reading opens its window, the next goes past the limits (the hook
    raises alarms), and the later normal ones must reach the engine to clear them: the window took
    readings only while the engine would have found them quiet."""
    doc = [{"eui": HOT.eui, "value": v, "ts": NOW - 50 + i, "quality": "good"}
           for i, v in enumerate([20.0, 21.0, 22.0, 70.0, 23.0, 24.0, 25.0])]
    doc += [{"eui": BIN.eui, "value": v, "ts": NOW - 40 + i, "quality": "good"}
            for i, v in enumerate([50.0, 5.0, 50.0])]
    general, windowed = Rig(), Rig(windows=True)
    general.general([orjson.dumps(doc)])
    windowed.fast([orjson.dumps(doc)])
    assert windowed.outcome() == general.outcome()
    judged = [r.value for _e, r in windowed.judged]
    assert judged[:2] == [103.0, 32.5] and judged[-2:] == [5.0, 50.0]  # past a limit, and the next one back


def test_quiet_contract_elements_take_the_fast_path_and_odd_ones_keep_their_place() -> None:
    """The contract's element becomes a row straight away; an ISO timestamp (general path) in the middle of
    a sensor's readings is judged in its place, so the alarm engine sees them in order."""
    rig = Rig()
    doc = [
        {"eui": HOT.eui, "value": 20.0, "ts": NOW - 30, "quality": "good"},
        {"eui": HOT.eui, "value": 70, "ts": "2025-11-24T15:59:40Z", "quality": "good"},  # NOW - 20, above 90 after cal.
        {"eui": HOT.eui, "value": 21.0, "ts": NOW - 10, "quality": "good"},
        {"eui": "FFFFFFFFFFFFFFFF", "value": 1.0, "ts": NOW - 10, "quality": "good"},
        {"value": 1.0},
    ]
    rig.fast([orjson.dumps(doc)])
    assert [(r[1], r[2], r[3], r[4]) for r in rig.writer.rows] == [
        (NOW - 30, 28.0, 20.0, 0), (NOW - 20, 103.0, 70.0, 0), (NOW - 10, 29.5, 21.0, 0),
    ]
    assert [r.value for _e, r in rig.judged] == [103.0, 29.5]  # the quiet ones never reach the hook
    assert rig.pipeline.counters.snapshot()["rejected"] == {"unknown_sensor": 1, "no_eui": 1}
    assert rig.pipeline.counters.snapshot()["received"] == 4
    assert rig.writer.blocks == 1
    assert [(r.eui, r.value) for r in rig.live] == [(HOT.eui, 29.5)]


def test_a_sensor_spelled_otherwise_than_canonically_is_never_matched_by_the_fast_path() -> None:
    odd = Sensor("m1", "odd", SensorType.FLOW, "0c0c0c0c0c0c0009")
    p = IngestPipeline([odd], sensor_ids={odd.eui: 9}, writer=Capture(), now=lambda: NOW)  # type: ignore[arg-type]
    general = IngestPipeline([odd], sensor_ids={odd.eui: 9}, writer=Capture(), now=lambda: NOW)  # type: ignore[arg-type]
    payload = orjson.dumps([{"eui": odd.eui, "value": 1.0, "ts": NOW - 1, "quality": "good"}])
    from hmi.services.ingest import _Gateway

    p._process_segments([_Gateway(load_json(payload), NOW, None, TOPIC)], [])
    items, _ = decode_gateway(load_json(payload), NOW)
    general._process_items(items, [])
    assert p.counters.snapshot() == general.counters.snapshot()
    assert p.counters.snapshot()["rejected"] == {"unknown_sensor": 1}
    assert canonical_eui(odd.eui) != odd.eui


def test_submit_gateway_acks_after_the_commit_through_the_worker(tmp_path: Path) -> None:
    from hmi.services.history_writer import HistoryWriter

    engine = make_engine(f"sqlite:///{tmp_path / 'g.sqlite'}")
    upgrade(engine)
    apply_plant(engine, PLANT)
    committed: list[int] = []

    def tracking(e: object, rows: object) -> int:
        n = write_rows(e, rows)  # type: ignore[arg-type]
        committed.append(n)
        return n

    writer = HistoryWriter(engine, batch_seconds=0.05, writer=tracking)  # type: ignore[arg-type]
    p = IngestPipeline(SENSORS, sensor_ids=sensor_ids(engine), writer=writer)
    writer.start()
    p.start()
    now = time.time()
    acked: list[int] = []
    for m in range(20):
        doc = [{"eui": (HOT, BIN, FLOW)[k % 3].eui, "value": 20.0 + k, "ts": now - 100 + m + k / 1000,
                "quality": "good"} for k in range(50)]
        p.submit_gateway(load_json(orjson.dumps(doc)), now, lambda m=m: acked.append(sum(committed)), TOPIC)
    p.submit_gateway([], now, lambda: acked.append(-1), TOPIC)  # nothing to store: settled anyway
    assert p.drain()
    assert writer.flush()
    p.stop()
    writer.stop()
    engine.dispose()
    assert len(acked) == 21 and -1 in acked
    assert all(n >= 50 for n in acked if n != -1), "a message is acknowledged only after its rows are committed"
    con = sqlite3.connect(tmp_path / "g.sqlite")
    assert con.execute("select count(*), count(distinct sensor_id) from readings").fetchone() == (1000, 3)


def test_raw_payloads_are_decoded_on_the_worker_and_a_backlog_past_one_round_loses_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The driver hands a gateway over as its raw payload: the worker decodes it (refusing what is no JSON
    array, counted by reason under the topic) and judges it. With more queued than one round takes
    (MAX_DRAIN), the rest waits for the next round: every message is judged and acknowledged once."""
    import hmi.services.ingest as ingest

    monkeypatch.setattr(ingest, "MAX_DRAIN", 4)
    cap = Capture()
    p = IngestPipeline(SENSORS, sensor_ids=IDS, writer=cap)  # type: ignore[arg-type]
    now = time.time()
    acked: Counter[int] = Counter()
    good = 0
    for m in range(23):
        if m % 5 == 4:
            payload = (b"not json", b'{"eui": "x"}', b"[" + b" " * (64 * 1024) + b"]", b"[1, 2")[m // 5 % 4]
        else:
            doc = [{"eui": (HOT, BIN, FLOW)[k % 3].eui, "value": 20.0 + k, "ts": now - 100 + m + k / 1000,
                    "quality": "good"} for k in range(10)]
            payload = orjson.dumps(doc)
            good += 10
        p.submit_gateway(payload, now, lambda m=m: acked.update([m]), TOPIC)  # queued before the worker runs
    p.start()
    try:
        assert p.drain()
    finally:
        p.stop()
    assert acked == Counter(range(23)), "each message acknowledged exactly once"
    assert len(cap.rows) == good == p.counters.snapshot()["received"]
    assert p.counters.snapshot()["rejected"] == {"not_json": 2, "not_array": 1, "too_large": 1}


def test_rows_wait_grouped_by_sensor_while_the_writer_commits(monkeypatch: pytest.MonkeyPatch) -> None:
    """While the writer is busy with a commit, accepted rows stay in their sensors' buffers (one block, no
    merge for the writer) and go over once it waits for work; a bound on their age applies even if it never
    does. With a writer that waits, an idle queue hands them over at once."""
    import hmi.services.ingest as ingest

    monkeypatch.setattr(ingest, "HAND_OVER_SECONDS", 0.01)
    monkeypatch.setattr(ingest, "HAND_OVER_MAX_SECONDS", 0.6)
    cap = Capture()
    cap.waiting = False  # type: ignore[misc]
    p = IngestPipeline(SENSORS, sensor_ids=IDS, writer=cap)  # type: ignore[arg-type]
    now = time.time()
    p.start()
    try:
        for m in range(5):
            doc = [{"eui": e.eui, "value": 20.0 + m, "ts": now - 50 + m, "quality": "good"} for e in (HOT, BIN, FLOW)]
            p.submit_gateway(orjson.dumps(doc), now, None, TOPIC)
            time.sleep(0.03)
        time.sleep(0.1)
        assert cap.blocks == 0, "held while the writer commits"
        cap.waiting = True  # type: ignore[misc]
        deadline = time.monotonic() + 2
        while not cap.blocks and time.monotonic() < deadline:
            time.sleep(0.005)
        assert cap.blocks == 1 and len(cap.rows) == 15
        assert [r[0] for r in cap.rows] == sorted(r[0] for r in cap.rows), "one block, grouped by sensor"
        cap.waiting = False  # type: ignore[misc]
        t0 = time.monotonic()
        p.submit_gateway(orjson.dumps([{"eui": HOT.eui, "value": 1.0, "ts": now - 10, "quality": "good"}]), now)
        while cap.blocks == 1 and time.monotonic() - t0 < 3:
            time.sleep(0.005)
        assert cap.blocks == 2 and 0.5 <= time.monotonic() - t0 < 2.0, "bounded by HAND_OVER_MAX_SECONDS"
    finally:
        p.stop()


# -- row blocks ----------------------------------------------------------------------------------------------


def test_row_block_groups_by_sensor_and_merges_in_order() -> None:
    a = RowBlock.from_rows([(3, 1.0, 2.0, 2.0, 0), (1, 9.0, None, None, 2), (3, 0.5, 1.0, 1.0, 0)])
    b = RowBlock.from_rows([(1, 10.0, 1.0, 1.0, 0), (2, 3.0, 1.0, 1.0, 1)])
    m = RowBlock.merge([a, b])
    assert len(m) == 5 and m.sids == [1, 2, 3]
    assert m.rows() == [(1, 9.0, None, None, 2), (1, 10.0, 1.0, 1.0, 0), (2, 3.0, 1.0, 1.0, 1),
                        (3, 1.0, 2.0, 2.0, 0), (3, 0.5, 1.0, 1.0, 0)]
    assert m.oldest_ts() == 0.5 and RowBlock([], [], []).oldest_ts() is None
    assert a.rows() == [(1, 9.0, None, None, 2), (3, 1.0, 2.0, 2.0, 0), (3, 0.5, 1.0, 1.0, 0)]  # unchanged


@pytest.mark.parametrize("n", [0, 1, 2, 5, 1024, 1025, 4095, 4096, 4097, 12_345])
def test_statement_plan_covers_every_row_with_one_padded_statement_at_most(n: int) -> None:
    full, last = _statement_plan(n, 4096)
    rest = n - full * 4096
    assert 0 <= rest < 4096 and (last == 0) == (rest == 0)
    if last:
        assert last in (4096, 1024, 256, 64, 16, 4, 1)  # a few statement shapes, each prepared once
        assert last // 4 < rest <= last  # the smallest that holds the rest: padding under 3/4 of it


def test_write_rows_takes_blocks_and_tuples_alike(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.sqlite'}")
    upgrade(engine)
    apply_plant(engine, PLANT)
    ids = sensor_ids(engine)
    rows = [(ids[(HOT, BIN, FLOW)[i % 3].eui], 1000.0 + i, float(i), float(i), i % 3) for i in range(9001)]
    rows.append((ids[HOT.eui], 1000.0, None, None, 2))  # same key as the first: ignored
    assert write_rows(engine, RowBlock.from_rows(rows[:6000])) == 6000
    assert write_rows(engine, rows[5000:]) == 4002  # handed over; the overlap and the duplicate are ignored
    engine.dispose()
    con = sqlite3.connect(tmp_path / "w.sqlite")
    got = con.execute("select sensor_id, ts, value, raw_value, quality from readings order by ts, sensor_id").fetchall()
    assert got == sorted(rows[:9001], key=lambda r: (r[1], r[0]))


def test_rollups_note_the_oldest_row_of_a_block() -> None:
    from hmi.services.rollup_job import RollupJob

    job = RollupJob.__new__(RollupJob)
    noted: list[float] = []
    job._minute_watermark = 5000.0
    job.rebuild = noted.append  # type: ignore[method-assign]
    job.note_written(RowBlock.from_rows([(1, 4000.0, 1.0, 1.0, 0), (2, 3000.0, 1.0, 1.0, 0)]))
    job.note_written(RowBlock.from_rows([(1, 6000.0, 1.0, 1.0, 0)]))
    assert noted == [3000.0]


def test_quality_codes_round_trip_through_live_values() -> None:
    rig = Rig()
    doc = [{"eui": BIN.eui, "value": 5.0, "ts": NOW - 3, "quality": "uncertain"},
           {"eui": FLOW.eui, "value": 3, "ts": NOW - 2, "quality": "bad"}]
    rig.fast([orjson.dumps(doc)])
    assert Counter(r.quality.value for r in rig.live) == Counter(["uncertain", "bad"])
    assert next(r for r in rig.live if r.eui == FLOW.eui).value == 3.0
    assert not any(isinstance(r.value, float) and math.isnan(r.value) for r in rig.live)
    assert sorted(r[4] for r in rig.writer.rows) == [1, 2]
    with pytest.raises(PayloadError):
        load_json(b"[")


def test_a_row_block_spills_to_the_local_file_and_comes_back(tmp_path: Path) -> None:
    from hmi.services.history_writer import HistoryWriter

    engine = make_engine(f"sqlite:///{tmp_path / 's.sqlite'}")
    upgrade(engine)
    apply_plant(engine, PLANT)
    ids = sensor_ids(engine)

    def dead(e: object, rows: object) -> int:
        raise ConnectionError("down")

    spill = tmp_path / "spill.bin"
    rows = [(ids[(HOT, BIN)[i % 2].eui], 1000.0 + i, float(i), None if i == 3 else float(i), i % 3) for i in range(10)]
    w = HistoryWriter(engine, spill_path=spill, retry_seconds=0.05, writer=dead)  # type: ignore[arg-type]
    w.start()
    acked: list[int] = []
    w.add_chunk(RowBlock.from_rows(rows), [lambda: acked.append(1)])
    time.sleep(0.2)
    assert not w.stop(1)
    assert acked == [1] and spill.exists()  # durable on local disk: acknowledged
    w2 = HistoryWriter(engine, spill_path=spill)
    w2.start()
    assert w2.flush(5)
    w2.stop()
    engine.dispose()
    got = sqlite3.connect(tmp_path / "s.sqlite").execute(
        "select sensor_id, ts, value, raw_value, quality from readings order by ts").fetchall()
    assert got == rows
