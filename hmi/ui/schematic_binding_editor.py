"""The binding editor: for technicians and installers who drew a schematic in Inkscape.

Open an SVG, see its element ids, pick for each a symbol (which binds several sensors at once, one
per slot) or a single sensor and a kind of display, validate (unknown sensors, ids the SVG does not
have or has twice, sensors of another mill) and save the binding file beside the SVG. A window of
its own (`show()`), never application-modal: the e-stop column stays usable. Saving is checked by
the service (`save_bindings`: the right to edit the mill's sensors), not only by this button.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.core.permissions import PermissionDenied
from hmi.core.plant import Plant
from hmi.core.schematic_bindings import (
    ANCHOR_SEP,
    SYMBOLS,
    Binding,
    BindingKind,
    Instance,
    SchematicBindings,
    SchematicKind,
    SchematicProblem,
    bindings_to_dict,
    duplicate_ids,
    parse_bindings,
    validate_bindings,
)
from hmi.core.schematic_svg import SvgError, SvgInfo, read_svg_info
from hmi.services.schematic_library import Authorizer, bindings_path_for, default_folder, save_bindings, site_folder
from hmi.ui.domain_words import word
from hmi.ui.i18n import localise_file_dialog, message_text
from hmi.ui.schematic_screen import problem_text
from hmi.ui.schematic_view import BINDING_KINDS, SCHEMATIC_KINDS, slot_label, symbol_name
from hmi.ui.session_controller import bring_to_front
from hmi.ui.table_model import HeaderedTableModel

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
NONE = ""
MIN_SIZE = (900, 520)
# Problems that keep a binding file from being saved (matched on the English message, whatever the
# language shown).
BLOCKING = ("unknown sensor", "no element", "several elements")


def slot_text(slot: str) -> str:
    """A symbol slot's name as a user reads it ("bearing" -> "Bearing", translated)."""
    return slot_label(slot.replace("_", " ").capitalize())


@dataclass
class EditorRow:
    """One SVG id and what it is bound to: a symbol with a sensor per slot, or a kind and a sensor."""

    element_id: str
    label: str = ""
    symbol: str = NONE
    kind: BindingKind = BindingKind.VALUE
    sensors: dict[str, str] = field(default_factory=dict)  # slot ("" for a single binding) -> EUI

    @property
    def bound(self) -> bool:
        return any(self.sensors.values())


