"""Rasa's SQL tracker store with its connections checked before use.

Rasa 3.6 creates its engine without `pool_pre_ping`: after PostgreSQL restarts,
the first read on each pooled connection fails, and Rasa's fail-safe wrapper
then treats the conversation as new (an empty tracker, saved over the story).
Checking a connection before each use costs one round trip and turns a restart
into nothing the person notices. Whatever still fails to read is detected by
actions/session.py.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs


class CheckedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
