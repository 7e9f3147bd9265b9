"""The strip across the top: product name, plant name, date and clock."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

PRODUCT_NAME = "Millwatch"


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
        self.date = _fixed_label("headerDate", "Wed 30 Sep 2026", self, Qt.AlignmentFlag.AlignRight)
        self.clock = _fixed_label("headerClock", "00:00:00", self, Qt.AlignmentFlag.AlignRight)

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
        t = datetime.fromtimestamp(epoch)
        self.date.setText(t.strftime("%a %d %b %Y"))
        self.clock.setText(t.strftime("%H:%M:%S"))
