"""Benchmark: Modbus polling throughput and latency, the driver against bare pymodbus clients.

Setup (all on loopback): one server process runs 20 pymodbus TCP servers (20 devices, one asyncio
loop, each on its own port) holding 50 holding registers each: 10 float32 (cdab) and 30 int16/uint16
values. The client side runs in this process:

- project: `ModbusDriver` with 40 sensors per device (800 in all), every sensor's interval at 0.1 ms so
  each device is polled back to back: one 50-register block read, decoded to 40 scaled samples,
  delivered to a counting sink. Poll latency is the driver's own per-poll measurement
  (`diagnostics().recent_latency_ms`).
- baseline: 20 threads, each with a bare `ModbusTcpClient` doing the same read
  (`read_holding_registers(0, count=50)`) in a loop, timed around the call.

Both run for the same time, alternating (baseline, project, baseline, project, ...) so machine noise
hits both. Prints progress to stderr and, as its last line, one JSON object:
{"figure": "modbus_poll", "value": polls/s, "unit": "polls/s", "p99_ms": ..., "baseline": polls/s,
 "ratio": value/baseline, "goal": ...}.

    .venv/bin/python benchmarks/modbus_poll.py [--quick] [--devices 20] [--seconds 10] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Literal

DEVICES = 20
REGISTERS = 50
FLOATS = 10  # float32 at 0, 2, ..., 18; then int16/uint16 at 20..49
GOAL_RATIO = 0.5
PACED_INTERVAL = 0.1  # the paced run: every device at 10 Hz, latency without saturation


# -- the server process -------------------------------------------------------------------------------------


def layout() -> list[tuple[int, str, str, float]]:
    """(address, type, order, value) of the 40 values in a device's 50 registers."""
    out = [(2 * i, "float32", "cdab", 20.0 + i * 0.25) for i in range(FLOATS)]
    out += [
        (a, "int16" if a % 2 else "uint16", "abcd", float(a * 7 - (200 if a % 2 else 0)))
        for a in range(2 * FLOATS, REGISTERS)
    ]
    return out


