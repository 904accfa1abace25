"""The one data layer, on SQLite and on PostgreSQL: migrations, audit log, retention purge, triage index."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest import bot_event as bot
from conftest import slot_event as slot
from conftest import user_event as user

from console import annotations, triage_index
from console.accounts import Operator, create
from database import audit, retention
from database.engine import make_engine
from database.migrate import current_revision, head_revision, upgrade_to_head
from database.tables import (
    audit_log,
    metadata,
    notes,
    rasa_events,
    triage,
    triage_cursor,
    web_conversations,
)

DAY = 86_400
LONG_AGO = time.time() - 10 * DAY


CRISIS = [
    user("jveux plus vivre", "crise_detresse", [{"entity": "signal_crise", "value": "explicite"}]),
    bot("Appelle le 3114."),
]
CALM = [user("comment proteger mon fils sur insta", "question_prevention"), bot("Voici...")]


@pytest.fixture
def operator(engine) -> Operator:
    return create(engine, "camille", "operateur", "un-mot-de-passe-long", actor="test")


# ----------------------------------------------------------------- migrations
def test_migrations_from_empty_reach_the_head_and_match_the_tables(database_url):
    engine = make_engine(database_url)
    assert current_revision(engine) is None
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        # The migrations create exactly what database/tables.py describes: no
        # create_all anywhere, and no drift between the two.
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
        names = set(sa.inspect(connection).get_table_names())
    assert differences == []
    assert set(metadata.tables) <= names
    upgrade_to_head(engine)  # a second start changes nothing
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_an_installation_from_before_the_migrations_keeps_its_conversations(database_url):
    engine = make_engine(database_url)
    with engine.begin() as connection:  # what the web service used to create itself
        connection.execute(
            sa.text(
                "CREATE TABLE web_conversations (id VARCHAR(64) PRIMARY KEY, "
                "created_at FLOAT NOT NULL, last_activity_at FLOAT NOT NULL)"
            )
        )
        connection.execute(sa.text("INSERT INTO web_conversations VALUES ('ancienne', 1.0, 2.0)"))
    upgrade_to_head(engine)
    with engine.connect() as connection:
        ids = connection.execute(sa.select(web_conversations.c.id)).scalars().all()
    assert ids == ["ancienne"]
    engine.dispose()


def test_the_rasa_events_mapping_is_rasas_own_table():
    from rasa.core.tracker_store import SQLTrackerStore

    theirs = SQLTrackerStore.SQLEvent.__table__
    assert theirs.name == rasa_events.name
    assert {c.name: type(c.type) for c in theirs.columns} == {
        c.name: type(c.type) for c in rasa_events.columns
    }


# ------------------------------------------------------------------ audit log
def test_the_audit_log_is_append_only(engine):
    with engine.begin() as connection:
        audit.record(connection, "camille", "consultation", "conv-1")
    for statement in (audit_log.update().values(actor="quelqu'un"), audit_log.delete()):
        with (
            pytest.raises(sa.exc.DatabaseError, match="ajout seulement"),
            engine.begin() as connection,
        ):
            connection.execute(statement)
    with engine.connect() as connection:
        rows = audit.read(connection, limit=10)
    assert [(row.actor, row.action, row.conversation_id) for row in rows] == [
        ("camille", "consultation", "conv-1")
    ]


# ---------------------------------------------------------------------- purge
def test_the_purge_takes_the_consoles_rows_with_the_conversation_and_logs_counts(
    engine, add_events, operator
):
    old_at, recent_at = time.time() - 40 * DAY, time.time() - DAY
    add_events("ancienne", CALM, old_at)
    add_events("recente", CALM, recent_at)
    with engine.begin() as connection:
        connection.execute(
            web_conversations.insert(),
            [
                {"id": "ancienne", "created_at": old_at, "last_activity_at": old_at},
                {"id": "recente", "created_at": recent_at, "last_activity_at": recent_at},
            ],
        )
    triage_index.refresh(engine)
    with engine.begin() as connection:
        for conversation_id in ("ancienne", "recente"):
            annotations.add_note(connection, conversation_id, "rappeler demain", operator)

    result = retention.purge(engine, 30 * DAY)

    assert (result.conversations, result.events) == (1, len(CALM))
    assert result.console_rows == 3  # its triage row, its review state, its note
    with engine.connect() as connection:
        left = {
            table.name: set(connection.execute(sa.select(table.c.conversation_id)).scalars())
            for table in (triage, notes)
        }
        senders = set(connection.execute(sa.select(rasa_events.c.sender_id)).scalars())
        last = audit.read(connection, limit=1)[0]
    assert left == {"console_triage": {"recente"}, "console_notes": {"recente"}}
    assert senders == {"recente"}
    assert (last.actor, last.action) == (audit.SCHEDULE, "purge")
    assert last.detail == "conversations=1 evenements=2 lignes_console=3"
    assert "rappeler" not in last.detail


# --------------------------------------------------------------- triage index
def test_the_triage_lists_a_crisis_before_a_calmer_conversation_that_started_earlier(
    engine, add_events
):
    add_events("calme", CALM, LONG_AGO)
    add_events("jeune", [user("jai 13 ans"), slot("age_victime", 13.0)], LONG_AGO + 50)
    add_events("crise", CRISIS, LONG_AGO + 100)
    add_events(
        "incomprise",
        [user("xyz"), {"event": "action", "name": "action_pas_compris"}],
        LONG_AGO + 150,
    )
    triage_index.refresh(engine)
    with engine.connect() as connection:
        listed, total = triage_index.list_conversations(connection, triage_index.Filters())
    assert total == 4
    assert [c.id for c in listed] == ["crise", "jeune", "incomprise", "calme"]
    assert listed[0].reasons[0]["texte"].startswith("Crise signalée")
    assert listed[1].reasons[0]["texte"] == "Victime de moins de 15 ans (13 ans)"


def test_the_list_filters_by_state_situation_tag_and_date(engine, add_events, operator):
    add_events("a", [*CALM, slot("situation", "sextorsion")], LONG_AGO)
    add_events("b", [*CALM, slot("situation", "deepfake")], LONG_AGO + 2 * DAY)
    triage_index.refresh(engine)
    with engine.begin() as connection:
        annotations.create_tag(connection, "à rappeler", operator)
        annotations.add_tag(connection, "b", "à rappeler", operator)
        annotations.mark_reviewed(connection, "a", operator)

    def ids(**filters) -> list[str]:
        with engine.connect() as connection:
            listed, _ = triage_index.list_conversations(connection, triage_index.Filters(**filters))
        return [c.id for c in listed]

    assert ids(state="revue") == ["a"]
    assert ids(state="en_cours") == ["b"]  # tagged: an operator is on it
    assert ids(situation="deepfake") == ["b"]
    assert ids(tag="à rappeler") == ["b"]
    assert ids(until=LONG_AGO + DAY) == ["a"]
    assert ids(since=LONG_AGO + DAY) == ["b"]


def test_the_list_is_paged(engine, add_events):
    for number in range(triage_index.PAGE_SIZE + 3):
        add_events(f"c{number:03d}", CALM, LONG_AGO + number * 10)
    triage_index.refresh(engine)
    with engine.connect() as connection:
        first, total = triage_index.list_conversations(connection, triage_index.Filters(), 1)
        second, _ = triage_index.list_conversations(connection, triage_index.Filters(), 2)
    assert total == triage_index.PAGE_SIZE + 3
    assert len(first) == triage_index.PAGE_SIZE and len(second) == 3
    assert not {c.id for c in first} & {c.id for c in second}


def test_new_events_update_a_conversation_already_indexed(engine, add_events):
    add_events("suite", CALM, LONG_AGO)
    triage_index.refresh(engine)
    add_events("suite", CRISIS, LONG_AGO + 60)
    triage_index.refresh(engine)
    with engine.connect() as connection:
        row = triage_index.triage_row(connection, "suite")
    assert (row.tier, row.user_turns, row.first_at) == (1, 2, LONG_AGO)


def test_recent_events_are_shown_now_and_counted_once_when_they_settle(engine, add_events):
    now = time.time()
    add_events("vive", [user("avant ce soir il publie")], now - 5)
    for _ in range(3):
        triage_index.refresh(engine, now=now)
    with engine.connect() as connection:
        row = triage_index.triage_row(connection, "vive")
        cursor = connection.execute(sa.select(triage_cursor.c.last_event_id)).scalar_one()
    assert (row.tier, row.user_turns, cursor) == (2, 1, 0)  # shown, not yet settled
    later = now + triage_index.SETTLE_SECONDS + 10
    for _ in range(2):
        triage_index.refresh(engine, now=later)
    with engine.connect() as connection:
        row = triage_index.triage_row(connection, "vive")
        cursor = connection.execute(sa.select(triage_cursor.c.last_event_id)).scalar_one()
    assert (row.tier, row.user_turns, row.signals["user_turns"]) == (2, 1, 1)
    assert cursor > 0


def test_several_consoles_refreshing_at_once_count_each_event_once(engine, add_events):
    for number in range(30):
        add_events(f"p{number}", [user("bonjour"), user("encore moi")], LONG_AGO + number)
    errors: list[BaseException] = []

    def refresh() -> None:
        try:
            triage_index.refresh(engine)
        except BaseException as error:  # reported below, not lost in a thread
            errors.append(error)

    threads = [threading.Thread(target=refresh) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with engine.connect() as connection:
        turns = connection.execute(sa.select(sa.func.sum(triage.c.user_turns))).scalar_one()
    assert turns == 60


def test_a_conversation_fresh_on_one_side_is_kept_whole(engine, add_events):
    old_at, now = time.time() - 40 * DAY, time.time()
    # The web row was touched a minute ago (Rasa down, nothing stored): its old events stay.
    add_events("vivante", CALM, old_at)
    with engine.begin() as connection:
        connection.execute(
            web_conversations.insert().values(id="vivante", created_at=old_at, last_activity_at=now)
        )
    triage_index.refresh(engine)
    result = retention.purge(engine, 30 * DAY)
    assert (result.conversations, result.events, result.console_rows) == (0, 0, 0)
