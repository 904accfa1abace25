"""Opening the database: one engine factory for the web service, the console and the commands."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
# The embedded default: one SQLite file for Rasa's events and every table of ours.
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'var' / 'refuge.db'}"


def database_url() -> str:
    """REFUGE_DATABASE_URL, or the embedded default (scripts/env.sh exports the same)."""
    return os.environ.get("REFUGE_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL


def make_engine(database_url: str) -> Engine:
    # hide_parameters: an error message must never carry a conversation id (it is a
    # key) nor a text typed by a child.
    options: dict = {"future": True, "hide_parameters": True}
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # Rasa writes to the same file: wait for its lock rather than fail.
        return sa.create_engine(database_url, connect_args={"timeout": 30}, **options)
    return sa.create_engine(database_url, pool_pre_ping=True, **options)


def is_postgresql(engine_or_connection) -> bool:
    return engine_or_connection.dialect.name == "postgresql"
