"""The audit trail for people: query with filters, export to CSV, verify the chain.

This is what the audit view and `millwatch audit verify` call. Without an actor (the command line,
which already holds the database) nothing is checked; with a session, reading the trail of one
mill needs `view` on it, reading the whole trail or exporting needs `export` (admins by default),
refusals are audited, and every export is audited.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Engine, Select, select

from hmi.core.permissions import Action, PermissionDenied
from hmi.core.text import Text
from hmi.services.auth import AuthService, Session
from hmi.storage.audit import (
    USE_KEYRING,
    AuditHead,
    AuditKey,
    HeadLog,
    VerifyResult,
    audit_transaction,
    sync_head,
    verify_audit,
)
from hmi.storage.schema import AuditRow

CSV_COLUMNS = ("seq", "ts", "username", "host", "action", "mill", "target", "before", "after", "hash")


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which records: `since` <= ts < `until`, exact user and mill, and an action that is either exact
    ("auth.sign_in") or a prefix ending in "." or "*" ("auth.", "user.*")."""

    since: datetime | None = None
    until: datetime | None = None
    username: str | None = None
    action: str | None = None
    mill: str | None = None
    limit: int | None = None
    newest_first: bool = False


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    ts: datetime
    username: str
    host: str
    action: str
    mill: str
    target: str
    before: dict[str, Any]
    after: dict[str, Any]
    hash: str


def _utc(ts: datetime) -> datetime:
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {"_raw": text}
    return value if isinstance(value, dict) else {"_value": value}


def _statement(f: AuditFilter) -> Select[Any]:
    t = AuditRow.__table__
    stmt = select(t)
    if f.since is not None:
        stmt = stmt.where(t.c.ts >= _utc(f.since))
    if f.until is not None:
        stmt = stmt.where(t.c.ts < _utc(f.until))
    if f.username:
        stmt = stmt.where(t.c.username == f.username)
    if f.mill:
        stmt = stmt.where(t.c.mill == f.mill)
    if f.action:
        if f.action.endswith("*") or f.action.endswith("."):
            prefix = f.action.rstrip("*")
            escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            stmt = stmt.where(t.c.action.like(escaped + "%", escape="\\"))
        else:
            stmt = stmt.where(t.c.action == f.action)
    stmt = stmt.order_by(t.c.seq.desc() if f.newest_first else t.c.seq)
    if f.limit is not None:
        stmt = stmt.limit(f.limit)
    return stmt


def iter_audit(engine: Engine, filters: AuditFilter | None = None) -> Iterator[AuditEntry]:
    """The matching records, streamed (for exports of a large trail)."""
    with engine.connect() as conn:
        for r in conn.execution_options(yield_per=2000).execute(_statement(filters or AuditFilter())):
            yield AuditEntry(r.seq, _utc(r.ts), r.username, r.host, r.action, r.mill, r.target, _json(r.before),
                             _json(r.after), r.hash)


def query_audit(engine: Engine, filters: AuditFilter | None = None) -> list[AuditEntry]:
    return list(iter_audit(engine, filters))


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas: usernames typed at the sign-in screen end up in the trail."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_csv(entries: Iterator[AuditEntry] | list[AuditEntry], out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    n = 0
    for e in entries:
        writer.writerow([
            e.seq, e.ts.isoformat(), _cell(e.username), _cell(e.host), _cell(e.action), _cell(e.mill),
            _cell(e.target), _cell(json.dumps(e.before, sort_keys=True)), _cell(json.dumps(e.after, sort_keys=True)),
            e.hash,
        ])
        n += 1
    return n


def export_audit_csv(engine: Engine, dest: str | os.PathLike[str] | TextIO,
                     filters: AuditFilter | None = None) -> int:
    """Write the matching records as CSV (UTF-8) to a path or an open text file; returns the count."""
    entries = iter_audit(engine, filters)
    if isinstance(dest, (str, os.PathLike)):
        path = Path(dest)
        with open(path, "w", newline="", encoding="utf-8") as f:
            return write_csv(entries, f)
    return write_csv(entries, dest)


def verify(engine: Engine, head_file: str | os.PathLike[str] | HeadLog | None = None, *,
           key: AuditKey = USE_KEYRING) -> VerifyResult:
    """`millwatch audit verify`: exit 0 when `result.ok`, else 1 with `result.summary()` as the reason."""
    return verify_audit(engine, head_file, key=key)


class AuditService:
    """The audit view's service. `auth` supplies the permission checks and the audit of exports."""

    def __init__(self, engine: Engine, *, auth: AuthService | None = None, head_log: HeadLog | None = None,
                 audit_key: AuditKey = USE_KEYRING) -> None:
        self.engine = engine
        self.auth = auth
        self.head_log = head_log if head_log is not None else (auth.head_log if auth else None) or HeadLog()
        self._audit_key = audit_key  # with `auth`, its key: looked up (keyring) when first needed

    def _require(self, actor: Session | None, action: Action, mill: str | None) -> None:
        if actor is None:
            return
        if self.auth is None:
            raise PermissionDenied(Text("no permission service to check the session against"), action=action,
                                   mill=mill)
        self.auth.require(actor, action, mill)

    def query(self, filters: AuditFilter | None = None, *, actor: Session | None = None) -> list[AuditEntry]:
        f = filters or AuditFilter()
        self._require(actor, Action.VIEW if f.mill else Action.EXPORT, f.mill)
        return query_audit(self.engine, f)

    def export_csv(self, dest: str | os.PathLike[str] | TextIO, filters: AuditFilter | None = None, *,
                   actor: Session | None = None) -> int:
        f = filters or AuditFilter()
        self._require(actor, Action.EXPORT, f.mill)
        n = export_audit_csv(self.engine, dest, f)
        if actor is not None and self.auth is not None:
            with audit_transaction(self.engine, self.head_log) as conn:
                self.auth.audit(conn, actor=actor.username, action="audit.export", host=actor.host,
                                mill=f.mill or "", target=str(dest) if isinstance(dest, (str, os.PathLike)) else "",
                                after={"records": n, "filters": _describe(f)})
        return n

    def export_csv_text(self, filters: AuditFilter | None = None, *, actor: Session | None = None) -> str:
        buf = io.StringIO()
        self.export_csv(buf, filters, actor=actor)
        return buf.getvalue()

    def verify(self) -> VerifyResult:
        key = self._audit_key if self.auth is None else self.auth.audit_key()
        return verify_audit(self.engine, self.head_log, key=key)

    def sync_head(self) -> AuditHead | None:
        return sync_head(self.engine, self.head_log)


def _describe(f: AuditFilter) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v)
            for k, v in (("since", f.since), ("until", f.until), ("username", f.username), ("action", f.action),
                         ("mill", f.mill), ("limit", f.limit)) if v is not None}
