"""A Modbus TCP device we control: a real pymodbus 3.11 server on its own thread and asyncio loop.

The simulator serves the plant's Modbus sensors and the mills' e-stop coils through it, and the test
helper (tests/support/modbus_server.py) uses it to stand in for a PLC. Besides plain registers it can
misbehave the ways field devices do: answer some addresses with an exception, answer slowly, or go
silent (keep the connection open and answer nothing), so drivers are tested against the real thing.

Addresses are the 0-based protocol addresses of the source URL contract (`hr/10` is what a client
reads with `read_holding_registers(10)`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Iterable

from pymodbus.constants import ExcCodes
from pymodbus.datastore import ModbusDeviceContext, ModbusSequentialDataBlock, ModbusServerContext
from pymodbus.exceptions import NoSuchIdException
from pymodbus.server import ModbusTcpServer

log = logging.getLogger(__name__)

TABLES = ("hr", "ir", "coil", "di")
_STORE_KEY = {"hr": "h", "ir": "i", "coil": "c", "di": "d"}
_TABLE_OF_KEY = {v: k for k, v in _STORE_KEY.items()}
ADDRESS_SPACE = 65536

# (unit, table, address, values) after a client wrote coils or holding registers; bits as 0/1.
WriteHook = Callable[[int, str, int, list[int]], None]
# (unit, table, address, count) -> seconds to wait before answering a read.
DelayHook = Callable[[int, str, int, int], float]


def _check_table(table: str) -> str:
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r} (one of {', '.join(TABLES)})")
    return table


class SimulatedDevice(ModbusDeviceContext):
    """One unit id's four tables, safe to change from any thread while clients read them.

    A lock makes a multi-register value change atomically, so a client never reads half an old
    float32 and half a new one. Exceptions are set per address (a read touching a marked address
    gets that exception code); a delay hook slows reads.
    """

    def __init__(self, unit: int, *, on_write: WriteHook | None = None, delay: DelayHook | None = None) -> None:
        # Blocks start at 1: ModbusDeviceContext adds 1 to protocol addresses (and pymodbus >= 3.15 requires it).
        super().__init__(
            di=ModbusSequentialDataBlock(1, [False] * ADDRESS_SPACE),
            co=ModbusSequentialDataBlock(1, [False] * ADDRESS_SPACE),
            hr=ModbusSequentialDataBlock(1, [0] * ADDRESS_SPACE),
            ir=ModbusSequentialDataBlock(1, [0] * ADDRESS_SPACE),
        )
        self.unit = unit
        self.on_write = on_write
        self.delay = delay
        self._lock = threading.Lock()
        self._exceptions: dict[str, dict[int, ExcCodes]] = {t: {} for t in TABLES}

    # -- our side (any thread) ----------------------------------------------------------------------

    def set_registers(self, table: str, address: int, registers: Iterable[int]) -> None:
        """Store 16-bit values in `hr` or `ir` starting at `address`."""
        if _check_table(table) not in ("hr", "ir"):
            raise ValueError(f"{table} holds bits: use set_bits")
        regs = [int(r) for r in registers]
        for r in regs:
            if not 0 <= r <= 0xFFFF:
                raise ValueError(f"register value {r} outside 0..65535")
        self._store(table, address, regs)

    def get_registers(self, table: str, address: int, count: int = 1) -> list[int]:
        return [int(v) for v in self._load(table, address, count)]

    def set_bits(self, table: str, address: int, bits: Iterable[bool | int]) -> None:
        """Store bits in `coil` or `di` starting at `address`."""
        if _check_table(table) not in ("coil", "di"):
            raise ValueError(f"{table} holds registers: use set_registers")
        self._store(table, address, [bool(b) for b in bits])

    def get_bits(self, table: str, address: int, count: int = 1) -> list[bool]:
        return [bool(v) for v in self._load(table, address, count)]

    def set_exception(
        self, table: str, address: int, count: int = 1, code: int | None = ExcCodes.DEVICE_FAILURE
    ) -> None:
        """Make reads/writes touching [address, address+count) answer exception `code` (None clears)."""
        marks = self._exceptions[_check_table(table)]
        with self._lock:
            for a in range(address, address + count):
                if code is None:
                    marks.pop(a, None)
                else:
                    marks[a] = ExcCodes(code)

    def clear_exceptions(self) -> None:
        with self._lock:
            for marks in self._exceptions.values():
                marks.clear()

    def _store(self, table: str, address: int, values: list) -> None:  # type: ignore[type-arg]
        if not (0 <= address and address + len(values) <= ADDRESS_SPACE):
            raise ValueError(f"{table} {address}+{len(values)} outside the address space")
        with self._lock:
            super().setValues(self._fc(table), address, values)

    def _load(self, table: str, address: int, count: int) -> list:  # type: ignore[type-arg]
        with self._lock:
            values = super().getValues(self._fc(table), address, count)
        if isinstance(values, ExcCodes):
            raise ValueError(f"{table} {address}+{count} outside the address space")
        return list(values)

    @staticmethod
    def _fc(table: str) -> int:
        """A function code pymodbus maps to the table (read codes; the store is what matters)."""
        return {"coil": 1, "di": 2, "hr": 3, "ir": 4}[table]

    def _exception_for(self, table: str, address: int, count: int) -> ExcCodes | None:
        marks = self._exceptions[table]
        if not marks:
            return None
        for a in range(address, address + count):
            code = marks.get(a)
            if code is not None:
                return code
        return None

    # -- pymodbus side (the server's loop) ------------------------------------------------------------

    async def async_getValues(self, func_code: int, address: int, count: int = 1) -> list[int] | list[bool] | ExcCodes:
        table = _TABLE_OF_KEY.get(self.decode(func_code))
        if table is None:
            return ExcCodes.ILLEGAL_FUNCTION
        if self.delay is not None:
            wait = self.delay(self.unit, table, address, count)
            if wait > 0:
                await asyncio.sleep(wait)
        with self._lock:
            code = self._exception_for(table, address, count)
            if code is not None:
                return code
            return super().getValues(func_code, address, count)

    async def async_setValues(self, func_code: int, address: int, values: list[int] | list[bool]) -> ExcCodes | None:
        table = _TABLE_OF_KEY.get(self.decode(func_code))
        if table is None:
            return ExcCodes.ILLEGAL_FUNCTION
        with self._lock:
            code = self._exception_for(table, address, len(values))
            if code is not None:
                return code
            rc = super().setValues(func_code, address, list(values))
        if rc is None and self.on_write is not None:
            try:
                self.on_write(self.unit, table, address, [int(v) for v in values])
            except Exception:
                log.exception("modbus device %s: write hook failed", self.unit)
        return rc


class _ServerContext(ModbusServerContext):
    """Device contexts by unit id; while `silent`, every request goes unanswered."""

    def __init__(self, devices: dict[int, SimulatedDevice]) -> None:
        super().__init__(devices=devices, single=False)
        self.silent = False

    def __getitem__(self, device_id: int) -> SimulatedDevice:
        if self.silent:
            raise NoSuchIdException("silent")
        return super().__getitem__(device_id)  # type: ignore[no-any-return]


class ModbusDeviceServer:
    """A Modbus TCP server for a set of unit ids, running on a thread with its own asyncio loop.

    `port=0` picks a free port (read `.port` after start()). Devices and their contents survive
    stop()/start(), so a test can take the device away and bring the same one back.
    """

    def __init__(
        self,
        units: Iterable[int] = (1,),
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        on_write: WriteHook | None = None,
        delay: DelayHook | None = None,
    ) -> None:
        self.host = host
        self._requested_port = port
        self._port = port
        self.devices: dict[int, SimulatedDevice] = {
            u: SimulatedDevice(u, on_write=on_write, delay=delay) for u in sorted(set(units))
        }
        self._context = _ServerContext(self.devices)
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._server: ModbusTcpServer | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"modbus://{self.host}:{self._port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def device(self, unit: int) -> SimulatedDevice:
        return self.devices[unit]

    @property
    def silent(self) -> bool:
        return self._context.silent

    @silent.setter
    def silent(self, value: bool) -> None:
        """Keep connections open but answer nothing (a hung device: clients see timeouts)."""
        self._context.silent = bool(value)
        if self._server is not None:
            # pymodbus answers an unknown unit with an exception unless told to ignore missing devices.
            self._server.ignore_missing_devices = bool(value)

    def start(self, timeout: float = 5.0) -> None:
        """Listen; returns once the port accepts connections, raises OSError when it cannot bind."""
        if self.running:
            return
        self._ready.clear()
        self._error = None
        self._thread = threading.Thread(target=self._run, name=f"modbus-device-{self._requested_port}", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            self.stop()
            raise TimeoutError(f"Modbus server on {self.host}:{self._requested_port} did not start in {timeout}s")
        if self._error is not None:
            err = self._error
            self._thread.join(timeout)
            self._thread = None
            raise OSError(f"Modbus server cannot listen on {self.host}:{self._requested_port}: {err}") from err

    def stop(self, timeout: float = 5.0) -> None:
        """Close the listener and every connection; joins the thread."""
        thread, loop, stopping = self._thread, self._loop, self._stopping
        if thread is None:
            return
        if loop is not None and stopping is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # loop already finished
                loop.call_soon_threadsafe(stopping.set)
        thread.join(timeout)
        self._thread = None

    def __enter__(self) -> ModbusDeviceServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the server thread ----------------------------------------------------------------------------

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # noqa: BLE001 - reported to start(), which raises it in the caller
            self._error = exc
        finally:
            self._ready.set()
            try:
                pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
                for t in pending:
                    t.cancel()
                if pending:
                    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
                loop.run_until_complete(loop.shutdown_asyncgens())
            finally:
                loop.close()
                self._loop = None

    async def _serve(self) -> None:
        self._stopping = asyncio.Event()
        server = ModbusTcpServer(self._context, address=(self.host, self._requested_port))
        server.ignore_missing_devices = self._context.silent
        await server.serve_forever(background=True)
        self._server = server
        sockets = getattr(server.transport, "sockets", None)
        if sockets:
            # Keep the port across stop()/start(): the device comes back where clients expect it.
            self._port = self._requested_port = int(sockets[0].getsockname()[1])
        log.info("Modbus device server listening on %s:%s units %s", self.host, self._port, list(self.devices))
        self._ready.set()
        try:
            await self._stopping.wait()
        finally:
            listener = server.transport
            await server.shutdown()
            await asyncio.sleep(0)  # a connection accepted while the listener closed arrives now ...
            for conn in list(getattr(server, "active_connections", {}).values()):
                with contextlib.suppress(Exception):  # ... and is closed too, not left to the GC
                    conn.close()
            if listener is not None and hasattr(listener, "wait_closed"):
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(listener.wait_closed(), 1.0)
            self._server = None
