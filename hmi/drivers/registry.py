"""One registry of drivers by source-URL scheme: built-ins registered explicitly, third-party ones
through the entry-point group `millwatch.drivers` (each entry point names a DriverFactory)."""

from __future__ import annotations

import logging

from hmi.drivers.base import DriverFactory

log = logging.getLogger(__name__)
ENTRY_POINT_GROUP = "millwatch.drivers"


class DriverRegistry:
    def __init__(self) -> None:
        self._factories: dict[str, DriverFactory] = {}

    def register(self, scheme: str, factory: DriverFactory) -> None:
        if scheme in self._factories:
            raise ValueError(f"driver for scheme {scheme!r} already registered")
        self._factories[scheme] = factory

    def factory(self, scheme: str) -> DriverFactory:
        try:
            return self._factories[scheme]
        except KeyError:
            raise KeyError(f"no driver for scheme {scheme!r} (have: {', '.join(sorted(self._factories))})") from None

    def schemes(self) -> list[str]:
        return sorted(self._factories)

    def load_entry_points(self) -> list[str]:
        """Register third-party drivers; a broken plugin is logged and skipped, never fatal."""
        from importlib.metadata import entry_points  # tens of ms: only when drivers are being set up

        loaded = []
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if ep.name in self._factories:
                log.warning("driver plugin %s ignored: scheme already registered", ep.name)
                continue
            try:
                self._factories[ep.name] = ep.load()
                loaded.append(ep.name)
            except Exception:
                log.exception("driver plugin %s failed to load", ep.name)
        return loaded
