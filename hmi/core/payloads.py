"""Decoding of MQTT reading payloads (contract in README "MQTT topics"), pure and fast (orjson).

A payload is a JSON object `{"value": 12.3, "ts": ..., "quality": "good"}` (value and timestamp at
configurable dotted paths), a bare number, or on a gateway topic a JSON array of
`{"eui", "value", "ts", "quality"}`. Every refusal carries a reason code that the pipeline counts.

Gateway arrays are first decoded into typed elements (`gateway_elements`); what is not all of the
contract's shape is decoded here.
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


def gateway_array(doc: object) -> list[object]:
    """A gateway payload's decoded document, which must be a JSON array (refused as `not_array`)."""
    if not isinstance(doc, list):
        raise PayloadError("not_array", type(doc).__name__)
    return doc


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
    doc = gateway_array(doc)
    out: list[tuple[str, Decoded | PayloadError]] = []
    for item in doc:
        if not isinstance(item, dict) or not isinstance(item.get("eui"), str):
            out.append(("", PayloadError("no_eui", repr(item)[:40])))
            continue
        eui = canonical_eui(item["eui"])
        try:
            out.append((eui, decode_reading(item, arrival)))
        except PayloadError as exc:
            out.append((eui, exc))
    return out


# -- fast paths (the ingest hot path) ------------------------------------------------------------------------
# One decoded reading as a plain tuple, in `Sample`'s field order: (eui, ts, value, quality, reason). Tuples
# are the cheapest objects CPython makes; at 100,000s of readings a second the per-reading cost is the figure.
Item = tuple[str, float, "float | None", Quality, str]
_GOOD = Quality.GOOD
_MS_THRESHOLD = 1e11  # above: milliseconds since the epoch (parse_ts)
_EUI_CACHE: dict[str, str] = {}
_EUI_CACHE_MAX = 65536


def canonical_eui(raw: str) -> str:
    """The EUI as the plant spells it: hex digits, upper case, no ':' or '-' separators (memoised)."""
    eui = _EUI_CACHE.get(raw)
    if eui is None:
        eui = raw.replace(":", "").replace("-", "").upper()
        if len(_EUI_CACHE) >= _EUI_CACHE_MAX:  # garbage EUIs must not grow it without bound
            _EUI_CACHE.clear()
        _EUI_CACHE[raw] = eui
    return eui


def decode_default(doc: object, arrival: float) -> tuple[float, float, Quality] | None:
    """(value, ts, quality) of the contract's own object `{"value": number, "ts": epoch seconds, "quality":
    "good"}` (ts and quality optional), or None when anything is unusual: `decode_reading` then judges it.
    Same result as `decode_reading(doc, arrival)` wherever it answers (tested property-style)."""
    if type(doc) is dict:
        v = doc.get("value")
        tv = type(v)
        if tv is float or tv is int:
            q = doc.get("quality")
            if q is None or q == "good":
                t = doc.get("ts")
                tt = type(t)
                if (tt is float or tt is int) and t <= _MS_THRESHOLD:  # type: ignore[operator]
                    return float(v), float(t), _GOOD  # type: ignore[arg-type]
                if t is None:
                    return float(v), arrival, _GOOD  # type: ignore[arg-type]
    return None


def decode_gateway(doc: object, arrival: float) -> tuple[list[Item], list[tuple[str, PayloadError]]]:
    """A gateway batch as items plus (eui, error) refusals: `decode_batch`'s judgement, element by element,
    with a fast path for well-formed elements (numbers, epoch seconds, good or no quality)."""
    doc = gateway_array(doc)
    items: list[Item] = []
    errors: list[tuple[str, PayloadError]] = []
    add = items.append
    cache = _EUI_CACHE
    good, threshold, flt, dct = _GOOD, _MS_THRESHOLD, float, dict
    for it in doc:
        if type(it) is dct:
            get = it.get
            v = get("value")
            t = get("ts")
            if type(v) is not flt and type(v) is not int:  # bool is not int here: refused
                v = None
            if type(t) is not flt and type(t) is not int:
                t = threshold + 1.0
            q = get("quality")
            eui = get("eui")
            if v is not None and t <= threshold and (q == "good" or q is None) and type(eui) is str:
                add((cache.get(eui) or canonical_eui(eui), flt(t), flt(v), good, ""))
                continue
        # Anything unusual: the general judgement of this one element.
        try:
            add(decode_element(it, arrival))
        except PayloadError as exc:
            errors.append((element_eui(it), exc))
    return items, errors


def decode_element(it: object, arrival: float) -> Item:
    """One element of a gateway batch judged on its own (`decode_batch`'s judgement), as an item.
    Raises PayloadError; `element_eui` names the element in the refusal."""
    if not isinstance(it, dict) or not isinstance(it.get("eui"), str):
        raise PayloadError("no_eui", repr(it)[:40])
    eui = canonical_eui(it["eui"])
    d = decode_reading(it, arrival)
    return (eui, d.ts, d.value, d.quality, d.reason)


def element_eui(it: object) -> str:
    """The canonical EUI of a gateway element, or "" when it names none."""
    if isinstance(it, dict):
        raw = it.get("eui")
        if isinstance(raw, str):
            return canonical_eui(raw)
    return ""
