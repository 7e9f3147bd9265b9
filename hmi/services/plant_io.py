"""Plant file import and export (`millwatch plant import|export FILE`).

Import reads and validates the whole file before anything is written, then applies it in one
transaction: an invalid file, or one that conflicts with the database, writes nothing.

Schematics travel with the plant: export writes them (SVG + binding file) into `FILE.schematics/`
beside the plant file; import, when that folder exists, checks every binding against the imported
plant and copies them into the site's schematic folder, all or nothing (hmi/services/schematic_library.py).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w
from sqlalchemy import Engine

from hmi.core.plant import Plant, PlantError, PlantProblem, parse_plant, plant_to_dict
from hmi.core.text import Text
from hmi.services.schematic_library import ImportReport, export_schematics, import_schematics
from hmi.storage.plant_repo import ApplyReport, apply_plant, load_plant


def read_plant_file(path: Path) -> Plant:
    """Parse and validate a plant file; PlantError lists every problem with its location."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlantError([PlantProblem(str(path), "file", Text("no such file"))]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlantError([PlantProblem(str(path), "file", Text("cannot read: {error}", error=str(exc)))]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlantError([PlantProblem(str(path), "toml", str(exc))]) from None
    return parse_plant(data)


def schematics_dir(path: Path) -> Path:
    """`plant.toml` -> `plant.schematics/`: where a plant file's schematics travel with it."""
    return path.with_suffix(".schematics")


def import_plant(engine: Engine, path: Path) -> ApplyReport:
    return apply_plant(engine, read_plant_file(path))


def import_plant_schematics(path: Path, plant: Plant, dest: Path | None = None) -> ImportReport | None:
    """The schematics beside an imported plant file (None when it has none)."""
    folder = schematics_dir(path)
    if not folder.is_dir():
        return None
    return import_schematics(folder, plant, dest)


def export_plant(engine: Engine, path: Path, *, with_schematics: bool = True) -> Plant:
    plant = load_plant(engine)
    text = "# Millwatch plant file (exported)\n" + tomli_w.dumps(plant_to_dict(plant))
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)  # never leave a half-written export behind
    if with_schematics:
        export_schematics(schematics_dir(path))
    return plant
