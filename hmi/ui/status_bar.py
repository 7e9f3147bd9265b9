"""The status bar: one label per data link (coloured only when not connected), the age of the
newest reading and the readings received per second."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Slot
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget

from hmi.ui.i18n import TrMap, fmt_int, fmt_number, message_text
from hmi.ui.theme import set_state_property

LINK_OK = frozenset({"connected", "up", "ok", "online", "running"})
LINK_PENDING = frozenset({"connecting", "reconnecting", "starting", "degraded"})
OLD_DATA_S = 10.0  # newest reading older than this: the data-age label turns abnormal
# The link states the drivers report (hmi/drivers/base.py LinkState and the words of older drivers),
# as the status bar shows them; a state not listed here is shown as the driver said it.
LINK_STATES = TrMap("LinkStatusBar", {
    "up": QT_TRANSLATE_NOOP("LinkStatusBar", "up"),
    "down": QT_TRANSLATE_NOOP("LinkStatusBar", "down"),
    "degraded": QT_TRANSLATE_NOOP("LinkStatusBar", "degraded"),
    "connecting": QT_TRANSLATE_NOOP("LinkStatusBar", "connecting"),
    "reconnecting": QT_TRANSLATE_NOOP("LinkStatusBar", "reconnecting"),
    "connected": QT_TRANSLATE_NOOP("LinkStatusBar", "connected"),
    "disconnected": QT_TRANSLATE_NOOP("LinkStatusBar", "disconnected"),
    "starting": QT_TRANSLATE_NOOP("LinkStatusBar", "starting"),
    "running": QT_TRANSLATE_NOOP("LinkStatusBar", "running"),
    "stopped": QT_TRANSLATE_NOOP("LinkStatusBar", "stopped"),
    "online": QT_TRANSLATE_NOOP("LinkStatusBar", "online"),
    "offline": QT_TRANSLATE_NOOP("LinkStatusBar", "offline"),
    "ok": QT_TRANSLATE_NOOP("LinkStatusBar", "ok"),
    "error": QT_TRANSLATE_NOOP("LinkStatusBar", "error"),
})


def link_state_text(state: str) -> str:
    """A link state in the user's language ("connected" -> "verbonden")."""
    key = state.strip().lower()
    return LINK_STATES.get(key, state)


def link_class(state: str) -> str:
    """The stylesheet class of a link state: "ok", "pending" or "down"."""
    s = state.strip().lower()
    if s in LINK_OK:
        return "ok"
    if s in LINK_PENDING:
        return "pending"
    return "down"


def _label(name: str, sample: str, parent: QWidget, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> QLabel:
    """A label sized once for its widest text, so changing text never moves the layout."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    label.ensurePolished()
    label.setMinimumWidth(label.fontMetrics().horizontalAdvance(sample) + 24)
    label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
    return label


class LinkStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.setSizeGripEnabled(False)
        self._monotonic = monotonic
        self._links: dict[str, QLabel] = {}
        self._last: tuple[float, int] | None = None
        self.rate = _label("readingRate", self.tr("{rate} readings/s").format(rate=fmt_int(888888)), self)
        self.age = _label("dataAge", max((self.tr("Data age {n} min").format(n=59), self.tr("Data age > 1 h"),
                                          self.tr("No data yet")), key=len), self)
        self.addPermanentWidget(self.age)
        self.addPermanentWidget(self.rate)
        self.show_data(0, None)

    def link_label(self, name: str) -> QLabel | None:
        return self._links.get(name)

    @Slot(str, str, str)
    def set_link(self, name: str, state: str, detail: str) -> None:
        label = self._links.get(name)
        text = self.tr("{link}: {state}").format(link=name, state=link_state_text(state))
        if label is None:
            sample = self.tr("{link}: {state}").format(link=name, state=LINK_STATES["reconnecting"])
            label = _label("linkState", sample, self)
            label.setProperty("link", "")
            self._links[name] = label
            self.insertPermanentWidget(len(self._links) - 1, label)
        label.setText(text)
        label.setToolTip(message_text(detail) if detail else link_state_text(state))
        set_state_property(label, "link", link_class(state))

    def show_data(self, received_total: int, data_age: float | None) -> None:
        """Called once a second: total readings received so far and the age of the newest one."""
        now = self._monotonic()
        if self._last is not None and now > self._last[0]:
            rate = (received_total - self._last[1]) / (now - self._last[0])
            self.rate.setText(self.tr("{rate} readings/s").format(rate=fmt_int(round(rate))))
        else:
            self.rate.setText(self.tr("{rate} readings/s").format(rate="\u2014"))
        self._last = (now, received_total)
        if data_age is None:
            self.age.setText(self.tr("No data yet"))
        elif data_age < 10:
            self.age.setText(self.tr("Data age {n} s").format(n=fmt_number(data_age, 1)))
        elif data_age < 60:
            self.age.setText(self.tr("Data age {n} s").format(n=fmt_int(int(data_age))))
        elif data_age < 3600:
            self.age.setText(self.tr("Data age {n} min").format(n=fmt_int(int(data_age // 60))))
        else:
            self.age.setText(self.tr("Data age > 1 h"))
        set_state_property(self.age, "age", "old" if data_age is not None and data_age > OLD_DATA_S else "ok")
