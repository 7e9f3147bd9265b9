"""The paho client the MQTT driver uses: paho-mqtt 2 with buffered reads of the broker's stream.

Why: paho reads a packet with a `recv` call per part (the command byte, each byte of the remaining
length, then the rest) and handles one packet per `select()` when it has no messages of its own in
flight. Each of those system calls releases the GIL, and with the ingest and writer threads in the
same process each release hands the interpreter to another thread and back: at 2,000 gateway
messages a second that was most of the cost of receiving. Here the socket is read in gulps of up
to 256 KiB and paho's small reads are served from that buffer; `pending()` (the hook paho already
has for bytes an SSL socket holds) tells paho's loop that more bytes wait, and `loop_read` handles
the packets already buffered (up to MAX_PACKETS_PER_READ) before going back to `select()`.

A PUBLISH at QoS 0 or 1 without MQTT v5 properties (what devices send) is also decoded here, without
paho's per-message `Properties` object (its constructor builds two tables of 27 entries, and its
`clear` and `unpack` walk them) and without the MQTTMessageInfo (a lock and a condition) that only
outgoing messages use: together over a third of paho's time per message. Anything else (QoS 2,
properties, a malformed packet, paho's logging switched on) is left to paho's own `_handle_publish`.

Acknowledgements go out in batches (`ack_many`): paho queues a packet per `ack()`, wakes its network
thread with a system call for each and sends each with its own `send`, and every one of those calls
hands the GIL over while the ingest thread holds it (hundreds of acks after each commit took tens of
milliseconds). `ack_many` queues the PUBACKs of one commit as one write, in order.

What was not yet received is read by the next `recv` as before, and packets are handled in the same
order. TLS sockets (whose own `pending()` is counted too) and reconnects are covered by the driver's
tests against a real mosquitto.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Sequence
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import MQTTErrorCode, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

_PUBACK = struct.Struct("!BBH")  # what paho's _send_command_with_mid packs: command, remaining length 2, mid

READ_SIZE = 256 * 1024  # bytes asked of the kernel at once
MAX_PACKETS_PER_READ = 256  # packets handled from the buffer before paho's loop writes (acks) again


class BufferedSocket:
    """A socket whose `recv` is served from a buffer filled by large reads. Everything else (send,
    fileno, setblocking, close, ...) is the wrapped socket's."""

    def __init__(self, sock: Any, read_size: int = READ_SIZE) -> None:
        self._sock = sock
        self._read_size = read_size
        self._buf = b""
        self._pos = 0

    def recv(self, n: int) -> bytes:
        buf = self._buf
        if buf:
            pos = self._pos
            end = pos + n
            if end >= len(buf):
                self._buf, self._pos = b"", 0
                return buf[pos:] if pos else buf
            self._pos = end
            return buf[pos:end]
        data: bytes = self._sock.recv(max(n, self._read_size))  # may raise BlockingIOError, SSL errors
        if len(data) <= n:
            return data
        self._buf, self._pos = data, n
        return data[:n]

    def buffered(self) -> int:
        """Bytes received from the kernel that paho has not read yet."""
        return len(self._buf) - self._pos

    def pending(self) -> int:
        """What paho's loop asks before `select()`: bytes readable without waiting for the network."""
        inner = getattr(self._sock, "pending", None)
        return self.buffered() + (inner() if inner is not None else 0)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


# The properties of every PUBLISH that carries none (shared: read-only for the driver, which never
# looks at them).
NO_PROPERTIES = Properties(PacketTypes.PUBLISH)


class InboundMessage(mqtt.MQTTMessage):
    """An MQTTMessage as paho's `_handle_publish` makes it for an incoming PUBLISH, without the
    MQTTMessageInfo that tracks outgoing ones (`info` is None)."""

    def __init__(self, mid: int, topic: bytes, payload: bytes, qos: int, dup: bool, retain: bool) -> None:
        self.timestamp = time.monotonic()  # paho's time_func
        self.state = mqtt.mqtt_ms_invalid
        self.dup = dup
        self.mid = mid
        self._topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.info = None  # type: ignore[assignment]
        self.properties = NO_PROPERTIES


class BufferedClient(mqtt.Client):
    """paho's Client reading through a BufferedSocket, with a lighter decoding of plain PUBLISH packets
    (see the module's docstring)."""

    def _handle_publish(self) -> MQTTErrorCode:
        header: int = self._in_packet["command"]
        qos = (header & 0x06) >> 1
        if qos == 2 or self._protocol != MQTTProtocolVersion.MQTTv5 or self._logger is not None or self.on_log:
            return super()._handle_publish()
        packet: bytearray = self._in_packet["packet"]
        try:
            pos = 2 + ((packet[0] << 8) | packet[1])
            topic = bytes(packet[2:pos])
            mid = 0
            if qos:
                mid = (packet[pos] << 8) | packet[pos + 1]
                pos += 2
            if packet[pos] != 0 or len(topic) != pos - 2 - (2 if qos else 0):
                return super()._handle_publish()  # properties (or a topic alias), or too short: paho's way
        except IndexError:
            return super()._handle_publish()  # malformed: paho reports it
        payload = bytes(packet[pos + 1 :])  # bytes, as paho hands it over (the packet is a bytearray)
        message = InboundMessage(mid, topic, payload, qos, bool(header & 0x08), bool(header & 0x01))
        self._handle_on_message(message)
        if qos == 0 or self._manual_ack:
            return MQTTErrorCode.MQTT_ERR_SUCCESS
        return self._send_puback(mid)

    def ack_many(self, mids: Sequence[int]) -> MQTTErrorCode:
        """Acknowledge the QoS 1 messages `mids` (manual acks) in this order, as one queued write: the
        same PUBACK packets `ack(mid, 1)` sends one by one, with one wake-up of the network thread."""
        if not mids or not self._manual_ack:
            return MQTTErrorCode.MQTT_ERR_SUCCESS
        if self._logger is not None or self.on_log:  # paho logs each PUBACK: keep its way
            rc = MQTTErrorCode.MQTT_ERR_SUCCESS
            for mid in mids:
                rc = self.ack(mid, 1)
            return rc
        pack, command = _PUBACK.pack, mqtt.PUBACK
        data = b"".join([pack(command, 2, mid) for mid in mids])
        return self._packet_queue(command, data, mids[-1], 1)

    def _create_socket(self) -> Any:
        return BufferedSocket(super()._create_socket())

    def loop_read(self, max_packets: int = 1) -> MQTTErrorCode:
        rc = super().loop_read(max_packets)
        for _ in range(MAX_PACKETS_PER_READ):
            sock = self._sock
            if rc != MQTTErrorCode.MQTT_ERR_SUCCESS or not isinstance(sock, BufferedSocket) or not sock.buffered():
                break
            rc = super().loop_read(max_packets)
        return rc
