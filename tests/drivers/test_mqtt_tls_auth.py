"""mqtts:// with CA verification and a username whose password comes from the keyring, against a
real mosquitto with a TLS listener and a password file."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from hmi.core.broker import parse_broker_url
from hmi.drivers.base import DriverContext, LinkState
from hmi.drivers.mqtt import MqttDriver
from hmi.storage.secrets import get_secret, set_secret
from tests.support.servers import free_port, wait_port

PASSWORD = "grain-elevator-42"


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _make_ca_and_server_cert(d: Path, name: str) -> None:
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name} CA",
             "-keyout", f"{name}-ca.key", "-out", f"{name}-ca.pem", cwd=d)
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", f"{name}-server.key",
             "-out", f"{name}-server.csr", cwd=d)
    (d / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    _openssl("x509", "-req", "-in", f"{name}-server.csr", "-CA", f"{name}-ca.pem", "-CAkey", f"{name}-ca.key",
             "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", f"{name}-server.pem", cwd=d)


@pytest.fixture
def tls_broker(tmp_path: Path):  # type: ignore[no-untyped-def]
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed to make test certificates")
    d = tmp_path / "tls"
    d.mkdir()
    os.chmod(d, 0o777)
    _make_ca_and_server_cert(d, "site")
    _make_ca_and_server_cert(d, "rogue")
    passwd = d / "passwd"
    subprocess.run(["mosquitto_passwd", "-c", "-b", str(passwd), "ops", PASSWORD], check=True, capture_output=True)
    for f in d.iterdir():
        os.chmod(f, 0o644)
    port = free_port()
    conf = d / "m.conf"
    lines = [f"listener {port} 127.0.0.1", f"cafile {d}/site-ca.pem", f"certfile {d}/site-server.pem",
             f"keyfile {d}/site-server.key", "allow_anonymous false", f"password_file {passwd}"]
    if os.geteuid() == 0:
        lines.append("user root")
    conf.write_text("\n".join(lines) + "\n")
    proc = subprocess.Popen(["mosquitto", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port, proc)
    yield port, d
    proc.terminate()
    proc.wait(5)


def _connect(url: str, password: str | None, timeout: float = 4.0) -> tuple[bool, list]:
    links: list = []
    ctx = DriverContext(lambda b: None, lambda n, s, d: links.append((s, d)), lambda r, d: None, {})
    d = MqttDriver(ctx, parse_broker_url(url), client_id="t-tls", password=password)
    d.start()
    ok = d.connected.wait(timeout)
    d.stop()
    return ok, links


def test_tls_with_ca_and_keyring_password(tls_broker) -> None:  # type: ignore[no-untyped-def]
    port, d = tls_broker
    url = f"mqtts://ops@127.0.0.1:{port}?ca={d}/site-ca.pem"
    broker = parse_broker_url(url)
    set_secret(broker.keyring_key, PASSWORD)  # what the settings dialog / installer does
    ok, links = _connect(url, get_secret(broker.keyring_key))
    assert ok, links
    assert (LinkState.UP, "") in links


def test_wrong_password_is_refused(tls_broker) -> None:  # type: ignore[no-untyped-def]
    port, d = tls_broker
    ok, links = _connect(f"mqtts://ops@127.0.0.1:{port}?ca={d}/site-ca.pem", "not-the-password", timeout=2.0)
    assert not ok
    assert any(s is LinkState.DOWN for s, _ in links)


# paho-mqtt 2.2 leaves the SSL socket of a failed handshake to the garbage collector (ResourceWarning
# inside paho's reconnect loop); the refusal itself is what this test checks.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_untrusted_server_certificate_is_refused(tls_broker) -> None:  # type: ignore[no-untyped-def]
    port, d = tls_broker
    t0 = time.monotonic()
    ok, _ = _connect(f"mqtts://ops@127.0.0.1:{port}?ca={d}/rogue-ca.pem", PASSWORD, timeout=2.0)
    assert not ok and time.monotonic() - t0 < 10


def test_env_fallback_when_keyring_has_nothing(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MILLWATCH_BROKER_PASSWORD", "from-env")
    assert get_secret("broker:ops@h:1") == "from-env"
    set_secret("broker:ops@h:1", "from-keyring")
    assert get_secret("broker:ops@h:1") == "from-keyring"
