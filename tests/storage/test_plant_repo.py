"""Plant import/export against SQLite and PostgreSQL: idempotent, round-trips, all-or-nothing."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from hmi.core.plant import PlantError
from hmi.services.plant_io import export_plant, import_plant, read_plant_file
from hmi.storage.database import make_engine
from hmi.storage.migrate import upgrade
from hmi.storage.plant_repo import PlantConflict, load_plant
from hmi.storage.schema import MillRow, SensorRow

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources/plants/demo.toml"


def _count(engine, table) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(table.__table__)).scalar_one())


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, sqlite_url):  # type: ignore[no-untyped-def]
    url = sqlite_url if request.param == "sqlite" else request.getfixturevalue("pg_url")
    e = make_engine(url)
    upgrade(e)
    yield e
    e.dispose()


def test_import_is_idempotent_and_round_trips(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = import_plant(engine, DEMO)
    assert len(first.created) == 2 + 31
    second = import_plant(engine, DEMO)
    assert not second.changed and second.unchanged == 33
    assert load_plant(engine) == read_plant_file(DEMO)
    out = tmp_path / "export.toml"
    export_plant(engine, out)
    assert read_plant_file(out) == read_plant_file(DEMO)
    assert not import_plant(engine, out).changed


def test_update_changes_only_what_differs(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_plant(engine, DEMO)
    changed = tmp_path / "changed.toml"
    changed.write_text(DEMO.read_text().replace("capacity = 400", "capacity = 420", 1))
    report = import_plant(engine, changed)
    assert report.updated == ["mill north"] and not report.created


def test_invalid_file_writes_nothing(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.toml"
    bad.write_text(DEMO.read_text().replace('type = "level"', 'type = "smell"', 1))
    with pytest.raises(PlantError):
        import_plant(engine, bad)
    assert _count(engine, MillRow) == 0 and _count(engine, SensorRow) == 0


def test_conflict_with_database_writes_nothing(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_plant(engine, DEMO)
    other = tmp_path / "other.toml"
    other.write_text(
        'schema_version = 1\n[[mills]]\nslug = "west"\nname = "North Mill"\ncapacity = 10\n'
        '  [[mills.sensors]]\n  name = "x"\n  type = "flow"\n  eui = "0000000000000099"\n'
    )
    with pytest.raises(PlantConflict) as exc:
        import_plant(engine, other)
    assert "North Mill" in str(exc.value.problems[0])
    assert _count(engine, MillRow) == 2 and _count(engine, SensorRow) == 31


def test_malformed_toml_reports_location(tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text("schema_version = 1\n[[mills]\n")
    with pytest.raises(PlantError) as exc:
        read_plant_file(bad)
    assert "line 2" in str(exc.value.problems[0])
