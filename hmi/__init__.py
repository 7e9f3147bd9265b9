"""Millwatch HMI: SCADA/HMI for flour and grain mills.

Layers (imports point down only): ui -> services -> drivers -> storage -> core.
"""


def __getattr__(name: str) -> str:
    """`__version__`, read from the installed metadata when first asked: importlib.metadata costs tens
    of milliseconds, which every start would otherwise pay before the window shows."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("millwatch")
    except PackageNotFoundError:  # running from a source tree that was never installed
        value = "0.0.0+unknown"
    globals()["__version__"] = value
    return value
