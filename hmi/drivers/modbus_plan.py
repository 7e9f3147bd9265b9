"""Block-read planning for the Modbus driver: which requests read a group's values. Pure, no I/O.

Reading 40 values one request at a time costs 40 round trips; reading the registers they sit in as
one or two blocks costs one or two. The planner merges spans (a value's address and register count)
whose gap is at most `max_gap` registers into blocks no longer than `max_count`, so a few unused
registers are read to save a round trip, but never more than one request may carry.

Protocol limits: 125 registers (function codes 3 and 4) and 2000 bits (codes 1 and 2) per read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

MAX_REGISTERS_PER_READ = 125
MAX_BITS_PER_READ = 2000
ADDRESS_SPACE = 65536


@dataclass(frozen=True, slots=True)
class Span:
    """One value to read: `count` registers (or bits) from `address`; `key` says whose it is."""

    key: Any  # opaque to the planner (the driver uses the index of the value in its group)
    address: int
    count: int

    @property
    def end(self) -> int:
        """One past the last register."""
        return self.address + self.count


@dataclass(frozen=True, slots=True)
class Block:
    """One read request: `count` registers from `start`, covering `spans`."""

    start: int
    count: int
    spans: tuple[Span, ...]

    @property
    def end(self) -> int:
        return self.start + self.count

    def offset(self, span: Span) -> int:
        """Where `span` starts within the block's response."""
        return span.address - self.start


def plan_blocks(spans: Iterable[Span], *, max_gap: int = 8, max_count: int = 120) -> list[Block]:
    """Merge spans into as few blocks as the gap and size limits allow, in address order.

    Spans closer than or exactly `max_gap` unused registers apart share a block (overlapping or
    touching spans always do, size permitting); a block never exceeds `max_count`. A span larger
    than `max_count` raises ValueError (no request could read it). Deterministic: spans are ordered
    by (address, count) and blocks by start.
    """
    if max_gap < 0:
        raise ValueError(f"max_gap must be >= 0, got {max_gap}")
    if max_count < 1:
        raise ValueError(f"max_count must be >= 1, got {max_count}")
    ordered = sorted(spans, key=lambda s: (s.address, s.count))
    blocks: list[Block] = []
    current: list[Span] = []
    start = end = 0
    for span in ordered:
        if span.count < 1:
            raise ValueError(f"span {span.key!r} has count {span.count}")
        if span.count > max_count:
            raise ValueError(f"span {span.key!r} of {span.count} exceeds the block limit of {max_count}")
        if current and span.address - end <= max_gap and max(end, span.end) - start <= max_count:
            current.append(span)
            end = max(end, span.end)
            continue
        if current:
            blocks.append(Block(start, end - start, tuple(current)))
        current = [span]
        start, end = span.address, span.end
    if current:
        blocks.append(Block(start, end - start, tuple(current)))
    return blocks


def split_block(block: Block) -> list[Block]:
    """One block per span: used when a merged block answers "illegal address" because of a hole."""
    return [Block(s.address, s.count, (s,)) for s in block.spans]


def in_address_space(span: Span) -> bool:
    """Whether a read of the span can be expressed at all (0 <= address, end <= 65536)."""
    return span.address >= 0 and span.end <= ADDRESS_SPACE
