"""The audit trail: append-only, gap-free sequence numbers, each record hashing the previous one.

Written in the caller's transaction so the change and its audit record commit together.

Sealing. Each record's `hash` covers its fields and the previous record's hash. With a site key in
the keyring (key name ``site:audit``) the seal is an HMAC-SHA256 and is stored as
``hmac:<key id>:<base64url MAC>``, so nobody without the key can recompute a chain after editing
it; without a key it is a plain SHA-256 hex digest (64 characters), as older records are. The form
of each hash says how it was made, so `verify_audit` knows what to recompute; once keyed records
appear, a plain record after them is reported (a keyring that went missing, or a forgery).

Head file. The chain head (seq + hash) is also appended to a file outside the database (default
``<user data dir>/audit-head.log``) after the transaction commits: `audit_transaction` does that for
the records it wrote, `sync_head` records whatever the database holds now. Each line names its
chain (the hash of record 1), so one file can serve several databases. `verify_audit` uses it to
see a cut-off tail and a chain rewritten from some record on.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, cast

from sqlalchemy import Connection, Engine, Table, false, func, select, update

from hmi.storage.database import default_data_dir
from hmi.storage.schema import AuditRow

log = logging.getLogger(__name__)

AUDIT_KEY_NAME: Final = "site:audit"
HEAD_FILE_NAME: Final = "audit-head.log"
HMAC_PREFIX: Final = "hmac:"
_PENDING_KEY: Final = "millwatch.audit.pending_heads"
_PG_LOCK_ID: Final = 0x4D494C4C57415443  # "MILLWATC": serialises appends across workstations on PostgreSQL
_LIMITS: Final = {"username": 64, "host": 200, "action": 64, "mill": 64, "target": 200}


class _UseKeyring:
    """Sentinel: look the audit key up in the keyring (the default)."""

    def __repr__(self) -> str:
        return "USE_KEYRING"


USE_KEYRING: Final = _UseKeyring()
AuditKey = str | None | _UseKeyring


def resolve_audit_key(key: AuditKey = USE_KEYRING) -> str | None:
    """The site audit key: `key` if given (None: no key), else the keyring's ``site:audit``."""
    if isinstance(key, _UseKeyring):
        from hmi.storage.secrets import get_secret

        return get_secret(AUDIT_KEY_NAME) or None
    return key or None


def key_id(key: str) -> str:
    """A short, non-secret identifier of a key, so verify can tell "other key" from "edited"."""
    return hmac.new(key.encode(), b"millwatch audit key id", hashlib.sha256).hexdigest()[:8]


def _body(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)


def record_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """The plain (unkeyed) seal: SHA-256 hex of the previous hash and the record's fields."""
    return hashlib.sha256((prev_hash + _body(fields)).encode()).hexdigest()


def record_digest(prev_hash: str, fields: dict[str, Any], key: str | None) -> str:
    """The seal of a record: HMAC-SHA256 with the site key, or plain SHA-256 without one."""
    if not key:
        return record_hash(prev_hash, fields)
    mac = hmac.new(key.encode(), (prev_hash + _body(fields)).encode(), hashlib.sha256).digest()
    return f"{HMAC_PREFIX}{key_id(key)}:{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


def is_keyed(digest: str) -> bool:
    return digest.startswith(HMAC_PREFIX)


def _utc(ts: datetime) -> datetime:
    """Databases hand back naive (SQLite) or session-zone (PostgreSQL) datetimes: make them UTC."""
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


def _canonical(seq: int, ts: datetime, username: str, host: str, action: str, mill: str, target: str,
               before: str, after: str) -> dict[str, Any]:
    return {
        "seq": seq,
        "ts": _utc(ts).isoformat(),
        "username": username,
        "host": host,
        "action": action,
        "mill": mill,
        "target": target,
        "before": before,
        "after": after,
    }


