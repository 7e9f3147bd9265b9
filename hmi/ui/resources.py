"""Where packaged resources (stylesheets, icons, plants) are found: the one lookup.

`resources/` at the top of the repository installs as the package `hmi.resources`; from a source
tree that was never (re)installed the package is missing, so fall back to the directory itself.
"""

from __future__ import annotations

import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path

import hmi


def _root() -> Traversable:
    try:
        return importlib.resources.files("hmi.resources")
    except ModuleNotFoundError:
        return Path(hmi.__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Traversable:
    """The resource at resources/<parts...> (a Path in a source tree, a Traversable otherwise)."""
    node = _root()
    for part in parts:
        node = node / part
    return node


def read_text(*parts: str, encoding: str = "utf-8") -> str:
    return resource_path(*parts).read_text(encoding=encoding)


def read_bytes(*parts: str) -> bytes:
    return resource_path(*parts).read_bytes()
