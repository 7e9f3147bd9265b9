"""Decoding of MQTT reading payloads (contract in README "MQTT topics"), pure and fast (orjson).

A payload is a JSON object `{"value": 12.3, "ts": ..., "quality": "good"}` (value and timestamp at
configurable dotted paths), a bare number, or on a gateway topic a JSON array of
`{"eui", "value", "ts", "quality"}`. Every refusal carries a reason code that the pipeline counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import orjson

from hmi.core.domain import Quality

MAX_PAYLOAD = 64 * 1024
_QUALITIES = {"good": Quality.GOOD, "uncertain": Quality.UNCERTAIN, "bad": Quality.BAD}


class PayloadError(ValueError):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Decoded:
    value: float | None
    ts: float
    quality: Quality
    reason: str = ""


def load_json(payload: bytes) -> object:
    if len(payload) > MAX_PAYLOAD:
        raise PayloadError("too_large", f"{len(payload)} bytes > {MAX_PAYLOAD}")
    try:
        return orjson.loads(payload)  # rejects NaN/Infinity literals, unlike the stdlib json
    except orjson.JSONDecodeError as exc:
        raise PayloadError("not_json", str(exc)[:80]) from None


def parse_ts(raw: object, arrival: float) -> float:
    """Epoch seconds (milliseconds accepted when obviously so) or ISO-8601; absent -> arrival."""
    if raw is None:
        return arrival
    if isinstance(raw, bool):
        raise PayloadError("bad_timestamp", repr(raw))
    if isinstance(raw, (int, float)):
        ts = float(raw)
        if ts > 1e11:  # milliseconds since the epoch
            ts /= 1000.0
        if not math.isfinite(ts):
            raise PayloadError("bad_timestamp", repr(raw))
        return ts
    if isinstance(raw, str):
        try:
            dt = datetime.fromisoformat(raw)
        except ValueError:
            raise PayloadError("bad_timestamp", raw[:40]) from None
        if dt.tzinfo is None:
            raise PayloadError("bad_timestamp", f"{raw[:40]} has no time zone")
        return dt.timestamp()
    raise PayloadError("bad_timestamp", repr(raw)[:40])


def _number(raw: object) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise PayloadError("value_not_number", repr(raw)[:40])
    v = float(raw)
    if not math.isfinite(v):
        raise PayloadError("not_finite", repr(raw)[:40])
    return v


def _at(obj: dict[str, object], path: tuple[str, ...]) -> object:
    cur: object = obj
    for key in path:
        if not isinstance(cur, dict) or key not in cur:
            return None
        cur = cur[key]
    return cur


def _quality(raw: object) -> Quality:
    if raw is None:
        return Quality.GOOD
    q = _QUALITIES.get(str(raw).lower())
    if q is None:
        raise PayloadError("bad_quality", repr(raw)[:40])
    return q


def decode_reading(
    doc: object, arrival: float, value_path: tuple[str, ...] = ("value",), ts_field: str = "ts"
) -> Decoded:
    """One reading from a decoded JSON document (object or bare number)."""
    if isinstance(doc, (int, float)) and not isinstance(doc, bool):
        return Decoded(_number(doc), arrival, Quality.GOOD)
    if not isinstance(doc, dict):
        raise PayloadError("not_object", type(doc).__name__)
    raw_value = _at(doc, value_path)
    if raw_value is None:
        raise PayloadError("no_value", ".".join(value_path))
    quality = _quality(doc.get("quality"))
    ts = parse_ts(_at(doc, tuple(ts_field.split("."))) if ts_field else None, arrival)
    return Decoded(_number(raw_value), ts, quality)


def decode_batch(doc: object, arrival: float) -> list[tuple[str, Decoded | PayloadError]]:
    """A gateway batch: each element decoded on its own, so one bad element spoils nothing else."""
    if not isinstance(doc, list):
        raise PayloadError("not_array", type(doc).__name__)
    out: list[tuple[str, Decoded | PayloadError]] = []
    for item in doc:
        if not isinstance(item, dict) or not isinstance(item.get("eui"), str):
            out.append(("", PayloadError("no_eui", repr(item)[:40])))
            continue
        eui = str(item["eui"]).replace(":", "").replace("-", "").upper()
        try:
            out.append((eui, decode_reading(item, arrival)))
        except PayloadError as exc:
            out.append((eui, exc))
    return out
