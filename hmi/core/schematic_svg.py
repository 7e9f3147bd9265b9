"""Reading an SVG's element ids without Qt, so bindings are validated in the services and the
binding editor lists ids the same way the screen finds them. Pure Python (ElementTree/expat)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from hmi.core.text import Text

SVG_NS = "{http://www.w3.org/2000/svg}"
MAX_SVG_BYTES = 20 * 1024 * 1024  # a process graphic is kilobytes; refuse anything absurd
# Structural elements an installer does not bind (Inkscape adds ids to all of them).
_SKIP_TAGS = {"svg", "defs", "metadata", "namedview", "style", "title", "desc", "linearGradient",
              "radialGradient", "stop", "clipPath", "mask", "pattern", "marker", "filter", "symbol"}


class SvgError(ValueError):
    """The file is not a usable SVG; the message says why in words an installer understands."""


@dataclass(frozen=True, slots=True)
class SvgInfo:
    ids: tuple[str, ...]  # in document order, duplicates kept (they are a problem to report)
    labels: dict[str, str]  # id -> Inkscape label (inkscape:label), when the drawing has one
    tags: dict[str, str]  # id -> element tag without namespace ("g", "rect", "text", ...)
    parents: dict[str, str] = field(default_factory=dict)  # id -> nearest ancestor with an id

    def descendants(self, ancestor: str) -> list[str]:
        """Ids inside the element `ancestor` (at any depth), in document order."""
        out = []
        for eid in self.ids:
            p = self.parents.get(eid)
            while p is not None:
                if p == ancestor:
                    out.append(eid)
                    break
                p = self.parents.get(p)
        return out

    def anchor(self, instance: str, slot: str) -> str | None:
        """The element a symbol slot's display goes into: `<instance>__<slot>`, else a descendant of
        the instance named `...__<slot>` (Inkscape renames pasted copies to `silo__level-3`)."""
        exact = f"{instance}__{slot}"
        if exact in self.tags:
            return exact
        pattern = re.compile(rf"__{re.escape(slot)}(?:[-_]\d+)?$")
        for eid in self.descendants(instance):
            if pattern.search(eid):
                return eid
        return None


def read_svg_info(data: bytes) -> SvgInfo:
    """The ids of the drawing's elements; raises SvgError when the file is empty, too large, not
    XML or not an SVG."""
    if not data.strip():
        raise SvgError(Text("the file is empty"))
    if len(data) > MAX_SVG_BYTES:
        raise SvgError(Text("the file is larger than {mb} MB", mb=MAX_SVG_BYTES // (1024 * 1024)))
    if b"<!ENTITY" in data:
        raise SvgError(Text("entity declarations are not allowed in schematics"))
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise SvgError(Text("not well-formed XML ({error})", error=str(exc))) from None
    if root.tag not in (f"{SVG_NS}svg", "svg"):
        raise SvgError(Text("the root element is <{tag}>, not <svg>", tag=root.tag.split("}")[-1]))
    ids: list[str] = []
    labels: dict[str, str] = {}
    tags: dict[str, str] = {}
    parents: dict[str, str] = {}

    def walk(el: ET.Element, parent: str | None) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag.split("}")[-1]
            eid = child.get("id")
            here = parent
            if eid and tag not in _SKIP_TAGS:
                ids.append(eid)
                tags.setdefault(eid, tag)
                if parent is not None:
                    parents.setdefault(eid, parent)
                for key, value in child.attrib.items():
                    if key.endswith("}label"):
                        labels.setdefault(eid, value)
                here = eid
            if tag not in ("defs", "metadata", "namedview"):
                walk(child, here)

    walk(root, None)
    return SvgInfo(tuple(ids), labels, tags, parents)
