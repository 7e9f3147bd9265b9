"""What a Modbus request can fail with, without the client library: the reasons the driver counts,
the names of the protocol's exception codes and the one-shot requests' error. The e-stop service
imports these at start; pymodbus itself loads when a connection is first opened."""

from __future__ import annotations

REASON_TIMEOUT = "device_timeout"
REASON_DISCONNECTED = "disconnected"
REASON_PROTOCOL = "protocol_error"
REASON_SHORT_READ = "short_read"

EXCEPTION_NAMES = {
    1: "illegal function",
    2: "illegal data address",
    3: "illegal data value",
    4: "device failure",
    5: "acknowledge",
    6: "device busy",
    8: "memory parity error",
    10: "gateway path unavailable",
    11: "gateway target failed to respond",
}


def exception_reason(code: int) -> str:
    return f"modbus_exception_{code}"


class ModbusRequestError(Exception):
    """A one-shot request failed; `reason` is one of the driver's reasons (device_timeout, ...)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
