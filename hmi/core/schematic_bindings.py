"""Schematic binding files: which SVG element shows which sensor, and how. Pure Python.

A schematic is an SVG drawing (`north_overview.svg`) and, beside it, a small TOML binding file
(`north_overview.bindings.toml`). An element is bound by its SVG `id`:

* a single binding: `id`, `sensor` (EUI) and the `kind` of display (value text, state outline,
  level bar, running state, stale marker; `kinds = [...]` for several);
* a symbol instance: `id`, `symbol` (an equipment type of `SYMBOLS`, e.g. "silo") and `sensors`,
  one EUI per slot of the symbol (`{ level = "...", temperature = "..." }`): placing one symbol binds
  its several sensors at once, each slot with the displays its equipment type needs;
* a navigation link: `[[link]]` `id` and `target` (another schematic's name).

Elements may also be bound without a file by their id alone: `mw-value-<EUI>`, `mw-level-<EUI>`,
`mw-state-<EUI>`, `mw-running-<EUI>` and `mw-link-<schematic>`. The file wins over an id.

Parsing never throws an entry away silently and never stops at the first problem: every bad entry
is reported (`SchematicProblem`) and left out, and the rest of the schematic still works.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hmi.core.domain import EUI_RE, SLUG_RE, Mill, Sensor, SensorType
from hmi.core.text import Text

SCHEMA_VERSION = 1
BINDINGS_SUFFIX = ".bindings.toml"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")  # a schematic's name: its file stem
ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,127}$")  # an SVG/XML id
ANCHOR_SEP = "__"  # `<instance id>__<slot>`: where a slot's display goes inside a symbol instance
IMPLICIT_RE = re.compile(r"^mw-(value|level|state|running|stale)-([0-9A-Fa-f]{16})$")
IMPLICIT_LINK_RE = re.compile(r"^mw-link-([a-z0-9][a-z0-9_-]{0,63})$")
STATUS_ID = "mw-status"  # where the mill's status goes on the drawing
ESTOP_ID = "mw-estop"  # where the mill's e-stop state goes on the drawing


class BindingKind(enum.StrEnum):
    """How a sensor is shown on the drawing."""

    VALUE = "value"  # the value with its unit, coloured by state
    STATE = "state"  # an outline following the alarm/quality state (no text)
    LEVEL = "level"  # a level bar filling the element from the bottom
    RUNNING = "running"  # a motor/conveyor: running (dark) or stopped (hollow)
    STALE = "stale"  # only a marker when the data is old


class SchematicKind(enum.StrEnum):
    OVERVIEW = "overview"
    DETAIL = "detail"


@dataclass(frozen=True, slots=True)
class Slot:
    """One sensor position of a symbol: its name, the displays it gets, the sensor types that fit."""

    name: str
    kinds: tuple[BindingKind, ...]
    types: frozenset[SensorType]
    label: str = ""


def _slot(name: str, kinds: str, types: str, label: str = "") -> Slot:
    return Slot(
        name,
        tuple(BindingKind(k) for k in kinds.split()),
        frozenset(SensorType(t) for t in types.split()),
        label or name.replace("_", " ").capitalize(),
    )


_ANY = "temperature humidity pressure vibration flow level"

# The symbol library: every equipment type, the slots its instances bind. The drawings are in
# resources/schematics/symbols/<type>.svg.
SYMBOLS: Mapping[str, tuple[Slot, ...]] = {
    "bucket_elevator": (_slot("motor", "running", _ANY), _slot("vibration", "value", "vibration"),
                        _slot("bearing", "value", "temperature")),
    "roller_mill": (_slot("motor", "running", _ANY), _slot("bearing", "value", "temperature"),
                    _slot("vibration", "value", "vibration")),
    "plansifter": (_slot("motor", "running", _ANY), _slot("vibration", "value", "vibration")),
    "purifier": (_slot("motor", "running", _ANY), _slot("aspiration", "value", "pressure", "Aspiration"),
                 _slot("vibration", "value", "vibration")),
    "silo": (_slot("level", "level value", "level"), _slot("temperature", "value", "temperature"),
             _slot("humidity", "value", "humidity", "Moisture")),
    "bin": (_slot("level", "level value", "level"), _slot("moisture", "value", "humidity"),
            _slot("temperature", "value", "temperature")),
    "conveyor": (_slot("motor", "running", _ANY), _slot("vibration", "value", "vibration"),
                 _slot("moisture", "value", "humidity")),
    "fan": (_slot("motor", "running", _ANY), _slot("pressure", "value", "pressure"),
            _slot("vibration", "value", "vibration")),
    "filter": (_slot("pressure", "value", "pressure", "ΔP"),),
    "dampener": (_slot("motor", "running", _ANY), _slot("water", "value", "flow", "Water"),
                 _slot("moisture", "value", "humidity")),
    "packer": (_slot("motor", "running", _ANY), _slot("rate", "value", "flow")),
    "machine": (_slot("motor", "running", _ANY), _slot("bearing", "value", "temperature"),
                _slot("vibration", "value", "vibration")),
}


@dataclass(frozen=True, slots=True)
class SchematicProblem:
    """Something wrong in a schematic, with where: `schematic` name, `where` (an id, a field)."""

    schematic: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.schematic}: {self.where}: {self.message}" if self.where else f"{self.schematic}: {self.message}"


@dataclass(frozen=True, slots=True)
class Binding:
    """One sensor on one element. `slot` is "" for a single binding, else the symbol slot's name."""

    element_id: str
    eui: str
    kinds: tuple[BindingKind, ...]
    slot: str = ""
    label: str = ""
    range_min: float = 0.0  # level bar: the value shown empty
    range_max: float = 100.0  # level bar: the value shown full
    running_above: float = 1.0  # running: a value above this means the motor runs

    @property
    def anchor_id(self) -> str:
        """The id of the element the display goes into (a symbol's slot anchor, or the element)."""
        return f"{self.element_id}{ANCHOR_SEP}{self.slot}" if self.slot else self.element_id

    def level_fraction(self, value: float | None) -> float | None:
        if value is None or not math.isfinite(value) or self.range_max <= self.range_min:
            return None
        return min(max((value - self.range_min) / (self.range_max - self.range_min), 0.0), 1.0)


