"""The audit chain on SQLite and PostgreSQL: tampering with raw SQL is caught and named; the head file
outside the database; the HMAC-keyed chain; the audit service's queries and CSV export."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from sqlalchemy import Engine, select, text, update

from hmi.core.clock import FakeClock
from hmi.core.domain import Role
from hmi.core.permissions import PermissionDenied
from hmi.services.audit_service import AuditFilter, AuditService, export_audit_csv, query_audit, verify
from hmi.services.auth import AuthService
from hmi.services.plant_io import import_plant
from hmi.services.users import add_user
from hmi.storage.audit import (
    AUDIT_KEY_NAME,
    HeadLog,
    append_audit,
    audit_transaction,
    default_head_path,
    record_hash,
    sync_head,
    verify_audit,
)
from hmi.storage.database import default_data_dir, make_engine
from hmi.storage.migrate import upgrade
from hmi.storage.schema import AuditRow

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources/plants/demo.toml"
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
KEY = "site audit key for tests 7f3a9c"
t = AuditRow.__table__


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[Engine]:
    url = sqlite_url if request.param == "sqlite" else request.getfixturevalue("pg_url")
    e = make_engine(url)
    upgrade(e)
    yield e
    e.dispose()


@pytest.fixture
def head(tmp_path: Path) -> HeadLog:
    return HeadLog(tmp_path / "audit-head.log")


def write(engine: Engine, head: HeadLog | None, n: int, start: int = 0) -> None:
    """n records, one transaction each (as sign-ins are), heads to the file after each commit."""
    for i in range(start, start + n):
        with audit_transaction(engine, head) as conn:
            append_audit(conn, actor=f"user{i % 3}", action="alarm.ack" if i % 2 else "auth.sign_in",
                         mill="north" if i % 2 else "", target=f"t{i}", after={"i": i}, host="ws1",
                         ts=T0 + timedelta(minutes=i))


def sql(engine: Engine, statement: str, **params: object) -> None:
    with engine.begin() as c:
        c.execute(text(statement), params)


def test_concurrent_appends_keep_one_gap_free_chain(engine: Engine, head: HeadLog) -> None:
    """Four threads (think: GUI, collector, two workstations) appending at once: no clash on seq."""
    errors: list[BaseException] = []

    def work(n: int) -> None:
        for _ in range(15):
            try:
                with audit_transaction(engine, head) as conn:
                    append_audit(conn, actor=f"thread{n}", action="test.event")
            except Exception as exc:
                errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert not errors, errors[:1]
    result = verify_audit(engine, head)
    assert result.ok and result.checked == 60 and result.head_seq == 60, result.reason


# -- tampering ------------------------------------------------------------------------------------------------------
def test_intact_chain_verifies(engine: Engine, head: HeadLog) -> None:
    write(engine, head, 6)
    result = verify_audit(engine, head)
    assert result.ok and result.checked == 6 and result.first_bad_seq is None and result.head_seq == 6
    assert not result.keyed
    assert result.summary() == (
        "audit trail OK: 6 records, sealed with SHA-256 (no site key), head file confirms record 6"
    )
    assert verify(engine, head.path).ok  # the CLI's entry point


def test_an_edited_record_is_named(engine: Engine, head: HeadLog) -> None:
    write(engine, head, 6)
    sql(engine, "UPDATE audit_log SET target = 'forged' WHERE seq = 3")
    result = verify_audit(engine, head)
    assert not result.ok and result.first_bad_seq == 3 and result.checked == 2
    assert "record 3 was altered" in result.reason
    assert result.summary().startswith("audit trail BROKEN at record 3: ")


def test_an_edited_timestamp_is_caught(engine: Engine, head: HeadLog) -> None:
    write(engine, head, 4)
    with engine.begin() as c:
        c.execute(update(t).where(t.c.seq == 2).values(ts=T0 + timedelta(hours=5)))
    assert verify_audit(engine, head).first_bad_seq == 2


def test_a_deleted_record_is_named(engine: Engine, head: HeadLog) -> None:
    write(engine, head, 6)
    sql(engine, "DELETE FROM audit_log WHERE seq = 3")
    result = verify_audit(engine, head)
    assert not result.ok and result.first_bad_seq == 3 and "record 3 is missing" in result.reason
    sql(engine, "DELETE FROM audit_log WHERE seq = 4")
    assert "record 3..4 is missing" in verify_audit(engine, head).reason


def test_a_deleted_and_renumbered_record_is_caught(engine: Engine, head: HeadLog) -> None:
    write(engine, head, 6)
    sql(engine, "DELETE FROM audit_log WHERE seq = 3")
    for seq in (4, 5, 6):
        sql(engine, "UPDATE audit_log SET seq = :new WHERE seq = :old", new=seq - 1, old=seq)
    result = verify_audit(engine, head)
    assert not result.ok and result.first_bad_seq == 3 and "does not follow record 2" in result.reason


def test_a_swapped_pair_is_named(engine: Engine, head: HeadLog) -> None:
    write(engine, head, 6)
    sql(engine, "UPDATE audit_log SET seq = -1 WHERE seq = 3")
    sql(engine, "UPDATE audit_log SET seq = 3 WHERE seq = 4")
    sql(engine, "UPDATE audit_log SET seq = 4 WHERE seq = -1")
    result = verify_audit(engine, head)
    assert not result.ok and result.first_bad_seq == 3
    assert "record 3 does not follow record 2" in result.reason


def test_swapped_contents_are_named(engine: Engine, head: HeadLog) -> None:
    write(engine, head, 6)
    cols = ["ts", "username", "host", "action", "mill", "target", "before", "after", "prev_hash", "hash"]
    with engine.begin() as c:
        r3, r4 = (c.execute(select(t).where(t.c.seq == s)).one() for s in (3, 4))
        c.execute(update(t).where(t.c.seq == 3).values({k: getattr(r4, k) for k in cols}))
        c.execute(update(t).where(t.c.seq == 4).values({k: getattr(r3, k) for k in cols}))
    result = verify_audit(engine, head)
    assert not result.ok and result.first_bad_seq == 3


def test_a_cut_off_tail_is_named(engine: Engine, head: HeadLog) -> None:
    write(engine, head, 6)
    sql(engine, "DELETE FROM audit_log WHERE seq >= 5")
    result = verify_audit(engine, head)
    assert not result.ok and result.first_bad_seq == 5 and result.checked == 4 and result.head_seq == 6
    assert "records 5..6 were cut off" in result.reason
    # without the head file the database alone cannot tell
    assert verify_audit(engine, head.path.parent / "no-such-file.log").ok


def test_a_recomputed_plain_chain_is_caught_by_the_head_file(engine: Engine, head: HeadLog) -> None:
    write(engine, head, 6)
    forge_from(engine, 3, key=None)
    assert verify_audit(engine, head.path.parent / "no-such-file.log").ok  # a consistent forgery...
    result = verify_audit(engine, head)  # ...that the heads written at commit time expose
    assert not result.ok and result.first_bad_seq == 3 and "rewritten" in result.reason


def forge_from(engine: Engine, seq: int, key: str | None) -> None:
    """What an intruder with SQL access but no key does: edit record `seq`, recompute the rest plainly."""
    from hmi.storage.audit import _canonical, record_digest

    with engine.begin() as c:
        rows = c.execute(select(t).where(t.c.seq >= seq - 1).order_by(t.c.seq)).all()
        prev = rows[0].hash if seq > 1 else ""
        for r in rows[1:] if seq > 1 else rows:
            target = "forged" if r.seq == seq else r.target
            fields = _canonical(r.seq, r.ts, r.username, r.host, r.action, r.mill, target, r.before, r.after)
            digest = record_digest(prev, fields, key) if key else record_hash(prev, fields)
            c.execute(update(t).where(t.c.seq == r.seq).values(target=target, prev_hash=prev, hash=digest))
            prev = digest


# -- the keyed chain ------------------------------------------------------------------------------------------------
def test_keyed_chain_with_the_site_key_in_the_keyring(engine: Engine, head: HeadLog) -> None:
    keyring.set_password("millwatch", AUDIT_KEY_NAME, KEY)
    write(engine, head, 5)
    with engine.connect() as c:
        hashes = list(c.execute(select(t.c.hash).order_by(t.c.seq)).scalars())
    assert all(h.startswith("hmac:") and len(h) <= 64 for h in hashes)
    result = verify_audit(engine, head)
    assert result.ok and result.keyed and "HMAC-SHA256" in result.summary()

    no_key = verify_audit(engine, head, key=None)
    assert not no_key.ok and no_key.first_bad_seq == 1 and "no key is available" in no_key.reason
    other = verify_audit(engine, head, key="another key")
    assert not other.ok and "different audit key" in other.reason

    forge_from(engine, 4, key=None)  # without the key, an intruder can only write plain seals
    forged = verify_audit(engine, head.path.parent / "no-such-file.log")
    assert not forged.ok and forged.first_bad_seq == 4 and "plain SHA-256 seal after keyed records" in forged.reason


def test_keyed_record_cannot_be_edited_even_without_a_head_file(engine: Engine) -> None:
    keyring.set_password("millwatch", AUDIT_KEY_NAME, KEY)
    write(engine, None, 4)
    forge_from(engine, 2, key="a guessed key")
    result = verify_audit(engine, None)
    assert not result.ok and result.first_bad_seq == 2 and "different audit key" in result.reason
    sql(engine, "UPDATE audit_log SET target = 'x' WHERE seq = 3")
    with engine.connect() as c:
        assert c.execute(select(t.c.target).where(t.c.seq == 3)).scalar_one() == "x"


def test_plain_then_keyed_is_fine_keyed_then_plain_is_not(engine: Engine, head: HeadLog) -> None:
    write(engine, head, 2)
    keyring.set_password("millwatch", AUDIT_KEY_NAME, KEY)  # the site key is set up later
    write(engine, head, 2, start=2)
    result = verify_audit(engine, head)
    assert result.ok and result.keyed and result.checked == 4
    keyring.delete_password("millwatch", AUDIT_KEY_NAME)  # the keyring goes missing
    write(engine, head, 1, start=4)
    keyring.set_password("millwatch", AUDIT_KEY_NAME, KEY)
    result = verify_audit(engine, head)
    assert not result.ok and result.first_bad_seq == 5 and "after keyed records from 3" in result.reason


# -- the head file --------------------------------------------------------------------------------------------------
def test_head_is_written_only_after_commit(engine: Engine, head: HeadLog) -> None:
    write(engine, head, 2)
    with pytest.raises(RuntimeError), audit_transaction(engine, head) as conn:
        append_audit(conn, actor="x", action="doomed")
        raise RuntimeError("the change failed")
    entries, malformed = head.entries()
    assert [e.seq for e in entries] == [1, 2] and malformed == 0
    assert verify_audit(engine, head).ok
    with audit_transaction(engine, head) as conn:  # no audit record: no head line
        conn.execute(select(1))
    assert len(head.entries()[0]) == 2


def test_records_written_elsewhere_are_caught_up_by_sync_head(engine: Engine, head: HeadLog) -> None:
    write(engine, head, 2)
    with engine.begin() as conn:  # plain engine.begin(): another service, the collector
        append_audit(conn, actor="collector", action="mill.status", mill="north")
    assert verify_audit(engine, head).head_seq == 2
    assert sync_head(engine, head).seq == 3  # type: ignore[union-attr]
    assert verify_audit(engine, head).head_seq == 3


def test_one_head_file_serves_several_databases(engine: Engine, head: HeadLog, tmp_path: Path) -> None:
    other = make_engine(f"sqlite:///{tmp_path / 'other.sqlite'}")
    upgrade(other)
    try:
        write(engine, head, 3)
        write(other, head, 7, start=100)  # (a chain is named by its first record: time, host, user...)
        mine = verify_audit(engine, head)
        assert mine.ok and mine.head_seq == 3 and any("1 other chain" in n for n in mine.notes)
        assert verify_audit(other, head).head_seq == 7
    finally:
        other.dispose()


def test_a_torn_head_line_is_not_glued_to_the_next(engine: Engine, head: HeadLog) -> None:
    write(engine, head, 2)
    with open(head.path, "a") as f:
        f.write("v1 abc 9")  # a crash half-way through a line
    write(engine, head, 1, start=2)
    entries, malformed = head.entries()
    assert [e.seq for e in entries] == [1, 2, 3] and malformed == 1
    result = verify_audit(engine, head)
    assert result.ok and any("unreadable" in n for n in result.notes)


def test_default_head_file_is_in_the_user_data_dir() -> None:
    assert default_head_path() == default_data_dir() / "audit-head.log"
    assert HeadLog().path == default_head_path()


def test_long_fields_are_clipped_before_sealing(engine: Engine, head: HeadLog) -> None:
    with audit_transaction(engine, head) as conn:
        append_audit(conn, actor="x" * 300, action="auth.sign_in_failed", target="y" * 500, host="h" * 300)
    assert verify_audit(engine, head).ok
    with engine.connect() as c:
        row = c.execute(select(t)).one()
    assert len(row.username) == 64 and len(row.target) == 200 and len(row.host) == 200


def test_records_of_add_user_verify(engine: Engine) -> None:
    import_plant(engine, DEMO)
    add_user(engine, "root", "correct horse battery", Role.ADMIN)
    add_user(engine, "ana", "correct horse battery", Role.OPERATOR, mills=["north"])
    assert verify_audit(engine, None).ok


# -- the audit service ----------------------------------------------------------------------------------------------
@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    e = make_engine(sqlite_url)
    upgrade(e)
    yield e
    e.dispose()


def test_query_filters(sqlite_engine: Engine, head: HeadLog) -> None:
    write(sqlite_engine, head, 10)
    seqs = lambda f: [e.seq for e in query_audit(sqlite_engine, f)]  # noqa: E731
    assert seqs(None) == list(range(1, 11))
    assert seqs(AuditFilter(since=T0 + timedelta(minutes=3), until=T0 + timedelta(minutes=6))) == [4, 5, 6]
    assert seqs(AuditFilter(username="user1")) == [2, 5, 8]
    assert seqs(AuditFilter(action="alarm.ack")) == [2, 4, 6, 8, 10]
    assert seqs(AuditFilter(action="auth.")) == seqs(AuditFilter(action="auth.*")) == [1, 3, 5, 7, 9]
    assert seqs(AuditFilter(action="auth")) == []
    assert seqs(AuditFilter(mill="north", username="user0")) == [4, 10]
    assert seqs(AuditFilter(newest_first=True, limit=2)) == [10, 9]
    entry = query_audit(sqlite_engine, AuditFilter(limit=1))[0]
    assert entry.after == {"i": 0} and entry.ts == T0 and entry.host == "ws1"


def test_csv_export(sqlite_engine: Engine, head: HeadLog, tmp_path: Path) -> None:
    write(sqlite_engine, head, 3)
    with audit_transaction(sqlite_engine, head) as conn:  # what an attacker may type as a username
        append_audit(conn, actor="=HYPERLINK(\"http://x\")", action="auth.sign_in_failed", ts=T0)
    out = tmp_path / "audit.csv"
    assert export_audit_csv(sqlite_engine, out, AuditFilter()) == 4
    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["seq"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[1]["action"] == "alarm.ack" and rows[1]["mill"] == "north" and rows[1]["after"] == '{"i": 1}'
    assert rows[3]["username"].startswith("'=")
    buf = io.StringIO()
    assert export_audit_csv(sqlite_engine, buf, AuditFilter(mill="north")) == 1


def test_audit_service_checks_the_session(sqlite_engine: Engine, head: HeadLog, tmp_path: Path) -> None:
    import_plant(sqlite_engine, DEMO)
    add_user(sqlite_engine, "root", "correct horse battery", Role.ADMIN, head_log=head)
    add_user(sqlite_engine, "ana", "correct horse battery", Role.OPERATOR, mills=["north"], head_log=head)
    auth = AuthService(sqlite_engine, clock=FakeClock(), head_log=head)
    service = AuditService(sqlite_engine, auth=auth)
    ana = auth.sign_in("ana", "correct horse battery").session
    root = auth.sign_in("root", "correct horse battery").session
    assert ana is not None and root is not None
    assert service.query(AuditFilter(mill="north"), actor=ana) == []
    with pytest.raises(PermissionDenied, match="ana has no access to mill south"):
        service.query(AuditFilter(mill="south"), actor=ana)
    with pytest.raises(PermissionDenied, match="operator ana may not export data"):
        service.export_csv(tmp_path / "a.csv", actor=ana)
    n = service.export_csv(tmp_path / "all.csv", actor=root)
    last = service.query(AuditFilter(newest_first=True, limit=1))[0]
    assert last.action == "audit.export" and last.username == "root" and last.after["records"] == n
    assert "permission.denied" in service.export_csv_text(AuditFilter(action="permission."))
    result = service.verify()
    assert result.ok and result.head_seq == result.checked
    assert service.sync_head().seq == result.checked  # type: ignore[union-attr]
