"""Command payloads: canonical form, HMAC, forged/replayed/stale detection, expiry; calibration proposals."""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from datetime import UTC, datetime, timedelta

import pytest

from hmi.core.commands import (
    ESTOP_EXPIRY_S,
    RESET_EXPIRY_S,
    SIGNATURE_SUFFIX_LEN,
    NonceCache,
    build_command,
    canonical_json,
    is_expired,
    key_id,
    propose_calibration,
    sensor_config_fields,
    sign_body,
    signed_bytes_of,
    verify_command,
)
from hmi.core.domain import Calibration, Sensor, SensorType, Thresholds
from hmi.core.errors import ValidationError

KEY = "site-key-for-tests"
NOW = datetime(2026, 11, 24, 9, 0, 0, 123000, tzinfo=UTC)


def estop(**kw: object) -> object:
    args: dict = {"mill": "north", "user": "ana", "console": "console-1", "issued_at": NOW,
                  "expiry_s": ESTOP_EXPIRY_S, "extra": {"activated_at": "2026-11-24T09:00:00.100Z", "attempt": 1}}
    args.update(kw)
    return build_command("estop", **args)  # type: ignore[arg-type]


def test_payload_fields_and_canonical_form() -> None:
    cmd = estop(command_id="c" * 32, nonce="n" * 32)
    doc = json.loads(cmd.payload)
    assert doc == {
        "v": 1, "command": "estop", "command_id": "c" * 32, "mill": "north", "issued_by": "ana",
        "console": "console-1", "issued_at": "2026-11-24T09:00:00.123Z", "expiry_s": 30, "nonce": "n" * 32,
        "activated_at": "2026-11-24T09:00:00.100Z", "attempt": 1,
    }
    assert cmd.payload == canonical_json(doc)  # sorted keys, no whitespace
    assert b" " not in cmd.payload and not cmd.signed
    assert list(doc) == sorted(doc)


def test_ids_and_nonces_are_fresh() -> None:
    a, b = estop(), estop()
    assert a.command_id != b.command_id and a.nonce != b.nonce
    assert len(a.command_id) == 32 and len(a.nonce) == 32 and int(a.nonce, 16) >= 0
    # A re-send keeps the command id and gets a fresh nonce.
    again = estop(command_id=a.command_id)
    assert again.command_id == a.command_id and again.nonce != a.nonce


def test_signed_payload_verifies_both_ways() -> None:
    cmd = estop(key=KEY)
    assert cmd.signed
    doc = json.loads(cmd.payload)
    assert doc["key_id"] == key_id(KEY) and len(doc["signature"]) == 64
    # Canonical way: HMAC over the body without the signature.
    assert doc["signature"] == sign_body(doc, KEY)
    # PLC way: the payload's own bytes minus the 80-byte signature member.
    assert cmd.payload.endswith(b'"}') and SIGNATURE_SUFFIX_LEN == 80
    signed = signed_bytes_of(cmd.payload)
    assert signed is not None
    assert hmac.new(KEY.encode(), signed, hashlib.sha256).hexdigest() == doc["signature"]
    assert signed == canonical_json({k: v for k, v in doc.items() if k != "signature"})
    assert verify_command(cmd.payload, KEY, now=NOW + timedelta(seconds=1), nonces=NonceCache())


def test_forged_commands_are_detected() -> None:
    cmd = estop(key=KEY)
    doc = json.loads(cmd.payload)
    later = NOW + timedelta(seconds=1)
    # A field changed, the signature kept.
    forged = dict(doc, mill="south")
    assert verify_command(json.dumps(forged), KEY, now=later).reason == "bad_signature"
    # Re-signed with another key (the key id gives it away, and the MAC would not match anyway).
    other = estop(key="not-the-site-key")
    assert verify_command(other.payload, KEY, now=later).reason == "wrong_key"
    spoofed = dict(json.loads(other.payload), key_id=key_id(KEY))
    assert verify_command(json.dumps(spoofed), KEY, now=later).reason == "bad_signature"
    # No signature at all, where the controller holds the key.
    assert verify_command(estop().payload, KEY, now=later).reason == "unsigned"
    # Garbage.
    assert verify_command(b"not json", KEY, now=later).reason == "malformed"
    assert verify_command(b"[1,2]", KEY, now=later).reason == "malformed"
    assert verify_command(json.dumps({"command_id": "x"}), KEY, now=later).reason == "malformed"


def test_replayed_commands_are_detected() -> None:
    cmd = estop(key=KEY)
    nonces = NonceCache()
    assert verify_command(cmd.payload, KEY, now=NOW + timedelta(seconds=1), nonces=nonces).ok
    replay = verify_command(cmd.payload, KEY, now=NOW + timedelta(seconds=2), nonces=nonces)
    assert not replay and replay.reason == "replayed"
    # A re-send of the same stop has a fresh nonce: accepted.
    resend = estop(key=KEY, command_id=cmd.command_id, issued_at=NOW + timedelta(seconds=1))
    assert verify_command(resend.payload, KEY, now=NOW + timedelta(seconds=2), nonces=nonces).ok