def serve(devices: int) -> None:
    """Run `devices` Modbus TCP servers on free ports in one loop; print the ports, serve until stdin closes."""
    from pymodbus.datastore import ModbusDeviceContext, ModbusSequentialDataBlock, ModbusServerContext
    from pymodbus.server import ModbusTcpServer

    from hmi.core.registers import encode_value

    async def main() -> None:
        servers = []
        for _ in range(devices):
            regs = [0] * REGISTERS
            for address, dtype, order, value in layout():
                enc = encode_value(value, dtype, order)
                regs[address : address + len(enc)] = enc
            # Blocks start at 1: the device context adds 1 to protocol addresses.
            ctx = ModbusServerContext(devices=ModbusDeviceContext(hr=ModbusSequentialDataBlock(1, regs)), single=True)
            server = ModbusTcpServer(ctx, address=("127.0.0.1", 0))
            await server.serve_forever(background=True)
            servers.append(server)
        ports = [s.transport.sockets[0].getsockname()[1] for s in servers]  # type: ignore[attr-defined]
        print(json.dumps(ports), flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes our stdin
        for s in servers:
            await s.shutdown()

    asyncio.run(main())


def start_servers(devices: int) -> tuple[subprocess.Popen[str], list[int]]:
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--serve", "--devices", str(devices)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        raise RuntimeError("server process did not start")
    return proc, [int(p) for p in json.loads(line)]


def stop_servers(proc: subprocess.Popen[str]) -> None:
    try:
        if proc.stdin is not None:
            proc.stdin.close()
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


# -- measurements ------------------------------------------------------------------------------------------


def p99(values: list[float]) -> float:
    if not values:
        return float("nan")
    if len(values) < 100:
        return max(values)
    return statistics.quantiles(values, n=100)[98]


def run_baseline(ports: list[int], seconds: float, decode: bool = False) -> tuple[int, list[float]]:
    """Bare pymodbus: one thread and client per device reading the 50 registers in a loop.

    With `decode`, each read's 40 values are also converted with pymodbus' own
    `convert_from_registers` and scaled (the same work as the driver, minus samples and bookkeeping).
    """
    from pymodbus.client import ModbusTcpClient

    dt = ModbusTcpClient.DATATYPE
    types = {"float32": dt.FLOAT32, "int16": dt.INT16, "uint16": dt.UINT16}
    little: Literal["little"] = "little"
    big: Literal["big"] = "big"
    plan = [(a, types[t].value[1], types[t], little if o == "cdab" else big) for a, t, o, _ in layout()]

    stop = threading.Event()
    start = threading.Barrier(len(ports) + 1)
    counts = [0] * len(ports)
    latencies: list[list[float]] = [[] for _ in ports]

    def worker(i: int, port: int) -> None:
        client = ModbusTcpClient("127.0.0.1", port=port, timeout=0.5, retries=1)
        client.connect()
        lat = latencies[i]
        try:
            start.wait()
            while not stop.is_set():
                t0 = time.perf_counter()
                rr = client.read_holding_registers(0, count=REGISTERS, device_id=1)
                lat.append((time.perf_counter() - t0) * 1000.0)
                if rr.isError() or len(rr.registers) != REGISTERS:
                    raise RuntimeError(f"baseline read failed: {rr}")
                if decode:
                    regs = rr.registers
                    _ = [
                        client.convert_from_registers(regs[a : a + n], t, word_order=o) * 0.1  # type: ignore[operator]
                        for a, n, t, o in plan
                    ]
                    lat[-1] = (time.perf_counter() - t0) * 1000.0
                counts[i] += 1
        finally:
            client.close()

    threads = [threading.Thread(target=worker, args=(i, p), daemon=True) for i, p in enumerate(ports)]
    for t in threads:
        t.start()
    start.wait()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(10)
    return sum(counts), [x for lat in latencies for x in lat]


def run_project(ports: list[int], seconds: float, interval: float = 0.0001) -> tuple[int, list[float], int]:
    """The driver: 40 sensors per device, polled every `interval` s (default: back to back).

    Returns (polls, per-poll latencies in ms, samples delivered) for the timed window.
    """
    from hmi.core.domain import Quality, Sensor, SensorType
    from hmi.core.sources import parse_source
    from hmi.drivers.base import DriverContext, Sample
    from hmi.drivers.modbus import create_modbus_driver

    received = [0]
    bad: list[Sample] = []
    lock = threading.Lock()

    def on_samples(batch: list[Sample]) -> None:
        with lock:
            received[0] += len(batch)
            if batch[0].quality is not Quality.GOOD:
                bad.append(batch[0])

    ctx = DriverContext(on_samples, lambda *a: None, lambda *a: None, {"interval": interval, "timeout": 0.5})
    driver = create_modbus_driver(ctx)
    n = 0
    for d, port in enumerate(ports):
        for address, dtype, order, _ in layout():
            eui = f"B0{d:06X}{address:08X}"
            url = f"modbus://127.0.0.1:{port}/hr/{address}?type={dtype}&order={order}&scale=0.1"
            driver.add(Sensor("bench", eui, SensorType.FLOW, eui), parse_source(url))
            n += 1
    latencies: list[float] = []
    seen: dict[str, int] = {}

    def harvest() -> int:
        """Collect the per-poll latencies recorded since the last call; returns total polls."""
        total = 0
        for key, diag in driver.diagnostics().items():
            new = diag.polls - seen.get(key, 0)
            seen[key] = diag.polls
            total += diag.polls
            if new > 0:
                latencies.extend(list(diag.recent_latency_ms)[-new:])
        return total

    driver.start()
    try:
        # Warm up (connections, first polls) outside the timed window, as the baseline's connect is.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(d.polls == 0 for d in driver.diagnostics().values()):
            time.sleep(0.01)
        polls0 = harvest()
        latencies.clear()
        samples0 = received[0]
        t_end = time.monotonic() + seconds
        while time.monotonic() < t_end:
            time.sleep(0.02)  # well below 256 polls per device between harvests
            polls = harvest()
        polls = harvest()
        samples = received[0] - samples0
    finally:
        driver.stop()
    if bad:
        raise RuntimeError(f"driver reported bad samples: {bad[:3]}")
    assert samples >= (polls - polls0) * (n // len(ports)) * 0.9, "samples missing"
    return polls - polls0, latencies, samples


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a run under a minute")
    ap.add_argument("--devices", type=int, default=DEVICES)
    ap.add_argument("--seconds", type=float, default=None, help="per measurement (default 10, quick 3)")
    ap.add_argument("--rounds", type=int, default=None, help="alternating rounds (default 3, quick 2)")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.devices)
        return 0
    seconds = args.seconds or (3.0 if args.quick else 10.0)
    rounds = args.rounds or (2 if args.quick else 3)

    proc, ports = start_servers(args.devices)
    base_polls = proj_polls = proj_samples = dec_polls = 0
    base_lat: list[float] = []
    proj_lat: list[float] = []
    dec_lat: list[float] = []
    try:
        for r in range(rounds):
            polls, lat = run_baseline(ports, seconds)
            base_polls += polls
            base_lat += lat
            print(f"round {r + 1} baseline: {polls / seconds:8.0f} polls/s  p99 {p99(lat):6.2f} ms", file=sys.stderr)
            polls, lat = run_baseline(ports, seconds, decode=True)
            dec_polls += polls
            dec_lat += lat
            print(
                f"round {r + 1} baseline+decode: {polls / seconds:8.0f} polls/s  p99 {p99(lat):6.2f} ms",
                file=sys.stderr,
            )
            polls, lat, samples = run_project(ports, seconds)
            proj_polls += polls
            proj_lat += lat
            proj_samples += samples
            print(
                f"round {r + 1} project:  {polls / seconds:8.0f} polls/s  p99 {p99(lat):6.2f} ms  "
                f"({samples / seconds:.0f} samples/s)",
                file=sys.stderr,
            )
        polls, paced_lat, _ = run_project(ports, seconds, interval=PACED_INTERVAL)
        print(
            f"paced project (each device every {PACED_INTERVAL * 1000:.0f} ms): {polls / seconds:6.0f} polls/s  "
            f"p99 {p99(paced_lat):6.2f} ms",
            file=sys.stderr,
        )
    finally:
        stop_servers(proc)

    total = seconds * rounds
    value = proj_polls / total
    baseline = base_polls / total
    result = {
        "figure": "modbus_poll",
        "value": round(value, 1),
        "unit": "polls/s",
        "p99_ms": round(p99(proj_lat), 3),
        "baseline": round(baseline, 1),
        "baseline_p99_ms": round(p99(base_lat), 3),
        "ratio": round(value / baseline, 3) if baseline else None,
        "baseline_decoded": round(dec_polls / total, 1),
        "baseline_decoded_p99_ms": round(p99(dec_lat), 3),
        "ratio_decoded": round(proj_polls / dec_polls, 3) if dec_polls else None,
        "samples_per_s": round(proj_samples / total, 1),
        "paced_p99_ms": round(p99(paced_lat), 3),
        "paced_polls_per_s": round(len(paced_lat) / seconds, 1),
        "devices": args.devices,
        "registers_per_device": REGISTERS,
        "sensors_per_device": len(layout()),
        "seconds": total,
        "goal": f">= {GOAL_RATIO}",
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
