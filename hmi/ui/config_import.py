"""Plant import and export: pick a file, validate it, import it with a progress bar, and every problem
listed with its location (mill / sensor, field, message) when the file is refused. Nothing is written
when anything is wrong (the service validates the whole file first). Work runs on a worker thread;
progress crosses back through a queued signal. File choosers are non-modal (show(), never exec()).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hmi.core.permissions import Action
from hmi.core.plant import Plant, PlantError, PlantProblem
from hmi.services.sensor_config import SensorConfigService
from hmi.storage.plant_repo import ApplyReport
from hmi.ui.config_calls import ServiceCaller, failure_text
from hmi.ui.config_models import Column, RowsModel, make_table
from hmi.ui.i18n import localise_file_dialog, message_text
from hmi.ui.session_controller import SessionController, set_message


class _Progress(QObject):
    """Carries progress from the worker thread to the GUI thread (queued: the receiver lives there). The
    text travels as an object so that a service's `Text` arrives whole, to be shown in the user's language."""

    changed = Signal(float, object)


class PlantFilePanel(QWidget):
    """The "Import / export" tab."""

    def __init__(self, service: SensorConfigService, controller: SessionController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("configPanel")
        self.service = service
        self.controller = controller
        self.caller = ServiceCaller(controller, "config-plant-file", self)
        self._progress = _Progress(self)
        self._progress.changed.connect(self._on_progress)
        self._dialog: QFileDialog | None = None

        title = QLabel(self.tr("Plant file"), self)
        title.setObjectName("viewTitle")
        intro = QLabel(self.tr("Import validates the whole file first and writes nothing when any problem is "
                               "found; mills are matched by slug and sensors by EUI, so importing the same file "
                               "twice changes nothing. Export writes a file that imports back unchanged."), self)
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        label = QLabel(self.tr("File"), self)
        label.setObjectName("fieldLabel")
        self.path = QLineEdit(self)
        self.path.setObjectName("plantFilePath")
        self.path.setPlaceholderText(self.tr("/path/to/plant.toml"))
        self.browse_button = QPushButton(self.tr("Browse\u2026"), self)
        self.validate_button = QPushButton(self.tr("Validate"), self)
        self.import_button = QPushButton(self.tr("Import"), self)
        self.import_button.setObjectName("primaryButton")
        self.export_button = QPushButton(self.tr("Export\u2026"), self)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("importProgress")
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setFormat("%p%")
        self.step = QLabel(self)
        self.step.setObjectName("hint")
        self.problems_title = QLabel(self.tr("Problems"), self)
        self.problems_title.setObjectName("sectionTitle")
        self.problems_model: RowsModel[PlantProblem] = RowsModel([
            Column(self.tr("Where"), lambda p: message_text(p.where)),
            Column(self.tr("Field"), lambda p: p.field),  # the plant file's key, as written in the file
            Column(self.tr("Problem"), lambda p: message_text(p.message),
                   tooltip=lambda p: f"{message_text(p.where)}: {p.field}: {message_text(p.message)}"),
        ])
        self.problems = make_table(self.problems_model, "problemTable", self)
        self.problems_title.hide()
        self.problems.hide()
        self.message = QLabel(self)
        self.message.setObjectName("messageStrip")
        self.message.setWordWrap(True)
        set_message(self.message, "")

        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse_button)
        actions = QHBoxLayout()
        actions.addWidget(self.validate_button)
        actions.addWidget(self.import_button)
        actions.addStretch(1)
        actions.addWidget(self.export_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.setSpacing(10)
        outer.addWidget(title)
        outer.addWidget(intro)
        outer.addWidget(label)
        outer.addLayout(row)
        outer.addLayout(actions)
        outer.addWidget(self.progress)
        outer.addWidget(self.step)
        outer.addWidget(self.message)
        outer.addWidget(self.problems_title)
        outer.addWidget(self.problems, 1)
        outer.addStretch(0)

        self.browse_button.clicked.connect(self._on_browse)
        self.validate_button.clicked.connect(self.validate_file)
        self.import_button.clicked.connect(self.import_file)
        self.export_button.clicked.connect(self._on_export)
        controller.apply_permission(self.import_button, Action.EDIT_MILLS)
        controller.apply_permission(self.export_button, Action.EXPORT)

    def shutdown(self) -> None:
        self.controller.release_permission(self.import_button)
        self.controller.release_permission(self.export_button)
        if self._dialog is not None:
            self._dialog.close()
        self.caller.close()

    # -- actions ---------------------------------------------------------------------------------------
    def _file(self) -> Path | None:
        text = self.path.text().strip()
        if not text:
            set_message(self.message, self.tr("Choose a plant file first."), "error")
            return None
        return Path(text).expanduser()

    def _start(self, text: str) -> None:
        self._show_problems([])
        self.progress.setValue(0)
        self.step.setText(text)
        set_message(self.message, "")
        for b in (self.validate_button, self.import_button, self.export_button):
            b.setEnabled(False)

    def _done(self) -> None:
        self.validate_button.setEnabled(True)
        self.controller.reapply_permissions()

    @Slot()
    def validate_file(self) -> None:
        path = self._file()
        if path is None:
            return
        self._start(self.tr("validating {file}").format(file=path.name))
        self.caller.run(self.service.validate_plant_file, self._validated, self._on_failed, path)

    def _validated(self, plant: Plant) -> None:
        self._done()
        self.progress.setValue(100)
        self.step.setText("")
        set_message(self.message, self.tr("Valid: {mills} mill(s), {sensors} sensor(s). Nothing was written.").format(
            mills=len(plant.mills), sensors=len(plant.sensors())), "info")

    @Slot()
    def import_file(self) -> None:
        path = self._file()
        if path is None:
            return
        self._start(self.tr("importing {file}").format(file=path.name))
        self.caller.call(self.tr("import a plant file"), self.service.import_plant, (path, self._progress.changed.emit),
                         self._imported, self._on_failed, self, on_cancel=self._done)

    def _imported(self, report: ApplyReport) -> None:
        self._done()
        self.progress.setValue(100)
        args = dict(created=len(report.created), updated=len(report.updated), unchanged=report.unchanged,
                    missing=len(report.not_in_file))
        if report.not_in_file:
            text = self.tr("Imported: {created} created, {updated} updated, {unchanged} unchanged; {missing} "
                           "sensor(s) in the database are not in the file.").format(**args)
        else:
            text = self.tr("Imported: {created} created, {updated} updated, {unchanged} unchanged.").format(**args)
        set_message(self.message, text, "info")

    @Slot()
    def _on_export(self) -> None:
        self._choose(QFileDialog.AcceptMode.AcceptSave, self.export_to)

    def export_to(self, path: str | Path) -> None:
        target = Path(path)
        self._start(self.tr("exporting to {file}").format(file=target.name))
        self.caller.call(self.tr("export the plant"), self.service.export_plant, (target,),
                         lambda plant: self._exported(plant, target), self._on_failed, self, on_cancel=self._done)

    def _exported(self, plant: Plant, path: Path) -> None:
        self._done()
        self.progress.setValue(100)
        self.step.setText("")
        set_message(self.message, self.tr("Exported {mills} mill(s), {sensors} sensor(s) to {path}.").format(
            mills=len(plant.mills), sensors=len(plant.sensors()), path=path), "info")

    @Slot()
    def _on_browse(self) -> None:
        self._choose(QFileDialog.AcceptMode.AcceptOpen, self.path.setText)

    def _choose(self, mode: QFileDialog.AcceptMode, then: Any) -> None:
        """A non-modal file chooser: the e-stop and the rest of the window stay usable while it is open."""
        if self._dialog is not None:
            self._dialog.close()
        dialog = QFileDialog(self.window(), self.tr("Plant file"), self.path.text() or str(Path.home()),
                             self.tr("Plant files (*.toml);;All files (*)"))
        dialog.setAcceptMode(mode)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        localise_file_dialog(dialog)
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setMinimumSize(820, 520)  # before show(): no size-hint changes on a shown window
        if mode == QFileDialog.AcceptMode.AcceptSave:
            dialog.setDefaultSuffix("toml")
        dialog.fileSelected.connect(then)
        self._dialog = dialog
        dialog.show()

    # -- outcomes --------------------------------------------------------------------------------------
    @Slot(float, object)
    def _on_progress(self, fraction: float, text: object) -> None:
        self.progress.setValue(round(100 * max(0.0, min(1.0, fraction))))
        self.step.setText(message_text(text))

    def _show_problems(self, problems: list[PlantProblem]) -> None:
        self.problems_model.set_rows(problems)
        n = len(problems)
        self.problems_title.setText(self.tr("%n problem(s) \u2014 nothing was written", "", n))
        self.problems_title.setVisible(bool(problems))
        self.problems.setVisible(bool(problems))

    def _on_failed(self, exc: BaseException) -> None:
        self._done()
        self.progress.setValue(0)
        problems = getattr(exc, "problems", None)
        if isinstance(exc, PlantError) or (isinstance(problems, list) and problems):
            self._show_problems(list(problems or []))
            n = len(problems or [])
            set_message(self.message, self.tr("The file was refused: %n problem(s), listed below. Nothing was "
                                              "written.", "", n), "error")
            self.step.setText("")
            return
        set_message(self.message, failure_text(exc), "error")