@dataclass(frozen=True, slots=True)
class Instance:
    """A bound element: a symbol instance (several bindings) or a plain element (one binding)."""

    element_id: str
    bindings: tuple[Binding, ...]
    symbol: str = ""

    @property
    def euis(self) -> tuple[str, ...]:
        return tuple(b.eui for b in self.bindings)


@dataclass(frozen=True, slots=True)
class Link:
    """An element that navigates to another schematic when clicked."""

    element_id: str
    target: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class SchematicBindings:
    """A schematic's binding file, parsed. `mill` may be "" (then the sensors say which mill)."""

    name: str
    title: str = ""
    mill: str = ""
    kind: SchematicKind = SchematicKind.OVERVIEW
    order: int = 100
    svg: str = ""  # the SVG file name; default `<name>.svg`
    instances: tuple[Instance, ...] = ()
    links: tuple[Link, ...] = ()

    @property
    def svg_file(self) -> str:
        return self.svg or f"{self.name}.svg"

    def bindings(self) -> list[Binding]:
        return [b for i in self.instances for b in i.bindings]

    def euis(self) -> set[str]:
        return {b.eui for i in self.instances for b in i.bindings}

    def with_implicit(self, svg_ids: Iterable[str]) -> SchematicBindings:
        """Add the bindings and links the SVG declares by id alone (`mw-value-<EUI>` ...)."""
        bound = {i.element_id for i in self.instances} | {ln.element_id for ln in self.links}
        instances = list(self.instances)
        links = list(self.links)
        for sid in svg_ids:
            if sid in bound:
                continue
            m = IMPLICIT_RE.match(sid)
            if m:
                kinds = (BindingKind(m[1]),) if m[1] != "level" else (BindingKind.LEVEL, BindingKind.VALUE)
                instances.append(Instance(sid, (Binding(sid, m[2].upper(), kinds),)))
                continue
            m = IMPLICIT_LINK_RE.match(sid)
            if m:
                links.append(Link(sid, m[1]))
        return SchematicBindings(self.name, self.title, self.mill, self.kind, self.order, self.svg,
                                 tuple(instances), tuple(links))


class _Problems:
    def __init__(self, name: str) -> None:
        self.name = name
        self.items: list[SchematicProblem] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(SchematicProblem(self.name, where, message))


