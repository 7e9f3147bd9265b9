"""Entry script of the frozen build (PyInstaller): the same as the `millwatch` console script.

Kept outside the `hmi` package so PyInstaller analyses the installed package of the clean build
virtualenv (packaging/build.sh), never the source tree.
"""

import sys

from hmi.cli import main

if __name__ == "__main__":
    sys.exit(main())
