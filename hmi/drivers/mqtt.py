"""MQTT driver (paho-mqtt 2, MQTT v5): subscribes to the plant's reading topics and turns each
message into Samples.

Nothing slow runs on paho's network thread: a message is decoded (orjson, with a fast path for the
contract's own object; gateway arrays go over undecoded) and handed to the pipeline's queue; the
paho message object is never kept. The client is paho's, reading through a buffer and decoding
plain PUBLISH packets without paho's per-message properties object (`mqtt_client`): about a third
of the CPU a single-reading message cost. QoS 1 messages are acknowledged manually, once per
message, only once every reading it carries has been committed (or refused for good), so a crash
loses nothing: the persistent session (clean_start false) makes the broker redeliver what was not
acked.

With the option `on_items` (the runtime passes the pipeline's `submit_items`) a message goes to the
pipeline as plain `(eui, ts, value, quality, reason)` tuples with one acknowledgement; without it,
as `Sample`s through `on_samples` that share the message's acknowledgement (calling it more than
once is harmless). With the option `on_gateway` (the pipeline's `submit_gateway`) a gateway batch
(`mills/{mill}/readings`) goes over as its raw payload with its acknowledgement, and the pipeline
decodes and judges it on its own thread: at 100 readings a message, building a tuple per reading
here only to take it apart there was a good part of the cost of a reading, and decoding on one
thread what another judges measured 1.6x the CPU of doing both on one (the JSON objects are made
in one core's cache and read in the other's, and the two threads trade the GIL for every message).
"""

from __future__ import annotations

import logging
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import orjson
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from hmi.core.broker import BrokerUrl
from hmi.core.domain import Sensor
from hmi.core.payloads import (
    Item,
    PayloadError,
    decode_default,
    decode_gateway,
    decode_reading,
    load_json,
)
from hmi.core.sources import MqttSource, Source
from hmi.drivers.base import DriverContext, LinkState, Sample
from hmi.drivers.mqtt_client import BufferedClient

log = logging.getLogger(__name__)
_HANDED_OVER: list[Item] = []  # `_decode`: the message went to `on_gateway`, acknowledgement and all
MillEventSink = Callable[[str, str, dict[str, object]], None]  # (kind, mill slug, document)


@dataclass(frozen=True, slots=True)
class _Binding:
    eui: str
    value_path: tuple[str, ...]
    ts_field: str
    default: bool  # the contract's own layout: value at "value", timestamp at "ts"


class _MessageAck:
    """Acknowledges one QoS 1/2 message, once, however often it is called (its samples share it)."""

    __slots__ = ("_client", "_done", "_mid", "_qos")

    def __init__(self, client: mqtt.Client, mid: int, qos: int) -> None:
        self._client, self._mid, self._qos, self._done = client, mid, qos, False

    def __call__(self) -> None:
        if not self._done:
            self._done = True
            self._client.ack(self._mid, self._qos)

    @staticmethod
    def settle_many(acks: list[_MessageAck]) -> None:
        """Acknowledge `acks` in order, each once: runs of one client's QoS 1 messages go out as one
        write (`BufferedClient.ack_many`), the rest one by one (see `history_writer.settle`)."""
        run: list[int] = []
        client: BufferedClient | None = None
        for ack in acks:
            if ack._done:
                continue
            batched = ack._qos == 1 and isinstance(ack._client, BufferedClient)
            if run and (not batched or ack._client is not client):
                client.ack_many(run)  # type: ignore[union-attr]
                run = []
            if not batched:
                ack()
                continue
            ack._done = True
            client = ack._client  # type: ignore[assignment]
            run.append(ack._mid)
        if run:
            client.ack_many(run)  # type: ignore[union-attr]


