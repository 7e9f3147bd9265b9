"""Audible annunciation and desktop notification of new alarms.

A new unacknowledged alarm of at least `min_priority` (WARNING by default) starts the horn: the
player plays one short burst now and again every `repeat_ms` until the operator silences it or no
unacknowledged alarm of that priority is left. Silencing is not acknowledging: the alarms stay
unacknowledged (and blinking), the horn is quiet until the next new alarm. When the window is not
the active window, the new alarm is also shown as a desktop notification.

No QtMultimedia (an add-on we do not install): the horn is a short WAV played by `paplay`, `pw-play`
or `aplay` in a subprocess when one is installed, else the system beep. The player is injectable, so
tests and silent workstations make no noise.
"""

from __future__ import annotations

import io
import logging
import math
import shutil
import struct
import subprocess
import tempfile
import wave
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication

from hmi.core.alarms import PRIORITY_RANK, Alarm
from hmi.core.domain import Severity
from hmi.ui.alarm_list import PRIORITY_LABELS, AlarmList, AlarmTexts, AlarmUpdate, importance
from hmi.ui.resources import resource_path

log = logging.getLogger(__name__)

REPEAT_MS = 3000
HORN_RESOURCE = ("sounds", "alarm_horn.wav")
PLAYER_COMMANDS = (("paplay",), ("pw-play",), ("aplay", "-q"))


class Player(Protocol):
    def play(self) -> None:
        """Start one burst of the horn; returns at once."""

    def stop(self) -> None:
        """Cut the burst that is playing, if any."""


class Notifier(Protocol):
    def notify(self, title: str, text: str, priority: Severity) -> None: ...


def horn_wav(seconds: float = 0.9, rate: int = 22050) -> bytes:
    """A two-tone alarm burst (880/660 Hz, four beeps) as a 16-bit mono WAV."""
    frames = bytearray()
    n = int(seconds * rate)
    beep = n // 4
    for i in range(n):
        part, pos = divmod(i, beep)
        if pos > beep * 0.8:  # a short gap between beeps
            sample = 0.0
        else:
            freq = 880.0 if part % 2 == 0 else 660.0
            envelope = min(1.0, pos / 220.0, (beep * 0.8 - pos) / 220.0)
            sample = 0.45 * envelope * math.sin(2 * math.pi * freq * i / rate)
        frames += struct.pack("<h", int(sample * 32767))
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))
    return buf.getvalue()


def horn_file() -> Path:
    """The horn WAV on disk: the packaged resource, or written once to the temp directory."""
    packaged = Path(str(resource_path(*HORN_RESOURCE)))
    if packaged.is_file():
        return packaged
    target = Path(tempfile.gettempdir()) / "millwatch-alarm-horn.wav"
    if not target.is_file():
        target.write_bytes(horn_wav())
    return target


class CommandPlayer:
    """Plays the horn with an audio command in a subprocess; a burst still playing is not restarted."""

    def __init__(self, command: Sequence[str], path: Path | None = None) -> None:
        self.command = list(command)
        self.path = path or horn_file()
        self._proc: subprocess.Popen[bytes] | None = None

    def play(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            return
        try:
            self._proc = subprocess.Popen(
                [*self.command, str(self.path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        except OSError as exc:
            log.warning("alarm horn: %s failed (%s); using the system beep", self.command[0], exc)
            self._proc = None
            QApplication.beep()

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(1.0)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


class BeepPlayer:
    """The system beep: the last resort when no audio command is installed."""

    def play(self) -> None:
        QApplication.beep()

    def stop(self) -> None:
        pass


class SilentPlayer:
    """Records what it was asked to do and makes no sound (tests, demos on shared machines)."""

    def __init__(self) -> None:
        self.plays = 0
        self.stops = 0

    def play(self) -> None:
        self.plays += 1

    def stop(self) -> None:
        self.stops += 1


def default_player(which: Callable[[str], str | None] = shutil.which) -> Player:
    for command in PLAYER_COMMANDS:
        if which(command[0]):
            return CommandPlayer(command)
    return BeepPlayer()


class Annunciator(QObject):
    soundingChanged = Signal(bool)

    def __init__(
        self,
        alarms: AlarmList,
        texts: AlarmTexts,
        player: Player,
        *,
        notifier: Notifier | None = None,
        window_active: Callable[[], bool] = lambda: True,
        min_priority: Severity = Severity.WARNING,
        repeat_ms: int = REPEAT_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.alarms = alarms
        self.texts = texts
        self.player = player
        self.notifier = notifier
        self.window_active = window_active
        self.min_priority = min_priority
        self._sounding = False
        self._timer = QTimer(self)
        self._timer.setInterval(repeat_ms)
        self._timer.timeout.connect(self._on_repeat)

    @property
    def sounding(self) -> bool:
        return self._sounding

    def _annunciates(self, a: Alarm) -> bool:
        return a.announced and a.unacked and PRIORITY_RANK[a.priority] >= PRIORITY_RANK[self.min_priority]

    def _is_new(self, u: AlarmUpdate) -> bool:
        """A new activation, an alarm not shown before, or one whose shelving/suppression ended."""
        assert u.after is not None
        if not self._annunciates(u.after):
            return False
        return u.activated or u.before is None or u.before.hidden

    @Slot(object)
    def on_updates(self, updates: list[AlarmUpdate]) -> None:
        """After each applied batch: sound for new alarms; stop when nothing is left unacknowledged."""
        new = [u.after for u in updates if u.after is not None and self._is_new(u)]
        if new:
            self._start()
            if not self.window_active() and self.notifier is not None:
                self._notify(sorted(new, key=importance))
        elif self._sounding and not self.alarms.has_unacked(self.min_priority):
            self._stop()

    @Slot()
    def silence(self) -> None:
        """Quiet until the next new alarm; acknowledges nothing."""
        if self._sounding:
            self._stop()

    def shutdown(self) -> None:
        """The window closes: stop the horn and cut any burst still playing."""
        self._timer.stop()
        self.player.stop()
        if self._sounding:
            self._sounding = False
            self.soundingChanged.emit(False)

    def _start(self) -> None:
        self.player.play()
        self._timer.start()
        if not self._sounding:
            self._sounding = True
            self.soundingChanged.emit(True)

    def _stop(self) -> None:
        self._timer.stop()
        self.player.stop()
        self._sounding = False
        self.soundingChanged.emit(False)

    @Slot()
    def _on_repeat(self) -> None:
        if self.alarms.has_unacked(self.min_priority):
            self.player.play()
        else:
            self._stop()

    def _notify(self, new: list[Alarm]) -> None:
        assert self.notifier is not None
        top = new[0]
        title = self.tr("Millwatch alarm: {priority}").format(priority=PRIORITY_LABELS[top.priority].upper())
        text = self.texts.one_line(top)
        more = len(new) - 1
        if more == 1:
            text += "\n" + self.tr("+1 more new alarm")
        elif more > 1:
            text += "\n" + self.tr("+{n} more new alarms").format(n=more)
        self.notifier.notify(title, text, top.priority)
