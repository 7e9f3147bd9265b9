"""Password policy (pure). Hashing lives in services; the rules are here so forms and CLI agree."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    min_length: int = 12

    def problems(self, password: str, username: str = "") -> list[str]:
        out = []
        if len(password) < self.min_length:
            out.append(f"password must be at least {self.min_length} characters")
        if username and username.lower() in password.lower():
            out.append("password must not contain the username")
        if password.strip() != password:
            out.append("password must not start or end with spaces")
        return out
