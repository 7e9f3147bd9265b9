"""PySide6 6.12.0 drops a reference to None/True/False on every void/bool call, and the interpreter
aborts after a few thousand calls (`Fatal Python error: none_dealloc`). Guard the pin (< 6.12)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QPointF

CALLS = 100_000
# The bug moves the count by -CALLS; allow a little noise from other threads and the interpreter.
TOLERANCE = 50


def test_void_calls_keep_none_refcount() -> None:
    pt = QPointF()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        pt.setX(1.0)
    assert abs(sys.getrefcount(None) - before) < TOLERANCE


def test_bool_calls_keep_true_and_false_refcounts() -> None:
    null, point = QPointF(), QPointF(1.0, 2.0)
    true_before, false_before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(CALLS):
        null.isNull()  # True
        point.isNull()  # False
    assert abs(sys.getrefcount(True) - true_before) < TOLERANCE
    assert abs(sys.getrefcount(False) - false_before) < TOLERANCE