def _number(p: _Problems, where: str, key: str, raw: Mapping[str, Any], default: float) -> float:
    v = raw.get(key, default)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(float(v)):
        p.add(where, Text("{key} must be a finite number, got {value!r}", key=key, value=v))
        return default
    return float(v)


def _eui(p: _Problems, where: str, raw: Any) -> str | None:
    if not isinstance(raw, str):
        p.add(where, Text("sensor must be a 16-hex-digit EUI, got {value!r}", value=raw))
        return None
    eui = raw.replace(":", "").replace("-", "").strip().upper()
    if not EUI_RE.match(eui):
        p.add(where, Text("sensor must be a 16-hex-digit EUI, got {value!r}", value=raw))
        return None
    return eui


def _kinds(p: _Problems, where: str, raw: Mapping[str, Any]) -> tuple[BindingKind, ...] | None:
    if "kinds" in raw:
        value = raw["kinds"]
        items = value if isinstance(value, list) else [value]
    else:
        items = [raw.get("kind", "value")]
    out: list[BindingKind] = []
    for item in items:
        try:
            kind = BindingKind(item)
        except ValueError:
            p.add(where, Text("kind must be one of {values}, got {value!r}",
                              values=", ".join(k.value for k in BindingKind), value=item))
            return None
        if kind not in out:
            out.append(kind)
    if not out:
        p.add(where, Text("kinds must not be empty"))
        return None
    return tuple(out)


_BIND_KEYS = {"id", "sensor", "kind", "kinds", "symbol", "sensors", "label", "min", "max", "running_above"}


def _parse_bind(p: _Problems, n: int, raw: Any) -> Instance | None:
    where = f"bind[{n}]"
    if not isinstance(raw, dict):
        p.add(where, Text("must be a table ({table})", table="[[bind]]"))
        return None
    eid = raw.get("id")
    if not isinstance(eid, str) or not ID_RE.match(eid):
        p.add(where, Text("id must be an SVG id (letters, digits, _ . -), got {value!r}", value=eid))
        return None
    where = f"id {eid}"
    for key in sorted(set(raw) - _BIND_KEYS):
        p.add(where, Text("unknown key {key!r}", key=key))
    options = {
        "label": raw.get("label", "") if isinstance(raw.get("label", ""), str) else "",
        "range_min": _number(p, where, "min", raw, 0.0),
        "range_max": _number(p, where, "max", raw, 100.0),
        "running_above": _number(p, where, "running_above", raw, 1.0),
    }
    if options["range_max"] <= options["range_min"]:
        p.add(where, Text("max must be above min"))
        return None
    symbol = raw.get("symbol")
    if symbol is None:
        if "sensors" in raw:
            p.add(where, Text("sensors (per slot) needs a symbol; use sensor = \"EUI\" for a single binding"))
            return None
        eui = _eui(p, where, raw.get("sensor"))
        kinds = _kinds(p, where, raw)
        if eui is None or kinds is None:
            return None
        return Instance(eid, (Binding(eid, eui, kinds, **options),))  # type: ignore[arg-type]
    if not isinstance(symbol, str) or symbol not in SYMBOLS:
        p.add(where, Text("unknown symbol {symbol!r}; known: {known}", symbol=symbol, known=", ".join(sorted(SYMBOLS))))
        return None
    sensors = raw.get("sensors", {})
    if not isinstance(sensors, dict):
        p.add(where, Text("sensors must be a table {table}", table='{ slot = "EUI" }'))
        return None
    slots = {s.name: s for s in SYMBOLS[symbol]}
    bindings: list[Binding] = []
    for slot_name, raw_eui in sensors.items():
        slot = slots.get(slot_name)
        if slot is None:
            p.add(where, Text("symbol {symbol} has no slot {slot!r}; slots: {slots}", symbol=symbol, slot=slot_name,
                              slots=", ".join(slots)))
            continue
        eui = _eui(p, f"{where} slot {slot_name}", raw_eui)
        if eui is not None:
            opts = dict(options)
            opts["label"] = slot.label
            bindings.append(Binding(eid, eui, slot.kinds, slot_name, **opts))  # type: ignore[arg-type]
    return Instance(eid, tuple(bindings), symbol)


