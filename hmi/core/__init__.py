"""Plain-Python domain: no I/O, no Qt, no database. Everything here is unit-testable."""
