"""Run every benchmark (benchmarks/*.py but this file and the _private helpers), collect the JSON
object each prints as its last line, write benchmarks/results.md as a table and print it.

A benchmark that exits non-zero, times out or prints no JSON last line gets a row saying so, and
makes this script exit 1. Sub-figures that a benchmark lists under "figures" (e.g. ingest's QoS 0
and batched figures) get rows of their own.

    .venv/bin/python benchmarks/run_all.py [--quick] [--timeout SECONDS] [--only NAME,...] [--out FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
COLUMNS = ("figure", "value", "unit", "baseline", "ratio", "goal")


def scripts(only: set[str]) -> list[Path]:
    out = []
    for p in sorted(HERE.glob("*.py")):
        if p.name.startswith("_") or p.name == Path(__file__).name:
            continue
        if only and p.stem not in only:
            continue
        out.append(p)
    return out


def last_json(stdout: str) -> dict[str, Any] | None:
    lines = [x for x in stdout.strip().splitlines() if x.strip()]
    if not lines:
        return None
    try:
        obj = json.loads(lines[-1])
    except json.JSONDecodeError:
        return None
    return obj if isinstance(obj, dict) else None


def run_one(path: Path, quick: bool, timeout: float) -> tuple[list[dict[str, Any]], str, float]:
    """Returns (rows for the table, status, seconds)."""
    cmd = [sys.executable, str(path)] + (["--quick"] if quick else [])
    t0 = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=HERE.parent)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        sys.stdout.write(out)
        return [{"figure": path.stem, "value": "timeout"}], f"timed out after {timeout:.0f} s", timeout
    secs = time.monotonic() - t0
    sys.stdout.write(proc.stdout)
    if proc.returncode != 0 and proc.stderr:
        sys.stdout.write("\n".join(proc.stderr.strip().splitlines()[-15:]) + "\n")
    obj = last_json(proc.stdout)
    if obj is None:
        return [{"figure": path.stem, "value": "no JSON"}], f"exit {proc.returncode}, no JSON last line", secs
    rows: list[dict[str, Any]] = []
    subs = obj.get("figures")
    if isinstance(subs, list) and subs:
        rows = [s for s in subs if isinstance(s, dict)]
        if not any(r.get("figure") == obj.get("figure") for r in rows):
            rows.insert(0, obj)
    else:
        rows = [obj]
    status = "ok" if proc.returncode == 0 else f"exit {proc.returncode}"
    return rows, status, secs


def fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if v != 0 and abs(v) < 0.01:
            return f"{v:.2g}"
        return f"{v:,.3f}".rstrip("0").rstrip(".") if abs(v) < 100 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v).replace("|", "\\|")


def table(rows: list[tuple[str, dict[str, Any], str, float]], quick: bool) -> str:
    head = [
        "# Benchmark results",
        "",
        f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {'--quick' if quick else 'full'} mode, "
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{platform.platform(terse=True)}. Machines here are noisy: the ratios are the figures that count.",
        "",
        "| script | " + " | ".join(COLUMNS) + " | status | s |",
        "|" + "---|" * (len(COLUMNS) + 3),
    ]
    body = [
        f"| {script} | " + " | ".join(fmt(r.get(c)) for c in COLUMNS) + f" | {status} | {secs:.0f} |"
        for script, r, status, secs in rows
    ]
    return "\n".join(head + body) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="pass --quick to every benchmark")
    ap.add_argument("--timeout", type=float, default=None, help="per benchmark (default 120 quick, 1800 full)")
    ap.add_argument("--only", default="", help="comma list of benchmark names (e.g. ingest,gui_signals)")
    ap.add_argument("--out", type=Path, default=HERE / "results.md")
    args = ap.parse_args()
    timeout = args.timeout or (120.0 if args.quick else 1800.0)
    only = set(filter(None, args.only.split(",")))

    collected: list[tuple[str, dict[str, Any], str, float]] = []
    failed = 0
    for path in scripts(only):
        print(f"=== {path.name}{' --quick' if args.quick else ''}", flush=True)
        rows, status, secs = run_one(path, args.quick, timeout)
        if status != "ok":
            failed += 1
            print(f"!!! {path.name}: {status}", flush=True)
        for r in rows:
            collected.append((path.stem, r, status, secs))
        print(flush=True)
    text = table(collected, args.quick)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
