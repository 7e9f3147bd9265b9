"""The paho client the MQTT driver uses: paho-mqtt 2 with buffered reads of the broker's stream.

Why: paho reads a packet with a `recv` call per part (the command byte, each byte of the remaining
length, then the rest) and handles one packet per `select()` when it has no messages of its own in
flight. Each of those system calls releases the GIL, and with the ingest and writer threads in the
same process each release hands the interpreter to another thread and back: at 2,000 gateway
messages a second that was most of the cost of receiving. Here the socket is read in gulps of up
to 256 KiB and paho's small reads are served from that buffer; `pending()` (the hook paho already
has for bytes an SSL socket holds) tells paho's loop that more bytes wait, and `loop_read` handles
the packets already buffered (up to MAX_PACKETS_PER_READ) before going back to `select()`.

Nothing else of paho changes: the same packets are parsed by the same code, in the same order, and
what was not yet received is read by the next `recv` as before. TLS sockets (whose own `pending()`
is counted too) and reconnects are covered by the driver's tests against a real mosquitto.
"""

from __future__ import annotations

from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import MQTTErrorCode

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


class BufferedClient(mqtt.Client):
    """paho's Client reading through a BufferedSocket (see the module's docstring)."""

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
