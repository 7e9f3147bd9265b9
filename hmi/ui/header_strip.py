"""The strip across the top: product name, plant name, date and clock."""

from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTime, QTimeZone, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

from hmi.ui.i18n import fmt_time

PRODUCT_NAME = "Millwatch"  # a name: the same in every language
DATE_FORMAT = "ddd d MMM yyyy"  # "Wed 30 Sep 2026", "wo 30 sep. 2026": in the user's language


def header_date(epoch: float) -> str:
    """The header's date of `epoch` (local time) in the user's language."""
    when = QDateTime.fromMSecsSinceEpoch(round(epoch * 1000), QTimeZone.systemTimeZone())
    return QLocale().toString(when, DATE_FORMAT)


def _widest_date() -> str:
    """The date that takes the most room in the user's language (the longest month and weekday)."""
    loc = QLocale()
    dates = [QDateTime(QDate(2026, month, day), QTime(12, 0)) for month in range(1, 13) for day in range(22, 29)]
    return max((loc.toString(d, DATE_FORMAT) for d in dates), key=len)


def _widest_time() -> str:
    return fmt_time(QDateTime(QDate(2026, 1, 1), QTime(12, 58, 58)).toSecsSinceEpoch())


def _fixed_label(name: str, sample: str, parent: QWidget, align: Qt.AlignmentFlag) -> QLabel:
    """A label sized once for its widest text, so ticking text never changes the layout."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    label.ensurePolished()
    label.setMinimumWidth(label.fontMetrics().horizontalAdvance(sample) + 8)
    label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
    return label


class HeaderStrip(QFrame):
    def __init__(self, plant_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("headerStrip")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 8, 20, 8)
        layout.setSpacing(16)

        self.product = QLabel(PRODUCT_NAME, self)
        self.product.setObjectName("productName")
        self.divider = QFrame(self)
        self.divider.setObjectName("headerDivider")
        self.divider.setFrameShape(QFrame.Shape.VLine)
        self.plant = QLabel(plant_name, self)
        self.plant.setObjectName("plantName")
        self.date = _fixed_label("headerDate", _widest_date() + "0", self, Qt.AlignmentFlag.AlignRight)
        self.clock = _fixed_label("headerClock", _widest_time(), self, Qt.AlignmentFlag.AlignRight)

        layout.addWidget(self.product)
        layout.addWidget(self.divider)
        layout.addWidget(self.plant)
        layout.addStretch(1)
        self.user = _fixed_label("headerUser", "technician-long-name · technician", self, Qt.AlignmentFlag.AlignRight)
        self.user.setObjectName("plantName")
        layout.addWidget(self.user)
        layout.addWidget(self.date)
        layout.addWidget(self.clock)

    @Slot(str)
    def set_user(self, text: str) -> None:
        """The signed-in user and role ("" before sign-in)."""
        self.user.setText(text)

    @Slot(float)
    def show_time(self, epoch: float) -> None:
        self.date.setText(header_date(epoch))
        self.clock.setText(fmt_time(epoch))