@dataclass(frozen=True, slots=True)
class AuditHead:
    """The newest record of a chain: its seq and hash, and the chain's id (record 1's hash)."""

    seq: int
    hash: str
    chain: str


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
    ts: datetime | None = None,
    key: AuditKey = USE_KEYRING,
) -> int:
    """Append one record in the caller's transaction; returns its seq.

    `key`: the site audit key (None: unkeyed); by default it is looked up in the keyring.
    Inside `audit_transaction` the new head goes to the head file once the transaction commits.
    """
    t = cast(Table, AuditRow.__table__)
    # Two writers appending at once would both take seq N+1 (and one would fail on the key): make the
    # second wait for the first to commit before it reads the last record.
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(_PG_LOCK_ID)))
    elif conn.dialect.name == "sqlite":
        # A write that changes nothing takes SQLite's write lock now (waiting out busy_timeout), so the
        # read below sees the newest record; SELECTs alone would not even open the transaction.
        conn.execute(update(t).where(false()).values(seq=t.c.seq))
    last = conn.execute(select(t.c.seq, t.c.hash).order_by(t.c.seq.desc()).limit(1)).first()
    seq = (last.seq + 1) if last else 1
    prev = last.hash if last else ""
    values = {
        "username": actor,
        "host": host if host is not None else socket.gethostname(),
        "action": action,
        "mill": mill or "",
        "target": target or "",
    }
    values = {k: str(v)[: _LIMITS[k]] for k, v in values.items()}
    when = _utc(ts or datetime.now(UTC))
    fields = _canonical(
        seq, when, values["username"], values["host"], values["action"], values["mill"], values["target"],
        json.dumps(before or {}, sort_keys=True, default=str),
        json.dumps(after or {}, sort_keys=True, default=str),
    )
    digest = record_digest(prev, fields, resolve_audit_key(key))
    conn.execute(t.insert().values(**{**fields, "ts": when}, prev_hash=prev, hash=digest))
    pending = conn.info.get(_PENDING_KEY)
    if pending is not None:
        pending.append(seq)
    return seq


# -- the head file ---------------------------------------------------------------------------------------------
def default_head_path() -> Path:
    return default_data_dir() / HEAD_FILE_NAME


@dataclass(frozen=True, slots=True)
class HeadEntry:
    chain: str
    seq: int
    hash: str
    written_at: str


