"""The alarm banner and the annunciator: counts, blinking only while unacknowledged, flood grouping,
first-out, acknowledge and silence (which is not acknowledge)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from hmi.core.alarms import AlarmKind, AlarmState
from hmi.core.domain import Severity
from hmi.core.plant import Plant
from hmi.ui.alarm_banner import BANNER_HEIGHT, CHIP_NAMES, AlarmBanner
from hmi.ui.alarm_list import AlarmList, AlarmTexts
from hmi.ui.alarm_model import AlarmTableModel
from hmi.ui.annunciator import Annunciator
from tests.ui.alarm_fakes import FakeNotifier, FakePlayer
from tests.ui.alarm_samples import acked, make_alarm, mixed_alarms


class Rig:
    """Banner + annunciator over one alarm model, wired as the main window wires them."""

    def __init__(self, qtbot, plant: Plant, clock, *, active: bool = True, repeat_ms: int = 3000) -> None:
        self.alarms = AlarmList()
        self.texts = AlarmTexts(plant, clock)
        self.banner = AlarmBanner(self.alarms, self.texts, now=clock)
        # Every QObject gets a parent: deleted with the banner on the GUI thread, never by Python's
        # garbage collector on whatever thread happens to run it (Qt warns, or worse, about timers).
        self.model = AlarmTableModel(self.alarms, self.texts, self.banner)
        self.banner.setFixedSize(1280, BANNER_HEIGHT)  # a top-level in the test: fixed, no size-hint changes
        self.player = FakePlayer()
        self.notifier = FakeNotifier()
        self.active = active
        self.annunciator = Annunciator(
            self.alarms,
            self.texts,
            self.player,
            notifier=self.notifier,
            window_active=lambda: self.active,
            repeat_ms=repeat_ms,
            parent=self.banner,
        )
        self.model.alarmsUpdated.connect(self.banner.refresh)
        self.model.alarmsUpdated.connect(self.annunciator.on_updates)
        self.banner.silenceRequested.connect(self.annunciator.silence)
        self.annunciator.soundingChanged.connect(self.banner.set_sounding)
        self.acks: list[list] = []
        self.banner.acknowledgeRequested.connect(self.acks.append)
        qtbot.addWidget(self.banner)
        self.banner.show()
        qtbot.waitExposed(self.banner)


@pytest.fixture
def rig(qtbot, themed_app, plant: Plant, clock) -> Rig:
    return Rig(qtbot, plant, clock)


def test_calm_and_grey_without_alarms(rig: Rig) -> None:
    b = rig.banner
    assert b.property("calm") == "true"
    assert b.idle.isVisible() and b.idle.text() == "No active alarms"
    assert all(c.property("look") == "idle" and c.count.text() == "0" for c in b.chips.values())
    assert not b.blinking
    assert not b.ack_button.isEnabled() and not b.ack_all_button.isEnabled()
    assert not b.silence_button.isEnabled()
    assert b.height() == BANNER_HEIGHT


def test_counts_lines_flood_and_first_out(qtbot, rig: Rig, plant: Plant, clock, artifacts_dir: Path) -> None:
    rig.model.apply(mixed_alarms(plant, clock()))
    b = rig.banner
    assert b.property("calm") == "false"
    assert {p: c.count.text() for p, c in b.chips.items()} == {
        Severity.EMERGENCY: "1",
        Severity.CRITICAL: "3",
        Severity.WARNING: "12",
    }
    items = b.items()
    assert len(items) == 3 and all(line.isVisible() for line in b.lines)
    estop, flood, low = items
    assert estop.alarm.kind is AlarmKind.ESTOP and estop.flood is None
    assert b.lines[0].tag.text() == "EMERG" and b.lines[0].mark.isVisible()  # first out: "1st"
    assert flood.flood is not None and flood.flood.mill == "north"
    assert b.lines[1].tag.text() == "FLOOD"
    assert b.lines[1].what.full_text().startswith("North Mill: 12 alarms in 10 min \u00b7 9 unacked")
    assert "1st out B1 roller bearing high high" in b.lines[1].what.full_text()
    assert low.alarm.key.kind is AlarmKind.LOW and low.alarm.mill == "south"
    assert b.lines[2].what.full_text() == "South Mill \u00b7 Intake grain moisture"
    assert b.lines[2].value.text() == "10.1 %"
    assert not b.lines[2].mark.isVisible()
    # the flood line stands for its whole group: "Ack all visible" takes them all
    assert len(b.visible_keys()) == 1 + 9 + 1
    assert b.top_key() == estop.alarm.key
    qtbot.wait(50)  # let the layout place the lines it just showed
    b.grab().save(str(artifacts_dir / "alarm_banner.png"))
    image = QImage(str(artifacts_dir / "alarm_banner.png"))
    assert image.height() == BANNER_HEIGHT


def test_blinks_only_while_unacknowledged(qtbot, rig: Rig, clock) -> None:
    crit = make_alarm("north", "A1B2C3D4E5F6100B", AlarmKind.HIGH_HIGH, clock() - 30, value=80.0)
    rig.model.apply([crit])
    b = rig.banner
    chip = b.chips[Severity.CRITICAL]
    assert b.blinking
    looks: set[str] = set()
    tags: set[str] = set()

    def seen_both() -> bool:
        looks.add(chip.property("look"))
        tags.add(b.lines[0].tag.property("look"))
        return looks == {"filled", "outlined"} and tags == {"filled", "outlined"}

    qtbot.waitUntil(seen_both, timeout=3000)  # the 1 Hz timer toggles the property
    widgets_before = (chip, chip.count, b.lines[0], b.lines[0].tag)
    rig.model.apply([acked(crit, clock())])
    assert not b.blinking
    assert chip.property("look") == "filled"  # acknowledged and still active: steady colour
    assert chip.count.text() == "1"
    assert b.idle.text() == "All alarms acknowledged \u00b7 1 still active"
    qtbot.wait(1200)
    assert chip.property("look") == "filled"
    assert (chip, chip.count, b.lines[0], b.lines[0].tag) == widgets_before  # never recreated


def test_acknowledge_buttons_request_the_top_and_the_visible(qtbot, rig: Rig, plant: Plant, clock) -> None:
    alarms = mixed_alarms(plant, clock())
    rig.model.apply(alarms)
    qtbot.mouseClick(rig.banner.ack_button, Qt.MouseButton.LeftButton)
    estop = next(a for a in alarms if a.kind is AlarmKind.ESTOP)
    assert rig.acks == [[estop.key]]
    qtbot.mouseClick(rig.banner.ack_all_button, Qt.MouseButton.LeftButton)
    assert set(rig.acks[1]) == {a.key for a in alarms if a.announced and a.unacked}


def test_silence_stops_the_horn_without_acknowledging(qtbot, themed_app, plant: Plant, clock) -> None:
    rig = Rig(qtbot, plant, clock, repeat_ms=40)
    first = make_alarm("north", "A1B2C3D4E5F6100B", AlarmKind.HIGH_HIGH, clock(), value=80.0)
    rig.model.apply([first])
    assert rig.annunciator.sounding and rig.player.plays == 1
    assert rig.banner.silence_button.isEnabled() and rig.banner.silence_button.property("sounding") == "true"
    qtbot.waitUntil(lambda: rig.player.plays >= 3, timeout=2000)  # repeats until silenced

    qtbot.mouseClick(rig.banner.silence_button, Qt.MouseButton.LeftButton)
    assert not rig.annunciator.sounding and rig.player.stops == 1
    plays = rig.player.plays
    qtbot.wait(200)
    assert rig.player.plays == plays
    assert rig.acks == []  # silence is not acknowledge
    assert rig.alarms.get(first.key) == first and first.unacked
    assert rig.banner.blinking  # still unacknowledged: still blinking
    assert not rig.banner.silence_button.isEnabled()

    # a change of an alarm already announced does not sound again ...
    rig.model.apply([replace(first, value=81.0, changed_at=clock() + 1)])
    assert not rig.annunciator.sounding
    # ... a new one does
    rig.model.apply([make_alarm("north", "A1B2C3D4E5F6100C", AlarmKind.HIGH, clock() + 2, value=50.0)])
    assert rig.annunciator.sounding and rig.player.plays == plays + 1


def test_horn_stops_when_everything_is_acknowledged(themed_app, qtbot, plant: Plant, clock) -> None:
    rig = Rig(qtbot, plant, clock)
    a = make_alarm("north", "A1B2C3D4E5F6100B", AlarmKind.HIGH_HIGH, clock(), value=80.0)
    info = make_alarm("north", "A1B2C3D4E5F6100C", AlarmKind.HIGH, clock(), priority=Severity.INFO)
    rig.model.apply([info])
    assert not rig.annunciator.sounding  # below the annunciation priority (WARNING)
    rig.model.apply([a])
    assert rig.annunciator.sounding
    rig.model.apply([acked(a, clock() + 5)])
    assert not rig.annunciator.sounding and rig.player.stops == 1


def test_desktop_notification_only_when_the_window_is_not_active(themed_app, qtbot, plant: Plant, clock) -> None:
    rig = Rig(qtbot, plant, clock, active=True)
    rig.model.apply([make_alarm("south", "", AlarmKind.ESTOP, clock())])
    assert rig.notifier.notices == []
    rig.active = False
    rig.model.apply(
        [
            make_alarm("north", "A1B2C3D4E5F6100B", AlarmKind.HIGH_HIGH, clock(), value=80.0),
            make_alarm("north", "A1B2C3D4E5F6100C", AlarmKind.HIGH, clock(), value=50.0),
        ]
    )
    assert len(rig.notifier.notices) == 1
    title, text, priority = rig.notifier.notices[0]
    assert priority is Severity.CRITICAL and "CRITICAL" in title
    assert text.startswith("CRITICAL \u00b7 North Mill \u00b7 B1 roller bearing high high 80.0 \u00b0C")
    assert "+1 more new alarm" in text


def test_returned_unacknowledged_alarm_says_cleared(rig: Rig, clock) -> None:
    a = make_alarm("north", "A1B2C3D4E5F6100B", AlarmKind.HIGH_HIGH, clock(), value=80.0)
    rig.model.apply([replace(a, state=AlarmState.UNACK_RTN, changed_at=clock() + 60)])
    assert rig.banner.lines[0].kind.text() == "high high \u00b7 cleared"


def _fits(w: QLabel | QPushButton, air: int = 0) -> bool:
    return w.fontMetrics().horizontalAdvance(w.text()) + air <= w.width()


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_narrow_banner_keeps_room_for_the_source(qtbot, themed_app, plant: Plant, clock, language: str) -> None:
    """At a 1024 px window the operator still reads WHICH sensor is in alarm (>= 200 px for mill and
    source), in English and in Dutch; nothing is cut or on top of something else, the priority tags and
    the "1st" mark stay; a wide banner is the roomy design again."""
    from hmi.ui.alarm_banner import COMPACT, NO_TIME, ROOMY
    from hmi.ui.i18n import install_language, remove_language

    if language == "nl":
        install_language("nl")
    try:
        window = QWidget()  # the banner across a window, as in the main window
        qtbot.addWidget(window)
        window.setMinimumSize(600, BANNER_HEIGHT)  # fixed limits: a shown top-level window must not change them
        window.setMaximumSize(4000, BANNER_HEIGHT)
        alarms_list = AlarmList()
        texts = AlarmTexts(plant, clock)
        b = AlarmBanner(alarms_list, texts, now=clock, parent=window)
        model = AlarmTableModel(alarms_list, texts, b)
        model.alarmsUpdated.connect(b.refresh)
        layout = QVBoxLayout(window)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(b)
        window.resize(1280, BANNER_HEIGHT)
        window.show()
        qtbot.waitExposed(window)
        s = plant.sensors()
        two = [make_alarm("south", s[20].eui, AlarmKind.HIGH_HIGH, clock() - 60, value=28.6),
               make_alarm("north", s[10].eui, AlarmKind.HIGH_HIGH, clock() - 80, value=79.2)]
        for alarms in (two, mixed_alarms(plant, clock())):
            model.apply(alarms)
            window.resize(1024, BANNER_HEIGHT)  # the main window's width on a 1024x768 panel PC
            qtbot.wait(50)
            assert b.layout_mode in (COMPACT, NO_TIME)
            lines = [line for line in b.lines if line.isVisible()]
            assert lines
            for line in lines:
                parts = [w for w in (line.tag, line.time, line.what, line.kind, line.value, line.mark) if w.isVisible()]
                assert line.what.width() >= 200, (line.what.full_text(), line.what.width())
                for i, first in enumerate(parts):
                    assert all(not first.geometry().intersects(o.geometry()) for o in parts[i + 1:]), first.objectName()
                for w in parts:
                    if w is not line.what:
                        assert _fits(w), (w.objectName(), w.text(), w.width())
                if line.item is not None and line.item.flood is None and line.item.alarm.first_out:
                    assert line.mark.isVisible()
                assert line.tag.property("priority") == line.item.alarm.priority.value  # type: ignore[union-attr]
            assert b.layout_mode == COMPACT or all(line.time.isHidden() for line in lines)
            assert all(_fits(c.name) for c in b.chips.values())
            for button in (b.ack_button, b.silence_button, b.ack_all_button, b.list_button):
                assert _fits(button, 8), button.text()
            b.set_sounding(True)
            assert _fits(b.silence_button, 8)
            b.set_sounding(False)
            chips_right = max(c.geometry().right() for c in b.chips.values())
            assert chips_right < min(line.geometry().left() for line in lines)
            assert max(line.geometry().right() for line in lines) < b.ack_button.geometry().left()
            window.resize(1280, BANNER_HEIGHT)
            qtbot.wait(50)
            assert b.layout_mode == ROOMY
            assert [c.name.text() for c in b.chips.values()] == [
                CHIP_NAMES[p] for p in (Severity.EMERGENCY, Severity.CRITICAL, Severity.WARNING)
            ]
            shown = [line for line in b.lines if line.isVisible()]
            assert all(line.time.isVisible() and line.time.text().count(":") == 2 for line in shown)
    finally:
        if language == "nl":
            remove_language()
