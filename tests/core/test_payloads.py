import pytest

from hmi.core.domain import Quality
from hmi.core.payloads import MAX_PAYLOAD, PayloadError, decode_batch, decode_reading, load_json, parse_ts

T = 1_764_000_000.0


def test_object_bare_number_and_paths() -> None:
    d = decode_reading(load_json(b'{"value": 12.5, "ts": 1764000001, "quality": "uncertain"}'), T)
    assert (d.value, d.ts, d.quality) == (12.5, 1764000001.0, Quality.UNCERTAIN)
    assert decode_reading(load_json(b"42"), T).value == 42.0
    assert decode_reading(load_json(b"42"), T).ts == T
    d = decode_reading(
        load_json(b'{"reading": {"val": 3}, "time": "2026-11-24T09:00:00Z"}'), T, ("reading", "val"), "time"
    )
    assert d.value == 3.0 and d.ts == 1795510800.0


def test_timestamps() -> None:
    assert parse_ts(1764000000123, T) == pytest.approx(1764000000.123)
    assert parse_ts("2026-11-24T09:00:00+01:00", T) == 1795507200.0
    for bad in ("yesterday", "2026-11-24T09:00:00", True, [1]):
        with pytest.raises(PayloadError) as exc:
            parse_ts(bad, T)
        assert exc.value.reason == "bad_timestamp"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"not json", "not_json"),
        (b"{}", "no_value"),
        (b'{"value": "abc"}', "value_not_number"),
        (b'{"value": true}', "value_not_number"),
        (b'{"value": NaN}', "not_json"),
        (b'{"value": Infinity}', "not_json"),
        (b'{"value": 1, "quality": "great"}', "bad_quality"),
        (b'"text"', "not_object"),
    ],
)
def test_refusals(payload: bytes, reason: str) -> None:
    with pytest.raises(PayloadError) as exc:
        decode_reading(load_json(payload), T)
    assert exc.value.reason == reason


def test_huge_number_is_not_finite() -> None:
    try:
        doc = load_json(b'{"value": 1e999}')
    except PayloadError as exc:
        assert exc.reason == "not_json"
    else:
        with pytest.raises(PayloadError) as exc2:
            decode_reading(doc, T)
        assert exc2.value.reason == "not_finite"


def test_too_large() -> None:
    with pytest.raises(PayloadError) as exc:
        load_json(b" " * (MAX_PAYLOAD + 1))
    assert exc.value.reason == "too_large"


def test_batch_keeps_good_items_around_bad_ones() -> None:
    doc = load_json(
        b'[{"eui": "a1b2c3d4e5f60001", "value": 1, "ts": 1764000000}, {"eui": "X", "value": "bad"},'
        b' 5, {"eui": "A1B2C3D4E5F60002", "value": 2}]'
    )
    out = decode_batch(doc, T)
    assert [e for e, d in out if not isinstance(d, PayloadError)] == ["A1B2C3D4E5F60001", "A1B2C3D4E5F60002"]
    assert sum(isinstance(d, PayloadError) for _, d in out) == 2
