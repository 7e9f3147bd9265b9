"""Mill status and production reports from the broker, validated and stored.

Runs on the ingest thread (never on paho's), so a slow database cannot stall the network loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from hmi.core.domain import MillStatus
from hmi.services.counters import IngestCounters
from hmi.storage.mill_repo import set_mill_status, upsert_production

log = logging.getLogger(__name__)


class MillEventStore:
    def __init__(
        self,
        engine: Engine,
        counters: IngestCounters,
        on_status: Callable[[str, MillStatus], None] | None = None,
    ) -> None:
        self._engine = engine
        self._counters = counters
        self._on_status = on_status

    def handle(self, kind: str, mill: str, doc: dict[str, object]) -> None:
        try:
            if kind == "status":
                self._status(mill, doc)
            elif kind == "production":
                self._production(mill, doc)
        except SQLAlchemyError as exc:
            self._counters.add_rejected("db_unavailable_event")
            log.warning("mill %s: %s report not stored: database unavailable (%s)", mill, kind, type(exc).__name__)

    def _status(self, mill: str, doc: dict[str, object]) -> None:
        try:
            status = MillStatus(str(doc.get("status", "")))
        except ValueError:
            self._counters.add_rejected("bad_status")
            log.warning("mill %s: unknown status %r", mill, doc.get("status"))
            return
        if self._on_status is not None:
            self._on_status(mill, status)  # alarms first: an error status must alarm even if the DB is down
        previous = set_mill_status(self._engine, mill, status.value)
        if previous is not None and previous != status.value:
            log.info("mill %s: status %s -> %s", mill, previous, status.value)

    def _production(self, mill: str, doc: dict[str, object]) -> None:
        actual = doc.get("actual")
        try:
            day = date.fromisoformat(str(doc.get("date")))
        except ValueError:
            self._counters.add_rejected("bad_production")
            return
        if isinstance(actual, bool) or not isinstance(actual, (int, float)) or not 0 <= actual < 1e7:
            self._counters.add_rejected("bad_production")
            return
        upsert_production(self._engine, mill, day, float(actual))