class HeadLog:
    """An append-only text file of chain heads: ``v1 <chain> <seq> <hash> <written-at>`` per line."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_head_path()

    def __repr__(self) -> str:
        return f"HeadLog({str(self.path)!r})"

    def append(self, head: AuditHead, *, now: datetime | None = None) -> None:
        """Append and fsync one head. Raises OSError; `record` is the forgiving form."""
        if not head.chain:
            return
        when = _utc(now or datetime.now(UTC)).isoformat()
        line = f"v1 {head.chain} {head.seq} {head.hash} {when}\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+b") as f:
            size = f.seek(0, os.SEEK_END)
            if size:
                f.seek(size - 1)
                if f.read(1) != b"\n":  # a write cut short by a crash: never glue two lines together
                    line = "\n" + line
            f.write(line.encode())
            f.flush()
            os.fsync(f.fileno())

    def record(self, head: AuditHead) -> bool:
        """Append a head after a commit; a failure is logged, never raised (the record is committed)."""
        try:
            self.append(head)
        except OSError as exc:
            log.warning("could not append the audit head (seq %d) to %s: %s", head.seq, self.path, exc.strerror)
            return False
        return True

    def entries(self) -> tuple[list[HeadEntry], int]:
        """The well-formed entries and the number of malformed lines; nothing when there is no file."""
        if not self.path.exists():
            return [], 0
        good: list[HeadEntry] = []
        bad = 0
        for raw in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = raw.split()
            if not parts:
                continue
            if len(parts) == 5 and parts[0] == "v1" and parts[2].isdigit():
                good.append(HeadEntry(parts[1], int(parts[2]), parts[3], parts[4]))
            else:
                bad += 1
        return good, bad


def current_head(conn: Connection) -> AuditHead | None:
    t = AuditRow.__table__
    last = conn.execute(select(t.c.seq, t.c.hash).order_by(t.c.seq.desc()).limit(1)).first()
    if last is None:
        return None
    chain = conn.execute(select(t.c.hash).where(t.c.seq == 1)).scalar_one_or_none() or ""
    return AuditHead(int(last.seq), last.hash, chain)


def sync_head(engine: Engine, head_log: HeadLog) -> AuditHead | None:
    """Append the database's current head to the head file (call at start-up and shut-down, and after
    writes made outside `audit_transaction`). Returns the head, or None for an empty trail."""
    with engine.connect() as conn:
        head = current_head(conn)
    if head is not None:
        head_log.record(head)
    return head


@contextmanager
def audit_transaction(engine: Engine, head_log: HeadLog | None = None) -> Iterator[Connection]:
    """`engine.begin()` that also writes the new chain head to `head_log` once the commit succeeded.

    Nothing reaches the file for a transaction that rolled back, so the file never claims a record
    the database does not hold."""
    pending: list[int] = []
    head: AuditHead | None = None
    with engine.connect() as conn:
        conn.info[_PENDING_KEY] = pending
        try:
            with conn.begin():
                yield conn
                if pending:  # read inside the transaction: savepoints rolled back are not counted
                    head = current_head(conn)
        finally:
            conn.info.pop(_PENDING_KEY, None)
    if head_log is not None and head is not None:
        head_log.record(head)


# -- verification ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""
    head_seq: int | None = None
    keyed: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        """One line for `millwatch audit verify`."""
        if not self.ok:
            return f"audit trail BROKEN at record {self.first_bad_seq}: {self.reason}"
        seal = "HMAC-SHA256 (site key)" if self.keyed else "SHA-256 (no site key)"
        head = f", head file confirms record {self.head_seq}" if self.head_seq else ", no head file entries"
        return f"audit trail OK: {self.checked} records, sealed with {seal}{head}"


def verify_audit(
    engine: Engine, head_file: str | os.PathLike[str] | HeadLog | None = None, *, key: AuditKey = USE_KEYRING
) -> VerifyResult:
    """Check the whole chain and, if there is one, the head file; name the first bad record.

    Detects an edited record (its hash no longer matches), a deleted one (a gap in seq), records
    reordered or swapped (a broken link to the previous hash), a chain recomputed from some record on
    (differs from a head written at commit time) and a cut-off tail (the head file saw a later record).
    `head_file`: a path, a HeadLog, or None for the default file."""
    head_log = head_file if isinstance(head_file, HeadLog) else HeadLog(head_file)
    audit_key = resolve_audit_key(key)
    kid = key_id(audit_key) if audit_key else None
    entries, malformed = head_log.entries()
    notes: list[str] = []
    if malformed:
        notes.append(f"{malformed} unreadable line(s) in {head_log.path}")

    t = AuditRow.__table__
    cols = (t.c.seq, t.c.ts, t.c.username, t.c.host, t.c.action, t.c.mill, t.c.target, t.c.before, t.c.after,
            t.c.prev_hash, t.c.hash)
    expected = 1
    prev_hash = ""
    keyed_from: int | None = None
    heads: dict[int, set[str]] = {}
    head_seq: int | None = None

    def bad(seq: int, reason: str) -> VerifyResult:
        return VerifyResult(False, expected - 1, seq, reason, head_seq, keyed_from is not None, tuple(notes))

    with engine.connect() as conn:
        rows = conn.execution_options(yield_per=2000).execute(select(*cols).order_by(t.c.seq))
        for row in rows:
            if row.seq != expected:
                missing = f"{expected}" if row.seq == expected + 1 else f"{expected}..{row.seq - 1}"
                rows.close()
                return bad(expected, f"record {missing} is missing: deleted from the trail")
            if expected == 1:
                own = [e for e in entries if e.chain == row.hash]
                for e in own:
                    heads.setdefault(e.seq, set()).add(e.hash)
                head_seq = max(heads) if heads else None
                others = len({e.chain for e in entries} - {row.hash})
                if others:
                    notes.append(f"head file also lists {others} other chain(s) (other databases?)")
            seq = row.seq
            if row.prev_hash != prev_hash:
                rows.close()
                return bad(seq, f"record {seq} does not follow record {seq - 1}: the link to the previous record "
                                "is broken (records reordered, inserted or deleted)")
            digest: str = row.hash
            use_key: str | None = None
            if is_keyed(digest):
                rec_kid = digest[len(HMAC_PREFIX):].split(":", 1)[0]
                if audit_key is None:
                    rows.close()
                    return bad(seq, f"record {seq} is sealed with the site audit key ({AUDIT_KEY_NAME!r}) "
                                    "but no key is available to verify it")
                if rec_kid != kid:
                    rows.close()
                    return bad(seq, f"record {seq} was sealed with a different audit key (id {rec_kid}; "
                                    f"the key available has id {kid})")
                use_key = audit_key
                if keyed_from is None:
                    keyed_from = seq
            elif keyed_from is not None:
                rows.close()
                return bad(seq, f"record {seq} has a plain SHA-256 seal after keyed records from {keyed_from}: "
                                "written without the site key, or forged")
            fields = _canonical(seq, row.ts, row.username, row.host, row.action, row.mill, row.target,
                                row.before, row.after)
            if not hmac.compare_digest(record_digest(prev_hash, fields, use_key), digest):
                rows.close()
                return bad(seq, f"record {seq} was altered: its content does not match its seal")
            if seq in heads and heads[seq] != {digest}:
                rows.close()
                return bad(seq, f"record {seq} differs from the head written when it was committed: "
                                f"the trail was rewritten at or before record {seq}")
            prev_hash = digest
            expected += 1
    last = expected - 1
    if head_seq is not None and head_seq > last:
        return VerifyResult(
            False, last, last + 1,
            f"the trail ends at record {last} but the head file recorded record {head_seq}: "
            f"records {last + 1}..{head_seq} were cut off",
            head_seq, keyed_from is not None, tuple(notes),
        )
    if last == 0 and entries:
        notes.append("the trail is empty but the head file lists chains (another database, or a wiped trail)")
    return VerifyResult(True, last, None, "", head_seq, keyed_from is not None, tuple(notes))
