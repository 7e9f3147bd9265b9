"""Real servers for tests, started and stopped by fixtures: mosquitto and a PostgreSQL cluster.

Each server runs on a free loopback port and the helper checks that *its own* process is the one
answering (a leftover broker on a reused port would make a test pass for the wrong reason).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from hmi.services.local_broker import LocalBroker, free_port, wait_port  # noqa: F401

Mosquitto = LocalBroker  # the tests use the product's own zero-loss broker launcher


def pg_bin(name: str) -> str:
    """PostgreSQL programs: on PATH, else Debian's versioned directory (newest first)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if not candidates:
        raise FileNotFoundError(f"{name} not found: apt-get install postgresql")
    return str(candidates[-1])


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


class PostgresCluster:
    """A throwaway PostgreSQL cluster in a temp dir, loopback only, trust auth."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="mw-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self._db_counter = 0
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        os.chmod(self.dir, 0o777)

    def init(self) -> None:
        initdb = pg_bin("initdb")
        subprocess.run(
            _as_postgres([initdb, "-D", str(self.data), "--auth=trust", "-U", "postgres", "-E", "UTF8"]),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        pg_ctl = pg_bin("pg_ctl")
        opts = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(self.data), "-o", opts, "-l", str(self.dir / "pg.log"), "-w", "start"]),
            check=True,
            capture_output=True,
        )

    def stop(self, mode: str = "fast") -> None:
        pg_ctl = pg_bin("pg_ctl")
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop"]), check=False, capture_output=True
        )

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        """A fresh empty database, so tests sharing the cluster never see each other's rows."""
        import psycopg

        self._db_counter += 1
        name = f"t{os.getpid()}_{self._db_counter}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)
