"""Plant file import and export (`millwatch plant import|export FILE`).

Import reads and validates the whole file before anything is written, then applies it in one
transaction: an invalid file, or one that conflicts with the database, writes nothing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w
from sqlalchemy import Engine

from hmi.core.plant import Plant, PlantError, PlantProblem, parse_plant, plant_to_dict
from hmi.storage.plant_repo import ApplyReport, apply_plant, load_plant


def read_plant_file(path: Path) -> Plant:
    """Parse and validate a plant file; PlantError lists every problem with its location."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlantError([PlantProblem(str(path), "file", "no such file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlantError([PlantProblem(str(path), "file", f"cannot read: {exc}")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlantError([PlantProblem(str(path), "toml", str(exc))]) from None
    return parse_plant(data)


def import_plant(engine: Engine, path: Path) -> ApplyReport:
    return apply_plant(engine, read_plant_file(path))


def export_plant(engine: Engine, path: Path) -> Plant:
    plant = load_plant(engine)
    text = "# Millwatch plant file (exported)\n" + tomli_w.dumps(plant_to_dict(plant))
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)  # never leave a half-written export behind
    return plant
