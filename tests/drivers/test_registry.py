"""Drivers by URL scheme: built-ins registered explicitly, third-party ones from the entry-point group
`millwatch.drivers` (a real installed distribution on sys.path, found by importlib.metadata)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from hmi.drivers.registry import DriverRegistry
from hmi.runtime import default_registry


def test_builtins() -> None:
    assert {"mqtt", "modbus", "modbus+rtu", "sim"} <= set(default_registry().schemes())


def test_duplicate_and_unknown() -> None:
    reg = DriverRegistry()
    reg.register("x", lambda ctx: None)  # type: ignore[arg-type, return-value]
    with pytest.raises(ValueError):
        reg.register("x", lambda ctx: None)  # type: ignore[arg-type, return-value]
    with pytest.raises(KeyError, match="no driver for scheme 'y'"):
        reg.factory("y")


def test_third_party_plugin_is_loaded_and_a_broken_one_is_skipped(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "mw_opcua_plugin.py").write_text("def create(ctx):\n    return ('opcua driver', ctx)\n")
    dist = tmp_path / "mw_opcua_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: mw-opcua-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[millwatch.drivers]\nopcua = mw_opcua_plugin:create\nbroken = mw_missing_module:create\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    reg = DriverRegistry()
    loaded = reg.load_entry_points()
    assert loaded == ["opcua"]
    assert reg.factory("opcua")("ctx") == ("opcua driver", "ctx")  # type: ignore[arg-type]
    assert "mw_missing_module" not in sys.modules
