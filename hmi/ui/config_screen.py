"""The configuration screen: mills and sensors, plant file import/export, and this workstation's
connections, as tabs. It only assembles the three panels (each owns its worker and its permissions)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from hmi.core.plant import Plant
from hmi.services.sensor_config import SensorConfigService
from hmi.ui.config_connection import ConnectionPanel
from hmi.ui.config_import import PlantFilePanel
from hmi.ui.config_sensors import MillsSensorsEditor
from hmi.ui.config_style import style_config
from hmi.ui.session_controller import SessionController


class ConfigScreen(QWidget):
    """Tabs "Mills and sensors", "Plant file", "Connections". `plant` is the plant the app started with
    (the editor loads the stored one itself, deactivated mills included)."""

    def __init__(self, plant: Plant | None = None, *, sensor_config: SensorConfigService,
                 session_provider: SessionController, config_file: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("configScreen")
        self.plant = plant
        style_config(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("configTabs")
        self.tabs.setDocumentMode(False)
        self.sensors = MillsSensorsEditor(sensor_config, session_provider, self.tabs)
        self.plant_file = PlantFilePanel(sensor_config, session_provider, self.tabs)
        self.connections = ConnectionPanel(session_provider, config_file=config_file, parent=self.tabs)
        self.tabs.addTab(self.sensors, self.tr("Mills and sensors"))
        self.tabs.addTab(self.plant_file, self.tr("Plant file"))
        self.tabs.addTab(self.connections, self.tr("Connections"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def shutdown(self) -> None:
        """Stop the panels' workers (at window close)."""
        self.sensors.shutdown()
        self.plant_file.shutdown()
        self.connections.shutdown()
