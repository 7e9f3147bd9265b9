"""`python -m hmi` is the same as the `millwatch` console script."""

import sys

from hmi.cli import main

sys.exit(main())
