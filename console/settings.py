"""The console's configuration, read once from environment variables (scripts/env.sh gives the defaults)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from database.engine import ROOT, database_url


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError as error:
        raise SystemExit(f"{name} doit être un nombre entier (reçu : {raw!r})") from error


@dataclass(frozen=True)
class ConsoleSettings:
    database_url: str
    # Where `python -m console` listens when the console runs on its own (kept off
    # the public network); `make run` also mounts it under /operateur on the web service.
    host: str = "127.0.0.1"
    port: int = 8001
    # The intents and entities an operator may choose in a correction.
    domain_file: Path = ROOT / "domain.yml"
    retention_days: int = 30
    # Display times in the helpline's time zone.
    time_zone: str = "Europe/Paris"
    # Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (the web service's).
    trusted_proxies: tuple[str, ...] = ()
    # Cookies marked Secure whatever the request says (a TLS proxy the console cannot see).
    force_secure_cookies: bool = False

    @classmethod
    def from_env(cls) -> ConsoleSettings:
        return cls(
            database_url=database_url(),
            host=os.environ.get("REFUGE_CONSOLE_HOST", "127.0.0.1"),
            port=_int("REFUGE_CONSOLE_PORT", 8001),
            retention_days=_int("REFUGE_RETENTION_DAYS", 30),
            time_zone=os.environ.get("REFUGE_CONSOLE_TIME_ZONE", "Europe/Paris"),
            trusted_proxies=tuple(
                part.strip()
                for part in os.environ.get("REFUGE_TRUSTED_PROXIES", "")
                .replace(";", ",")
                .split(",")
                if part.strip()
            ),
            force_secure_cookies=os.environ.get("REFUGE_CONSOLE_SECURE_COOKIES", "0").strip()
            == "1",
        )
