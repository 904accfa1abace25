"""The web service's configuration, read once from environment variables (scripts/env.sh gives the defaults)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from database.engine import DEFAULT_DATABASE_URL

_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise SystemExit(f"{name} doit être un nombre entier (reçu : {raw!r})") from error


def _list(name: str, default: str = "") -> tuple[str, ...]:
    raw = os.environ.get(name, default)
    return tuple(
        item.strip().rstrip("/") for item in raw.replace(";", ",").split(",") if item.strip()
    )


@dataclass(frozen=True)
class RateLimit:
    """At most `count` events per `seconds`-long window."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, name: str, default: str) -> RateLimit:
        raw = os.environ.get(name, "").strip() or default
        try:
            count, seconds = (int(part) for part in raw.split("/"))
        except ValueError as error:
            raise SystemExit(
                f"{name} s'écrit NOMBRE/SECONDES, par exemple 30/60 (reçu : {raw!r})"
            ) from error
        return cls(count, seconds)


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    # Rasa's REST channel on loopback; several servers when they share a SQL
    # tracker store and a Redis lock store (any of them can take any turn).
    rasa_urls: tuple[str, ...] = ("http://127.0.0.1:5005",)
    rasa_timeout_seconds: float = 10.0
    # Rasa's own TICKET_LOCK_LIFETIME (60 s unless set): a Rasa server that dies
    # mid-turn holds its conversation's lock that long.
    lock_lifetime_seconds: float = 60.0
    database_url: str = DEFAULT_DATABASE_URL
    # Partner sites allowed to embed the widget and to call the API from a browser.
    partner_origins: tuple[str, ...] = ()
    quick_exit_url: str = "https://www.meteofrance.com/"
    max_message_chars: int = 2000
    max_body_bytes: int = 32_768
    # A person types; a script floods. Per conversation strict, per address
    # generous: a school's pupils share one NAT address.
    conversation_messages: RateLimit = field(default_factory=lambda: RateLimit(30, 60))
    address_messages: RateLimit = field(default_factory=lambda: RateLimit(3000, 60))
    address_conversations: RateLimit = field(default_factory=lambda: RateLimit(300, 600))
    rate_limit_store: str = "memory"  # memory (one web process) or redis (several)
    redis_url: str = "redis://127.0.0.1:6379/1"
    retention_days: int = 30
    purge_interval_seconds: int = 3600
    trusted_proxies: tuple[str, ...] = ()
    # The operator console under /operateur (REFUGE_CONSOLE_MOUNTED=0 to serve it
    # only with `python -m console`, on a port kept off the public network).
    console_mounted: bool = True

    @classmethod
    def from_env(cls) -> Settings:
        rasa_host = os.environ.get("REFUGE_RASA_HOST", "127.0.0.1")
        rasa_port = os.environ.get("REFUGE_RASA_PORT", "5005")
        redis_url = "redis://{}:{}/{}".format(
            os.environ.get("REFUGE_REDIS_HOST", "127.0.0.1"),
            os.environ.get("REFUGE_REDIS_PORT", "6379"),
            os.environ.get("REFUGE_REDIS_DB", "1"),
        )
        store = os.environ.get("REFUGE_RATE_LIMIT_STORE", "memory").strip() or "memory"
        if store not in ("memory", "redis"):
            raise SystemExit(f"REFUGE_RATE_LIMIT_STORE vaut memory ou redis (reçu : {store!r})")
        partner_origins = _list("REFUGE_PARTNER_ORIGINS")
        for origin in partner_origins:
            # An origin, exactly: "*" or "https:" would let any site frame the chat.
            if not _ORIGIN.match(origin):
                raise SystemExit(
                    f"REFUGE_PARTNER_ORIGINS : {origin!r} n'est pas une origine (https://site.example[:port])"
                )
        quick_exit_url = os.environ.get("REFUGE_QUICK_EXIT_URL", "").strip() or cls.quick_exit_url
        if not quick_exit_url.startswith("https://"):
            raise SystemExit(
                f"REFUGE_QUICK_EXIT_URL doit être une adresse https:// (reçu : {quick_exit_url!r})"
            )
        return cls(
            host=os.environ.get("REFUGE_WEB_HOST", "127.0.0.1"),
            port=_int("REFUGE_WEB_PORT", 8000),
            rasa_urls=_list("REFUGE_RASA_URLS", f"http://{rasa_host}:{rasa_port}"),
            rasa_timeout_seconds=float(_int("REFUGE_RASA_TIMEOUT_SECONDS", 10)),
            lock_lifetime_seconds=float(_int("TICKET_LOCK_LIFETIME", 60)),
            database_url=os.environ.get("REFUGE_DATABASE_URL", cls.database_url),
            partner_origins=partner_origins,
            quick_exit_url=quick_exit_url,
            max_message_chars=_int("REFUGE_MAX_MESSAGE_CHARS", 2000),
            conversation_messages=RateLimit.parse("REFUGE_RATE_CONVERSATION", "30/60"),
            address_messages=RateLimit.parse("REFUGE_RATE_ADDRESS_MESSAGES", "3000/60"),
            address_conversations=RateLimit.parse("REFUGE_RATE_ADDRESS_CONVERSATIONS", "300/600"),
            rate_limit_store=store,
            redis_url=redis_url,
            retention_days=_int("REFUGE_RETENTION_DAYS", 30),
            purge_interval_seconds=_int("REFUGE_PURGE_INTERVAL_SECONDS", 3600),
            trusted_proxies=_list("REFUGE_TRUSTED_PROXIES"),
            console_mounted=os.environ.get("REFUGE_CONSOLE_MOUNTED", "1").strip() != "0",
        )
