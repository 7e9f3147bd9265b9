"""What the quick search (Ctrl+K) finds: screens, mills and sensors, matched by substring or fuzzily.

Plain Python (no Qt), so it is tested and timed on its own. The index is built once per plant with
every text lowercased up front; a query then only runs `str.find` over the prepared strings, which
keeps a keystroke well under a millisecond per thousand sensors.

Ranking (lower is better), per query word: the name starts with it, the name contains it, another
field (EUI, location, type, mill) contains it, its letters appear in order (fuzzy: "b1tmp" finds
"B1 temperature"). A word that matches nothing drops the entry. Ties: screens, then mills, then
sensors, each by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from hmi.core.domain import SensorType
from hmi.core.plant import Plant

SCREEN, MILL, SENSOR = "screen", "mill", "sensor"
KIND_ORDER = {SCREEN: 0, MILL: 1, SENSOR: 2}
MAX_RESULTS = 50
_PREFIX, _IN_NAME, _IN_FIELDS, _FUZZY_NAME, _FUZZY = 0.0, 1.0, 2.0, 3.0, 5.0


@dataclass(frozen=True, slots=True)
class SearchEntry:
    """One thing the search can pick: `key` is the screen's index, the mill's slug or the EUI."""

    kind: str
    key: str | int
    title: str
    detail: str
    mill: str | None = None  # the mill slug (mills and sensors), for per-user visibility
    name_l: str = field(default="", repr=False)
    hay: str = field(default="", repr=False)


@dataclass(frozen=True, slots=True)
class SearchWords:
    """The words the index shows and finds besides the plant's names: the UI passes them in the
    user's language (this module has no Qt). A sensor type is found by its shown word and its
    English one."""

    screen: str = "Screen"
    mill: str = "Mill"
    sensors: Callable[[int], str] = lambda n: f"{n} sensors"
    sensor_type: Callable[[SensorType], str] = lambda t: t.value


def _entry(kind: str, key: str | int, title: str, detail: str, fields: Iterable[str], mill: str | None) -> SearchEntry:
    hay = " \u00b7 ".join(f for f in (title, *fields) if f).lower()
    return SearchEntry(kind, key, title, detail, mill, title.lower(), hay)


def _fuzzy_span(token: str, hay: str) -> int | None:
    """How far apart the letters of `token` are in `hay` (in order), or None if they are not."""
    pos = start = hay.find(token[0])
    if pos < 0:
        return None
    for ch in token[1:]:
        pos = hay.find(ch, pos + 1)
        if pos < 0:
            return None
    return pos - start + 1


def _score(entry: SearchEntry, tokens: Sequence[str]) -> float | None:
    total = 0.0
    for token in tokens:
        if entry.name_l.startswith(token):
            total += _PREFIX
        elif token in entry.name_l:
            total += _IN_NAME
        elif token in entry.hay:
            total += _IN_FIELDS
        else:
            span = _fuzzy_span(token, entry.name_l)
            base = _FUZZY_NAME
            if span is None:
                span, base = _fuzzy_span(token, entry.hay), _FUZZY
            if span is None:
                return None
            total += base + min(span / len(token), 10.0) / 10.0  # tighter matches first
    return total


class SearchIndex:
    """The prepared entries of one plant and a set of screens; `search(query)` ranks them."""

    def __init__(self, plant: Plant, screens: Sequence[tuple[int, str]] = (), *,
                 words: SearchWords | None = None) -> None:
        self.plant = plant
        self.words = words = words or SearchWords()
        self.mill_entries: list[SearchEntry] = []
        self.sensor_entries: list[SearchEntry] = []
        names = {m.slug: m.name for m in plant.mills}
        for m in plant.mills:
            detail = " \u00b7 ".join(p for p in (words.mill, m.location, words.sensors(len(m.sensors))) if p)
            self.mill_entries.append(_entry(MILL, m.slug, m.name, detail, (m.slug, m.location), m.slug))
            for s in m.sensors:
                kind = words.sensor_type(s.type)
                detail = " \u00b7 ".join(p for p in (names[m.slug], s.location, kind, s.eui) if p)
                fields = (s.eui, s.location, kind, s.type.value, names[m.slug], m.slug)
                self.sensor_entries.append(_entry(SENSOR, s.eui, s.name, detail, fields, m.slug))
        self.screen_entries: list[SearchEntry] = []
        self.set_screens(screens)

    def set_screens(self, screens: Sequence[tuple[int, str]]) -> None:
        """The screens the user can open now: (stack index, title as shown)."""
        word = self.words.screen
        self.screen_entries = [_entry(SCREEN, i, t, word, (word, "screen"), None) for i, t in screens]

    def entries(self) -> list[SearchEntry]:
        return [*self.screen_entries, *self.mill_entries, *self.sensor_entries]

    def search(self, query: str, *, mills: set[str] | None = None, limit: int = MAX_RESULTS) -> list[SearchEntry]:
        """The best `limit` entries for `query`; `mills` (when given) hides mills and sensors of other
        mills (what the signed-in user may not see). An empty query lists screens and mills."""

        def allowed(e: SearchEntry) -> bool:
            return mills is None or e.mill is None or e.mill in mills

        tokens = query.lower().split()
        if not tokens:
            return [e for e in (*self.screen_entries, *self.mill_entries) if allowed(e)][:limit]
        scored: list[tuple[float, int, str, SearchEntry]] = []
        for e in (*self.screen_entries, *self.mill_entries, *self.sensor_entries):
            if not allowed(e):
                continue
            s = _score(e, tokens)
            if s is not None:
                scored.append((s, KIND_ORDER[e.kind], e.name_l, e))
        scored.sort(key=lambda t: t[:3])
        return [t[3] for t in scored[:limit]]