class MqttDriver:
    scheme = "mqtt"

    def __init__(
        self,
        ctx: DriverContext,
        broker: BrokerUrl,
        *,
        client_id: str,
        password: str | None = None,
        qos: int = 1,
        keepalive: int = 30,
        session_expiry: int = 7 * 24 * 3600,
        reconnect_max: int = 4,
        on_mill_event: MillEventSink | None = None,
    ) -> None:
        self._ctx = ctx
        self._broker = broker
        self._client_id = client_id
        self._qos = qos
        self._keepalive = keepalive
        self._session_expiry = session_expiry
        self._on_mill_event = on_mill_event
        on_items = ctx.options.get("on_items")
        self._emit: Callable[[list[Item], Callable[[], None] | None], None] = (
            on_items if callable(on_items) else self._emit_samples  # type: ignore[assignment]
        )
        on_gateway = ctx.options.get("on_gateway")
        self._on_gateway: Callable[[bytes, float, Callable[[], None] | None, str], None] | None = (
            on_gateway if callable(on_gateway) else None  # type: ignore[assignment]
        )
        self._bindings: dict[str, list[_Binding]] = {}
        self._mills: set[str] = set()
        self.presence_topic = f"millwatch/presence/{client_id}"
        self.link_name = f"broker {broker.display()}"
        self.connected = threading.Event()
        self.messages = 0
        c = BufferedClient(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=mqtt.MQTTv5,
            manual_ack=True,
        )
        if broker.username:
            c.username_pw_set(broker.username, password)
        if broker.tls:
            c.tls_set(
                ca_certs=broker.ca_file or None,
                certfile=broker.cert_file or None,
                keyfile=broker.key_file or None,
                cert_reqs=ssl.CERT_REQUIRED,
            )
        will = Properties(PacketTypes.WILLMESSAGE)
        will.WillDelayInterval = 10  # a quick reconnect does not flap presence
        c.will_set(self.presence_topic, orjson.dumps({"online": False}), qos=1, retain=True, properties=will)
        c.reconnect_delay_set(min_delay=1, max_delay=reconnect_max)
        c.on_connect = self._on_connect
        c.on_disconnect = self._on_disconnect
        c.on_message = self._on_message
        self._client = c

    @property
    def client(self) -> mqtt.Client:
        """The paho client, for publishing commands on the same connection."""
        return self._client

    # -- configuration ------------------------------------------------------------------------------
    def add(self, sensor: Sensor, source: Source) -> None:
        assert isinstance(source, MqttSource)
        path = tuple(source.value_path.split("."))
        default = path == ("value",) and source.ts_field == "ts"
        self._bindings.setdefault(source.topic, []).append(_Binding(sensor.eui, path, source.ts_field, default))
        self._mills.add(sensor.mill_slug)

    def add_mill(self, slug: str) -> None:
        self._mills.add(slug)

    def subscriptions(self) -> list[str]:
        """Our own table of subscriptions, renewed on every connect."""
        subs = {t for t in self._bindings if not self._covered(t)}  # overlaps would deliver twice
        for m in self._mills:
            subs |= {
                f"mills/{m}/sensors/+/reading",
                f"mills/{m}/readings",
                f"mills/{m}/status",
                f"mills/{m}/production",
            }
        return sorted(subs)

    def _covered(self, topic: str) -> bool:
        p = topic.split("/")
        return len(p) == 5 and p[0] == "mills" and p[1] in self._mills and p[2] == "sensors" and p[4] == "reading"

    # -- lifecycle ----------------------------------------------------------------------------------
    def start(self) -> None:
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = self._session_expiry
        props.ReceiveMaximum = 65535
        self._ctx.on_link(self.link_name, LinkState.CONNECTING, "")
        self._client.connect_async(
            self._broker.host, self._broker.port, keepalive=self._keepalive, clean_start=False, properties=props
        )
        self._client.loop_start()

    def stop(self) -> None:
        if self._client.is_connected():
            info = self._client.publish(self.presence_topic, orjson.dumps({"online": False}), qos=1, retain=True)
            info.wait_for_publish(timeout=2)
        self._client.disconnect()
        self._client.loop_stop()
        self.connected.clear()

    # -- paho callbacks (network thread: keep them quick) ------------------------------------------
    def _on_connect(self, client: mqtt.Client, _ud: object, _flags: object, reason: object, _props: object) -> None:
        if getattr(reason, "is_failure", False):
            self._ctx.on_link(self.link_name, LinkState.DOWN, f"refused: {reason}")
            return
        subs = self.subscriptions()
        if subs:
            client.subscribe([(t, self._qos) for t in subs])
        client.publish(self.presence_topic, orjson.dumps({"online": True}), qos=1, retain=True)
        self.connected.set()
        self._ctx.on_link(self.link_name, LinkState.UP, "")
        log.info("connected to %s, %d subscriptions", self._broker.display(), len(subs))

    def _on_disconnect(self, _c: mqtt.Client, _ud: object, _flags: object, reason: object, _props: object) -> None:
        self.connected.clear()
        self._ctx.on_link(self.link_name, LinkState.DOWN, str(reason))

    def _on_message(self, client: mqtt.Client, _ud: object, msg: mqtt.MQTTMessage) -> None:
        # Copy out what we need; the message object itself is not kept.
        topic, payload, qos = msg.topic, msg.payload, msg.qos
        self.messages += 1
        ack = _MessageAck(client, msg.mid, qos) if qos else None
        try:
            items = self._decode(topic, payload, time.time(), ack)
        except Exception:  # never let one message kill paho's loop
            log.exception("unexpected error decoding a message on %s", topic)
            items = []
        if items is _HANDED_OVER:
            return  # the pipeline has it, with its acknowledgement
        if items:
            self._emit(items, ack)
        elif ack is not None:
            ack()  # nothing to store: refused for good

    def _emit_samples(self, items: list[Item], ack: Callable[[], None] | None) -> None:
        self._ctx.on_samples([Sample(e, t, v, q, r, ack) for e, t, v, q, r in items])

    def _decode(
        self, topic: str, payload: bytes, arrival: float, ack: Callable[[], None] | None = None
    ) -> list[Item]:
        """The message's items; `_HANDED_OVER` when it went to `on_gateway` with `ack`."""
        bindings = self._bindings.get(topic)
        if bindings is None:
            parts = topic.split("/")
            if len(parts) == 3 and parts[0] == "mills" and parts[1] in self._mills:
                return self._decode_mill_topic(parts[1], parts[2], topic, payload, arrival, ack)
            if len(parts) == 5 and parts[0] == "mills" and parts[2] == "sensors" and parts[4] == "reading":
                self._ctx.on_reject("unknown_sensor", f"{parts[3]}: no sensor with this EUI ({topic})")
            else:
                self._ctx.on_reject("unknown_topic", f"{topic}: not a topic of the plant")
            return []
        try:
            doc = load_json(payload)
        except PayloadError as exc:
            self._ctx.on_reject(exc.reason, f"{topic}: {exc.detail}")
            return []
        out: list[Item] = []
        fast = decode_default(doc, arrival)
        for b in bindings:
            if fast is not None and b.default:
                out.append((b.eui, fast[1], fast[0], fast[2], ""))
                continue
            try:
                d = decode_reading(doc, arrival, b.value_path, b.ts_field)
            except PayloadError as exc:
                self._ctx.on_reject(exc.reason, f"{b.eui}: {exc.detail}")
                continue
            out.append((b.eui, d.ts, d.value, d.quality, d.reason))
        return out

    def _decode_mill_topic(
        self, mill: str, leaf: str, topic: str, payload: bytes, arrival: float, ack: Callable[[], None] | None
    ) -> list[Item]:
        if leaf == "readings" and self._on_gateway is not None:
            self._on_gateway(payload, arrival, ack, topic)  # decoded (and refused, if need be) there
            return _HANDED_OVER
        try:
            doc = load_json(payload)
        except PayloadError as exc:
            self._ctx.on_reject(exc.reason, f"{topic}: {exc.detail}")
            return []
        if leaf == "readings":
            try:
                items, errors = decode_gateway(doc, arrival)
            except PayloadError as exc:
                self._ctx.on_reject(exc.reason, f"{topic}: {exc.detail}")
                return []
            for eui, err in errors:
                self._ctx.on_reject(err.reason, f"{eui or topic}: {err.detail}")
            return items
        if leaf in ("status", "production") and isinstance(doc, dict) and self._on_mill_event is not None:
            self._on_mill_event(leaf, mill, doc)
        elif leaf not in ("status", "production") or not isinstance(doc, dict):
            reason = "unknown_topic" if leaf not in ("status", "production") else "not_object"
            self._ctx.on_reject(reason, f"{topic}: {reason}")
        return []


def create_mqtt_driver(ctx: DriverContext) -> MqttDriver:
    """Registry factory. Options: broker (BrokerUrl), client_id, password, on_mill_event, qos, on_items,
    on_gateway."""
    o = ctx.options
    broker = o["broker"]
    assert isinstance(broker, BrokerUrl)
    return MqttDriver(
        ctx,
        broker,
        client_id=str(o.get("client_id", "millwatch")),
        password=o.get("password"),  # type: ignore[arg-type]
        qos=int(o.get("qos", 1)),  # type: ignore[call-overload]
        on_mill_event=o.get("on_mill_event"),  # type: ignore[arg-type]
    )
