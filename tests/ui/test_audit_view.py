"""Audit view against the real AuditService on SQLite: rows load with filters, CSV export through a
non-modal file dialog, chain verification (ok, then a tampered record found), refusals shown."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import update

from hmi.services.audit_service import CSV_COLUMNS, AuditService
from hmi.storage.schema import AuditRow
from hmi.ui.audit_view import AuditTableModel, AuditView, describe_change
from hmi.ui.session_controller import SessionController
from tests.ui.test_sign_in import (
    WAIT_MS,
    Services,
    assert_never_app_modal,
    make_controllers,
    make_services,
)

services = pytest.fixture(name="services")(make_services)
controllers = pytest.fixture(name="controllers")(make_controllers)
MILLS = [("north", "North Mill"), ("south", "South Mill")]


def open_view(qtbot, services: Services, controller: SessionController, tmp_path: Path) -> AuditView:  # type: ignore[no-untyped-def]
    view = AuditView(AuditService(services.engine, auth=services.auth), controller, mills=MILLS,
                     export_dir=tmp_path)
    view.setMinimumSize(1400, 760)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def admin_view(qtbot, themed_app, services: Services, controllers, tmp_path: Path) -> Iterator[AuditView]:  # type: ignore[no-untyped-def]
    root = services.session("root")
    services.users.update_user(root, "ana", mills=["north", "south"], display_name="Ana S.")
    services.users.deactivate(root, "vic")
    services.auth.sign_in("tom", "not the password")
    controller = controllers(services)
    controller.set_session(root)
    view = open_view(qtbot, services, controller, tmp_path)
    view.preset.setCurrentIndex(view.preset.findText("All time"))
    yield view
    view.shutdown()


def actions(view: AuditView) -> list[str]:
    return [e.action for e in view.model.entries()]


def test_loads_rows_and_filters(qtbot, admin_view: AuditView, services: Services, artifacts_dir) -> None:
    view = admin_view
    qtbot.mouseClick(view.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=WAIT_MS)
    rows = actions(view)
    assert rows[0] == "auth.sign_in_failed"  # newest first
    assert {"user.create", "auth.sign_in", "user.update", "user.deactivate"} <= set(rows)
    assert view.count.text() == f"{len(rows)} records"
    seqs = [e.seq for e in view.model.entries()]
    assert seqs == sorted(seqs, reverse=True)
    update_row = view.model.row_of_seq(next(e.seq for e in view.model.entries() if e.action == "user.update"))
    change = view.model.index(update_row, AuditTableModel.CHANGE).data()
    assert "mills: north \u2192 north, south" in change and "display_name: Ana Silva \u2192 Ana S." in change
    assert view.model.index(update_row, AuditTableModel.USER).data() == "root"
    assert view.model.index(update_row, AuditTableModel.TARGET).data() == "ana"
    assert view.model.index(update_row, AuditTableModel.HOST).data() == "console-1"
    view.table.selectRow(update_row)
    view.grab().save(str(artifacts_dir / "audit_view.png"))

    view.action.setEditText("user.")
    qtbot.keyClick(view.action.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: set(actions(view)) == {"user.create", "user.update", "user.deactivate"},
                    timeout=WAIT_MS)
    view.action.setEditText("auth.sign_in")  # a prefix: also auth.sign_in_failed
    view.user.setText("tom")
    view.refresh()
    qtbot.waitUntil(lambda: actions(view) == ["auth.sign_in_failed"], timeout=WAIT_MS)
    view.user.setText("")
    view.action.setEditText("")
    view.preset.setCurrentIndex(view.preset.findText("Last hour"))  # the fixture's records are from now
    view.refresh()
    qtbot.waitUntil(lambda: len(actions(view)) == len(rows), timeout=WAIT_MS)
    view.preset.setCurrentIndex(view.preset.findText("Custom range"))
    assert view.since.isEnabled() and view.until.isEnabled()
    view.since.setDateTime(view.since.dateTime().addYears(-2))
    view.until.setDateTime(view.until.dateTime().addYears(-1))
    view.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() == 0 and view.count.text() == "0 records", timeout=WAIT_MS)


def test_export_csv_through_a_non_modal_dialog(qtbot, admin_view: AuditView, services: Services,
                                               tmp_path: Path) -> None:
    view = admin_view
    view.action.setEditText("user.")
    assert view.export_button.isEnabled()
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    dialog = view.export_dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    assert dialog.windowModality() == Qt.WindowModality.NonModal
    assert_never_app_modal()
    target = tmp_path / "trail.csv"
    dialog.selectFile(str(target))
    dialog.accept()
    qtbot.waitUntil(lambda: view.message.text().startswith("Exported"), timeout=WAIT_MS)
    expected = [a for a in services.audit_actions() if a.startswith("user.")]
    assert expected == ["user.create"] * 4 + ["user.update", "user.deactivate"]
    assert view.message.text() == f"Exported 6 records to {target}."
    with open(target, newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    assert tuple(table[0]) == CSV_COLUMNS
    assert [r[4] for r in table[1:]] == expected  # every match, oldest first
    qtbot.waitUntil(lambda: "audit.export" in services.audit_actions(), timeout=WAIT_MS)
    assert view.export_button.isEnabled()


def test_verify_chain_ok_then_tampered(qtbot, admin_view: AuditView, services: Services) -> None:
    view = admin_view
    view.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=WAIT_MS)
    qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.message.text().startswith("Audit trail OK"), timeout=WAIT_MS)
    assert view.message.property("level") == "info"

    t = AuditRow.__table__
    victim = next(e.seq for e in view.model.entries() if e.action == "user.deactivate")
    with services.engine.begin() as conn:
        conn.execute(update(t).where(t.c.seq == victim).values(target="ana"))
    qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.message.property("level") == "error", timeout=WAIT_MS)
    assert view.message.text().startswith(f"Audit trail BROKEN at record {victim}")
    assert view.table.selectionModel().selectedRows()[0].row() == view.model.row_of_seq(victim)


def test_operator_reads_their_mill_only(qtbot, themed_app, services: Services, controllers,
                                        tmp_path: Path) -> None:
    controller = controllers(services)
    controller.set_session(services.session("ana"))
    view = open_view(qtbot, services, controller, tmp_path)
    assert view.mill.currentData() == "north"  # without `export` the trail is read one mill at a time
    assert not view.export_button.isEnabled()
    assert view.export_button.toolTip().endswith("Operator ana may not export data")
    view.refresh()
    qtbot.waitUntil(lambda: view.count.text() == "0 records", timeout=WAIT_MS)  # nothing on north yet
    view.mill.setCurrentIndex(0)  # all mills: refused by the service, and said so
    view.refresh()
    qtbot.waitUntil(lambda: view.message.property("level") == "error", timeout=WAIT_MS)
    assert view.message.text() == "Operator ana may not export data"
    qtbot.waitUntil(lambda: "permission.denied" in services.audit_actions(), timeout=WAIT_MS)
    view.shutdown()


def test_describe_change() -> None:
    assert describe_change({"role": "operator"}, {"role": "technician"}) == "role: operator \u2192 technician"
    assert describe_change({}, {"reason": "wrong password", "failed_attempts": 2}) == \
        "reason: wrong password; failed_attempts: 2"
    assert describe_change({"active": True}, {"active": True}) == ""
    assert describe_change({"mills": ["north"]}, {}) == "mills: north \u2192 \u2013"
    assert describe_change({}, {"x": "y" * 300}).endswith("\u2026")
