"""The shell in Dutch: the main window, its navigation, header, status bar, sign-in, lock, the Session
menu (with Session > Language), quick search, shortcuts, torn-off screens and the e-stop column.

The e-stop's words are safety-critical: every state of hmi/core/estop.py `describe` is shown
translated, in full sentences. Screens keep a stable English name (saved per workstation, taken by
`millwatch --screen NAME`) whatever language their tabs are shown in.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QMenu, QWidget

from hmi.core.estop import EstopAttempt, EstopState, PathResult, describe
from hmi.core.estop import Path as EstopPath
from hmi.core.plant import Plant
from hmi.services.alarm_service import AlarmActions
from hmi.services.audit_service import AuditService
from hmi.services.estop_service import EstopStatus
from hmi.ui.bridge import LiveBridge
from hmi.ui.estop_panel import state_text
from hmi.ui.i18n import LANGUAGE_KEY, current_language, install_language, remove_language, saved_language
from hmi.ui.main_window import MainWindow, Screen
from hmi.ui.run import run_gui
from hmi.ui.window_state import SCREEN, WindowState, workstation_settings
from hmi.ui.workspace import Workspace, WorkspaceServices
from tests.ui.test_sign_in import PW, Services, build

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "resources" / "i18n" / "nl" / "shell.ts"
WORD = re.compile(r"[A-Za-z]{3,}")


def _sources() -> dict[str, str]:
    """English source -> Dutch of the shell's catalogue, where the Dutch differs."""
    out: dict[str, str] = {}
    for msg in ET.parse(CATALOGUE).getroot().iter("message"):
        source, tr = msg.findtext("source", ""), msg.find("translation")
        if tr is not None and tr.get("type") is None and tr.text and tr.text != source:
            out[source] = tr.text
    return out


@pytest.fixture
def dutch(qapp: QApplication) -> Iterator[None]:
    assert install_language("nl") == "nl"
    yield
    remove_language()


@dataclass
class FakeEstop:
    """The e-stop service as the workspace uses it (the real one is in test_workspace_estop)."""

    triggered: list[str] = field(default_factory=list)
    listeners: list[Any] = field(default_factory=list)

    def add_listener(self, listener: Any) -> None:
        self.listeners.append(listener)

    def trigger(self, session: Any, mill: str, console: str = "") -> None:
        self.triggered.append(mill)

    def stop_retrying(self, mill: str, session: Any) -> None:
        pass

    def reset(self, session: Any, mill: str, reason: str) -> None:
        pass


@dataclass
class Shell:
    window: MainWindow
    workspace: Workspace
    services: Services
    estop: FakeEstop

    def sign_in(self, qtbot: Any, name: str) -> None:
        self.workspace.controller.set_session(self.services.session(name, PW))
        qtbot.waitUntil(lambda: self.window.nav.isEnabled(), timeout=5000)
        qtbot.wait(20)  # the start screen and the tabs' tooltips follow the session change


@pytest.fixture
def shell(qtbot: Any, themed_app: object, sqlite_url: str) -> Iterator[Shell]:
    """The window as the app assembles it (sign-in, lock, e-stop column, Session menu), without the
    broker: the e-stop service is a stand-in."""
    services = build(sqlite_url)
    from hmi.services.plant_io import read_plant_file
    from tests.ui.test_sign_in import DEMO

    plant = read_plant_file(DEMO)
    bridge = LiveBridge(interval_ms=50)
    window = MainWindow(plant, bridge, plant_name="Demo plant", palette=themed_app)
    estop = FakeEstop()
    ws = Workspace(window, WorkspaceServices(
        auth=services.auth, users=services.users, audit=AuditService(services.engine, auth=services.auth),
        alarm_actions=AlarmActions(services.engine, services.auth), estop=estop, console="console-1",
        subtitle="Demo plant \u00b7 console-1",
    ))
    window.resize(1280, 800)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield Shell(window, ws, services, estop)
    for w in QApplication.topLevelWidgets():
        if w is not window and w.isVisible():
            w.close()
    ws.shutdown()
    bridge.stop()
    window.close()
    services.engine.dispose()