def test_stale_future_and_expired_commands_are_detected() -> None:
    cmd = estop(key=KEY)
    assert verify_command(cmd.payload, KEY, now=NOW + timedelta(seconds=30)).ok
    assert verify_command(cmd.payload, KEY, now=NOW + timedelta(seconds=30.5)).reason == "stale"
    assert verify_command(cmd.payload, KEY, now=NOW - timedelta(seconds=6)).reason == "future"
    assert verify_command(cmd.payload, KEY, now=NOW - timedelta(seconds=4)).ok  # within the skew
    reset = build_command("estop_reset", mill="north", user="root", console="c", issued_at=NOW,
                          expiry_s=RESET_EXPIRY_S, key=KEY, extra={"reason": "checked"})
    assert verify_command(reset.payload, KEY, now=NOW + timedelta(seconds=5)).ok
    assert verify_command(reset.payload, KEY, now=NOW + timedelta(seconds=6)).reason == "expired"
    # Age is checked before the nonce is remembered: a stale command does not poison the cache.
    nonces = NonceCache()
    verify_command(cmd.payload, KEY, now=NOW + timedelta(seconds=40), nonces=nonces)
    assert len(nonces) == 0


def test_unsigned_site_checks_age_and_nonce() -> None:
    cmd = estop()
    nonces = NonceCache()
    assert verify_command(cmd.payload, None, now=NOW, nonces=nonces).ok
    assert verify_command(cmd.payload, None, now=NOW, nonces=nonces).reason == "replayed"
    assert verify_command(cmd.payload, None, now=NOW + timedelta(minutes=5)).reason == "stale"


def test_nonce_cache_forgets_after_the_window_and_is_bounded() -> None:
    c = NonceCache(window_s=30, capacity=3)
    c.add("a", 0.0)
    assert c.seen("a", 29.0) and not c.seen("a", 31.0)
    for i, n in enumerate("bcde"):
        c.add(n, 100.0 + i)
    assert len(c) == 3 and not c.seen("b", 104.0) and c.seen("e", 104.0)


def test_expiry_and_reserved_fields() -> None:
    body = json.loads(estop().payload)
    assert not is_expired(body, NOW + timedelta(seconds=30))
    assert is_expired(body, NOW + timedelta(seconds=31))
    assert is_expired({"issued_at": "garbage", "expiry_s": 5}, NOW)
    with pytest.raises(ValueError, match="reserved"):
        estop(extra={"nonce": "mine"})
    with pytest.raises(ValueError):
        estop(expiry_s=0)
    with pytest.raises(ValueError, match="timezone"):
        estop(issued_at=datetime(2026, 1, 1))
    assert signed_bytes_of(estop().payload) is None


SENSOR = Sensor("north", "Bin temp", SensorType.TEMPERATURE, "0011223344556677",
                calibration=Calibration(offset=1.5, multiplier=2.0), thresholds=Thresholds(warning_max=60))


def test_calibration_offset_is_reference_minus_latest_reading() -> None:
    raw = 10.0
    value = SENSOR.calibration.apply(raw)  # 21.5
    p = propose_calibration(SENSOR, raw, value, reference=20.0)
    assert p.offset == pytest.approx(-1.5)
    assert p.before == SENSOR.calibration
    assert p.after == Calibration(offset=0.0, multiplier=2.0)
    assert p.reading_before == 21.5 and p.reading_after == pytest.approx(20.0) and p.reference == 20.0
    assert p.after.apply(raw) == pytest.approx(20.0)


def test_calibration_refuses_a_stale_or_bad_reading() -> None:
    with pytest.raises(ValidationError, match="fresh reading") as exc:
        propose_calibration(SENSOR, 10.0, 25.0, 20.0)
    assert exc.value.field == "latest_value"
    for bad in (math.nan, math.inf, True):
        with pytest.raises(ValidationError):
            propose_calibration(SENSOR, 10.0, 21.5, bad)  # type: ignore[arg-type]


def test_sensor_config_fields() -> None:
    fields = sensor_config_fields(SENSOR, Thresholds(warning_max=60, critical_max=70), 2)
    assert fields == {"eui": SENSOR.eui, "thresholds": {"warning_max": 60, "critical_max": 70},
                      "sampling_interval": 2.0}
    with pytest.raises(ValidationError) as exc:
        sensor_config_fields(SENSOR, Thresholds(warning_max=60, critical_max=50))
    assert exc.value.field == "thresholds.critical_max"
    with pytest.raises(ValidationError, match="above 0"):
        sensor_config_fields(SENSOR, sampling_interval=0)
    with pytest.raises(ValidationError, match="nothing to push"):
        sensor_config_fields(SENSOR)
