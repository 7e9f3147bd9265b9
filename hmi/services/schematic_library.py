"""Finding and loading schematics: SVG drawings and their binding files, from the built-in folder
(resources/schematics/) and any folder a site adds (e.g. `<user data>/schematics`).

A schematic is `<name>.svg` plus an optional `<name>.bindings.toml` in the same folder. A site
folder overrides a built-in schematic of the same name. Loading never raises for bad input: a
missing or malformed SVG, a malformed binding file, a binding to an unknown sensor or id, all become
`SchematicProblem`s (logged once, shown on the screen) and the rest of the schematic still works.

Binding files travel with the plant: `export_schematics(dir)` writes every schematic beside an
exported plant file, `import_schematics(dir, plant, site_dir)` validates them all against the plant
before it copies anything. Saving from the binding editor (`save_bindings`) needs the right to edit
the mill's sensors, checked here, not only by hiding the editor's button.
"""

from __future__ import annotations

import importlib.resources
import logging
import shutil
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import tomli_w

from hmi.core.permissions import Action
from hmi.core.plant import Plant
from hmi.core.schematic_bindings import (
    BINDINGS_SUFFIX,
    NAME_RE,
    SchematicBindings,
    SchematicKind,
    SchematicProblem,
    bindings_to_dict,
    duplicate_ids,
    parse_bindings,
    validate_bindings,
)
from hmi.core.schematic_svg import SvgError, SvgInfo, read_svg_info
from hmi.core.text import Text

log = logging.getLogger(__name__)

SYMBOLS_DIR = "symbols"


def default_folder() -> Path:
    """The built-in schematics (resources/schematics), installed, editable or frozen."""
    try:
        node = importlib.resources.files("hmi.resources") / "schematics"
        return Path(str(node))
    except ModuleNotFoundError:
        import hmi

        return Path(hmi.__file__).resolve().parent.parent / "resources" / "schematics"


def site_folder() -> Path:
    """Where a site keeps its own schematics (and where `import_schematics` puts them)."""
    from hmi.storage.database import default_data_dir

    return default_data_dir() / "schematics"


@dataclass(frozen=True, slots=True)
class SchematicSource:
    name: str
    folder: Path
    svg_path: Path | None
    bindings_path: Path | None


@dataclass(frozen=True, slots=True)
class LoadedSchematic:
    """One schematic ready for the screen: the SVG bytes (None when unusable), the validated
    bindings (only usable entries), the mill it shows and every problem found."""

    name: str
    title: str
    mill: str
    kind: SchematicKind
    order: int
    svg: bytes | None
    svg_info: SvgInfo | None
    bindings: SchematicBindings
    problems: tuple[SchematicProblem, ...] = ()
    source: SchematicSource | None = None

    @property
    def label(self) -> str:
        return self.title or self.name.replace("_", " ").capitalize()


def discover(folders: Iterable[Path]) -> list[SchematicSource]:
    """Every schematic in the folders (not their `symbols/` library), later folders overriding
    earlier ones by name; sorted by name. Missing folders are skipped."""
    found: dict[str, SchematicSource] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        names: dict[str, tuple[Path | None, Path | None]] = {}
        for path in sorted(folder.iterdir()):
            if path.is_dir():
                continue
            if path.name.endswith(BINDINGS_SUFFIX):
                stem = path.name[: -len(BINDINGS_SUFFIX)]
                svg, _ = names.get(stem, (None, None))
                names[stem] = (svg, path)
            elif path.suffix.lower() == ".svg":
                _, bind = names.get(path.stem, (None, None))
                names[path.stem] = (path, bind)
        for stem, (svg, bind) in names.items():
            found[stem] = SchematicSource(stem, folder, svg, bind)
    return [found[k] for k in sorted(found)]


