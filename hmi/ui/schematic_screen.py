"""The Schematics screen: a mill's process graphics with live values.

A bar on top selects the mill and one of its schematics (overview first, then detail screens; the
drawings' own navigation links switch too), shows the mill's status and e-stop state when the
drawing has no place for them, and zooms. Below the drawing a problems strip lists, in plain words,
whatever is wrong with the schematic files (missing or malformed SVG, unknown sensors or ids): the
rest of the graphic still works. The real e-stop buttons stay in the column beside every screen.

Wiring (the app): `bridge.valuesChanged -> on_values`, `bridge.alarmsChanged -> on_alarms`,
`banner.blinkChanged -> set_blink`, `set_mill_status(slug, status)`, `set_estop_state(slug, text)`;
`sensorActivated(eui)` opens the sensor's faceplate.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hmi.core.alarms import Alarm, AlarmKind
from hmi.core.domain import MillStatus, Reading
from hmi.core.plant import Plant
from hmi.core.schematic_bindings import SchematicProblem
from hmi.services.schematic_library import LoadedSchematic, SchematicLibrary
from hmi.ui.domain_words import MILL_STATUS
from hmi.ui.i18n import message_text, translate
from hmi.ui.schematic_view import SCHEMATIC_KINDS, SchematicView, palette_from_theme

log = logging.getLogger(__name__)

STALE_TICK_MS = 1000
MAX_PROBLEM_LINES = 4
# The titles of the schematics shipped with the demo plant, translated when a tab shows them; a
# site's own titles are its data and are shown as written.
SHIPPED_TITLES = (QT_TRANSLATE_NOOP("SchematicTitles", "Overview"),
                  QT_TRANSLATE_NOOP("SchematicTitles", "Cleaning house"))


def schematic_title(title: str) -> str:
    return translate("SchematicTitles", title) if title in SHIPPED_TITLES else title


def problem_text(p: SchematicProblem) -> str:
    """A problem of the schematic files with its message in the user's language (the schematic's
    name and the place in the file as they are written)."""
    message = message_text(p.message)
    return f"{p.schematic}: {p.where}: {message}" if p.where else f"{p.schematic}: {message}"


class SchematicScreen(QWidget):
    """Process graphics of the plant's mills. `folders`: where schematics are looked for (the
    built-in folder when None); later folders override earlier ones by name."""

    sensorActivated = Signal(str)
    editRequested = Signal()  # "Edit bindings…" (technicians and admins: the workspace shows the button)
    schematicChanged = Signal(str)

    def __init__(self, plant: Plant, folders: Sequence[Path] | None = None, parent: QWidget | None = None, *,
                 now: Callable[[], float] = time.time, library: SchematicLibrary | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("schematicScreen")
        self.plant = plant
        self.library = library or SchematicLibrary(plant, folders)
        self._latest: dict[str, Reading] = {}
        self._alarms: dict[object, Alarm] = {}
        self._status: dict[str, MillStatus | str] = {m.slug: m.status for m in plant.mills}
        self._estop: dict[str, tuple[str, bool, bool]] = {}
        self.mill = ""

        self.bar = QFrame(self)
        self.bar.setObjectName("schematicBar")
        bar = QHBoxLayout(self.bar)
        bar.setContentsMargins(12, 6, 12, 6)
        bar.setSpacing(8)
        self.mill_box = QComboBox(self.bar)
        self.mill_box.setObjectName("schematicMill")
        for m in plant.mills:
            self.mill_box.addItem(m.name, m.slug)
        bar.addWidget(self.mill_box)
        self.tabs_host = QWidget(self.bar)
        self.tabs_layout = QHBoxLayout(self.tabs_host)
        self.tabs_layout.setContentsMargins(8, 0, 0, 0)
        self.tabs_layout.setSpacing(2)
        self.tabs = QButtonGroup(self)
        self.tabs.setExclusive(True)
        bar.addWidget(self.tabs_host)
        bar.addStretch(1)
        self.status_label = QLabel(self.bar)
        self.status_label.setObjectName("schematicMillStatus")
        self.estop_label = QLabel(self.bar)
        self.estop_label.setObjectName("schematicEstop")
        bar.addWidget(self.status_label)
        bar.addWidget(self.estop_label)
        self.fit_button = self._tool(self.tr("Fit"), self.tr("Zoom to fit the whole drawing"))
        self.zoom_out = self._tool("\u2212", self.tr("Zoom out (or turn the mouse wheel)"))
        self.zoom_in = self._tool("+", self.tr("Zoom in (or turn the mouse wheel); drag to pan"))
        for b in (self.zoom_out, self.zoom_in, self.fit_button):
            bar.addWidget(b)
        self.edit_button = QPushButton(self.tr("Edit bindings…"), self.bar)
        self.edit_button.setObjectName("schematicEdit")
        self.edit_button.setToolTip(self.tr("Bind the drawing's elements to sensors (technicians and admins)"))
        self.edit_button.setVisible(False)
        self.edit_button.clicked.connect(self.editRequested)
        bar.addWidget(self.edit_button)

        self.view = SchematicView(plant, self, now=now, palette=palette_from_theme())
        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("schematicProblems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.RichText)
        self.problems_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.problems_label)

        self.mill_box.currentIndexChanged.connect(self._on_mill_index)
        self.tabs.idClicked.connect(self._on_tab)
        self.view.linkActivated.connect(self.show_schematic)
        self.view.sensorActivated.connect(self.sensorActivated)
        self.fit_button.clicked.connect(self.view.zoom_to_fit)
        self.zoom_in.clicked.connect(lambda: self.view.zoom_by(1.25))
        self.zoom_out.clicked.connect(lambda: self.view.zoom_by(0.8))
        self._timer = QTimer(self)
        self._timer.setInterval(STALE_TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._tab_names: list[str] = []
        self._problem_texts: list[str] = []
        if plant.mills:
            self.select_mill(plant.mills[0].slug)

    def _tool(self, text: str, tip: str) -> QPushButton:
        b = QPushButton(text, self.bar)
        b.setObjectName("schematicTool")
        b.setToolTip(tip)
        b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return b

    # -- navigation ---------------------------------------------------------------------------------------

    def schematics_of(self, slug: str) -> list[LoadedSchematic]:
        return self.library.for_mill(slug) + self.library.unassigned()

    def current_name(self) -> str:
        s = self.view.schematic
        return "" if s is None else s.name

    def select_mill(self, slug: str) -> None:
        index = self.mill_box.findData(slug)
        if index < 0:
            return
        if self.mill_box.currentIndex() != index:
            self.mill_box.setCurrentIndex(index)  # comes back through _on_mill_index
            return
        self.mill = slug
        for b in self.tabs.buttons():
            self.tabs.removeButton(b)
            self.tabs_layout.removeWidget(b)
            b.hide()  # gone now, deleted once the event loop runs
            b.deleteLater()
        self._tab_names = []
        for i, s in enumerate(self.schematics_of(slug)):
            b = QPushButton(schematic_title(s.label), self.tabs_host)
            b.setObjectName("schematicTab")
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            b.setToolTip(f"{s.name} ({SCHEMATIC_KINDS.get(s.kind, s.kind.value)})")
            self.tabs.addButton(b, i)
            self.tabs_layout.addWidget(b)
            self._tab_names.append(s.name)
        if self._tab_names:
            self.show_schematic(self._tab_names[0])
        else:
            self.view.clear()
            missing = self.tr("no schematic for mill {mill}").format(mill=slug)
            self._show_problems([SchematicProblem(self.tr("library"), "", missing)])
            self._update_bar()

    @Slot(int)
    def _on_mill_index(self, index: int) -> None:
        slug = self.mill_box.itemData(index)
        if isinstance(slug, str):
            self.select_mill(slug)

    @Slot(int)
    def _on_tab(self, index: int) -> None:
        if 0 <= index < len(self._tab_names):
            self.show_schematic(self._tab_names[index])

    @Slot(str)
    def show_schematic(self, name: str) -> bool:
        """Show a schematic by name (a tab, a link in a drawing); False when there is none."""
        s = self.library.get(name)
        if s is None:
            log.warning("schematic link to unknown schematic %r", name)
            self._show_problems([SchematicProblem(self.current_name() or self.tr("schematic"), "link",
                                                  self.tr("no schematic named {name}").format(name=repr(name)))])
            return False
        if s.mill and s.mill != self.mill:
            self.select_mill(s.mill)
            if self.current_name() == name:
                return True
        render_problems = self.view.load(s)
        if self.mill:
            self._apply_mill_state(self.mill)
        self.view.on_alarms(self._alarms.values())
        self.view.on_values({e: r for e, r in self._latest.items() if e in self.view.bound_euis()})
        if name in self._tab_names:
            button = self.tabs.button(self._tab_names.index(name))
            if button is not None:
                button.setChecked(True)
        problems = list(s.problems) + [SchematicProblem(s.name, "", p) for p in render_problems]
        problems += [p for p in self.library.problems]
        self._show_problems(problems)
        self._update_bar()
        self.schematicChanged.emit(name)
        return True

    # -- problems ------------------------------------------------------------------------------------------

    def problems(self) -> list[str]:
        return self._problem_texts

    def _show_problems(self, problems: Iterable[SchematicProblem]) -> None:
        texts = [problem_text(p) for p in problems]
        self._problem_texts = texts
        if not texts:
            self.problems_label.hide()
            self.problems_label.clear()
            return
        if len(texts) == 1:
            head = self.tr("<b>1 problem in the schematic files</b> "
                           "(the rest of the graphic works; fix the files and reopen the screen):")
        else:
            head = self.tr("<b>{n} problems in the schematic files</b> "
                           "(the rest of the graphic works; fix the files and reopen the screen):").format(n=len(texts))
        lines = [escape(t, quote=False) for t in texts[:MAX_PROBLEM_LINES]]
        if len(texts) > MAX_PROBLEM_LINES:
            lines.append(self.tr("… and {n} more (hover to see all)").format(n=len(texts) - MAX_PROBLEM_LINES))
        self.problems_label.setText(head + "<br>" + "<br>".join("\u2022 " + t for t in lines))
        self.problems_label.setToolTip("\n".join(texts))
        self.problems_label.show()

    # -- live data ------------------------------------------------------------------------------------------

    @Slot(object)
    def on_values(self, values: Mapping[str, Reading]) -> None:
        self._latest.update(values)
        self.view.on_values(values)

    @Slot(object)
    def on_alarms(self, alarms: list[Alarm]) -> None:
        for a in alarms:
            if a.finished:
                self._alarms.pop(a.key, None)
            else:
                self._alarms[a.key] = a
        self.view.on_alarms(alarms)
        if any(a.kind is AlarmKind.ESTOP for a in alarms):
            self._update_bar()

    @Slot(str, object)
    def set_mill_status(self, slug: str, status: MillStatus | str) -> None:
        self._status[slug] = status
        if slug == self.mill:
            self._apply_mill_state(slug)
            self._update_bar()

    @Slot(str, str)
    def set_estop_state(self, slug: str, text: str, alarming: bool = False, latched: bool = False) -> None:
        """The mill's stop state in words (hmi/core/estop.py `describe`); `alarming` for the
        not-confirmed / not-stopped states, `latched` while a stop is in force."""
        self._estop[slug] = (text, alarming, latched)
        if slug == self.mill:
            self._apply_mill_state(slug)
            self._update_bar()

    def _estop_state(self, slug: str) -> tuple[str, bool, bool]:
        """(text, alarming, latched) of the mill's stop; "Ready" until the e-stop column says."""
        return self._estop.get(slug) or (self.tr("Ready"), False, False)

    def _apply_mill_state(self, slug: str) -> None:
        self.view.set_mill_status(self._status.get(slug, ""))
        text, alarming, latched = self._estop_state(slug)
        self.view.set_estop_state(text, alarming=alarming, latched=latched)

    def _update_bar(self) -> None:
        """Mill status and e-stop state in the bar, when the drawing has no place for them."""
        status = self._status.get(self.mill, "")
        text, alarming, _latched = self._estop_state(self.mill)
        on_drawing_status = self.view.status_item is not None
        on_drawing_estop = self.view.estop_item is not None
        self.status_label.setVisible(not on_drawing_status and bool(self.mill))
        self.estop_label.setVisible(not on_drawing_estop and bool(self.mill))
        try:
            label = MILL_STATUS[MillStatus(status)]
        except ValueError:
            label = str(status).capitalize()
        self.status_label.setText(self.tr("Mill status: <b>{status}</b>").format(status=escape(label)))
        self.status_label.setProperty("status", str(status))
        self.estop_label.setText(self.tr("E-stop: <b>{state}</b>").format(state=escape(text)))
        self.estop_label.setProperty("estop", "alarm" if alarming else "normal")

    @Slot(bool)
    def set_blink(self, on: bool) -> None:
        """The alarm banner's blink phase (`AlarmBanner.blinkChanged`): the one shared timer that
        makes unacknowledged alarms blink everywhere in step; only their indicators change here."""
        self.view.set_blink(on)

    @Slot()
    def _tick(self) -> None:
        self.view.tick()

    def shutdown(self) -> None:
        self._timer.stop()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide:
            self._timer.stop()
        elif event.type() == QEvent.Type.Show:
            self._timer.start()
            self.view.tick()
        return super().event(event)
