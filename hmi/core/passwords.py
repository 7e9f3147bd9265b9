"""Password policy (pure). Hashing lives in services; the rules are here so forms and CLI agree."""

from __future__ import annotations

from dataclasses import dataclass

from hmi.core.text import Text


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    min_length: int = 12

    def problems(self, password: str, username: str = "") -> list[str]:
        out = []
        if len(password) < self.min_length:
            out.append(Text("password must be at least {n} characters", n=self.min_length))
        if username and username.lower() in password.lower():
            out.append(Text("password must not contain the username"))
        if password.strip() != password:
            out.append(Text("password must not start or end with spaces"))
        return out
