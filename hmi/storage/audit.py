"""The audit trail: append-only, gap-free sequence numbers, each record hashing the previous one.

Written in the caller's transaction so the change and its audit record commit together.
"""

from __future__ import annotations

import hashlib
import json
import socket
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from hmi.storage.schema import AuditRow


def record_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    body = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def append_audit(
    conn: Connection,
    *,
    actor: str,
    action: str,
    mill: str = "",
    target: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    host: str | None = None,
) -> int:
    t = AuditRow.__table__
    last = conn.execute(select(t.c.seq, t.c.hash).order_by(t.c.seq.desc()).limit(1)).first()
    seq = (last.seq + 1) if last else 1
    prev = last.hash if last else ""
    fields = {
        "seq": seq,
        "ts": datetime.now(UTC).isoformat(),
        "username": actor,
        "host": host if host is not None else socket.gethostname(),
        "action": action,
        "mill": mill,
        "target": target,
        "before": json.dumps(before or {}, sort_keys=True, default=str),
        "after": json.dumps(after or {}, sort_keys=True, default=str),
    }
    digest = record_hash(prev, fields)
    conn.execute(
        t.insert().values(
            **{**fields, "ts": datetime.fromisoformat(fields["ts"])}, prev_hash=prev, hash=digest
        )
    )
    return seq
