"""Commands to mill controllers: payloads, canonical form, HMAC signing and verification, nonces,
expiry, and the calibration proposal. Pure: no I/O, no clock of its own (times are passed in).

Command payload (for PLC integrators)
=====================================

Every command Millwatch sends to a mill controller is one JSON object, UTF-8, published with
MQTT v5 QoS 1 on ``mills/{mill}/commands/{name}`` (``estop``, ``estop_reset``,
``start_production``) or, for a sensor's configuration, on ``mills/{mill}/sensors/{eui}/config``.
The MQTT v5 properties carry the same facts for controllers that prefer them: *Message Expiry
Interval* (``estop`` 30 s, ``estop_reset`` and ``start_production`` 5 s, ``sensor_config`` 10 s),
*Response Topic* (``mills/{mill}/commands/{name}/ack``) and *Correlation Data* (the ``command_id``
as UTF-8 bytes). The ``estop`` message is published *retained* (a controller that reconnects within
its expiry still gets it); Millwatch clears it (an empty retained message on the same topic) just
before it sends a reset: a controller must ignore an empty payload.

Fields (all present in every command unless marked):

=============== ==========================================================================
``v``           payload version, ``1``
``command``     ``estop`` | ``estop_reset`` | ``start_production`` | ``sensor_config``
``command_id``  32 hex digits, one per operator action; an e-stop's re-sends keep it
``mill``        the mill's slug
``issued_by``   the user who gave the command (for an e-stop from a locked screen: the locked
                session's user)
``console``     the workstation/console it was given at
``issued_at``   when this message was issued, ISO-8601 UTC with milliseconds
                (``2026-11-24T09:00:00.123Z``); every re-send gets a fresh one
``expiry_s``    seconds after ``issued_at`` after which the command must not be acted on
``nonce``       32 hex digits, fresh for every message (re-sends included)
``key_id``      (signed commands only) 8 hex digits naming the site key, see below
``signature``   (signed commands only) HMAC-SHA256, 64 lowercase hex digits
=============== ==========================================================================

Command-specific fields: ``estop``: ``activated_at`` (when the operator pressed stop, ISO-8601)
and ``attempt`` (1 for the first message, 2, 3 ... for re-sends, which go out every second until
the stop is confirmed); ``estop_reset``: ``reason``; ``sensor_config``: ``eui``, optionally
``thresholds`` (``warning_min``, ``warning_max``, ``critical_min``, ``critical_max``) and
``sampling_interval`` (seconds).

Signature. When the site has a command key (keyring entry ``site:key``, or the environment
variable ``MILLWATCH_SITE_KEY`` where no keyring exists), the body is signed: the body is every
field except ``signature``, serialised canonically (keys sorted, no whitespace: separators ``,``
and ``:``, UTF-8, no NaN/Infinity); ``signature`` = hex(HMAC-SHA256(key as UTF-8, that text)). The
message on the wire is exactly the canonical body with ``,"signature":"<64 hex>"`` inserted before
the final ``}``, so a controller need not re-serialise JSON: take the payload, cut the last 80 bytes
(``,"signature":"`` + 64 hex + ``"}``), append ``}``, and compute the HMAC over those bytes.
``key_id`` = the first 8 hex digits of HMAC-SHA256(key, ``"millwatch command key id"``).

A controller should refuse (answer ``refused`` with a reason, and not act) a command that is:
unsigned or wrongly signed when it holds the key (forged); older than 30 s or older than its
``expiry_s`` by ``issued_at`` (stale; controllers need NTP-synchronised clocks, Millwatch allows
5 s of skew into the future); or whose ``nonce`` it has seen in the last 30 s (replayed).
`verify_command` below is the reference implementation.

Answer: on ``mills/{mill}/commands/{name}/ack`` (the Response Topic), JSON
``{"command_id": "...", "state": "latched" | "reset" | "started" | "refused", "running": true|false,
"reason": "...", "ts": <epoch seconds>}``. An e-stop counts as confirmed only when an ack with
``state: "latched"`` and the *same* ``command_id`` arrives (or, on Modbus, see hmi/core/estop.py);
``running: false`` then says the mill has stopped.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import secrets
import uuid
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hmi.core.domain import Calibration, Sensor, Thresholds
from hmi.core.errors import ValidationError
from hmi.core.text import Text

PROTOCOL_VERSION = 1
COMMAND_KEY_NAME = "site:key"  # keyring entry of the site's command key (env fallback MILLWATCH_SITE_KEY)
MAX_AGE_S = 30.0
FUTURE_SKEW_S = 5.0
ESTOP_EXPIRY_S = 30
RESET_EXPIRY_S = 5
START_EXPIRY_S = 5
CONFIG_EXPIRY_S = 10
SIGNATURE_FIELD = "signature"
SIGNATURE_SUFFIX_LEN = len(',"signature":"') + 64 + len('"}')  # 80 bytes
RESERVED_FIELDS = frozenset(
    {"v", "command", "command_id", "mill", "issued_by", "console", "issued_at", "expiry_s", "nonce", "key_id",
     SIGNATURE_FIELD}
)
_KEY_ID_MESSAGE = b"millwatch command key id"


# -- canonical form and signing ------------------------------------------------------------------------------


def canonical_json(body: Mapping[str, Any]) -> bytes:
    """Sorted keys, no whitespace, UTF-8, no NaN/Infinity: the bytes the signature covers."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def key_id(key: str) -> str:
    """A short, non-secret name of a key: a controller holding several keys picks the right one."""
    return hmac.new(key.encode(), _KEY_ID_MESSAGE, hashlib.sha256).hexdigest()[:8]


