"""The `millwatch` command line as an installer uses it: real processes, real databases."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, cli_env, millwatch_cmd

DEMO = ROOT / "resources/plants/demo.toml"


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(millwatch_cmd(*args), input=stdin, capture_output=True, text=True, env=cli_env(), timeout=120)


def one_line(r: subprocess.CompletedProcess[str]) -> str:
    lines = r.stderr.strip().splitlines()
    assert lines, "expected a reason on stderr"
    assert lines[0].startswith("millwatch"), r.stderr
    return lines[0]


def test_version_and_help() -> None:
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("millwatch ")


@pytest.mark.parametrize("args", [["frobnicate"], ["--bogus"], ["plant"], ["user", "add", "x"]])
def test_bad_usage_is_one_line(args: list[str]) -> None:
    r = run(*args)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_plant_import_export_round_trip(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert run("db", "upgrade", "--db", url).returncode == 0
    r = run("plant", "import", str(DEMO), "--db", url)
    assert r.returncode == 0, r.stderr
    assert "33 created" in r.stdout
    r = run("plant", "import", str(DEMO), "--db", url)
    assert "0 created, 0 updated, 33 unchanged" in r.stdout
    out = tmp_path / "out.toml"
    assert run("plant", "export", str(out), "--db", url).returncode == 0
    assert "0 created, 0 updated" in run("plant", "import", str(out), "--db", url).stdout


def test_invalid_plant_lists_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    bad = tmp_path / "bad.toml"
    bad.write_text(
        DEMO.read_text().replace("capacity = 400", 'capacity = "big"').replace('type = "flow"', 'type = "x"')
    )
    r = run("plant", "import", str(bad), "--db", url)
    assert r.returncode == 1
    first = one_line(r)
    assert "3 problem(s), nothing written" in first  # capacity + two flow sensors and "mill north: capacity" in first
    assert "type: must be one of" in r.stderr
    db = tmp_path / "x.sqlite"
    assert (
        not db.exists()
        or sqlite3.connect(db).execute("select count(*) from sqlite_master where name='mills'").fetchone()[0] == 0
    )


def test_missing_plant_file() -> None:
    r = run("plant", "import", "/nonexistent/plant.toml", "--db", "sqlite:///:memory:")
    assert r.returncode == 1 and "no such file" in one_line(r)


def test_unreachable_database_names_it_without_password() -> None:
    r = run("db", "upgrade", "--db", "postgresql+psycopg://ops:s3cret@127.0.0.1:1/mill")
    assert r.returncode == 1
    line = one_line(r)
    assert "unreachable" in line and "127.0.0.1:1" in line and "s3cret" not in r.stderr


def test_bad_database_url() -> None:
    r = run("db", "upgrade", "--db", "mysql://x/y")
    assert r.returncode == 1 and "unsupported database" in one_line(r)


def test_user_add_password_from_stdin(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    run("db", "upgrade", "--db", url)
    run("plant", "import", str(DEMO), "--db", url)
    r = run("user", "add", "ana", "--role", "operator", "--mill", "north", "--db", url, stdin="correct horse battery\n")
    assert r.returncode == 0, r.stderr
    row = sqlite3.connect(tmp_path / "x.sqlite").execute("select role, password_hash from users").fetchone()
    assert row[0] == "operator" and row[1].startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    weak = run("user", "add", "bob", "--role", "viewer", "--db", url, stdin="short\n")
    assert weak.returncode == 1 and "at least 12" in one_line(weak)
    dup = run("user", "add", "ana", "--role", "viewer", "--db", url, stdin="another long password\n")
    assert dup.returncode == 1 and "already exists" in one_line(dup)
    nomill = run(
        "user", "add", "cy", "--role", "viewer", "--mill", "west", "--db", url, stdin="another long password\n"
    )
    assert nomill.returncode == 1 and "no mill 'west'" in one_line(nomill)


def test_audit_verify_detects_an_edited_record(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    run("db", "upgrade", "--db", url)
    for name in ("ana", "bert", "carla"):
        r = run("user", "add", name, "--role", "viewer", "--db", url, stdin="a long enough password\n")
        assert r.returncode == 0, r.stderr
    ok = run("audit", "verify", "--db", url)
    assert ok.returncode == 0, ok.stderr
    assert "3" in ok.stdout
    con = sqlite3.connect(tmp_path / "x.sqlite")
    con.execute("update audit_log set after = replace(after, 'viewer', 'admin') where seq = 2")
    con.commit()
    bad = run("audit", "verify", "--db", url)
    assert bad.returncode == 1
    assert "record 2" in one_line(bad)


def test_self_test_command() -> None:
    r = run("--self-test")
    assert r.returncode == 0 and "self-test passed" in r.stdout, r.stdout + r.stderr


def test_schematics_travel_with_the_plant_file(tmp_path: Path) -> None:
    """Export writes FILE.schematics/ (SVG + bindings); import checks every binding against the plant
    and copies them into the site's folder, all or nothing (a binding to an unknown sensor: nothing)."""
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert run("plant", "import", str(DEMO), "--db", url).returncode == 0
    out = tmp_path / "site.toml"
    r = run("plant", "export", str(out), "--db", url)
    assert r.returncode == 0, r.stderr
    folder = tmp_path / "site.schematics"
    exported = sorted(p.name for p in folder.iterdir())
    assert "north_overview.svg" in exported and "north_overview.bindings.toml" in exported
    # A fresh installation imports the plant and its schematics.
    url2 = f"sqlite:///{tmp_path / 'y.sqlite'}"
    r = run("plant", "import", str(out), "--db", url2)
    assert r.returncode == 0, r.stderr
    assert f"schematics: {len([n for n in exported if n.endswith('.svg')])} copied" in r.stdout
    # A binding to a sensor the plant does not have: refused, nothing written.
    bindings = folder / "north_cleaning.bindings.toml"
    bindings.write_text(bindings.read_text().replace("A1B2C3D4E5F61004", "A1B2C3D4E5F6FFFF"))
    url3 = f"sqlite:///{tmp_path / 'z.sqlite'}"
    r = run("plant", "import", str(out), "--db", url3)
    assert r.returncode == 1
    assert "A1B2C3D4E5F6FFFF" in r.stderr and "nothing written" in r.stderr
    assert not (tmp_path / "z.sqlite").exists() or "33 created" not in r.stdout
