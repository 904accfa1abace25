"""The console's parts on a real database (SQLite and PostgreSQL): accounts, sessions, corrections, exports, statistics."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from conftest import user_event as user

from console import accounts, annotations, exports, statistics, triage_index
from console.sessions import ABSOLUTE_SECONDS, IDLE_SECONDS, find_session, open_session
from database import audit
from database.tables import operators

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PASSWORD = "cheval-agrafe-pile-07"
VOCABULARY = exports.domain_vocabulary(ROOT / "domain.yml")


# ------------------------------------------------------------------- accounts
def test_a_password_is_stored_as_an_argon2_hash_and_checked(engine):
    accounts.create(engine, "Camille", "operateur", PASSWORD, actor="test")
    with engine.connect() as connection:
        stored = connection.execute(sa.select(operators.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.authenticate(engine, "camille", PASSWORD, "10.0.0.1").operator.name == "camille"
    assert (
        accounts.authenticate(engine, "camille", "pas-le-bon-mot", "10.0.0.1").error
        == "identifiants"
    )
    assert accounts.authenticate(engine, "personne", PASSWORD, "10.0.0.1").error == "identifiants"


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("camille", "operateur", "court", "au moins 12 caractères"),
        ("camille", "directeur", PASSWORD, "Rôle inconnu"),
        ("Cam ille!", "operateur", PASSWORD, "Identifiant refusé"),
    ],
)
def test_a_bad_account_is_refused_with_a_reason(engine, name, role, password, message):
    with pytest.raises(accounts.AccountError, match=message):
        accounts.create(engine, name, role, password, actor="test")


def test_repeated_failures_lock_the_account_even_with_the_right_password_then_it_opens_again(
    engine,
):
    accounts.create(engine, "camille", "operateur", PASSWORD, actor="test")
    now = time.time()
    for attempt in range(accounts.ACCOUNT_FREE_FAILURES):
        outcome = accounts.authenticate(
            engine, "camille", f"faux-{attempt}", f"10.0.0.{attempt}", now=now
        )
        assert outcome.error == "identifiants"
    locked = accounts.authenticate(engine, "camille", PASSWORD, "10.0.1.1", now=now + 1)
    assert locked.error == "bloque" and locked.retry_after > 0
    later = now + accounts.FIRST_LOCK_SECONDS + 2
    # The lock over, the next failure locks again for twice as long: the delay grows.
    assert (
        accounts.authenticate(engine, "camille", "faux", "10.0.2.1", now=later).error
        == "identifiants"
    )
    again = accounts.authenticate(engine, "camille", PASSWORD, "10.0.2.1", now=later + 1)
    assert again.error == "bloque" and again.retry_after > accounts.FIRST_LOCK_SECONDS + 20
    much_later = later + 2 * accounts.FIRST_LOCK_SECONDS + 2
    assert accounts.authenticate(engine, "camille", PASSWORD, "10.0.2.1", now=much_later).operator


def test_one_address_trying_many_names_is_slowed_down(engine):
    accounts.create(engine, "camille", "operateur", PASSWORD, actor="test")
    now = time.time()
    for number in range(accounts.ADDRESS_FREE_FAILURES):
        accounts.authenticate(engine, f"nom{number}", "faux", "10.9.9.9", now=now)
    assert accounts.authenticate(engine, "camille", PASSWORD, "10.9.9.9", now=now).error == "bloque"
    assert accounts.authenticate(engine, "camille", PASSWORD, "10.9.9.8", now=now).operator


def test_sessions_end_when_idle_too_long_after_twelve_hours_and_when_the_account_is_deactivated(
    engine,
):
    operator = accounts.create(engine, "camille", "operateur", PASSWORD, actor="test")
    now = time.time()
    token = open_session(engine, operator, now=now)
    assert find_session(engine, token, now=now + 60).operator.name == "camille"
    assert find_session(engine, token, now=now + 60 + IDLE_SECONDS + 1) is None
    token = open_session(engine, operator, now=now)
    moment = now
    while moment < now + ABSOLUTE_SECONDS - IDLE_SECONDS:  # active all day long
        moment += IDLE_SECONDS - 120
        assert find_session(engine, token, now=moment) is not None
    assert find_session(engine, token, now=now + ABSOLUTE_SECONDS + 1) is None
    token = open_session(engine, operator, now=now)
    accounts.deactivate(engine, "camille", actor="test")
    assert find_session(engine, token, now=now + 1) is None
    assert accounts.authenticate(engine, "camille", PASSWORD, "10.0.0.1").operator is None


def run_accounts_command(database_url: str, *args: str, password: str | None = None):
    env = {**os.environ, "REFUGE_DATABASE_URL": database_url}
    return subprocess.run(
        [str(VENV_BIN / "refuge-operateurs"), *args],
        input=(password + "\n") if password is not None else "",
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip


def test_the_accounts_command_adds_lists_and_deactivates_reading_the_password_on_stdin(
    database_url, engine
):
    listed = run_accounts_command(database_url, "liste")
    assert listed.returncode == 0 and "Aucun compte" in listed.stdout  # no default account
    short = run_accounts_command(
        database_url, "ajouter", "alex", "--role", "operateur", password="court"
    )
    assert short.returncode == 1 and "12 caractères" in short.stderr
    added = run_accounts_command(
        database_url, "ajouter", "alex", "--role", "superviseur", password=PASSWORD
    )
    assert added.returncode == 0, added.stderr
    assert PASSWORD not in added.stdout + added.stderr
    assert (
        accounts.authenticate(engine, "alex", PASSWORD, "10.0.0.1").operator.role == "superviseur"
    )
    assert "alex\tsuperviseur\tactif" in run_accounts_command(database_url, "liste").stdout
    assert run_accounts_command(database_url, "desactiver", "alex").returncode == 0
    assert "alex\tsuperviseur\tdésactivé" in run_accounts_command(database_url, "liste").stdout
    with engine.connect() as connection:
        actions = [row.action for row in audit.read(connection, limit=10)]
    assert {"compte_cree", "compte_desactive"} <= set(actions)


# ---------------------------------------------------- corrections and exports
@pytest.fixture
def corrected(engine, add_events):
    """A conversation with two corrected messages and a missed crisis."""
    operator = accounts.create(engine, "camille", "operateur", PASSWORD, actor="test")
    add_events(
        "conv",
        [user("il a 27 ans et veut [mes] photos sur snap", "nlu_fallback"),
         user("jpense a en finir", "remercier"),
         user("ok")],
        time.time() - 3600,
    )  # fmt: skip
    with engine.begin() as connection:
        ids = connection.execute(sa.text("SELECT id FROM events ORDER BY id")).scalars().all()
        text = "il a 27 ans et veut [mes] photos sur snap"
        entities = annotations.parse_entities(
            "age:auteur=27\nplateforme=snap", text, VOCABULARY.entities
        )
        annotations.correct(connection, "conv", ids[0], intent="signaler_sextorsion",
                            entities=entities, missed_crisis=False, operator=operator)  # fmt: skip
        annotations.correct(connection, "conv", ids[1], intent="crise_detresse",
                            entities=[], missed_crisis=True, operator=operator)  # fmt: skip
        # Corrected twice: the second one counts.
        annotations.correct(connection, "conv", ids[2], intent="saluer",
                            entities=[], missed_crisis=False, operator=operator)  # fmt: skip
        annotations.correct(connection, "conv", ids[2], intent="affirmer",
                            entities=[], missed_crisis=False, operator=operator)  # fmt: skip
    return ids


def test_an_entity_must_be_a_known_entity_found_in_the_message():
    text = "il a 27 ans"
    assert annotations.parse_entities("age:auteur=27", text, VOCABULARY.entities) == [
        {"entity": "age", "value": "27", "start": 5, "role": "auteur"}
    ]
    for raw, message in [("couleur=27", "Entité inconnue"), ("age=28", "pas dans le message"),
                         ("age:victime=27", "Rôle inconnu")]:  # fmt: skip
        with pytest.raises(annotations.AnnotationError, match=message):
            annotations.parse_entities(raw, text, VOCABULARY.entities)


def test_a_correction_must_name_a_message_of_the_conversation(engine, corrected):
    operator = accounts.Operator(1, "camille", "operateur", True)
    with pytest.raises(annotations.AnnotationError), engine.begin() as connection:
        annotations.correct(connection, "autre", corrected[0], intent="saluer",
                            entities=[], missed_crisis=False, operator=operator)  # fmt: skip


def test_the_nlu_export_is_training_data_rasa_accepts_with_the_projects_data(
    engine, corrected, tmp_path
):
    with engine.connect() as connection:
        content, count = exports.nlu_yaml(connection, VOCABULARY)
    assert count == 3
    exported = tmp_path / "corrections-nlu.yml"
    exported.write_text(content, encoding="utf-8")

    from rasa.shared.nlu.training_data.loading import load_data

    examples = {m.get("text"): m for m in load_data(str(exported)).training_examples}
    # The message's own brackets are text, not an annotation; the marked ones are entities.
    sextorsion = examples["il a 27 ans et veut (mes) photos sur snap"]
    assert sextorsion.get("intent") == "signaler_sextorsion"
    assert [(e["entity"], e["value"], e.get("role")) for e in sextorsion.get("entities")] == [
        ("age", "27", "auteur"), ("plateforme", "snap", None)
    ]  # fmt: skip
    assert examples["ok"].get("intent") == "affirmer"
    validated = subprocess.run(
        [str(VENV_BIN / "rasa"), "data", "validate", "--data", "data", str(exported),
         "--domain", "domain.yml"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )  # fmt: skip
    assert validated.returncode == 0, validated.stdout[-2000:] + validated.stderr[-2000:]


def test_the_missed_crises_export_is_a_crisis_list(engine, corrected):
    with engine.connect() as connection:
        content, count = exports.missed_crises_yaml(connection)
    assert count == 1
    assert yaml.safe_load(content) == {"version": 1, "crises": ["jpense a en finir"]}


# ------------------------------------------------------------------ statistics
def test_weekly_statistics_count_situations_crises_misunderstandings_and_length(engine, add_events):
    now = time.time()
    this_week = statistics.week_start(now) + 60
    crisis = user("jveux mourir", "crise_detresse")
    add_events(
        "s1",
        [user("a"), {"event": "slot", "name": "situation", "value": "sextorsion"}, user("b")],
        this_week,
    )
    add_events("s2", [crisis, {"event": "action", "name": "action_pas_compris"}], this_week + 10)
    add_events("vieux", [user("c")], now - 400 * 86_400)
    triage_index.refresh(engine)
    with engine.connect() as connection:
        weeks = statistics.weekly(connection, now=now)
    last = weeks[-1]
    assert len(weeks) == statistics.DEFAULT_WEEKS
    assert (last.conversations, last.crises, last.user_turns, last.misunderstandings) == (
        2,
        1,
        3,
        1,
    )
    assert last.situations["sextorsion"] == 1 and last.median_length == 1.5
    assert sum(week.conversations for week in weeks) == 2  # the one of last year is not counted
    rows = statistics.as_csv(weeks).splitlines()
    assert rows[0].startswith("semaine,conversations,sextorsion")
    assert rows[-1].endswith(",1,0.333,1.5")


def test_an_unexpected_error_answers_500_and_logs_its_type_without_the_text(caplog):
    import asyncio

    from console.app import QuietErrorMiddleware

    async def failing_app(scope, receive, send):
        raise ValueError("jveux plus vivre, il a mes photos")

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    with caplog.at_level("ERROR"):
        asyncio.run(QuietErrorMiddleware(failing_app)({"type": "http"}, receive, send))
    assert sent[0]["status"] == 500 and b"Une erreur est survenue" in sent[1]["body"]
    assert "ValueError" in caplog.text and "photos" not in caplog.text


def test_what_is_typed_as_a_name_and_the_address_are_not_kept_in_clear(engine):
    accounts.authenticate(engine, "Soleil2024!!", "x", "10.1.2.3")
    with engine.connect() as connection:
        keys = " ".join(
            connection.execute(sa.text("SELECT key FROM console_login_failures")).scalars()
        )
        details = " ".join(row.actor + row.detail for row in audit.read(connection, limit=5))
    assert "soleil" not in keys.lower() and "10.1.2.3" not in keys
    assert "soleil" not in details.lower()


def test_attempts_sent_at_once_get_no_more_guesses_than_the_limit(engine):
    import threading

    accounts.create(engine, "camille", "operateur", PASSWORD, actor="test")
    outcomes: list[str | None] = []

    def attempt(number: int) -> None:
        outcomes.append(
            accounts.authenticate(engine, "camille", f"faux-{number}", f"10.3.0.{number}").error
        )

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("identifiants") == accounts.ACCOUNT_FREE_FAILURES
    assert outcomes.count("bloque") == 12 - accounts.ACCOUNT_FREE_FAILURES
