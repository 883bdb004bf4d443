"""The PySide6 6.12 / Python 3.11 guard: thousands of Qt calls never wear None, True or False down."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel

from coffreo_desktop.gui import qt_runtime


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None, True et False sont immortels depuis 3.12")
def test_many_qt_calls_leave_none_true_and_false_alive(qapp: object) -> None:
    qt_runtime.protect_singletons()
    label = QLabel()
    before = {
        name: sys.getrefcount(value) for name, value in (("None", None), ("True", True), ("False", False))
    }
    for n in range(20_000):  # more than the references None holds without the guard
        label.setText(str(n))
        label.setEnabled(n % 2 == 0)
        label.isEnabled()
    after = {
        name: sys.getrefcount(value) for name, value in (("None", None), ("True", True), ("False", False))
    }
    assert all(count > 1 << 39 for count in after.values()), after
    assert before["None"] - after["None"] < 1 << 20  # the calls still cost (PySide6's defect), harmlessly
