"""Register encoding: the layout contract shared by the simulator and the Modbus driver."""

from __future__ import annotations

import math
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hmi.core.registers import (
    DATA_TYPES,
    FLOAT32_MAX,
    ORDERS,
    RegisterRangeError,
    compile_decoder,
    decode_registers,
    encode_value,
    engineering_value,
    pack_block,
    register_count,
    scaled_register_value,
)
from hmi.core.sources import MODBUS_ORDERS, MODBUS_TYPES

NUMERIC = ("int16", "uint16", "int32", "uint32", "float32", "float64")

SAMPLES: dict[str, list[float]] = {
    "int16": [-32768, -1, 0, 1, 1234, 32767],
    "uint16": [0, 1, 0x1234, 65535],
    "int32": [-(2**31), -70000, -1, 0, 1, 70000, 2**31 - 1],
    "uint32": [0, 1, 65536, 0x12345678, 2**32 - 1],
    "float32": [0.0, -0.0, 1.0, -1.5, 21.5, 1e-30, 3.0e38, -123.25],
    "float64": [0.0, 1.0, -1.5, math.pi, 1e300, -2.5e-300],
    "bool": [0, 1],
}


def test_tables_agree_with_the_source_contract() -> None:
    assert DATA_TYPES == MODBUS_TYPES
    assert ORDERS == MODBUS_ORDERS
    for t, n in DATA_TYPES.items():
        assert register_count(t) == n


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("data_type", list(SAMPLES))
def test_round_trip_every_type_and_order(data_type: str, order: str) -> None:
    for value in SAMPLES[data_type]:
        regs = encode_value(value, data_type, order)
        assert len(regs) == DATA_TYPES[data_type]
        assert all(0 <= r <= 0xFFFF for r in regs)
        back = decode_registers(regs, data_type, order)
        if data_type == "float32":
            assert back == struct.unpack(">f", struct.pack(">f", value))[0]
        else:
            assert back == value
        assert isinstance(back, float)


KNOWN = [
    # value, type, {order: registers}
    (0x1234, "uint16", {"abcd": [0x1234], "cdab": [0x1234], "badc": [0x3412], "dcba": [0x3412]}),
    (-2, "int16", {"abcd": [0xFFFE], "cdab": [0xFFFE], "badc": [0xFEFF], "dcba": [0xFEFF]}),
    (
        0x12345678,
        "uint32",
        {"abcd": [0x1234, 0x5678], "cdab": [0x5678, 0x1234], "badc": [0x3412, 0x7856], "dcba": [0x7856, 0x3412]},
    ),
    (
        -2,
        "int32",
        {"abcd": [0xFFFF, 0xFFFE], "cdab": [0xFFFE, 0xFFFF], "badc": [0xFFFF, 0xFEFF], "dcba": [0xFEFF, 0xFFFF]},
    ),
    (1.0, "float32", {"abcd": [0x3F80, 0], "cdab": [0, 0x3F80], "badc": [0x803F, 0], "dcba": [0, 0x803F]}),
    (
        -123.25,  # 0xC2F68000
        "float32",
        {"abcd": [0xC2F6, 0x8000], "cdab": [0x8000, 0xC2F6], "badc": [0xF6C2, 0x0080], "dcba": [0x0080, 0xF6C2]},
    ),
    (
        1.0,  # 0x3FF0000000000000
        "float64",
        {"abcd": [0x3FF0, 0, 0, 0], "cdab": [0, 0, 0, 0x3FF0], "badc": [0xF03F, 0, 0, 0], "dcba": [0, 0, 0, 0xF03F]},
    ),
    (
        struct.unpack(">d", bytes.fromhex("0102030405060708"))[0],
        "float64",
        {
            "abcd": [0x0102, 0x0304, 0x0506, 0x0708],
            "cdab": [0x0708, 0x0506, 0x0304, 0x0102],
            "badc": [0x0201, 0x0403, 0x0605, 0x0807],
            "dcba": [0x0807, 0x0605, 0x0403, 0x0201],
        },
    ),
    (1, "bool", {"abcd": [1], "cdab": [1], "badc": [0x0100], "dcba": [0x0100]}),
]


