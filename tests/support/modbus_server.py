"""A real Modbus TCP device for driver tests: a pymodbus server on a free loopback port.

Wraps hmi.services.modbus_device.ModbusDeviceServer (the simulator's own server) with the conveniences
tests want: typed values (`set_value(..., "float32", "cdab")`), exception responses, slow answers,
going silent (connection open, no answers) and going away (port closed) and coming back on the same port.

    with ModbusTestServer(units=(1, 2)) as dev:
        dev.set_value(1, "hr", 0, 21.5, "float32")
        client = ModbusTcpClient(dev.host, port=dev.port)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pymodbus.constants import ExcCodes

from hmi.core.registers import decode_registers, encode_value, register_count
from hmi.services.modbus_device import ModbusDeviceServer, SimulatedDevice

# {unit: {table: {address: value or [registers/bits]}}}: plain ints/bools are single registers/bits.
Contents = Mapping[int, Mapping[str, Mapping[int, int | bool | list[int] | list[bool]]]]


class ModbusTestServer:
    def __init__(self, contents: Contents | None = None, *, units: Iterable[int] = (), port: int = 0) -> None:
        all_units = set(units) | set(contents or {}) or {1}
        self._delay = 0.0
        self.writes: list[tuple[int, str, int, list[int]]] = []
        self.server = ModbusDeviceServer(
            all_units, port=port, on_write=self._record_write, delay=lambda *_: self._delay
        )
        for unit, tables in (contents or {}).items():
            for table, cells in tables.items():
                for address, value in cells.items():
                    values = value if isinstance(value, list) else [value]
                    if table in ("coil", "di"):
                        self.server.device(unit).set_bits(table, address, [bool(v) for v in values])
                    else:
                        self.server.device(unit).set_registers(table, address, [int(v) for v in values])

    # -- lifecycle ------------------------------------------------------------------------------------

    @property
    def host(self) -> str:
        return self.server.host

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> ModbusTestServer:
        self.server.start()
        return self

    def stop(self) -> None:
        """The device goes away: port closed, connections dropped (contents kept for restart)."""
        self.server.stop()

    def restart(self) -> None:
        self.server.stop()
        self.server.start()

    def __enter__(self) -> ModbusTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- contents -------------------------------------------------------------------------------------

    def device(self, unit: int = 1) -> SimulatedDevice:
        return self.server.device(unit)

    def set_value(
        self, unit: int, table: str, address: int, value: float, data_type: str = "uint16", order: str = "abcd"
    ) -> list[int]:
        """Store `value` encoded as `data_type`/`order` (the source URL's terms); returns the registers."""
        if table in ("coil", "di"):
            self.device(unit).set_bits(table, address, [bool(value)])
            return [1 if value else 0]
        regs = encode_value(value, data_type, order)
        self.device(unit).set_registers(table, address, regs)
        return regs

    def get_value(self, unit: int, table: str, address: int, data_type: str = "uint16", order: str = "abcd") -> float:
        if table in ("coil", "di"):
            return 1.0 if self.device(unit).get_bits(table, address)[0] else 0.0
        regs = self.device(unit).get_registers(table, address, register_count(data_type))
        return decode_registers(regs, data_type, order)

    # -- misbehaviour ---------------------------------------------------------------------------------

    def fail(
        self, unit: int, table: str, address: int, count: int = 1, code: int | None = ExcCodes.ILLEGAL_ADDRESS
    ) -> None:
        """Answer requests touching these addresses with exception `code` (None: answer normally again)."""
        self.device(unit).set_exception(table, address, count, code)

    def slow(self, seconds: float) -> None:
        """Answer every read after `seconds` (0: at once again)."""
        self._delay = seconds

    @property
    def silent(self) -> bool:
        return self.server.silent

    @silent.setter
    def silent(self, value: bool) -> None:
        """Keep the connection open but answer nothing (a hung device)."""
        self.server.silent = value

    def _record_write(self, unit: int, table: str, address: int, values: list[int]) -> None:
        self.writes.append((unit, table, address, values))