def parse_bindings(data: Mapping[str, Any], name: str) -> tuple[SchematicBindings, list[SchematicProblem]]:
    """A decoded binding file -> the bindings that are usable, and every problem found.

    Checks the file alone (format, EUIs, symbols, duplicate ids); `validate_bindings` checks it
    against the plant and the SVG's ids."""
    p = _Problems(name)
    version = data.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        p.add("schema_version", Text("must be {version}, got {value!r}", version=SCHEMA_VERSION, value=version))
    for key in sorted(set(data) - {"schema_version", "title", "mill", "kind", "order", "svg", "bind", "link"}):
        p.add(key, Text("unknown key"))
    title = data.get("title", "")
    if not isinstance(title, str):
        p.add("title", Text("must be text, got {value!r}", value=title))
        title = ""
    mill = data.get("mill", "")
    if not isinstance(mill, str) or (mill and not SLUG_RE.match(mill)):
        p.add("mill", Text("must be a mill slug, got {value!r}", value=mill))
        mill = ""
    try:
        kind = SchematicKind(data.get("kind", "overview"))
    except ValueError:
        p.add("kind", Text("must be overview or detail, got {value!r}", value=data.get("kind")))
        kind = SchematicKind.OVERVIEW
    order = data.get("order", 100)
    if isinstance(order, bool) or not isinstance(order, int):
        p.add("order", Text("must be a whole number, got {value!r}", value=order))
        order = 100
    svg = data.get("svg", "")
    if not isinstance(svg, str) or "/" in svg or "\\" in svg or (svg and not svg.endswith(".svg")):
        p.add("svg", Text("must be an .svg file name beside the binding file, got {value!r}", value=svg))
        svg = ""
    instances: list[Instance] = []
    seen: set[str] = set()
    raw_binds = data.get("bind", [])
    if not isinstance(raw_binds, list):
        p.add("bind", Text("must be an array of tables ({table})", table="[[bind]]"))
        raw_binds = []
    for n, raw in enumerate(raw_binds):
        inst = _parse_bind(p, n, raw)
        if inst is None:
            continue
        if inst.element_id in seen:
            p.add(f"id {inst.element_id}", Text("bound twice (duplicate id); the first binding is used"))
            continue
        seen.add(inst.element_id)
        instances.append(inst)
    links: list[Link] = []
    raw_links = data.get("link", [])
    if not isinstance(raw_links, list):
        p.add("link", Text("must be an array of tables ({table})", table="[[link]]"))
        raw_links = []
    for n, raw in enumerate(raw_links):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not ID_RE.match(raw["id"]):
            p.add(f"link[{n}]", Text("needs an id (an SVG id) and a target (a schematic name)"))
            continue
        target = raw.get("target")
        if not isinstance(target, str) or not NAME_RE.match(target):
            p.add(f"link {raw['id']}", Text("target must be a schematic name, got {value!r}", value=target))
            continue
        if raw["id"] in seen:
            p.add(f"id {raw['id']}", Text("bound twice (duplicate id); the first binding is used"))
            continue
        seen.add(raw["id"])
        label = raw.get("label", "")
        links.append(Link(raw["id"], target, label if isinstance(label, str) else ""))
    return SchematicBindings(name, title, mill, kind, order, svg, tuple(instances), tuple(links)), p.items


@dataclass(frozen=True, slots=True)
class Validated:
    """Bindings checked against the plant and the SVG: only usable entries are left."""

    bindings: SchematicBindings
    problems: list[SchematicProblem] = field(default_factory=list)
    mill: str = ""  # the mill the schematic shows (the file's, else the one its sensors belong to)