def _texts(root: QWidget) -> list[tuple[str, str]]:
    """(what, text) of everything a user reads in `root`: labels, buttons, placeholders, tooltips,
    actions (menus included), window titles."""
    out: list[tuple[str, str]] = []
    for w in (root, *root.findChildren(QWidget)):
        name = f"{type(w).__name__}#{w.objectName()}"
        if isinstance(w, QLabel | QAbstractButton):
            out.append((name, w.text()))
        if isinstance(w, QLineEdit):
            out.append((name, w.placeholderText()))
        out.append((name + ".toolTip", w.toolTip()))
        out.append((name + ".accessibleName", w.accessibleName()))
        if w.isWindow():
            out.append((name + ".windowTitle", w.windowTitle()))
        if isinstance(w, QMenu):
            out.append((name + ".title", w.title()))
        for a in QWidget.actions(w):  # (some widgets name an attribute `actions`)
            out.append((f"{name} action", a.text().partition("\t")[0]))
            out.append((f"{name} action.toolTip", a.toolTip()))
    return out


def _shot(widget: QWidget, name: str) -> Path:
    path = Path(os.environ.get("MILLWATCH_ARTIFACTS", str(ROOT / "artifacts"))) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(path))
    print(f"SCREENSHOT: {path}")
    return path


def _english_left(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The texts that are still an English source of the catalogue whose Dutch differs (also inside a
    longer text, for the catalogue's sentences of more than one word)."""
    sources = _sources()
    whole = {s for s in sources if WORD.search(s)}
    sentences = [s for s in whole if "{" not in s and " " in s and len(s) > 12]
    left = []
    for what, text in texts:
        text = text.replace("&", "").strip()
        if not text:
            continue
        if text in whole or any(s in text for s in sentences):
            left.append((what, text))
    return left


# -- the window, walked ------------------------------------------------------------------------------------------

def test_signed_out_window_is_dutch(qtbot: Any, dutch: None, shell: Shell) -> None:
    w, ws = shell.window, shell.workspace
    assert current_language() == "nl"
    assert w.nav.titles[:4] == ["Overzicht", "Sensoren", "Alarmen", "Logboek"]
    assert w.nav.keys[:4] == ["Overview", "Sensors", "Alarms", "Journal"]  # the stable names stay English
    assert "Schema's" in w.nav.titles and "Gebruikers" in w.nav.titles
    assert w.header.user.text() == "niet aangemeld"
    sign_in = ws.shell.sign_in
    assert sign_in.sign_in_button.text() == "Aanmelden"
    assert ws.shell.menu_button.text() == "Sessie \u25be"
    assert ws.shell.menu_button.toolTip() == "Sessie, thema, taal en sneltoetsen"
    cell = ws.estop_panel.cells["north"]
    assert cell.state_label.text() == "Gereed"
    assert cell.reset_button.text() == "Vergrendeling resetten\u2026"
    assert cell.reset_button.toolTip().startswith("De stopvergrendeling van deze molen resetten")
    assert ws.estop_panel.button("north").toolTip().startswith("Stopverzoek op afstand aan de molenbesturing")
    assert ws.estop_panel.button("north").accessibleName() == "North Mill stoppen"
    assert ws.estop_panel.button("north").hint_text() == "1 s ingedrukt houden"
    left = _english_left(_texts(w))
    assert left == [], left
    _shot(w, "i18n_shell_sign_in_nl.png")


def test_signed_in_window_menus_and_lock_are_dutch(qtbot: Any, dutch: None, shell: Shell) -> None:
    w, ws = shell.window, shell.workspace
    shell.sign_in(qtbot, "root")
    assert w.header.user.text() == "root \u00b7 beheerder"
    assert w.nav.button(Screen.ALARMS).toolTip() == "Alarmen tonen (Ctrl+3)"
    assert w.shortcuts.actions["silence"].text() == "Hoorn uit"
    assert w.shortcuts.actions["screen_2"].text() == "Scherm 2"
    assert all("stop" not in a.text().lower() for a in w.shortcuts.all())  # no key ever stops a mill
    shell_menu = ws.shell
    assert shell_menu.lock_action.text() == "Scherm vergrendelen" and shell_menu.sign_out_action.text() == "Afmelden"
    assert shell_menu.language_menu.title() == "Taal"
    assert [a.text() for a in shell_menu.language_menu.actions()] == ["English", "Nederlands"]  # each its own name
    assert shell_menu.language_actions["nl"].isChecked() and not shell_menu.language_actions["en"].isChecked()
    assert [text for text, _ in shell_menu.shortcut_list()][:3] == [
        "Bovenste alarm bevestigen", "Volgend onbevestigd alarm", "Hoorn uit"]
    shell_menu.about_action.trigger()
    about = shell_menu._about
    assert about.windowTitle() == "Over Millwatch" and "vervangt die nooit" in about.text()
    _shot(about, "i18n_shell_about_nl.png")
    about.close()
    menu = w.tab_menu(Screen.SENSORS)
    assert [a.text() for a in menu.actions()] == ["Losmaken in een eigen venster"]
    menu.close()

    ws.controller.lock()
    overlay = shell_menu.overlay
    qtbot.waitUntil(overlay.isVisible, timeout=3000)
    assert overlay.title.text() == "Scherm vergrendeld"
    assert overlay.who.text() == "Vergrendeld \u2014 root (beheerder) \u2014 voer het wachtwoord in om te ontgrendelen"
    assert overlay.since.text().startswith("Vergrendeld om ")
    assert overlay.unlock_button.text() == "Ontgrendelen"
    overlay._on_unlock()  # no password typed
    assert overlay.message.text() == "Voer uw wachtwoord in."
    _shot(w, "i18n_shell_locked_nl.png")

    texts = _texts(w) + [(f"menu {m.title()}", a.text().partition("\t")[0])
                         for m in (shell_menu.menu_button.menu(), shell_menu.shortcuts_menu, shell_menu.theme_menu)
                         for a in m.actions()]
    left = _english_left(texts)
    assert left == [], left


def test_password_prompt_reset_dialog_and_torn_off_screen_are_dutch(qtbot: Any, dutch: None, shell: Shell) -> None:
    w, ws = shell.window, shell.workspace
    shell.sign_in(qtbot, "tom")
    dialog = ws.open_reset("north")
    assert dialog.windowTitle() == "Stopvergrendeling resetten \u2014 North Mill"
    assert dialog.confirm_button.text() == "Vergrendeling resetten" and dialog.cancel_button.text() == "Sluiten"
    dialog._on_confirm()  # no reason given
    assert dialog.message.text() == "een reden is verplicht om de noodstop te resetten"
    assert _english_left(_texts(dialog)) == []
    _shot(dialog, "i18n_shell_reset_nl.png")
    session = ws.controller.session
    session.last_auth_at = session.last_auth_at - timedelta(hours=1)  # the password was entered long ago
    ws.request_reset("north", "jam cleared")
    prompt = ws.controller.prompt
    assert prompt is not None  # the policy asks for the password again
    assert prompt.windowTitle() == "Wachtwoord bevestigen"
    assert prompt.text.text() == "Voer het wachtwoord van tom in voor: stopvergrendeling van North Mill resetten."
    assert _english_left(_texts(prompt)) == []
    prompt._on_confirm()  # nothing typed
    assert prompt.message.text() == "voer uw wachtwoord in"
    _shot(prompt, "i18n_shell_password_nl.png")
    prompt.close()
    dialog.close()

    win = w.tear_off.tear_off(Screen.JOURNAL)
    assert win is not None and win.windowTitle() == "Logboek \u2014 Millwatch"
    placeholder = w.stack.widget(Screen.JOURNAL)
    assert placeholder.text.text() == "Logboek is geopend in een eigen venster."
    assert _english_left(_texts(placeholder)) == []
    w.tear_off.dock(Screen.JOURNAL)


# -- the e-stop, every state -------------------------------------------------------------------------------------

def _attempt(state: EstopState) -> EstopAttempt:
    a = EstopAttempt("north", "cmd-1", "tom", "console-1", 0.0, 5.0)
    a.paths = {EstopPath.MQTT: PathResult(EstopPath.MQTT, sends=1, sent_at=0.0, acked_at=0.01),
               EstopPath.MODBUS: PathResult(EstopPath.MODBUS, sends=1, sent_at=0.0)}
    if state in (EstopState.CONFIRMED, EstopState.STOPPED, EstopState.RESETTING, EstopState.RESET):
        a.confirmed_by = EstopPath.MODBUS
    a.retrying = state is EstopState.NOT_CONFIRMED
    return a


DUTCH_STATES = {
    EstopState.IDLE: "Gereed",
    EstopState.SENDING: "Stopverzoek wordt verzonden\u2026",
    EstopState.SENT: "Stop verzonden (MQTT): wacht op de besturing",
    EstopState.CONFIRMED: "Stop vergrendeld (bevestigd via Modbus): molen loopt uit",
    EstopState.STOPPED: "Molen gestopt (bevestigd via Modbus)",
    EstopState.NOT_CONFIRMED: "NOODSTOP NIET BEVESTIGD: gebruik de bedrade noodstop / lokale stop "
                              "(wordt elke seconde opnieuw verzonden)",
    EstopState.NOT_STOPPED: "Stop vergrendeld, maar de molen draait nog: gebruik de bedrade noodstop / lokale stop",
    EstopState.RESETTING: "Stop wordt gereset\u2026",
    EstopState.RESET: "Stop gereset: de molen staat stil; start de productie apart",
}


def test_every_estop_state_is_english_as_the_core_says_it(qapp: QApplication) -> None:
    """In English the panel shows exactly the core's words (so the two never drift apart)."""
    remove_language()
    for state in EstopState:
        attempt = _attempt(state)
        status = EstopStatus("north", state, attempt, describe(state, attempt))
        assert state_text(status) == describe(state, attempt), state
    stopped = _attempt(EstopState.NOT_CONFIRMED)
    stopped.retrying = False
    assert state_text(EstopStatus("north", EstopState.NOT_CONFIRMED, stopped, describe(EstopState.NOT_CONFIRMED,
                                                                                        stopped))).endswith(
        "(re-sending stopped)")


def test_every_estop_state_is_dutch_on_the_panel(qtbot: Any, dutch: None, shell: Shell) -> None:
    assert set(DUTCH_STATES) == set(EstopState)  # a new state needs its words here too
    panel = shell.workspace.estop_panel
    for state, dutch_text in DUTCH_STATES.items():
        attempt = _attempt(state)
        status = EstopStatus("north", state, attempt, describe(state, attempt))
        assert state_text(status) == dutch_text, state
        panel.on_estop_change(None, status)
        qtbot.waitUntil(lambda text=dutch_text: panel.state_text("north").startswith(text), timeout=2000)
        shown = panel.state_text("north")
        assert not _english_left([("state", shown)]), shown
        for english in ("confirmed", "stop sent", "waiting", "hardwired", "re-sending", "mill stopped"):
            assert english not in shown.lower(), shown
    cell = panel.cells["north"]
    not_confirmed = _attempt(EstopState.NOT_CONFIRMED)
    not_confirmed.retrying = False
    panel.on_estop_change(None, EstopStatus("north", EstopState.NOT_CONFIRMED, not_confirmed,
                                            describe(EstopState.NOT_CONFIRMED, not_confirmed)))
    qtbot.waitUntil(lambda: "opnieuw verzenden gestopt" in panel.state_text("north"), timeout=2000)
    assert cell.stop_retrying_button.text() == "Herhalen gestopt"
    # A refused stop says so in Dutch, with the instruction.
    shell.estop.trigger = lambda *a, **k: (_ for _ in ()).throw(PermissionError("refused"))  # type: ignore[method-assign]
    panel._on_stop_requested("south")
    assert panel.state_text("south") == ("Stopverzoek geweigerd of mislukt: gebruik de bedrade noodstop / lokale "
                                         "stop")
    # The overview's tile and the schematic get the panel's (Dutch) words.
    stopped = _attempt(EstopState.STOPPED)
    panel.on_estop_change(None, EstopStatus("north", EstopState.STOPPED, stopped,
                                            describe(EstopState.STOPPED, stopped)))
    qtbot.waitUntil(lambda: shell.workspace._estop_texts.get("north", ("",))[0].startswith("Molen gestopt"),
                    timeout=2000)

    # The column in Dutch, with the longest state: nothing clipped, the stop controls unmoved.
    shell.sign_in(qtbot, "root")
    panel.on_estop_change(None, EstopStatus("north", EstopState.NOT_CONFIRMED, not_confirmed,
                                            describe(EstopState.NOT_CONFIRMED, not_confirmed)))
    confirmed = _attempt(EstopState.CONFIRMED)
    panel.on_estop_change(None, EstopStatus("south", EstopState.CONFIRMED, confirmed,
                                            describe(EstopState.CONFIRMED, confirmed)))
    qtbot.waitUntil(lambda: panel.state_text("south").startswith("Stop vergrendeld"), timeout=2000)
    qtbot.wait(50)
    _shot(shell.window, "i18n_shell_nl.png")
    for c in panel.cells.values():
        b = c.actions.currentWidget()  # "Stop retrying" or "Reset latch", whichever the state shows
        assert isinstance(b, QAbstractButton) and b.isVisible()
        assert b.fontMetrics().horizontalAdvance(b.text()) <= b.width(), b.text()
        assert b.mapTo(c, b.rect().topRight()).x() <= c.width(), b.text()
        assert c.state_label.width() <= c.width()
        label = c.state_label  # tall enough for every line of its state, in its (bold) look
        lines = label.fontMetrics().boundingRect(QRect(0, 0, label.width() - 12, 10_000),
                                                 int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignHCenter),
                                                 label.text())
        assert label.height() >= lines.height() + 8, label.text()


# -- stable screen names -------------------------------------------------------------------------------------------

def test_screens_keep_their_english_names_in_dutch(qtbot: Any, dutch: None, shell: Shell, tmp_path: Path) -> None:
    w, ws = shell.window, shell.workspace
    shell.sign_in(qtbot, "root")
    assert ws.show_screen_named("alarms") and w.stack.currentIndex() == Screen.ALARMS  # as `--screen alarms`
    assert ws.show_screen_named("Schematics") and w.nav.current() == ws.schematics_index
    assert ws.show_screen_named("logboek") and w.stack.currentIndex() == Screen.JOURNAL  # the shown title too
    assert not ws.show_screen_named("no such screen")
    assert "overview" in [k.lower() for k in w.nav.keys] and "users" in [k.lower() for k in w.nav.keys]

    settings = QSettings(str(tmp_path / "ws.ini"), QSettings.Format.IniFormat)
    w.window_state = WindowState(w, settings)
    w.show_screen(Screen.ALARMS)
    w.window_state.save()
    assert settings.value(SCREEN) == "Alarms"  # English, whatever the language
    w.show_screen(Screen.OVERVIEW)
    assert w.show_screen_titled("Alarms") and w.stack.currentIndex() == Screen.ALARMS  # a saved English title


def test_quick_search_finds_screens_by_their_dutch_names(qtbot: Any, dutch: None, shell: Shell) -> None:
    w = shell.window
    shell.sign_in(qtbot, "root")
    w.shortcuts.actions["search"].trigger()
    qs = w.quick_search
    qtbot.waitUntil(qs.isVisible, timeout=2000)
    assert qs.input.placeholderText().startswith("Zoek molens, sensoren")
    assert qs.hint.text() == "\u2191\u2193 kiezen \u00b7 Enter openen \u00b7 Esc sluiten"
    qs.input.setText("alarmen")
    entry = qs.current_entry()
    assert entry is not None and entry.title == "Alarmen" and entry.detail == "Scherm"
    qs.input.setText("")
    _shot(w, "i18n_shell_quick_search_nl.png")
    qs.input.setText("temperatuur")  # a sensor type in Dutch
    entry = qs.current_entry()
    assert entry is not None and entry.kind == "sensor" and "Temperatuur" in entry.detail
    qs.input.setText("north")
    entry = qs.current_entry()
    assert entry is not None and entry.kind == "mill" and entry.detail.startswith("Molen")
    assert entry.detail.endswith("sensoren")
    qs.input.setText("logboek")
    qtbot.keyClick(qs.input, "\r")
    assert w.stack.currentIndex() == Screen.JOURNAL


def test_header_status_bar_and_mill_list_use_the_dutch_locale(qtbot: Any, dutch: None, shell: Shell) -> None:
    w = shell.window
    status = w.status
    status.show_data(10, 5.25)
    assert status.age.text() == "Gegevens 5,3 s oud"  # decimal comma
    status.show_data(20, 600)
    assert status.age.text() == "Gegevens 10 min oud"
    status.show_data(30, None)
    assert status.age.text() == "Nog geen gegevens"
    assert status.rate.text().endswith(" metingen/s")
    status.set_link("mqtt", "connected", "")
    assert status.link_label("mqtt").text() == "mqtt: verbonden"
    assert status.link_label("mqtt").toolTip() == "verbonden"
    stamp = 1_790_000_000.0  # Tue 22 Sep 2026
    w.header.show_time(stamp)
    assert w.header.date.text().endswith("sep. 2026") or w.header.date.text().endswith("sep 2026")
    assert w.header.date.text()[:2] in {"ma", "di", "wo", "do", "vr", "za", "zo"}
    assert w.table_title.text() == "Alle molens"
    mills = w.mill_list.model()
    assert mills.data(mills.index(0, 0)) == "Alle molens"
    from hmi.ui.mill_list import SubtitleRole

    assert "sensoren" in mills.data(mills.index(1, 0), SubtitleRole)
    shell.sign_in(qtbot, "root")
    w.show_screen(Screen.SENSORS)
    qtbot.wait(20)
    _shot(w, "i18n_shell_sensors_nl.png")


# -- Session > Language -------------------------------------------------------------------------------------------

def test_language_menu_saves_checks_and_says_when(qtbot: Any, shell: Shell, tmp_path: Path) -> None:
    remove_language()
    ws, w = shell.workspace, shell.window
    menu = ws.shell
    assert menu.language_actions["en"].isChecked()
    settings = QSettings(str(tmp_path / "ws.ini"), QSettings.Format.IniFormat)
    w.window_state = WindowState(w, settings)
    menu.language_actions["nl"].trigger()
    assert settings.value(LANGUAGE_KEY) == "nl" and saved_language(settings) == "nl"
    assert menu.language_actions["nl"].isChecked() and not menu.language_actions["en"].isChecked()
    notice = w.messages.text.text()
    assert w.messages.isVisible() and "volgende keer start" in notice  # said in the chosen language
    assert current_language() == "en" and w.nav.titles[0] == "Overview"  # this window keeps its language
    menu.language_actions["en"].trigger()
    assert settings.value(LANGUAGE_KEY) == "en" and "next time Millwatch starts" in w.messages.text.text()

    w.window_state = None  # no window state: this workstation's own settings
    menu.set_language("nl")
    own = workstation_settings()
    try:
        assert saved_language(own) == "nl"
    finally:
        own.remove(LANGUAGE_KEY)
        own.sync()


def test_run_gui_with_a_saved_dutch_builds_a_dutch_window(qtbot: Any, themed_app: object, plant: Plant,
                                                         tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "ws.ini"), QSettings.Format.IniFormat)
    settings.setValue(LANGUAGE_KEY, "nl")
    seen: dict[str, Any] = {}

    def on_window(window: MainWindow) -> None:
        seen["language"] = current_language()
        seen["titles"] = list(window.nav.titles)
        seen["mills"] = window.table_title.text()
        seen["age"] = window.status.age.text()

    try:
        assert run_gui(plant, title="Millwatch HMI", exit_after=0.3, settings=settings, on_window=on_window) == 0
    finally:
        remove_language()
    assert seen["language"] == "nl"
    assert seen["titles"] == ["Overzicht", "Sensoren", "Alarmen", "Logboek"]
    assert seen["mills"] == "Alle molens" and seen["age"] == "Nog geen gegevens"
    assert settings.value(SCREEN) == "Overview"  # saved by its English name