def _read_bindings(source: SchematicSource) -> tuple[SchematicBindings, list[SchematicProblem]]:
    if source.bindings_path is None:
        return SchematicBindings(source.name), []
    try:
        data = tomllib.loads(source.bindings_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return SchematicBindings(source.name), [SchematicProblem(source.name, "binding file",
                                                                  Text("cannot read: {error}", error=str(exc)))]
    except tomllib.TOMLDecodeError as exc:
        return SchematicBindings(source.name), [
            SchematicProblem(source.name, "binding file", Text("not valid TOML ({error}); no sensors bound",
                                                               error=str(exc)))
        ]
    return parse_bindings(data, source.name)


def _read_svg(source: SchematicSource, svg_name: str) -> tuple[bytes | None, SvgInfo | None, list[SchematicProblem]]:
    path = source.folder / svg_name
    if not path.is_file():
        return None, None, [SchematicProblem(source.name, "svg", Text("missing drawing {file} in {folder}",
                                                                       file=svg_name, folder=str(source.folder)))]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, None, [SchematicProblem(source.name, "svg", Text("cannot read {file}: {error}", file=svg_name,
                                                                       error=str(exc)))]
    try:
        info = read_svg_info(data)
    except SvgError as exc:
        problem = exc.args[0] if exc.args else str(exc)
        return None, None, [SchematicProblem(source.name, "svg", Text("{file} is not a usable SVG: {problem}",
                                                                       file=svg_name, problem=problem))]
    problems = [SchematicProblem(source.name, f"id {d}", Text("used by several elements in the SVG; bindings to it "
                                                              "are ambiguous")) for d in duplicate_ids(info.ids)]
    return data, info, problems


def load_schematic(source: SchematicSource, plant: Plant, names: Iterable[str] | None = None) -> LoadedSchematic:
    """Read, parse and validate one schematic against the plant; problems are logged and kept."""
    bindings, problems = _read_bindings(source)
    svg, info, svg_problems = _read_svg(source, bindings.svg_file)
    problems += svg_problems
    if info is not None:
        bindings = bindings.with_implicit(info.ids)
    sensors = {s.eui: s for s in plant.sensors()}
    checked = validate_bindings(bindings, sensors, plant.mills, None if info is None else info.ids, names)
    problems += checked.problems
    for p in problems:
        log.warning("schematic %s", p)
    b = checked.bindings
    return LoadedSchematic(source.name, b.title, checked.mill, b.kind, b.order, svg, info, b, tuple(problems),
                           source)


class SchematicLibrary:
    """The schematics of a plant from a list of folders, loaded once (files are small: kilobytes).

    `problems` also names the folders that do not exist (a site folder typed wrong)."""

    def __init__(self, plant: Plant, folders: Sequence[Path] | None = None) -> None:
        self.plant = plant
        self.folders = list(folders) if folders is not None else [default_folder()]
        self.problems: list[SchematicProblem] = []
        for folder in self.folders:
            if not folder.is_dir():
                self.problems.append(SchematicProblem("library", str(folder), Text("no such folder")))
                log.warning("schematic folder %s does not exist", folder)
        sources = discover(self.folders)
        names = [s.name for s in sources]
        self.schematics: list[LoadedSchematic] = [load_schematic(s, plant, names) for s in sources]
        self._by_name = {s.name: s for s in self.schematics}

    def get(self, name: str) -> LoadedSchematic | None:
        return self._by_name.get(name)

    def for_mill(self, slug: str) -> list[LoadedSchematic]:
        """A mill's schematics, overviews first, then by order and name."""
        out = [s for s in self.schematics if s.mill == slug]
        return sorted(out, key=lambda s: (s.kind is not SchematicKind.OVERVIEW, s.order, s.name))

    def unassigned(self) -> list[LoadedSchematic]:
        """Schematics no mill claims (no `mill` and no bound sensor): shown under every mill."""
        return [s for s in self.schematics if not s.mill]

    def all_problems(self) -> list[SchematicProblem]:
        return self.problems + [p for s in self.schematics for p in s.problems]


# -- authoring ----------------------------------------------------------------------------------------------


class Authorizer(Protocol):
    """A signed-in session (hmi/services/auth.py Session): raises PermissionDenied when refused."""

    def require(self, action: Action | str, mill: str | None = None) -> object: ...


def bindings_path_for(svg_path: Path) -> Path:
    return svg_path.with_name(svg_path.stem + BINDINGS_SUFFIX)


def bindings_text(bindings: SchematicBindings) -> str:
    return f"# Millwatch schematic bindings for {bindings.svg_file}\n" + tomli_w.dumps(bindings_to_dict(bindings))


def save_bindings(path: Path, bindings: SchematicBindings, session: Authorizer) -> Path:
    """Write a binding file (atomically) if the session may edit the mill's sensors."""
    session.require(Action.EDIT_SENSORS, bindings.mill or None)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(bindings_text(bindings), encoding="utf-8")
    tmp.replace(path)
    log.info("saved schematic bindings %s", path)
    return path


# -- export / import with the plant ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportReport:
    copied: list[str] = field(default_factory=list)
    problems: list[SchematicProblem] = field(default_factory=list)


def export_schematics(dest: Path, folders: Sequence[Path] | None = None) -> list[Path]:
    """Write every schematic (SVG and binding file) of the folders into `dest` (created), e.g.
    `plant.schematics/` beside an exported `plant.toml`. Returns the files written."""
    dest.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for source in discover(folders if folders is not None else [default_folder(), site_folder()]):
        for path in (source.svg_path, source.bindings_path):
            if path is not None:
                target = dest / path.name
                shutil.copyfile(path, target)
                written.append(target)
    return written


def import_schematics(src: Path, plant: Plant, dest: Path | None = None) -> ImportReport:
    """Validate every schematic in `src` against the plant; copy them all into `dest` (the site
    folder by default) only when none has a problem, like the plant import: all or nothing."""
    dest = dest if dest is not None else site_folder()
    if not src.is_dir():
        return ImportReport([], [SchematicProblem("import", str(src), Text("no such folder"))])
    sources = discover([src])
    names = {s.name for s in sources} | {s.name for s in discover([default_folder(), dest])}
    problems = [p for s in sources for p in load_schematic(s, plant, names).problems]
    if problems:
        return ImportReport([], problems)
    dest.mkdir(parents=True, exist_ok=True)
    copied = []
    for s in sources:
        if not NAME_RE.match(s.name):
            continue
        for path in (s.svg_path, s.bindings_path):
            if path is not None:
                shutil.copyfile(path, dest / path.name)
        copied.append(s.name)
    return ImportReport(copied, [])
