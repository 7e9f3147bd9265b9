"""Data retention as a site setting: how long raw readings and each rollup are kept.

Stored in the shared database (`site_settings`, key "retention") so every workstation shows the same
figures and the ingesting instance (collector or single workstation) applies them: its rollup job
reads them on every pruning pass. Changing them needs CHANGE_SETTINGS (admins) and is audited with
the figures before and after. Raw rows are only deleted once rolled up, whatever the figures say
(hmi/storage/rollups.py Retention)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from hmi.core.errors import ValidationError
from hmi.core.permissions import Action
from hmi.core.text import Text
from hmi.services.auth import AuthService, Session
from hmi.storage.audit import audit_transaction
from hmi.storage.rollups import Retention
from hmi.storage.site_settings import read_setting, write_setting

log = logging.getLogger(__name__)
KEY = "retention"
FIELDS = ("raw_days", "minute_days", "hour_days")
LABEL = {"raw_days": Text("raw readings"), "minute_days": Text("per-minute rollups"),
         "hour_days": Text("per-hour rollups")}
MAX_DAYS = 36_600.0  # a century: beyond that, "forever" says it better


def retention_from_doc(doc: dict[str, Any] | None) -> Retention:
    """The stored document as a Retention; the defaults for a missing one or missing fields."""
    if not doc:
        return Retention()
    default = Retention()
    values = {f: doc.get(f, getattr(default, f)) for f in FIELDS}
    return Retention(**{f: (None if v is None else float(v)) for f, v in values.items()})


def validate_retention(raw_days: float | None, minute_days: float | None, hour_days: float | None) -> Retention:
    """A Retention from a form; ValidationError naming the field. Rollups are kept at least as long as
    what they summarise (minutes >= raw, hours >= minutes), else zooming out would show a hole."""
    values = {"raw_days": raw_days, "minute_days": minute_days, "hour_days": hour_days}
    for name, v in values.items():
        if v is not None and not 1 <= v <= MAX_DAYS:
            raise ValidationError(name, Text("{what}: keep them from 1 to {max:g} days, or forever", what=LABEL[name],
                                              max=MAX_DAYS))

    def longer(a: float | None, b: float | None) -> bool:  # a keeps at least as long as b
        return a is None or (b is not None and a >= b)

    if not longer(minute_days, raw_days):
        raise ValidationError("minute_days", Text("per-minute rollups must be kept at least as long as raw readings"))
    if not longer(hour_days, minute_days):
        raise ValidationError("hour_days", Text("per-hour rollups must be kept at least as long as per-minute rollups"))
    return Retention(**values)


class RetentionSettings:
    """Read and change the site's retention (see the module docstring)."""

    def __init__(self, engine: Engine, auth: AuthService | None = None) -> None:
        self.engine = engine
        self.auth = auth
        self._last = Retention()

    def load(self) -> Retention:
        """The stored retention (the last one read when the database does not answer)."""
        try:
            self._last = retention_from_doc(read_setting(self.engine, KEY))
        except SQLAlchemyError as exc:
            log.warning("retention settings not read (%s): keeping %s", type(exc).__name__, self._last)
        return self._last

    def save(self, session: Session, retention: Retention) -> Retention:
        """Store `retention` for the whole site; PermissionDenied for anyone without CHANGE_SETTINGS."""
        if self.auth is None:
            raise RuntimeError("RetentionSettings needs the auth service to save")
        retention = validate_retention(retention.raw_days, retention.minute_days, retention.hour_days)
        self.auth.require(session, Action.CHANGE_SETTINGS)
        after = {f: getattr(retention, f) for f in FIELDS}
        with audit_transaction(self.engine, self.auth.head_log) as conn:
            before = write_setting(conn, KEY, after, user=session.username, at=self.auth.clock.now())
            self.auth.audit(conn, actor=session.username, action="settings.retention", target=KEY, host=session.host,
                            before=before or {f: getattr(Retention(), f) for f in FIELDS}, after=after)
        self._last = retention
        return retention
