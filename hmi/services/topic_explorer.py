"""The MQTT topic explorer behind the technician tool: what is live on the broker, per topic.

Commissioning a sensor means finding its topic and the place of its value in the payload. This
service subscribes to a filter (default `#`) with a paho client of its own (MQTT v5, clean start, no
session left on the broker), on paho's own thread, and keeps per topic: the last payload, the message
count, the rate over the last seconds, the retained flag and the QoS. The UI polls `snapshot()`.

Memory is bounded whatever the broker carries: at most `max_topics` topics are tracked (the rest
only counted), topic names longer than `MAX_TOPIC_CHARS` are counted and dropped, and each payload
is kept only up to `max_payload_bytes` (its full size is remembered). paho message objects are never
kept. The subscription is QoS 2 with retain-as-published, so what is shown is the QoS the publisher
used and whether the broker retains the topic.

`mqtt_source_url()` and `json_leaves()` turn a picked topic and JSON leaf into the sensor's source
URL of the contract (README "Source URLs"), checked by parsing it back.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import orjson
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from hmi.core.broker import BrokerUrl, parse_broker_url
from hmi.core.errors import ValidationError
from hmi.core.sources import MqttSource, parse_source
from hmi.core.text import Text

log = logging.getLogger(__name__)

DEFAULT_FILTER = "#"
MAX_TOPICS = 5000
MAX_PAYLOAD_BYTES = 4096
MAX_TOPIC_CHARS = 512
RATE_WINDOW_S = 10.0

Guard = Callable[[], object]  # raises (PermissionDenied) when the current user may not do this


@dataclass(frozen=True, slots=True)
class TopicInfo:
    """One topic as last seen. `payload` holds at most the explorer's payload cap; `size` is the full size."""

    topic: str
    count: int
    rate: float  # messages per second (smoothed; 0 after RATE_WINDOW_S of silence)
    retained: bool
    qos: int
    last_seen: float  # epoch seconds
    payload: bytes
    size: int
    version: int  # the explorer's change counter when this topic last received a message

    @property
    def truncated(self) -> bool:
        return self.size > len(self.payload)


@dataclass(frozen=True, slots=True)
class ExplorerSnapshot:
    state: str  # idle, connecting, connected, down
    detail: str
    topic_filter: str
    version: int
    messages: int
    dropped: int  # messages on topics not tracked (over the cap or names too long)
    topics: tuple[TopicInfo, ...]
    full: bool  # True: `topics` is every tracked topic; False: only those changed since the asked version
    topic_count: int = 0


@dataclass(slots=True)
class _Entry:
    count: int = 0
    retained: bool = False
    qos: int = 0
    last_seen: float = 0.0
    last_mono: float = 0.0
    interval: float = 0.0  # smoothed time between messages (s); 0 until the second message
    payload: bytes = b""
    size: int = 0
    version: int = 0

    def arrived(self, now: float) -> None:
        if self.count:
            gap = max(now - self.last_mono, 1e-6)
            self.interval = gap if self.count == 1 else 0.8 * self.interval + 0.2 * gap
        self.last_mono = now

    def rate(self, now: float) -> float:
        """Messages per second: O(1), decays while the topic is overdue, 0 after RATE_WINDOW_S of silence."""
        gap = now - self.last_mono
        if self.interval <= 0.0 or gap > RATE_WINDOW_S:
            return 0.0
        return 1.0 / max(self.interval, gap)

    def decaying(self, now: float) -> bool:
        """Overdue but not yet silent: its shown rate still moves."""
        gap = now - self.last_mono
        return self.interval > 0.0 and 1.5 * self.interval < gap <= RATE_WINDOW_S + 2.0


