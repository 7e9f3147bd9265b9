"""Values <-> 16-bit Modbus registers, for every data type and byte/word order of the source contract.

One module used by both ends (the simulator encodes, the Modbus driver decodes) so the two can never
disagree about a layout. Pure: no pymodbus, no I/O.

Orders name the byte sequence of a 32-bit value whose big-endian bytes are A B C D:

- ``abcd`` big-endian: registers ``[AB, CD]`` (Modbus' own convention, the default);
- ``cdab`` word-swapped: ``[CD, AB]`` (many PLCs: little-endian word order, big-endian bytes);
- ``badc`` byte-swapped: ``[BA, DC]``;
- ``dcba`` little-endian: ``[DC, BA]``.

Generalised to any width: a "word swap" reverses the order of the registers and a "byte swap" swaps
the two bytes inside each register. So a 64-bit ``cdab`` is ``[GH, EF, CD, AB]`` and a 16-bit value is
affected only by the byte swap (``badc``/``dcba`` give ``[BA]``).
"""

from __future__ import annotations

import functools
import math
import struct
from collections.abc import Callable

DATA_TYPES: dict[str, int] = {
    "int16": 1,
    "uint16": 1,
    "int32": 2,
    "uint32": 2,
    "float32": 2,
    "float64": 4,
    "bool": 1,
}
ORDERS = ("abcd", "cdab", "badc", "dcba")

_STRUCT = {"int16": ">h", "uint16": ">H", "int32": ">i", "uint32": ">I", "float32": ">f", "float64": ">d"}
_INT_RANGES = {
    "int16": (-(2**15), 2**15 - 1),
    "uint16": (0, 2**16 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "uint32": (0, 2**32 - 1),
}
FLOAT32_MAX = struct.unpack(">f", b"\x7f\x7f\xff\xff")[0]


class RegisterRangeError(ValueError):
    """A value does not fit the data type (and clamping was not asked for)."""


def register_count(data_type: str) -> int:
    """How many 16-bit registers a value of `data_type` occupies."""
    try:
        return DATA_TYPES[data_type]
    except KeyError:
        raise ValueError(f"unknown data type {data_type!r} (one of {', '.join(DATA_TYPES)})") from None


def _check_order(order: str) -> None:
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r} (one of {', '.join(ORDERS)})")


def _word_swap(order: str) -> bool:
    return order in ("cdab", "dcba")


def _byte_swap(order: str) -> bool:
    return order in ("badc", "dcba")


def _bytes_to_registers(data: bytes, order: str) -> list[int]:
    words = [data[i : i + 2] for i in range(0, len(data), 2)]
    if _byte_swap(order):
        words = [w[::-1] for w in words]
    if _word_swap(order):
        words.reverse()
    return [int.from_bytes(w, "big") for w in words]


def _registers_to_bytes(regs: list[int], order: str) -> bytes:
    words = [r.to_bytes(2, "big") for r in regs]
    if _word_swap(order):
        words.reverse()
    if _byte_swap(order):
        words = [w[::-1] for w in words]
    return b"".join(words)


def _int_for(value: float, data_type: str, clamp: bool) -> int:
    lo, hi = _INT_RANGES[data_type]
    if math.isnan(value):
        raise RegisterRangeError(f"NaN cannot be encoded as {data_type}")
    if math.isinf(value):
        if not clamp:
            raise RegisterRangeError(f"{value} does not fit {data_type}")
        return hi if value > 0 else lo
    # Round half away from zero, like a PLC converting a REAL, not Python's banker's rounding.
    n = math.floor(abs(value) + 0.5) * (1 if value >= 0 else -1)
    if lo <= n <= hi:
        return n
    if not clamp:
        raise RegisterRangeError(f"{value:g} outside {data_type} range {lo}..{hi}")
    return max(lo, min(hi, n))


