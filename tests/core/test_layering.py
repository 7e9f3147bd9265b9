"""core/ must run without Qt, SQLAlchemy, paho or pymodbus: import it with those blocked."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_imports_without_io_libraries() -> None:
    code = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        class Block:
            BLOCKED = ("PySide6", "pyqtgraph", "sqlalchemy", "paho", "pymodbus", "psycopg", "alembic")
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in self.BLOCKED:
                    raise ImportError(f"core must not import {name}")
                return None
        sys.meta_path.insert(0, Block())
        import hmi.core
        for m in pkgutil.iter_modules(hmi.core.__path__):
            importlib.import_module(f"hmi.core.{m.name}")
        print("ok")
        """
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok"