@pytest.mark.parametrize(("value", "data_type", "layouts"), KNOWN)
def test_known_layouts(value: float, data_type: str, layouts: dict[str, list[int]]) -> None:
    for order, regs in layouts.items():
        assert encode_value(value, data_type, order) == regs, order
        assert decode_registers(regs, data_type, order) == float(value), order


@pytest.mark.parametrize(
    ("data_type", "too_low", "too_high", "lo", "hi"),
    [
        ("int16", -32769, 32768, -32768, 32767),
        ("uint16", -1, 65536, 0, 65535),
        ("int32", -(2**31) - 1, 2**31, -(2**31), 2**31 - 1),
        ("uint32", -1, 2**32, 0, 2**32 - 1),
    ],
)
def test_integer_range_raises_or_clamps(data_type: str, too_low: int, too_high: int, lo: int, hi: int) -> None:
    for bad in (too_low, too_high, math.inf, -math.inf):
        with pytest.raises(RegisterRangeError):
            encode_value(bad, data_type)
    assert decode_registers(encode_value(too_low, data_type, clamp=True), data_type) == lo
    assert decode_registers(encode_value(too_high, data_type, clamp=True), data_type) == hi
    assert decode_registers(encode_value(math.inf, data_type, clamp=True), data_type) == hi
    assert decode_registers(encode_value(-math.inf, data_type, clamp=True), data_type) == lo
    with pytest.raises(RegisterRangeError):
        encode_value(math.nan, data_type, clamp=True)


def test_range_error_is_a_value_error() -> None:
    assert issubclass(RegisterRangeError, ValueError)


def test_integers_round_half_away_from_zero() -> None:
    assert decode_registers(encode_value(2.5, "int16"), "int16") == 3
    assert decode_registers(encode_value(-2.5, "int16"), "int16") == -3
    assert decode_registers(encode_value(2.4999, "int16"), "int16") == 2
    assert decode_registers(encode_value(-0.4, "int16"), "int16") == 0
    # 65535.4 rounds into range; 65535.5 does not.
    assert decode_registers(encode_value(65535.4, "uint16"), "uint16") == 65535
    with pytest.raises(RegisterRangeError):
        encode_value(65535.5, "uint16")


@pytest.mark.parametrize("order", ORDERS)
def test_float_specials_survive(order: str) -> None:
    for data_type in ("float32", "float64"):
        assert math.isnan(decode_registers(encode_value(math.nan, data_type, order), data_type, order))
        assert decode_registers(encode_value(math.inf, data_type, order), data_type, order) == math.inf
        assert decode_registers(encode_value(-math.inf, data_type, order), data_type, order) == -math.inf


def test_float32_overflow() -> None:
    with pytest.raises(RegisterRangeError):
        encode_value(1e39, "float32")
    assert decode_registers(encode_value(1e39, "float32", clamp=True), "float32") == FLOAT32_MAX
    assert decode_registers(encode_value(-1e39, "float32", clamp=True), "float32") == -FLOAT32_MAX
    assert decode_registers(encode_value(1e39, "float64"), "float64") == 1e39


def test_bool_encoding() -> None:
    assert encode_value(True, "bool") == [1]
    assert encode_value(0, "bool") == [0]
    assert encode_value(17, "bool") == [1]
    assert decode_registers([0xFFFF], "bool") == 1.0
    assert decode_registers([0], "bool") == 0.0
    with pytest.raises(RegisterRangeError):
        encode_value(math.nan, "bool")


