"""The buffered socket under the MQTT driver's paho client: paho's small reads are served from large
ones, nothing is lost or reordered across reads, and paho's loop is told when bytes wait in the
buffer (its `pending()` hook). Whole-driver behaviour through it runs against a real mosquitto in
test_mqtt_driver.py and the runtime tests."""

from __future__ import annotations

import random
import socket

import pytest

from hmi.drivers.mqtt_client import BufferedSocket


@pytest.fixture
def pair() -> tuple[socket.socket, socket.socket]:
    a, b = socket.socketpair()
    b.setblocking(False)
    yield a, b
    a.close()
    b.close()


def test_small_reads_are_served_from_one_large_read(pair: tuple[socket.socket, socket.socket]) -> None:
    a, b = pair
    a.sendall(b"\x30\x05hello\x30\x03abc")
    s = BufferedSocket(b, read_size=4096)
    assert s.recv(1) == b"\x30"
    assert s.pending() == s.buffered() == 11  # the rest came with the first read
    assert s.recv(1) == b"\x05"
    assert s.recv(5) == b"hello"
    assert s.recv(100) == b"\x30\x03abc"  # a short read, as a socket gives
    assert s.pending() == 0
    with pytest.raises(BlockingIOError):
        s.recv(1)  # nothing buffered, nothing on the wire: the socket's own answer


def test_a_random_stream_arrives_whole_and_in_order(pair: tuple[socket.socket, socket.socket]) -> None:
    a, b = pair
    rng = random.Random(7)
    data = bytes(rng.getrandbits(8) for _ in range(200_000))
    s = BufferedSocket(b, read_size=8192)
    got = bytearray()
    sent = 0
    while len(got) < len(data):
        if sent < len(data):
            n = rng.randint(1, 30_000)
            a.sendall(data[sent : sent + n])
            sent += n
        try:
            got += s.recv(rng.choice((1, 2, 7, 100, 5000, 70_000)))
        except BlockingIOError:
            continue
    assert bytes(got) == data


def test_end_of_stream_and_other_calls_pass_through(pair: tuple[socket.socket, socket.socket]) -> None:
    a, b = pair
    s = BufferedSocket(b)
    assert s.fileno() == b.fileno()  # select() and paho's other calls reach the socket
    a.sendall(b"xy")
    a.close()
    assert s.recv(1) == b"x" and s.recv(1) == b"y"
    assert s.recv(1) == b""  # the peer closed: paho sees the connection lost


def test_an_inner_pending_count_adds_up() -> None:
    class Tls:
        def recv(self, n: int) -> bytes:
            return b"abcdef"[:n] if n >= 6 else b"abcdef"

        def pending(self) -> int:
            return 9  # bytes an SSL socket decrypted already

    s = BufferedSocket(Tls(), read_size=6)
    assert s.recv(2) == b"ab"
    assert s.pending() == 4 + 9
