"""Dragging sensors onto a trend: the MIME type any view showing sensors can offer.

A view that shows sensors (the sensor table, a schematic) makes its drags trendable by returning
`sensor_mime_data(euis)` from its model's `mimeData` (and listing `SENSOR_MIME` in `mimeTypes`). The
trend screen also accepts plain text holding EUIs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QMimeData

from hmi.core.domain import normalise_eui
from hmi.core.errors import ValidationError

SENSOR_MIME = "application/x-millwatch-sensors"
_TOKEN = re.compile(r"[0-9A-Fa-f:\-]{16,23}")


def sensor_mime_data(euis: Iterable[str]) -> QMimeData:
    euis = list(dict.fromkeys(euis))
    mime = QMimeData()
    text = "\n".join(euis)
    mime.setData(SENSOR_MIME, text.encode("ascii"))
    mime.setText(text)
    return mime


def euis_from_mime(mime: QMimeData) -> list[str]:
    """The EUIs a drop carries (in order, once each); empty when it carries none."""
    if mime.hasFormat(SENSOR_MIME):
        text = bytes(mime.data(SENSOR_MIME).data()).decode("ascii", "replace")
    elif mime.hasText():
        text = mime.text()
    else:
        return []
    out: list[str] = []
    for token in _TOKEN.findall(text):
        try:
            eui = normalise_eui(token)
        except ValidationError:
            continue
        if eui not in out:
            out.append(eui)
    return out


def can_decode(mime: QMimeData) -> bool:
    return bool(euis_from_mime(mime))
