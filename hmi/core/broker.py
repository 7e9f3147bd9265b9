"""Broker URLs: `mqtt://[user@]host[:port]` or `mqtts://...` with TLS options in the query
(`?ca=FILE&cert=FILE&key=FILE&insecure=0`). A password never appears in the URL: it lives in the
OS keyring (or MILLWATCH_BROKER_PASSWORD when no keyring backend exists)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from hmi.core.errors import ValidationError
from hmi.core.text import Text


@dataclass(frozen=True, slots=True)
class BrokerUrl:
    host: str
    port: int
    tls: bool = False
    username: str = ""
    ca_file: str = ""
    cert_file: str = ""
    key_file: str = ""

    @property
    def keyring_key(self) -> str:
        return f"broker:{self.username}@{self.host}:{self.port}"

    def display(self) -> str:
        user = f"{self.username}@" if self.username else ""
        return f"{'mqtts' if self.tls else 'mqtt'}://{user}{self.host}:{self.port}"


def parse_broker_url(url: str) -> BrokerUrl:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("mqtt", "mqtts"):
        raise ValidationError("broker", Text("broker URL must start with mqtt:// or mqtts://, got {url!r}", url=url))
    if parts.password:
        raise ValidationError("broker", Text("put the broker password in the keyring, not in the URL"))
    if not parts.hostname:
        raise ValidationError("broker", Text("broker URL {url!r} has no host", url=url))
    try:
        port = parts.port or (8883 if scheme == "mqtts" else 1883)
    except ValueError:
        raise ValidationError("broker", Text("broker URL {url!r} has a bad port", url=url)) from None
    q = parse_qs(parts.query)
    return BrokerUrl(
        host=parts.hostname,
        port=port,
        tls=scheme == "mqtts",
        username=unquote(parts.username or ""),
        ca_file=q.get("ca", [""])[-1],
        cert_file=q.get("cert", [""])[-1],
        key_file=q.get("key", [""])[-1],
    )
