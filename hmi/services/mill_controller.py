"""The simulated mill controller's command logic: e-stop latch, reset, production start.

Pure state and decisions (no I/O, no timers): the simulator owns the clock and the transports and asks
this object what to do, so the rules a real controller enforces are testable on their own:

- an e-stop request latches (after the controller's reaction time, scheduled by the caller);
  requests while latching or latched join the same latch;
- a latched stop is cleared only by `estop_reset`, which does not restart the mill;
- `start_production` is refused while the stop is latched (or latching).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Command(enum.StrEnum):
    ESTOP = "estop"
    ESTOP_RESET = "estop_reset"
    START_PRODUCTION = "start_production"


# Holding register 900 of the mill's unit shows the last command received, by this code.
COMMAND_CODES: dict[Command, int] = {Command.ESTOP: 1, Command.ESTOP_RESET: 2, Command.START_PRODUCTION: 3}


@dataclass(frozen=True, slots=True)
class Outcome:
    """The answer to a command: `state` for the ack (None = answer later, when the latch happens)."""

    state: str | None
    reason: str = ""
    schedule_latch: bool = False


@dataclass(slots=True)
class MillController:
    slug: str
    running: bool = True
    latched: bool = False
    latching: bool = False
    last_command: int = 0
    # Bumped on every stop or start, so a pending coast-down from an older stop is ignored.
    generation: int = 0
    pending_acks: list[object] = field(default_factory=list)

    def command(self, name: str, command_id: object | None = None) -> Outcome:
        """Apply a command; an e-stop's ack waits for the latch (its id is kept in `pending_acks`)."""
        try:
            cmd = Command(name)
        except ValueError:
            return Outcome("refused", f"unknown command {name!r}")
        self.last_command = COMMAND_CODES[cmd]
        if cmd is Command.ESTOP:
            if self.latched:
                return Outcome("latched")
            if command_id is not None:
                self.pending_acks.append(command_id)
            first = not self.latching
            self.latching = True
            return Outcome(None, schedule_latch=first)
        if cmd is Command.ESTOP_RESET:
            if not self.latched:
                return Outcome("refused", "e-stop is latching" if self.latching else "e-stop not latched")
            self.latched = False
            return Outcome("reset")
        if self.latched or self.latching:
            return Outcome("refused", "e-stop latched: reset it first")
        self.running = True
        self.generation += 1
        return Outcome("started")

    def latch(self) -> list[object]:
        """The stop latches now; returns the command ids waiting for their ack."""
        self.latched = True
        self.latching = False
        self.generation += 1
        acks, self.pending_acks = self.pending_acks, []
        return acks

    def coast_stopped(self, generation: int) -> bool:
        """The machine has coasted down after the stop of `generation`; False if that stop is stale."""
        if generation != self.generation:
            return False
        self.running = False
        return True