class TopicExplorer:
    """Subscribes to a topic filter and keeps the live topics; `snapshot()` from any thread."""

    def __init__(
        self,
        broker: BrokerUrl | str,
        password: str | None = None,
        *,
        topic_filter: str = DEFAULT_FILTER,
        max_topics: int = MAX_TOPICS,
        max_payload_bytes: int = MAX_PAYLOAD_BYTES,
        client_id: str | None = None,
        guard: Guard | None = None,
        password_lookup: Callable[[BrokerUrl], str | None] | None = None,
        keepalive: int = 15,
    ) -> None:
        if max_topics < 1 or max_payload_bytes < 0:
            raise ValueError("max_topics must be >= 1 and max_payload_bytes >= 0")
        self.broker = parse_broker_url(broker) if isinstance(broker, str) else broker
        self._password = password
        self._password_lookup = password_lookup or _keyring_password
        self._guard = guard
        self.max_topics = max_topics
        self.max_payload_bytes = max_payload_bytes
        self.client_id = client_id or f"millwatch-explorer-{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
        self._keepalive = keepalive
        self._lock = threading.Lock()
        self._topics: dict[str, _Entry] = {}
        self._filter = check_filter(topic_filter)
        self._version = 0
        self._messages = 0
        self._dropped = 0
        self._state = "idle"
        self._detail = ""
        self._client: mqtt.Client | None = None

    # -- lifecycle ------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._client is not None

    @property
    def topic_filter(self) -> str:
        return self._filter

    def start(self) -> None:
        """Connect (in the background) and subscribe. Calls the guard first; may read the keyring."""
        if self._client is not None:
            return
        if self._guard is not None:
            self._guard()
        password = self._password
        if password is None and self.broker.username:
            password = self._password_lookup(self.broker)
        client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2, client_id=self.client_id, protocol=mqtt.MQTTv5
        )
        if self.broker.username:
            client.username_pw_set(self.broker.username, password)
        if self.broker.tls:
            client.tls_set(
                ca_certs=self.broker.ca_file or None,
                certfile=self.broker.cert_file or None,
                keyfile=self.broker.key_file or None,
                cert_reqs=ssl.CERT_REQUIRED,
            )
        client.reconnect_delay_set(min_delay=1, max_delay=4)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        self._set_state("connecting", self.broker.display())
        client.connect_async(self.broker.host, self.broker.port, keepalive=self._keepalive, clean_start=True)
        self._client = client
        client.loop_start()

    def stop(self) -> None:
        """Disconnect and join paho's thread. Idempotent; the topics seen stay for a look."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.disconnect()
        finally:
            client.loop_stop()
        self._set_state("idle", "disconnected")

    def set_filter(self, topic_filter: str) -> None:
        """Subscribe to another filter instead; forgets the topics of the old one."""
        new = check_filter(topic_filter)
        with self._lock:
            old, self._filter = self._filter, new
            self._topics.clear()
            self._dropped = 0
            self._version += 1
        client = self._client
        if client is not None and client.is_connected():
            if old != new:
                client.unsubscribe(old)
            client.subscribe(new, options=_subscribe_options())

    def clear(self) -> None:
        with self._lock:
            self._topics.clear()
            self._messages = self._dropped = 0
            self._version += 1

    # -- what the UI reads ----------------------------------------------------------------------------
    def snapshot(self, since: int = -1) -> ExplorerSnapshot:
        """The topics (copies). With `since` (a version from an earlier snapshot), only the topics that
        received a message after it, plus those whose rate is still moving; else all of them."""
        now = time.monotonic()
        full = since < 0
        with self._lock:
            infos = tuple(
                TopicInfo(
                    topic,
                    e.count,
                    e.rate(now),
                    e.retained,
                    e.qos,
                    e.last_seen,
                    e.payload,
                    e.size,
                    e.version,
                )
                for topic, e in self._topics.items()
                if full or e.version > since or e.decaying(now)
            )
            return ExplorerSnapshot(
                self._state,
                self._detail,
                self._filter,
                self._version,
                self._messages,
                self._dropped,
                infos,
                full,
                len(self._topics),
            )

    def topic(self, name: str) -> TopicInfo | None:
        now = time.monotonic()
        with self._lock:
            e = self._topics.get(name)
            if e is None:
                return None
            return TopicInfo(name, e.count, e.rate(now), e.retained, e.qos, e.last_seen, e.payload, e.size, e.version)

    # -- paho callbacks (paho's thread: quick) --------------------------------------------------------
    def _set_state(self, state: str, detail: str) -> None:
        with self._lock:
            self._state, self._detail = state, detail
            self._version += 1

    def _on_connect(self, client: mqtt.Client, _u: object, _f: object, reason: object, _p: object) -> None:
        if getattr(reason, "is_failure", False):
            self._set_state("down", Text("refused: {reason}", reason=str(reason)))
            return
        client.subscribe(self._filter, options=_subscribe_options())
        self._set_state("connected", self.broker.display())

    def _on_disconnect(self, _c: mqtt.Client, _u: object, _f: object, reason: object, _p: object) -> None:
        if self._client is None:
            return
        with self._lock:
            refused = self._state == "down" and self._detail.startswith("refused")
        if not refused:  # the broker's refusal says more than the disconnect that follows it
            self._set_state("down", str(reason))

    def _on_message(self, _c: mqtt.Client, _u: object, msg: mqtt.MQTTMessage) -> None:
        topic = msg.topic  # decoded once; the message object is not kept
        payload = msg.payload
        now = time.monotonic()
        with self._lock:
            self._messages += 1
            e = self._topics.get(topic)
            if e is None:
                if len(self._topics) >= self.max_topics or len(topic) > MAX_TOPIC_CHARS:
                    self._dropped += 1
                    return
                e = self._topics[topic] = _Entry()
            self._version += 1
            e.arrived(now)
            e.count += 1
            e.retained = bool(msg.retain)
            e.qos = int(msg.qos)
            e.last_seen = time.time()
            e.size = len(payload)
            e.payload = bytes(payload[: self.max_payload_bytes])
            e.version = self._version


def _subscribe_options() -> mqtt.SubscribeOptions:
    # QoS 2: messages arrive with the publisher's own QoS; retain-as-published: the flag says "retained".
    return mqtt.SubscribeOptions(qos=2, retainAsPublished=True)


def _keyring_password(broker: BrokerUrl) -> str | None:
    from hmi.storage.secrets import get_secret

    return get_secret(broker.keyring_key)


def check_filter(topic_filter: str) -> str:
    """The filter, or ValidationError when MQTT would refuse it (`#` only last, `+` a whole level)."""
    f = topic_filter.strip()
    if not f:
        raise ValidationError("filter", Text("the topic filter is empty"))
    levels = f.split("/")
    for i, level in enumerate(levels):
        if "#" in level and (level != "#" or i != len(levels) - 1):
            raise ValidationError("filter", Text("{filter!r}: '#' must be a whole level at the end", filter=f))
        if "+" in level and level != "+":
            raise ValidationError("filter", Text("{filter!r}: '+' must be a whole level", filter=f))
    return f


# -- picking a value -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JsonLeaf:
    """A scalar in a JSON document. `path` is dotted (""= the document itself); `bindable` when the
    source contract can reach it (objects only: no list indices, no dots in keys) and it is a number."""

    path: str
    depth: int
    key: str
    value: object
    kind: str  # number, string, bool, null, object, array
    bindable: bool
    reachable: bool  # the path can be written in a source URL (for a timestamp field)


def _kind(v: object) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int | float):
        return "number"
    if isinstance(v, str):
        return "string"
    if v is None:
        return "null"
    return "array" if isinstance(v, list) else "object"


def json_leaves(doc: object, max_items: int = 2000) -> list[JsonLeaf]:
    """The document's entries in document order, containers included (so a view can indent).

    Iterative (a deeply nested payload cannot exhaust the stack); stops after `max_items` entries.
    """
    out: list[JsonLeaf] = []
    stack: list[tuple[object, str, str, int, bool]] = [(doc, "", "", 0, True)]
    while stack and len(out) < max_items:
        v, path, key, depth, reachable = stack.pop()
        kind = _kind(v)
        scalar = kind not in ("object", "array")
        out.append(JsonLeaf(path, depth, key, v if scalar else None, kind, reachable and kind == "number", reachable))
        children: list[tuple[object, str, str, int, bool]] = []
        if isinstance(v, dict):
            for k, child in v.items():
                ks = str(k)
                ok = reachable and "." not in ks and ks != ""
                children.append((child, f"{path}.{ks}" if path else ks, ks, depth + 1, ok))
        elif isinstance(v, list):
            children = [(child, f"{path}[{i}]", f"[{i}]", depth + 1, False) for i, child in enumerate(v)]
        stack.extend(reversed(children))
    return out


def parse_payload(payload: bytes) -> object:
    """The JSON document of a payload; ValueError when it is not JSON (orjson: no NaN/Infinity)."""
    try:
        return orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise ValueError(str(exc)) from None


def pretty_payload(payload: bytes, truncated: bool = False) -> str:
    """Indented JSON when the payload is JSON, else its text (or a hex dump of binary)."""
    if not truncated:
        try:
            return orjson.dumps(orjson.loads(payload), option=orjson.OPT_INDENT_2).decode()
        except orjson.JSONDecodeError:
            pass
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return " ".join(f"{b:02x}" for b in payload[:1024])


def timestamp_candidates(leaves: list[JsonLeaf]) -> list[str]:
    """Reachable number or string leaves, likeliest timestamp fields first."""
    names = ("ts", "timestamp", "time", "t", "datetime", "date")
    cands = [lf.path for lf in leaves if lf.path and lf.reachable and lf.kind in ("number", "string")]
    return sorted(cands, key=lambda p: (p.split(".")[-1].lower() not in names, cands.index(p)))


def mqtt_source_url(topic: str, value_path: str = "value", ts_field: str = "ts") -> str:
    """The sensor source URL for a topic and the dotted paths of its value and timestamp.

    Defaults are left out (`path=value`, `ts=ts`); `ts_field=""` means "use the arrival time". Raises
    ValidationError when the topic cannot be a sensor topic or the URL would not parse back the same.
    """
    if not topic or any(c in topic for c in "+#?") or topic != topic.strip("/") or any(c.isspace() for c in topic):
        raise ValidationError("source", Text("topic {topic!r} cannot be a sensor topic (wildcards, '?', spaces, or "
                                             "'/' at either end)", topic=topic))
    query = {}
    if value_path and value_path != "value":
        query["path"] = value_path
    if ts_field != "ts":
        query["ts"] = ts_field
    url = f"mqtt://{topic}" + (f"?{urlencode(query)}" if query else "")
    parsed = parse_source(url)
    expected = MqttSource(topic, value_path or "value", ts_field)
    if parsed != expected:
        raise ValidationError("source", Text("{url!r} does not describe topic {topic!r} unambiguously",
                                             url=url, topic=topic))
    return url