class BindingRowsModel(HeaderedTableModel):
    """The SVG's ids and their bindings, as a table (id, symbol or kind, sensors, check)."""

    HEADERS = (
        QT_TRANSLATE_NOOP("BindingRowsModel", "Element id"),
        QT_TRANSLATE_NOOP("BindingRowsModel", "Binding"),
        QT_TRANSLATE_NOOP("BindingRowsModel", "Sensors"),
        QT_TRANSLATE_NOOP("BindingRowsModel", "Check"),
    )
    HEADERS_CONTEXT = "BindingRowsModel"

    def __init__(self, names: dict[str, str]) -> None:
        super().__init__()
        self.rows: list[EditorRow] = []
        self.names = names  # EUI -> sensor name
        self.checks: dict[str, str] = {}

    def reset(self, rows: list[EditorRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.checks = {}
        self.endResetModel()

    def row_count(self) -> int:
        return len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.rows[index.row()]
        col = index.column()
        if col == 0:
            return row.element_id + (f"  ({row.label})" if row.label else "")
        if col == 1:
            if not row.bound:
                return ""
            if row.symbol:
                return self.tr("symbol {symbol}").format(symbol=symbol_name(row.symbol))
            return BINDING_KINDS.get(row.kind, row.kind.value)
        if col == 2:
            parts = [f"{slot_text(slot) + ': ' if slot else ''}{self.names.get(e, e)}"
                     for slot, e in row.sensors.items() if e]
            return ", ".join(parts)
        return self.checks.get(row.element_id, "")

    def changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def set_checks(self, checks: dict[str, str]) -> None:
        self.checks = checks
        if self.rows:
            self.dataChanged.emit(self.index(0, 3), self.index(len(self.rows) - 1, 3))


class SchematicBindingEditor(QWidget):
    """Edits one SVG's binding file. `session` returns the signed-in session (or None)."""

    saved = Signal(str)  # the binding file's path

    def __init__(self, plant: Plant, session: Callable[[], Authorizer | None], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("schematicEditor")
        self.setWindowTitle(self.tr("Schematic bindings"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.plant = plant
        self.session = session
        self.sensors = {s.eui: s for s in plant.sensors()}
        self.svg_path: Path | None = None
        self.info: SvgInfo | None = None
        self.problems: list[str] = []
        self._blocking: list[str] = []  # the last check's problems that keep the file from being saved
        self._loading = False
        self._existing = SchematicBindings("schematic")
        self.file_dialog: QFileDialog | None = None  # created by choose_svg(), then reused

        self.model = BindingRowsModel({e: f"{s.name} ({s.mill_slug})" for e, s in self.sensors.items()})
        self.table = QTableView(self)
        self.table.setObjectName("schematicEditorTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()

        self.open_button = QPushButton(self.tr("Open SVG…"), self)
        self.validate_button = QPushButton(self.tr("Validate"), self)
        self.save_button = QPushButton(self.tr("Save bindings"), self)
        self.path_label = QLabel(self.tr("No drawing open"), self)
        self.path_label.setObjectName("schematicEditorPath")
        self.mill_box = QComboBox(self)
        self.mill_box.addItem(self.tr("(from the sensors)"), "")
        for m in plant.mills:
            self.mill_box.addItem(m.name, m.slug)
        self.kind_box = QComboBox(self)
        for k in SchematicKind:
            self.kind_box.addItem(SCHEMATIC_KINDS.get(k, k.value.capitalize()), k.value)
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText(self.tr("Title shown on the schematic tab"))

        self.symbol_box = QComboBox(self)
        self.symbol_box.addItem(self.tr("(no symbol: one sensor)"), NONE)
        for name in sorted(SYMBOLS):
            self.symbol_box.addItem(symbol_name(name), name)
        self.binding_kind = QComboBox(self)
        for k in BindingKind:
            self.binding_kind.addItem(BINDING_KINDS.get(k, k.value), k.value)
        self.slots_host = QWidget(self)
        self.slots_form = QFormLayout(self.slots_host)
        self.slot_boxes: dict[str, QComboBox] = {}
        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("schematicEditorProblems")
        self.problems_label.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addWidget(self.path_label, 1)
        top.addWidget(self.validate_button)
        top.addWidget(self.save_button)
        head = QFormLayout()
        head.addRow(self.tr("Mill"), self.mill_box)
        head.addRow(self.tr("Screen"), self.kind_box)
        head.addRow(self.tr("Title"), self.title_edit)
        side = QVBoxLayout()
        side.addLayout(head)
        form = QFormLayout()
        form.addRow(self.tr("Symbol"), self.symbol_box)
        form.addRow(self.tr("Display"), self.binding_kind)
        side.addLayout(form)
        side.addWidget(self.slots_host)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addWidget(self.problems_label)
        # An explicit minimum size: the layout then never changes the window's size hints after show()
        # (changing them on a shown window warns "does not support propagateSizeHints" on some platforms).
        self.setMinimumSize(*MIN_SIZE)
        self.resize(1100, 640)

        self.open_button.clicked.connect(self.choose_svg)
        self.validate_button.clicked.connect(self.validate)
        self.save_button.clicked.connect(self.save)
        self.table.selectionModel().currentRowChanged.connect(self._on_row)
        self.symbol_box.currentIndexChanged.connect(self._on_symbol)
        self.binding_kind.currentIndexChanged.connect(self._on_kind)
        self._set_form_enabled(False)

    # -- opening ---------------------------------------------------------------------------------------------

    @Slot()
    def choose_svg(self) -> QFileDialog:
        """Ask for the drawing in a non-modal file dialog (a modal one, even window-modal, would block
        the main window and with it the e-stop column); the drawing opens on `fileSelected`. One
        dialog per editor, kept in `file_dialog`: asking again brings it to the front."""
        dialog = self.file_dialog
        if dialog is None or not shiboken6.isValid(dialog):
            start = self.svg_path.parent if self.svg_path is not None else site_folder()
            if not start.is_dir():
                start = default_folder()
            dialog = QFileDialog(self, self.tr("Open a schematic drawing"), str(start), self.tr("SVG drawings (*.svg)"))
            dialog.setObjectName("schematicEditorFileDialog")
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
            dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # a native one may be modal
            localise_file_dialog(dialog)
            dialog.setWindowModality(Qt.WindowModality.NonModal)
            dialog.setMinimumSize(820, 520)  # before show(): the Qt dialog's default is cramped
            dialog.fileSelected.connect(self._on_file_selected)
            self.file_dialog = dialog
        if dialog.isVisible():
            bring_to_front(dialog)
        else:
            dialog.show()
        return dialog

    @Slot(str)
    def _on_file_selected(self, path: str) -> None:
        self.open_svg(Path(path))

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the editor closes its file dialog too (a child window would otherwise stay up)."""
        if self.file_dialog is not None and shiboken6.isValid(self.file_dialog):
            self.file_dialog.close()
        super().closeEvent(event)

    def open_svg(self, path: Path) -> bool:
        """Load a drawing and its binding file (if any); False (with the reason shown) when unusable."""
        try:
            self.info = read_svg_info(path.read_bytes())
        except (OSError, SvgError) as exc:
            self._show_problems([self.tr("{file}: not a usable SVG: {error}").format(file=path.name,
                                                                                    error=message_text(exc))])
            log.warning("binding editor: %s: %s", path, exc)
            return False
        self.svg_path = path
        self.path_label.setText(str(path))
        existing = SchematicBindings(path.stem)
        problems: list[str] = []
        bpath = bindings_path_for(path)
        if bpath.is_file():
            try:
                existing, found = parse_bindings(tomllib.loads(bpath.read_text(encoding="utf-8")), path.stem)
                problems += [problem_text(p) for p in found]
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                problems.append(self.tr("{file}: cannot read ({error}); starting empty").format(
                    file=bpath.name, error=message_text(exc)))
        self._loading = True
        self.mill_box.setCurrentIndex(max(self.mill_box.findData(existing.mill), 0))
        self.kind_box.setCurrentIndex(max(self.kind_box.findData(existing.kind.value), 0))
        self.title_edit.setText(existing.title)
        self._loading = False
        by_id = {i.element_id: i for i in existing.instances}
        rows = []
        for eid in dict.fromkeys(self.info.ids):
            if ANCHOR_SEP in eid or eid.startswith("mw-status") or eid.startswith("mw-estop"):
                continue  # symbol anchors and the status places are not bound themselves
            row = EditorRow(eid, self.info.labels.get(eid, ""))
            inst = by_id.get(eid)
            if inst is not None:
                row.symbol = inst.symbol
                row.kind = inst.bindings[0].kinds[0] if inst.bindings and not inst.symbol else BindingKind.VALUE
                row.sensors = {b.slot: b.eui for b in inst.bindings}
            rows.append(row)
        self._existing = existing
        self.model.reset(rows)
        self._set_form_enabled(False)
        self._show_problems(problems + self._check())
        return True

    # -- editing ----------------------------------------------------------------------------------------------

    def row_index(self, element_id: str) -> int:
        return next(i for i, r in enumerate(self.model.rows) if r.element_id == element_id)

    def select(self, element_id: str) -> None:
        self.table.selectRow(self.row_index(element_id))

    def current(self) -> EditorRow | None:
        i = self.table.currentIndex()
        return self.model.rows[i.row()] if i.isValid() else None

    def _set_form_enabled(self, on: bool) -> None:
        for w in (self.symbol_box, self.binding_kind, self.slots_host):
            w.setEnabled(on)

    @Slot(QModelIndex, QModelIndex)
    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.current()
        self._set_form_enabled(row is not None)
        if row is None:
            return
        self._loading = True
        self.symbol_box.setCurrentIndex(max(self.symbol_box.findData(row.symbol), 0))
        self.binding_kind.setCurrentIndex(max(self.binding_kind.findData(row.kind.value), 0))
        self._loading = False
        self._build_slots(row)

    def _sensor_box(self, eui: str) -> QComboBox:
        box = QComboBox(self.slots_host)
        box.addItem(self.tr("(not bound)"), "")
        mill = self.mill_box.currentData()
        for s in self.plant.sensors():
            if not mill or s.mill_slug == mill:
                box.addItem(f"{s.name} · {word(s.type)} · {s.mill_slug} ({s.eui})", s.eui)
        index = box.findData(eui)
        if index < 0 and eui:
            # keep what the file says, validation names it
            box.addItem(self.tr("unknown sensor {eui}").format(eui=eui), eui)
            index = box.count() - 1
        box.setCurrentIndex(max(index, 0))
        return box

    def _build_slots(self, row: EditorRow) -> None:
        while self.slots_form.rowCount():
            self.slots_form.removeRow(0)
        self.slot_boxes = {}
        slots = [s.name for s in SYMBOLS[row.symbol]] if row.symbol else [""]
        self.binding_kind.setEnabled(not row.symbol)
        for slot in slots:
            box = self._sensor_box(row.sensors.get(slot, ""))
            box.currentIndexChanged.connect(self._on_sensor)
            self.slot_boxes[slot] = box
            self.slots_form.addRow(slot_text(slot) if slot else self.tr("Sensor"), box)

    @Slot(int)
    def _on_symbol(self, _index: int) -> None:
        row = self.current()
        if row is None or self._loading:
            return
        row.symbol = self.symbol_box.currentData() or NONE
        row.sensors = {}
        self._build_slots(row)
        self.model.changed(self.table.currentIndex().row())

    @Slot(int)
    def _on_kind(self, _index: int) -> None:
        row = self.current()
        if row is None or self._loading:
            return
        row.kind = BindingKind(self.binding_kind.currentData())
        self.model.changed(self.table.currentIndex().row())

    @Slot(int)
    def _on_sensor(self, _index: int) -> None:
        row = self.current()
        if row is None:
            return
        row.sensors = {slot: box.currentData() for slot, box in self.slot_boxes.items() if box.currentData()}
        self.model.changed(self.table.currentIndex().row())

    def bind(self, element_id: str, *, symbol: str = NONE, kind: BindingKind = BindingKind.VALUE,
             sensors: dict[str, str]) -> None:
        """Set a row's binding (what the form does; also for scripts and tests)."""
        i = self.row_index(element_id)
        row = self.model.rows[i]
        row.symbol, row.kind, row.sensors = symbol, kind, dict(sensors)
        self.model.changed(i)
        if self.current() is row:
            self._on_row(self.table.currentIndex(), QModelIndex())

    # -- validation and saving -----------------------------------------------------------------------------

    def bindings(self) -> SchematicBindings:
        name = self.svg_path.stem if self.svg_path else "schematic"
        instances = []
        for row in self.model.rows:
            if not row.bound:
                continue
            if row.symbol:
                kinds = {s.name: s.kinds for s in SYMBOLS[row.symbol]}
                bs = tuple(Binding(row.element_id, e, kinds.get(slot, (BindingKind.VALUE,)), slot)
                           for slot, e in row.sensors.items() if e)
            else:
                bs = (Binding(row.element_id, row.sensors.get("", ""), (row.kind,)),)
            instances.append(Instance(row.element_id, bs, row.symbol))
        return SchematicBindings(name, self.title_edit.text().strip(), self.mill_box.currentData() or "",
                                 SchematicKind(self.kind_box.currentData()), self._existing.order,
                                 self._existing.svg, tuple(instances), self._existing.links)

    def _check(self) -> list[str]:
        """Every problem in the user's language; those that block saving also go to `_blocking`."""
        self._blocking = []
        if self.info is None:
            return [self.tr("open an SVG first")]
        b = self.bindings()
        out = []
        for d in duplicate_ids(self.info.ids):
            text = self.tr("id {id}: used by several elements in the SVG; rename one in Inkscape (Object properties)"
                           ).format(id=d)
            out.append(text)
            self._blocking.append(text)
        # the file as it will be written must parse back: round-trip through its own format
        reparsed, problems = parse_bindings(bindings_to_dict(b), b.name)
        checked = validate_bindings(reparsed, self.sensors, self.plant.mills, self.info.ids)
        found: list[SchematicProblem] = [*problems, *checked.problems]
        for p in found:
            text = problem_text(p)
            out.append(text)
            if any(words in str(p) for words in BLOCKING):
                self._blocking.append(text)
        checks = {}
        for p in checked.problems:
            eid = p.where.split()[1] if p.where.startswith("id ") else ""
            if eid:
                checks[eid] = message_text(p.message)
        for row in self.model.rows:
            if row.bound and row.element_id not in checks:
                checks[row.element_id] = self.tr("ok")
        self.model.set_checks(checks)
        return out

    @Slot()
    def validate(self) -> list[str]:
        problems = self._check()
        self._show_problems(problems)
        return problems

    @Slot()
    def save(self) -> Path | None:
        """Validate, then write `<name>.bindings.toml` beside the SVG; None when refused."""
        if self.svg_path is None:
            self._show_problems([self.tr("open an SVG first")])
            return None
        problems = self.validate()
        if self._blocking:
            self._show_problems([self.tr("Not saved: fix these first."), *problems])
            return None
        session = self.session()
        if session is None:
            self._show_problems([self.tr("Not saved: sign in first.")])
            return None
        path = bindings_path_for(self.svg_path)
        try:
            save_bindings(path, self.bindings(), session)
        except PermissionDenied as exc:
            self._show_problems([self.tr("Not saved: {reason}").format(reason=message_text(exc))])
            return None
        except OSError as exc:
            self._show_problems([self.tr("Not saved: cannot write {path}: {error}").format(path=path, error=exc)])
            return None
        self._show_problems([self.tr("Saved {file}").format(file=path.name), *problems])
        self.saved.emit(str(path))
        return path

    def _show_problems(self, problems: list[str]) -> None:
        self.problems = problems
        self.problems_label.setText("\n".join(problems) if problems else self.tr("No problems found."))
