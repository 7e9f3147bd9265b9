"""The binding editor: opens an SVG, lists its ids, binds symbols and sensors, validates unknown
sensors and duplicate ids, saves beside the SVG only with the right to edit the mill's sensors."""

from __future__ import annotations

import tomllib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from hmi.core.domain import Role
from hmi.core.plant import Plant
from hmi.core.schematic_bindings import BindingKind, parse_bindings
from hmi.ui.schematic_binding_editor import SchematicBindingEditor
from tests.services.test_schematic_library import TableSession

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200" viewBox="0 0 300 200">
<g id="silo9"><rect id="silo9__level" x="0" y="0" width="50" height="20"/></g>
<rect id="ti1" x="100" y="0" width="80" height="20"/><rect id="dup" x="0" y="50" width="5" height="5"/>
<rect id="dup" x="0" y="60" width="5" height="5"/></svg>"""


def test_bind_validate_and_save(qtbot, plant: Plant, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    svg = tmp_path / "north_extra.svg"
    svg.write_text(SVG, encoding="utf-8")
    session: list[TableSession | None] = [TableSession(Role.VIEWER)]
    editor = SchematicBindingEditor(plant, lambda: session[0])
    qtbot.addWidget(editor)
    assert editor.windowModality() == Qt.WindowModality.NonModal
    assert editor.open_svg(svg)
    assert [r.element_id for r in editor.model.rows] == ["silo9", "ti1", "dup"]  # anchors are not listed
    assert any("id dup: used by several elements" in p for p in editor.problems)
    editor.mill_box.setCurrentIndex(editor.mill_box.findData("north"))
    editor.select("silo9")
    editor.symbol_box.setCurrentIndex(editor.symbol_box.findData("silo"))
    assert set(editor.slot_boxes) == {"level", "temperature", "humidity"}
    level = editor.slot_boxes["level"]
    level.setCurrentIndex(level.findData("A1B2C3D4E5F61004"))
    editor.bind("ti1", kind=BindingKind.VALUE, sensors={"": "FFFFFFFFFFFFFFFF"})
    problems = editor.validate()
    assert any("unknown sensor FFFFFFFFFFFFFFFF" in p for p in problems)
    assert editor.save() is None and not (tmp_path / "north_extra.bindings.toml").exists()
    editor.bind("ti1", kind=BindingKind.VALUE, sensors={"": "A1B2C3D4E5F61007"})
    editor.bind("dup", sensors={})
    assert editor.save() is None  # duplicate ids still block, and a viewer may not save anyway
    assert any("several elements" in p for p in editor.problems)


def test_save_needs_permission_and_writes_a_file_that_parses_back(qtbot, plant: Plant, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    svg = tmp_path / "north_extra.svg"
    svg.write_text(SVG.replace('id="dup" x="0" y="60"', 'id="dup2" x="0" y="60"'), encoding="utf-8")
    session: list[TableSession | None] = [None]
    editor = SchematicBindingEditor(plant, lambda: session[0])
    qtbot.addWidget(editor)
    assert editor.open_svg(svg)
    editor.mill_box.setCurrentIndex(editor.mill_box.findData("north"))
    editor.bind("silo9", symbol="silo", sensors={"level": "A1B2C3D4E5F61004", "temperature": "A1B2C3D4E5F61005"})
    editor.bind("ti1", kind=BindingKind.VALUE, sensors={"": "A1B2C3D4E5F61007"})
    assert editor.save() is None and "sign in" in editor.problems[0]
    session[0] = TableSession(Role.VIEWER)
    assert editor.save() is None and editor.problems[0].startswith("Not saved:")
    session[0] = TableSession(Role.TECHNICIAN)
    path = editor.save()
    assert path == tmp_path / "north_extra.bindings.toml"
    b, problems = parse_bindings(tomllib.loads(path.read_text(encoding="utf-8")), "north_extra")
    assert problems == [] and b.mill == "north"
    assert [(i.element_id, i.symbol, i.euis) for i in b.instances] == [
        ("silo9", "silo", ("A1B2C3D4E5F61004", "A1B2C3D4E5F61005")), ("ti1", "", ("A1B2C3D4E5F61007",))]
    # reopening shows what was saved
    again = SchematicBindingEditor(plant, lambda: session[0])
    qtbot.addWidget(again)
    assert again.open_svg(svg)
    assert again.model.rows[0].symbol == "silo" and again.model.rows[1].sensors == {"": "A1B2C3D4E5F61007"}


def test_a_malformed_svg_is_refused_with_a_reason(qtbot, plant: Plant, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.svg"
    bad.write_text("<svg><g></svg>", encoding="utf-8")
    editor = SchematicBindingEditor(plant, lambda: None)
    qtbot.addWidget(editor)
    assert not editor.open_svg(bad)
    assert "not a usable SVG: not well-formed XML" in editor.problems[0]


def test_open_svg_asks_in_a_non_modal_file_dialog(qtbot, plant: Plant, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The file dialog must not block the main window (and its e-stop column): non-modal, Qt's own
    (a native one may be modal), sized before it is shown; choosing a file opens the drawing."""
    svg = tmp_path / "north_extra.svg"
    svg.write_text(SVG, encoding="utf-8")
    editor = SchematicBindingEditor(plant, lambda: None)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.file_dialog is None
    qtbot.mouseClick(editor.open_button, Qt.MouseButton.LeftButton)  # the conftest guard fails a modal one
    dialog = editor.file_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowModality() == Qt.WindowModality.NonModal
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    assert dialog.width() >= 820 and dialog.height() >= 520
    assert editor.choose_svg() is dialog  # asking again reuses the open dialog
    with qtbot.waitSignal(dialog.fileSelected):
        dialog.selectFile(str(svg))
        dialog.accept()
    assert editor.svg_path == svg and [r.element_id for r in editor.model.rows] == ["silo9", "ti1", "dup"]
    assert not dialog.isVisible()
    editor.choose_svg()
    editor.close()  # closing the editor closes its dialog
    assert not dialog.isVisible()
