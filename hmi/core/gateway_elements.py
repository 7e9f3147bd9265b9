"""Gateway arrays (`mills/{mill}/readings`) decoded by msgspec straight into typed elements.

Why: at hundreds of thousands of readings a second, orjson's dict per element and the type checks
on it were half the cost of judging a gateway reading; msgspec checks the types while it decodes.
A payload that is not all elements of the contract's shape (or no JSON) gets None here and is left
to `payloads.load_json` and the element-by-element judgement, which gives every refusal its reason.
Its own module so that msgspec loads with the first gateway payload, not with the window.
"""

from __future__ import annotations

import msgspec

from hmi.core.payloads import MAX_PAYLOAD


class GatewayElement(msgspec.Struct, gc=False):
    """A gateway element of the contract's own shape, as msgspec decodes it: a string EUI, numbers
    (an integer becomes a float, as `decode_element` makes it; a bool is no number), a quality string
    or null; a missing quality is "good" (as `decode_element` reads it); other keys are ignored."""

    eui: str
    value: float
    ts: float
    quality: str | None = "good"


_ELEMENTS = msgspec.json.Decoder(list[GatewayElement])


def decode_elements(payload: bytes) -> list[GatewayElement] | None:
    """A gateway payload as typed elements; None when it is not all elements of the contract's shape
    (or no JSON, or too large): `load_json` then decodes it and names any refusal."""
    if len(payload) > MAX_PAYLOAD:
        return None
    try:
        return _ELEMENTS.decode(payload)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None


def as_object(element: GatewayElement) -> dict[str, object]:
    """The element as a JSON object (when orjson cannot give the payload's own)."""
    return msgspec.structs.asdict(element)
