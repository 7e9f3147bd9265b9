"""Secrets (broker password, database password, site key) in the OS keyring under one service.

When no keyring backend works (a headless Linux box), the documented fallback is an environment
variable (MILLWATCH_BROKER_PASSWORD, ...). Secrets never go to a config file, a log or an exception.
"""

from __future__ import annotations

import logging
import os

import keyring
from keyring.errors import KeyringError, NoKeyringError

from hmi.core.text import Text

SERVICE = "millwatch"
ENV_FALLBACK = {
    "broker": "MILLWATCH_BROKER_PASSWORD",
    "database": "MILLWATCH_DB_PASSWORD",
    "site": "MILLWATCH_SITE_KEY",
}
log = logging.getLogger(__name__)


class SecretStoreUnavailable(RuntimeError):
    pass


def get_secret(key: str) -> str | None:
    """The secret stored under `key` (e.g. "broker:user@host:1883"), or the env fallback."""
    kind = key.split(":", 1)[0]
    env = os.environ.get(ENV_FALLBACK.get(kind, ""), "")
    try:
        value = keyring.get_password(SERVICE, key)
    except NoKeyringError:
        value = None
    except KeyringError as exc:
        log.warning("keyring unavailable (%s); using %s if set", type(exc).__name__, ENV_FALLBACK.get(kind, "-"))
        value = None
    return value if value is not None else (env or None)


def set_secret(key: str, value: str) -> None:
    try:
        keyring.set_password(SERVICE, key, value)
    except (NoKeyringError, KeyringError) as exc:
        kind = key.split(":", 1)[0]
        raise SecretStoreUnavailable(
            Text("no usable keyring backend ({backend}): set {variable} instead", backend=type(exc).__name__,
                 variable=ENV_FALLBACK.get(kind) or Text("the secret"))
        ) from None


def keyring_backend_name() -> str:
    return type(keyring.get_keyring()).__name__