def validate_bindings(
    bindings: SchematicBindings,
    sensors: Mapping[str, Sensor],
    mills: Iterable[Mill],
    svg_ids: Iterable[str] | None,
    schematic_names: Iterable[str] | None = None,
) -> Validated:
    """Drop (and report) bindings to unknown sensors, unknown SVG ids, links to unknown schematics,
    sensors of another mill and displays that do not fit the sensor's type (a level bar on a
    temperature is reported but kept: the installer may mean it)."""
    p = _Problems(bindings.name)
    slugs = {m.slug for m in mills}
    ids = None if svg_ids is None else set(svg_ids)
    mill = bindings.mill
    if mill and mill not in slugs:
        p.add("mill", Text("unknown mill {mill!r}", mill=mill))
        mill = ""
    if not mill:
        owners = {sensors[e].mill_slug for e in bindings.euis() if e in sensors}
        if len(owners) == 1:
            mill = owners.pop()
    instances: list[Instance] = []
    for inst in bindings.instances:
        if ids is not None and inst.element_id not in ids:
            p.add(f"id {inst.element_id}", Text("no element with this id in the SVG"))
            continue
        kept: list[Binding] = []
        for b in inst.bindings:
            where = f"id {inst.element_id}" + (f" slot {b.slot}" if b.slot else "")
            sensor = sensors.get(b.eui)
            if sensor is None:
                p.add(where, Text("unknown sensor {eui}", eui=b.eui))
                continue
            if mill and sensor.mill_slug != mill:
                p.add(where, Text("sensor {eui} ({name}) belongs to mill {owner}, not {mill}", eui=b.eui,
                                  name=sensor.name, owner=sensor.mill_slug, mill=mill))
                continue
            if BindingKind.LEVEL in b.kinds and sensor.type is not SensorType.LEVEL and not b.slot:
                p.add(where, Text("level bar on a {type} sensor ({name}); check min/max",
                                  type=sensor.type.value, name=sensor.name))
            if b.slot:
                slot = next(s for s in SYMBOLS[inst.symbol] if s.name == b.slot)
                if BindingKind.RUNNING not in slot.kinds and sensor.type not in slot.types:
                    p.add(where, Text("slot {slot} expects {types}, got {type} ({name})", slot=b.slot,
                                      types="/".join(sorted(t.value for t in slot.types)), type=sensor.type.value,
                                      name=sensor.name))
            kept.append(b)
        if kept or inst.symbol:
            instances.append(Instance(inst.element_id, tuple(kept), inst.symbol))
    links: list[Link] = []
    names = None if schematic_names is None else set(schematic_names)
    for link in bindings.links:
        if ids is not None and link.element_id not in ids:
            p.add(f"link {link.element_id}", Text("no element with this id in the SVG"))
            continue
        if names is not None and link.target not in names:
            p.add(f"link {link.element_id}", Text("no schematic named {name!r}", name=link.target))
            continue
        links.append(link)
    out = SchematicBindings(bindings.name, bindings.title, bindings.mill, bindings.kind, bindings.order,
                            bindings.svg, tuple(instances), tuple(links))
    return Validated(out, p.items, mill)


def bindings_to_dict(bindings: SchematicBindings) -> dict[str, Any]:
    """The binding file form (for tomli_w): parses back to the same bindings."""
    out: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    if bindings.title:
        out["title"] = bindings.title
    if bindings.mill:
        out["mill"] = bindings.mill
    out["kind"] = bindings.kind.value
    out["order"] = bindings.order
    if bindings.svg:
        out["svg"] = bindings.svg
    binds: list[dict[str, Any]] = []
    for inst in bindings.instances:
        entry: dict[str, Any] = {"id": inst.element_id}
        first = inst.bindings[0] if inst.bindings else None
        if inst.symbol:
            entry["symbol"] = inst.symbol
            entry["sensors"] = {b.slot: b.eui for b in inst.bindings}
        elif first is not None:
            entry["sensor"] = first.eui
            if len(first.kinds) == 1:
                entry["kind"] = first.kinds[0].value
            else:
                entry["kinds"] = [k.value for k in first.kinds]
            if first.label:
                entry["label"] = first.label
        else:
            continue
        if first is not None:
            if first.range_min != 0.0:
                entry["min"] = first.range_min
            if first.range_max != 100.0:
                entry["max"] = first.range_max
            if first.running_above != 1.0:
                entry["running_above"] = first.running_above
        binds.append(entry)
    if binds:
        out["bind"] = binds
    links = [{"id": ln.element_id, "target": ln.target, **({"label": ln.label} if ln.label else {})}
             for ln in bindings.links]
    if links:
        out["link"] = links
    return out


def duplicate_ids(ids: Iterable[str]) -> list[str]:
    """Ids that occur more than once in an SVG (a binding to one of them would be ambiguous)."""
    seen: set[str] = set()
    dups: list[str] = []
    for i in ids:
        if i in seen and i not in dups:
            dups.append(i)
        seen.add(i)
    return dups