def sign_body(body: Mapping[str, Any], key: str) -> str:
    """hex(HMAC-SHA256(key, canonical body without the signature))."""
    unsigned = {k: v for k, v in body.items() if k != SIGNATURE_FIELD}
    return hmac.new(key.encode(), canonical_json(unsigned), hashlib.sha256).hexdigest()


def iso_utc(ts: datetime) -> str:
    """``2026-11-24T09:00:00.123Z``."""
    if ts.tzinfo is None:
        raise ValueError("a command time must be timezone-aware")
    return ts.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo is not None else None


def new_command_id() -> str:
    return uuid.uuid4().hex


def new_nonce() -> str:
    return secrets.token_hex(16)


@dataclass(frozen=True, slots=True)
class SignedCommand:
    """A command ready for the wire: `payload` is what is published; `body` includes the signature."""

    name: str
    command_id: str
    nonce: str
    body: dict[str, Any]
    payload: bytes
    signed: bool


def build_command(
    name: str,
    *,
    mill: str,
    user: str,
    console: str,
    issued_at: datetime,
    expiry_s: int,
    command_id: str | None = None,
    nonce: str | None = None,
    key: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> SignedCommand:
    """The payload of one command message (see the module docstring), signed when `key` is given."""
    if not name or not mill:
        raise ValueError("a command needs a name and a mill")
    if expiry_s <= 0:
        raise ValueError("expiry_s must be above 0")
    clash = RESERVED_FIELDS & set(extra or {})
    if clash:
        raise ValueError(f"command fields {sorted(clash)} are reserved")
    cid = command_id or new_command_id()
    nc = nonce or new_nonce()
    body: dict[str, Any] = {
        "v": PROTOCOL_VERSION,
        "command": name,
        "command_id": cid,
        "mill": mill,
        "issued_by": user,
        "console": console,
        "issued_at": iso_utc(issued_at),
        "expiry_s": int(expiry_s),
        "nonce": nc,
        **dict(extra or {}),
    }
    if key:
        body["key_id"] = key_id(key)
    text = canonical_json(body)
    if not key:
        return SignedCommand(name, cid, nc, body, text, False)
    mac = hmac.new(key.encode(), text, hashlib.sha256).hexdigest()
    payload = text[:-1] + b',"' + SIGNATURE_FIELD.encode() + b'":"' + mac.encode() + b'"}'
    return SignedCommand(name, cid, nc, {**body, SIGNATURE_FIELD: mac}, payload, True)


# -- verification (the controller's side; also used by the tests and the simulator) -------------------------


class NonceCache:
    """Nonces seen within the replay window (bounded; the oldest are forgotten first). Pure: times
    are passed in as epoch seconds."""

    def __init__(self, window_s: float = MAX_AGE_S, capacity: int = 100_000) -> None:
        self.window_s = window_s
        self.capacity = capacity
        self._seen: OrderedDict[str, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    def _expire(self, now: float) -> None:
        while self._seen:
            _nonce, at = next(iter(self._seen.items()))
            if now - at <= self.window_s and len(self._seen) <= self.capacity:
                break
            self._seen.popitem(last=False)

    def seen(self, nonce: str, now: float) -> bool:
        self._expire(now)
        return nonce in self._seen

    def add(self, nonce: str, now: float) -> None:
        self._seen[nonce] = now
        self._seen.move_to_end(nonce)
        self._expire(now)


@dataclass(frozen=True, slots=True)
class Verification:
    """`ok`, or the reason a controller must refuse: malformed, unsigned, wrong_key, bad_signature,
    stale, future, expired, replayed."""

    ok: bool
    reason: str = ""
    body: Mapping[str, Any] | None = None

    def __bool__(self) -> bool:
        return self.ok


def verify_command(
    payload: bytes | str,
    key: str | None,
    *,
    now: datetime,
    nonces: NonceCache | None = None,
    max_age_s: float = MAX_AGE_S,
    future_skew_s: float = FUTURE_SKEW_S,
) -> Verification:
    """Check a received command as a controller should (reference implementation).

    With `key`: the signature must be present, name this key and match (forged otherwise). Then the
    age (stale beyond `max_age_s` or the command's own `expiry_s`; `future` beyond the allowed skew),
    then the nonce (replayed if `nonces` has seen it; a command that passes is remembered).
    Without `key` (a site without a command key) only the age and the nonce are checked.
    """
    raw = payload.encode() if isinstance(payload, str) else bytes(payload)
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return Verification(False, "malformed")
    if not isinstance(doc, dict) or not doc.get("command_id") or not isinstance(doc.get("nonce"), str):
        return Verification(False, "malformed", doc if isinstance(doc, dict) else None)
    if key:
        mac = doc.get(SIGNATURE_FIELD)
        if not isinstance(mac, str):
            return Verification(False, "unsigned", doc)
        if doc.get("key_id") != key_id(key):
            return Verification(False, "wrong_key", doc)
        if not hmac.compare_digest(sign_body(doc, key), mac.lower()):
            return Verification(False, "bad_signature", doc)
    issued = parse_iso(doc.get("issued_at"))
    if issued is None:
        return Verification(False, "malformed", doc)
    age = (now - issued).total_seconds()
    if age < -future_skew_s:
        return Verification(False, "future", doc)
    if age > max_age_s:
        return Verification(False, "stale", doc)
    expiry = doc.get("expiry_s")
    if isinstance(expiry, int | float) and not isinstance(expiry, bool) and age > float(expiry):
        return Verification(False, "expired", doc)
    if nonces is not None:
        t = now.timestamp()
        if nonces.seen(doc["nonce"], t):
            return Verification(False, "replayed", doc)
        nonces.add(doc["nonce"], t)
    return Verification(True, "", doc)


def signed_bytes_of(payload: bytes) -> bytes | None:
    """The bytes a signature covers, the PLC way: the payload without its last 80 bytes, plus ``}``.
    None when the payload does not end with a signature member."""
    if len(payload) <= SIGNATURE_SUFFIX_LEN or not payload.endswith(b'"}'):
        return None
    tail = payload[-SIGNATURE_SUFFIX_LEN:]
    if not tail.startswith(b',"' + SIGNATURE_FIELD.encode() + b'":"'):
        return None
    return payload[:-SIGNATURE_SUFFIX_LEN] + b"}"


def is_expired(body: Mapping[str, Any], now: datetime) -> bool:
    """True once `now` is past the command's issued_at + expiry_s (or the command has no valid time)."""
    issued = parse_iso(body.get("issued_at"))
    expiry = body.get("expiry_s")
    if issued is None or not isinstance(expiry, int | float) or isinstance(expiry, bool):
        return True
    return now > issued + timedelta(seconds=float(expiry))


# -- sensor configuration and calibration -------------------------------------------------------------------


def sensor_config_fields(
    sensor: Sensor, thresholds: Thresholds | None = None, sampling_interval: float | None = None
) -> dict[str, Any]:
    """The `sensor_config` command's own fields; ValidationError naming the field at fault."""
    if thresholds is None and sampling_interval is None:
        raise ValidationError("config", Text("nothing to push: give thresholds and/or a sampling interval"))
    out: dict[str, Any] = {"eui": sensor.eui}
    if thresholds is not None:
        problems = thresholds.problems()
        if problems:
            raise ValidationError(f"thresholds.{problems[0][0]}", problems[0][1])
        out["thresholds"] = thresholds.as_dict()
    if sampling_interval is not None:
        if isinstance(sampling_interval, bool) or not math.isfinite(sampling_interval) or sampling_interval <= 0:
            raise ValidationError("sampling_interval", Text("must be a number above 0, got {value!r}",
                                                            value=sampling_interval))
        out["sampling_interval"] = float(sampling_interval)
    return out


@dataclass(frozen=True, slots=True)
class CalibrationProposal:
    """What a calibration against a reference would change, shown before it is applied.

    `offset` is the correction, reference - latest reading; `before`/`after` the sensor's calibration
    now and as proposed (same multiplier, offset moved by `offset`); `reading_before`/`reading_after`
    the latest reading under each (`reading_after` equals the reference)."""

    eui: str
    before: Calibration
    after: Calibration
    offset: float
    raw: float
    reference: float
    reading_before: float
    reading_after: float


def _finite(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(name, Text("{name} must be a finite number, got {value!r}", name=name, value=value))
    return float(value)


def propose_calibration(
    sensor: Sensor, latest_raw: float, latest_value: float, reference: float, *, tolerance: float = 1e-6
) -> CalibrationProposal:
    """offset = reference - latest reading; the latest reading must be the sensor's current calibration
    of `latest_raw` (else the reading is from before a calibration change: take a fresh one)."""
    raw = _finite("latest_raw", latest_raw)
    value = _finite("latest_value", latest_value)
    ref = _finite("reference", reference)
    before = sensor.calibration
    expected = before.apply(raw)
    if abs(expected - value) > tolerance * max(1.0, abs(expected)):
        raise ValidationError(
            "latest_value",
            Text("the latest reading ({value:g}) is not the current calibration of its raw value ({expected:g}): "
                 "take a fresh reading", value=value, expected=expected),
        )
    correction = ref - value
    after = Calibration(offset=before.offset + correction, multiplier=before.multiplier)
    problems = after.problems()
    if problems:
        raise ValidationError(f"calibration.{problems[0][0]}", problems[0][1])
    return CalibrationProposal(sensor.eui, before, after, correction, raw, ref, value, after.apply(raw))
