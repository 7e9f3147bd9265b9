"""Millwatch HMI: SCADA/HMI for flour and grain mills.

Layers (imports point down only): ui -> services -> drivers -> storage -> core.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("millwatch")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
