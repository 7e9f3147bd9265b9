"""Source URLs of sensors (contract in DESIGN.md), parsed into plain specs.

The scheme picks the driver; the rest of the URL says where the value lives. Parsing is pure so a
plant file can be validated before any connection is opened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from hmi.core.errors import ValidationError
from hmi.core.text import Text

MODBUS_TABLES = ("hr", "ir", "coil", "di")
MODBUS_TYPES = {"int16": 1, "uint16": 1, "int32": 2, "uint32": 2, "float32": 2, "float64": 4, "bool": 1}
MODBUS_ORDERS = ("abcd", "cdab", "badc", "dcba")


@dataclass(frozen=True, slots=True)
class MqttSource:
    topic: str
    value_path: str = "value"
    ts_field: str = "ts"

    @property
    def scheme(self) -> str:
        return "mqtt"


@dataclass(frozen=True, slots=True)
class ModbusSource:
    """One value in a Modbus device. `address` is the 0-based protocol address."""

    host: str
    port: int
    table: str
    address: int
    unit: int = 1
    data_type: str = "uint16"
    order: str = "abcd"
    scale: float = 1.0
    offset: float = 0.0
    serial: bool = False
    baud: int = 19200
    parity: str = "E"
    stopbits: int = 1
    readback: str = ""

    @property
    def scheme(self) -> str:
        return "modbus+rtu" if self.serial else "modbus"

    @property
    def count(self) -> int:
        """Registers (or bits) this value occupies."""
        if self.table in ("coil", "di"):
            return 1
        return MODBUS_TYPES[self.data_type]

    @property
    def device_key(self) -> str:
        """One connection per address, shared by every value on it."""
        return f"{self.scheme}://{self.host}:{self.port}" if not self.serial else f"rtu://{self.host}"


@dataclass(frozen=True, slots=True)
class SimSource:
    shape: str
    params: dict[str, float] = field(default_factory=dict)

    @property
    def scheme(self) -> str:
        return "sim"


Source = MqttSource | ModbusSource | SimSource


def _one(query: dict[str, list[str]], key: str, default: str) -> str:
    values = query.get(key)
    return values[-1] if values else default


def parse_source(url: str, *, default_topic: str = "") -> Source:
    """Parse a sensor source URL; raises ValidationError naming the part that is wrong."""
    if not url:
        if not default_topic:
            raise ValidationError("source", Text("empty source URL"))
        return MqttSource(topic=default_topic)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    query = parse_qs(parts.query, keep_blank_values=True)
    if scheme == "mqtt":
        topic = (parts.netloc + parts.path).strip("/") or default_topic
        if not topic:
            raise ValidationError("source", Text("{url!r}: MQTT source has no topic", url=url))
        if any(c in topic for c in "+#"):
            raise ValidationError("source", Text("{url!r}: a sensor topic may not contain wildcards", url=url))
        return MqttSource(
            topic=topic, value_path=_one(query, "path", "value") or "value", ts_field=_one(query, "ts", "ts")
        )
    if scheme in ("modbus", "modbus+tcp", "modbus+rtu"):
        return _parse_modbus(url, parts, query, serial=scheme == "modbus+rtu")
    if scheme == "sim":
        shape = (parts.netloc + parts.path).strip("/") or "auto"
        params: dict[str, float] = {}
        for k, v in query.items():
            try:
                params[k] = float(v[-1])
            except ValueError as exc:
                raise ValidationError("source", Text("{url!r}: sim parameter {name} must be a number", url=url,
                                                          name=k)) from exc
        return SimSource(shape=shape, params=params)
    raise ValidationError("source", Text("{url!r}: unknown source scheme {scheme!r} (mqtt, modbus, modbus+rtu, sim)",
                                          url=url, scheme=scheme))


def _parse_modbus(url: str, parts, query: dict[str, list[str]], *, serial: bool) -> ModbusSource:  # type: ignore[no-untyped-def]
    segs = [s for s in parts.path.split("/") if s]
    if serial:
        # modbus+rtu:///dev/ttyUSB0/hr/10 or modbus+rtu://COM3/hr/10
        if parts.netloc:
            host, rest = parts.netloc, segs
        else:
            if len(segs) < 2:
                raise ValidationError("source", Text("{url!r}: expected modbus+rtu://PORT/TABLE/ADDRESS", url=url))
            host, rest = "/" + "/".join(segs[:-2]), segs[-2:]
        port = 0
    else:
        if not parts.hostname:
            raise ValidationError("source", Text("{url!r}: Modbus source has no host", url=url))
        host = parts.hostname
        try:
            port = parts.port or 502
        except ValueError as exc:
            raise ValidationError("source", Text("{url!r}: bad port", url=url)) from exc
        rest = segs
    if len(rest) != 2:
        raise ValidationError("source", Text("{url!r}: expected .../TABLE/ADDRESS with TABLE one of {tables}", url=url,
                                              tables=MODBUS_TABLES))
    table, addr_text = rest[0].lower(), rest[1]
    if table not in MODBUS_TABLES:
        raise ValidationError("source", Text("{url!r}: register table {table!r} not one of {tables}", url=url,
                                             table=table,
                                              tables=", ".join(MODBUS_TABLES)))
    try:
        address = int(addr_text)
        unit = int(_one(query, "unit", "1"))
        scale = float(_one(query, "scale", "1"))
        offset = float(_one(query, "offset", "0"))
        baud = int(_one(query, "baud", "19200"))
        stopbits = int(_one(query, "stopbits", "1"))
    except ValueError as exc:
        raise ValidationError("source", Text("{url!r}: address, unit, scale, offset must be numbers", url=url)) from exc
    if not 0 <= address <= 65535:
        raise ValidationError("source", Text("{url!r}: address {address} outside 0..65535", url=url, address=address))
    if not 0 <= unit <= 247:
        raise ValidationError("source", Text("{url!r}: unit {unit} outside 0..247", url=url, unit=unit))
    default_type = "bool" if table in ("coil", "di") else "uint16"
    data_type = _one(query, "type", default_type).lower()
    if data_type not in MODBUS_TYPES:
        raise ValidationError("source", Text("{url!r}: type {type!r} not one of {types}", url=url, type=data_type,
                                              types=", ".join(MODBUS_TYPES)))
    if table in ("coil", "di") and data_type != "bool":
        raise ValidationError("source", Text("{url!r}: coils and discrete inputs are bool", url=url))
    order = _one(query, "order", "abcd").lower()
    if order not in MODBUS_ORDERS:
        raise ValidationError("source", Text("{url!r}: order {order!r} not one of {orders}", url=url, order=order,
                                              orders=", ".join(MODBUS_ORDERS)))
    parity = _one(query, "parity", "E").upper()
    if parity not in ("N", "E", "O"):
        raise ValidationError("source", Text("{url!r}: parity must be N, E or O", url=url))
    return ModbusSource(
        host=host,
        port=port,
        table=table,
        address=address,
        unit=unit,
        data_type=data_type,
        order=order,
        scale=scale,
        offset=offset,
        serial=serial,
        baud=baud,
        parity=parity,
        stopbits=stopbits,
        readback=_one(query, "readback", ""),
    )
