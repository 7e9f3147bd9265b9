import orjson
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


# -- fast paths: the same judgement as the general decoders ---------------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from hmi.core.payloads import decode_default, decode_gateway  # noqa: E402

_VALUES = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False), st.integers(-(2**53), 2**53), st.booleans(), st.none(),
    st.text(max_size=3), st.just([1]),
)
_TS = st.one_of(
    st.floats(0, 2e12, allow_nan=False), st.integers(0, 2 * 10**12), st.none(), st.booleans(),
    st.just("2026-11-24T09:00:00Z"), st.just("2026-11-24T09:00:00"), st.just("yesterday"),
)
_QUAL = st.one_of(st.none(), st.sampled_from(["good", "GOOD", "uncertain", "bad", "great"]), st.integers(0, 2))
_EUI = st.one_of(st.sampled_from(["A1B2C3D4E5F60001", "a1:b2:c3:d4:e5:f6:00:02", "a1-b2-c3-d4-e5-f6-00-03"]),
                 st.integers(-5, 5), st.none())


def _obj(value: object, ts: object, quality: object, eui: object = None, drop: frozenset[str] = frozenset()) -> dict:
    d = {"eui": eui, "value": value, "ts": ts, "quality": quality}
    return {k: v for k, v in d.items() if k not in drop and not (k == "eui" and eui is None)}


def _judge(doc: object) -> tuple:
    try:
        d = decode_reading(doc, T)
    except PayloadError as exc:
        return ("error", exc.reason)
    return ("ok", d.value, d.ts, d.quality)


@settings(max_examples=400, deadline=None)
@given(value=_VALUES, ts=_TS, quality=_QUAL, drop=st.frozensets(st.sampled_from(["value", "ts", "quality"])))
def test_decode_default_agrees_with_decode_reading(value: object, ts: object, quality: object,
                                                   drop: frozenset[str]) -> None:
    doc = load_json(orjson.dumps(_obj(value, ts, quality, drop=drop)))
    fast = decode_default(doc, T)
    if fast is not None:  # it answers only for what it is sure of, and then exactly as the general path
        assert ("ok", *fast) == _judge(doc)


def test_decode_default_answers_for_the_contract_object() -> None:
    assert decode_default(load_json(b'{"value": 21.5, "ts": 1764000000, "quality": "good"}'), T) == (
        21.5, 1764000000.0, Quality.GOOD)
    assert decode_default(load_json(b'{"value": 3}'), T) == (3.0, T, Quality.GOOD)
    for unusual in (b'{"value": 1, "ts": 1764000000123}', b'{"value": true}', b'{"value": 1, "quality": "bad"}',
                    b'{"value": 1, "ts": "2026-11-24T09:00:00Z"}', b"42", b"{}"):
        assert decode_default(load_json(unusual), T) is None


@settings(max_examples=300, deadline=None)
@given(elements=st.lists(st.one_of(st.builds(_obj, _VALUES, _TS, _QUAL, _EUI), st.integers(-5, 5), st.text(max_size=2)),
                         max_size=12))
def test_decode_gateway_agrees_with_decode_batch(elements: list) -> None:
    doc = load_json(orjson.dumps(elements))
    items, errors = decode_gateway(doc, T)
    expected = decode_batch(doc, T)
    want_items = [(e, d.ts, d.value, d.quality, d.reason) for e, d in expected if not isinstance(d, PayloadError)]
    want_errors = [(e, d.reason) for e, d in expected if isinstance(d, PayloadError)]
    assert items == want_items
    assert [(e, err.reason) for e, err in errors] == want_errors
    assert all(type(v) is float or v is None for _, _, v, _, _ in items)


def test_decode_gateway_refuses_what_is_not_an_array() -> None:
    with pytest.raises(PayloadError) as exc:
        decode_gateway(load_json(b'{"eui": "A1"}'), T)
    assert exc.value.reason == "not_array"