def test_decode_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="needs 2"):
        decode_registers([1], "float32")
    with pytest.raises(ValueError, match="needs 1"):
        decode_registers([1, 2], "uint16")
    with pytest.raises(ValueError, match="outside"):
        decode_registers([65536], "uint16")
    with pytest.raises(ValueError, match="outside"):
        decode_registers([-1, 0], "int32")
    with pytest.raises(ValueError, match="outside"):
        decode_registers([True], "uint16")  # type: ignore[list-item]
    with pytest.raises(ValueError, match="unknown data type"):
        decode_registers([1], "int8")
    with pytest.raises(ValueError, match="unknown order"):
        decode_registers([1], "uint16", "abdc")
    with pytest.raises(ValueError, match="unknown data type"):
        encode_value(1, "string")
    with pytest.raises(ValueError, match="unknown order"):
        encode_value(1, "uint16", "ABCD")


def test_decode_accepts_tuples() -> None:
    assert decode_registers((0x3F80, 0), "float32") == 1.0


def test_scale_offset_inverse() -> None:
    assert scaled_register_value(21.5, 0.1) == pytest.approx(215.0)
    assert scaled_register_value(10.0, 0.5, -5.0) == pytest.approx(30.0)
    assert engineering_value(30.0, 0.5, -5.0) == pytest.approx(10.0)
    with pytest.raises(ValueError):
        scaled_register_value(1.0, 0.0)


@given(st.integers(-(2**31), 2**31 - 1), st.sampled_from(ORDERS))
def test_int32_property(value: int, order: str) -> None:
    assert decode_registers(encode_value(value, "int32", order), "int32", order) == value


@given(st.floats(allow_nan=False, width=32), st.sampled_from(ORDERS))
def test_float32_property(value: float, order: str) -> None:
    assert decode_registers(encode_value(value, "float32", order), "float32", order) == value


@given(st.floats(allow_nan=False), st.sampled_from(ORDERS))
def test_float64_property(value: float, order: str) -> None:
    assert decode_registers(encode_value(value, "float64", order), "float64", order) == value


@given(st.lists(st.integers(0, 0xFFFF), min_size=4, max_size=4), st.sampled_from(ORDERS))
def test_any_registers_decode_and_reencode(regs: list[int], order: str) -> None:
    """Every register pattern is some value, and re-encoding it gives the same registers."""
    for data_type in NUMERIC:
        n = DATA_TYPES[data_type]
        value = decode_registers(regs[:n], data_type, order)
        if math.isnan(value):
            continue  # NaN payloads are many bit patterns
        assert encode_value(value, data_type, order) == regs[:n]


def test_agrees_with_pymodbus_word_orders() -> None:
    """abcd/cdab are pymodbus' big/little word orders: the driver may use either and get the same numbers."""
    client = pytest.importorskip("pymodbus.client")
    mixin = client.ModbusTcpClient
    dt = mixin.DATATYPE
    for data_type, kind, value in (
        ("int16", dt.INT16, -1234),
        ("uint32", dt.UINT32, 0x12345678),
        ("int32", dt.INT32, -70000),
        ("float32", dt.FLOAT32, -123.25),
        ("float64", dt.FLOAT64, math.pi),
    ):
        for order, word_order in (("abcd", "big"), ("cdab", "little")):
            assert encode_value(value, data_type, order) == mixin.convert_to_registers(value, kind, word_order)


# -- block decoder: the driver's fast path must agree with decode_registers exactly ----------------------



@given(
    regs=st.lists(st.integers(0, 0xFFFF), min_size=4, max_size=12),
    data_type=st.sampled_from(["int16", "uint16", "int32", "uint32", "float32", "float64", "bool"]),
    order=st.sampled_from(["abcd", "cdab", "badc", "dcba"]),
    data=st.data(),
)
def test_block_decoder_matches_decode_registers(regs, data_type, order, data) -> None:  # type: ignore[no-untyped-def]
    n = {"int16": 1, "uint16": 1, "bool": 1, "int32": 2, "uint32": 2, "float32": 2, "float64": 4}[data_type]
    off = data.draw(st.integers(0, len(regs) - n))
    expected = decode_registers(regs[off : off + n], data_type, order)
    got = compile_decoder(data_type, order)(pack_block(regs), off)
    assert got == expected or (got != got and expected != expected)


def test_pack_block_refuses_out_of_range() -> None:
    import pytest

    with pytest.raises(ValueError):
        pack_block([1, 70000])
