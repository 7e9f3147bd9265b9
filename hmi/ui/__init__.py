"""The operator GUI: PySide6 views over Qt-free models, and the one thread seam (bridge.py).

Import PySide6 before pyqtgraph anywhere below this package.
"""
