"""Alembic's environment: runs on the connection `database.migrate` hands over (or on a URL)."""

from __future__ import annotations

import os

from alembic import context

from database.engine import make_engine
from database.tables import metadata

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # `alembic` run by hand (alembic.ini at the project's root): the project's URL.
    url = os.environ.get("REFUGE_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    engine = make_engine(url)
    with engine.begin() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    # Rasa's `events` is not ours: autogenerate must not propose to drop it.
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_name=lambda name, type_, parent: type_ != "table" or name in metadata.tables,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Les migrations de Refuge se jouent sur une base (pas de mode hors ligne).")
run_migrations_online()
