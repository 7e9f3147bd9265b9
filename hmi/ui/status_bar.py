"""The status bar: one label per data link (coloured only when not connected), the age of the
newest reading and the readings received per second."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget

from hmi.ui.theme import set_state_property

LINK_OK = frozenset({"connected", "up", "ok", "online", "running"})
LINK_PENDING = frozenset({"connecting", "reconnecting", "starting", "degraded"})
OLD_DATA_S = 10.0  # newest reading older than this: the data-age label turns abnormal


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
        self.rate = _label("readingRate", "000000 readings/s", self)
        self.age = _label("dataAge", "Data age 59 min", self)
        self.addPermanentWidget(self.age)
        self.addPermanentWidget(self.rate)
        self.show_data(0, None)

    def link_label(self, name: str) -> QLabel | None:
        return self._links.get(name)

    @Slot(str, str, str)
    def set_link(self, name: str, state: str, detail: str) -> None:
        label = self._links.get(name)
        text = f"{name}: {state}"
        if label is None:
            label = _label("linkState", f"{name}: reconnecting", self)
            label.setProperty("link", "")
            self._links[name] = label
            self.insertPermanentWidget(len(self._links) - 1, label)
        label.setText(text)
        label.setToolTip(detail or state)
        set_state_property(label, "link", link_class(state))

    def show_data(self, received_total: int, data_age: float | None) -> None:
        """Called once a second: total readings received so far and the age of the newest one."""
        now = self._monotonic()
        if self._last is not None and now > self._last[0]:
            rate = (received_total - self._last[1]) / (now - self._last[0])
            self.rate.setText(f"{rate:,.0f} readings/s")
        else:
            self.rate.setText("\u2014 readings/s")
        self._last = (now, received_total)
        if data_age is None:
            self.age.setText("No data yet")
        elif data_age < 10:
            self.age.setText(f"Data age {data_age:.1f} s")
        elif data_age < 3600:
            self.age.setText(f"Data age {int(data_age)} s" if data_age < 60 else f"Data age {int(data_age // 60)} min")
        else:
            self.age.setText("Data age > 1 h")
        set_state_property(self.age, "age", "old" if data_age is not None and data_age > OLD_DATA_S else "ok")