def encode_value(value: float, data_type: str = "uint16", order: str = "abcd", *, clamp: bool = False) -> list[int]:
    """The registers holding `value` as `data_type` in `order`.

    Integer types round to the nearest integer (half away from zero). Out of range raises
    RegisterRangeError unless `clamp`, which saturates at the type's limits (what a device that
    limits its output does). NaN and infinities are kept for float types (devices do send them);
    float32 overflow of a finite value saturates at +-FLOAT32_MAX when clamping.
    """
    n = register_count(data_type)
    _check_order(order)
    if data_type == "bool":
        if isinstance(value, float) and math.isnan(value):
            raise RegisterRangeError("NaN cannot be encoded as bool")
        return _bytes_to_registers((1 if value else 0).to_bytes(2, "big"), order)
    fmt = _STRUCT[data_type]
    if data_type in _INT_RANGES:
        data = struct.pack(fmt, _int_for(float(value), data_type, clamp))
    elif data_type == "float32":
        v = float(value)
        if math.isfinite(v) and abs(v) > FLOAT32_MAX:
            if not clamp:
                raise RegisterRangeError(f"{v:g} outside float32 range")
            v = math.copysign(FLOAT32_MAX, v)
        data = struct.pack(fmt, v)
    else:
        data = struct.pack(fmt, float(value))
    regs = _bytes_to_registers(data, order)
    assert len(regs) == n
    return regs


def decode_registers(regs: list[int] | tuple[int, ...], data_type: str = "uint16", order: str = "abcd") -> float:
    """The value held by `regs` (exactly the type's register count, each 0..65535) as a float.

    Raises ValueError on a wrong count or a register outside 0..65535, so a driver never turns a
    short or corrupt read into a plausible-looking number.
    """
    n = register_count(data_type)
    _check_order(order)
    if len(regs) != n:
        raise ValueError(f"{data_type} needs {n} register(s), got {len(regs)}")
    for r in regs:
        if isinstance(r, bool) or not isinstance(r, int) or not 0 <= r <= 0xFFFF:
            raise ValueError(f"register value {r!r} outside 0..65535")
    data = _registers_to_bytes(list(regs), order)
    if data_type == "bool":
        return 1.0 if int.from_bytes(data, "big") else 0.0
    return float(struct.unpack(_STRUCT[data_type], data)[0])


def scaled_register_value(raw: float, scale: float = 1.0, offset: float = 0.0) -> float:
    """The number to store in the register so that ``register * scale + offset == raw``.

    The inverse of the source URL's `scale`/`offset`, used by the simulator to serve engineering values.
    """
    if scale == 0:
        raise ValueError("scale must not be 0")
    return (raw - offset) / scale


def engineering_value(register_value: float, scale: float = 1.0, offset: float = 0.0) -> float:
    """The engineering (raw, before calibration) value of a decoded register: ``value * scale + offset``."""
    return register_value * scale + offset


# -- block decoding (the poll hot path) ----------------------------------------------------------------
# A polled block is packed once as big-endian and once as little-endian 16-bit words; each value is
# then one struct.unpack_from at its offset. Byte/word orders map onto the two packings:
#   abcd: BE words, BE value   dcba: BE words, LE value   badc: LE words, BE value   cdab: LE words, LE value
_PACKING = {"abcd": (0, ">"), "dcba": (0, "<"), "badc": (1, ">"), "cdab": (1, "<")}
BlockDecoder = Callable[[tuple[bytes, bytes], int], float]


def pack_block(regs: list[int] | tuple[int, ...]) -> tuple[bytes, bytes]:
    """The block as (big-endian, little-endian) words; ValueError for a register outside 0..65535."""
    n = len(regs)
    try:
        return struct.pack(f">{n}H", *regs), struct.pack(f"<{n}H", *regs)
    except struct.error as exc:
        raise ValueError(f"register value outside 0..65535 in block: {exc}") from None


@functools.lru_cache(maxsize=64)
def compile_decoder(data_type: str, order: str = "abcd") -> BlockDecoder:
    """A decoder of one value at a register offset of a packed block; same results as decode_registers."""
    register_count(data_type)
    _check_order(order)
    which, endian = _PACKING[order]
    if data_type == "bool":
        st = struct.Struct(f"{endian}H")
        return lambda packed, off: 1.0 if st.unpack_from(packed[which], off * 2)[0] else 0.0
    st = struct.Struct(endian + _STRUCT[data_type][1])
    unpack_from = st.unpack_from
    return lambda packed, off: float(unpack_from(packed[which], off * 2)[0])
