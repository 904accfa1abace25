"""Operators' accounts: argon2 password hashes, deactivation, and logins slowed down after failures."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine

from console.permissions import roles
from database import audit
from database.tables import login_failures, operators, sessions

MIN_PASSWORD_CHARS = 12
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
# Failures before a lock, per account and per address (a helpline's office shares
# one address: more room there). Each further failure doubles the lock.
ACCOUNT_FREE_FAILURES = 5
ADDRESS_FREE_FAILURES = 20
FIRST_LOCK_SECONDS = 30.0
MAX_LOCK_SECONDS = 15 * 60.0
# A counter with no failure for this long starts again from zero.
FAILURE_MEMORY_SECONDS = 3600.0

_hasher = PasswordHasher()
# Verified when the name is unknown, so that an unknown name takes as long as a
# wrong password: the answer's time does not tell which names exist.
_DUMMY_HASH = _hasher.hash("refuge-compte-inexistant")


class AccountError(ValueError):
    """A refused account operation, with a message for the person who asked."""


@dataclass(frozen=True)
class Operator:
    id: int
    name: str
    role: str
    active: bool


@dataclass(frozen=True)
class LoginOutcome:
    operator: Operator | None
    # "identifiants" (wrong name or password) or "bloque" (too many failures).
    error: str | None = None
    retry_after: int = 0


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(
            f"Mot de passe refusé : il faut au moins {MIN_PASSWORD_CHARS} caractères."
        )


def create(engine: Engine, name: str, role: str, password: str, actor: str) -> Operator:
    name = name.strip().lower()
    if not NAME_PATTERN.match(name):
        raise AccountError(
            "Identifiant refusé : 2 à 64 caractères, lettres minuscules sans accent, "
            "chiffres, point, tiret ou tiret bas."
        )
    if role not in roles():
        raise AccountError(f"Rôle inconnu : {role} (rôles : {', '.join(roles())}).")
    check_password(password)
    with engine.begin() as connection:
        if connection.execute(sa.select(operators.c.id).where(operators.c.name == name)).first():
            raise AccountError(f"Le compte {name} existe déjà.")
        new_id = connection.execute(
            operators.insert().values(
                name=name,
                role=role,
                password_hash=_hasher.hash(password),
                active=True,
                created_at=time.time(),
            )
        ).inserted_primary_key[0]
        audit.record(connection, actor, "compte_cree", detail=f"compte={name} role={role}")
    return Operator(new_id, name, role, True)


def list_accounts(connection: Connection) -> list[Operator]:
    rows = connection.execute(sa.select(operators).order_by(operators.c.name))
    return [Operator(row.id, row.name, row.role, row.active) for row in rows]


def deactivate(engine: Engine, name: str, actor: str) -> None:
    """The account can no longer log in, and its open sessions end now."""
    with engine.begin() as connection:
        row = connection.execute(
            sa.select(operators.c.id).where(operators.c.name == name.strip().lower())
        ).first()
        if row is None:
            raise AccountError(f"Aucun compte ne s'appelle {name}.")
        connection.execute(
            operators.update()
            .where(operators.c.id == row.id)
            .values(active=False, deactivated_at=time.time())
        )
        connection.execute(sessions.delete().where(sessions.c.operator_id == row.id))
        audit.record(connection, actor, "compte_desactive", detail=f"compte={name}")


def _key(kind: str, value: str) -> str:
    # Hashed: what is typed in the name field may be a password typed in the wrong box,
    # and an address is personal data; the counter needs neither in clear.
    return f"{kind}:{hashlib.sha256(value.encode('utf-8')).hexdigest()[:32]}"


def authenticate(
    engine: Engine, name: str, password: str, address: str, now: float | None = None
) -> LoginOutcome:
    now = time.time() if now is None else now
    name = name.strip().lower()[:64]
    keys = (_key("compte", name), _key("adresse", address))
    with engine.begin() as connection:
        # Each counter is taken (row lock, or SQLite's write lock) and moved before the
        # password is checked: attempts sent at once are counted one after the other, and
        # those past the limit are refused without a guess.
        locked_for = max(
            _admit(connection, keys[0], ACCOUNT_FREE_FAILURES, now),
            _admit(connection, keys[1], ADDRESS_FREE_FAILURES, now),
        )
        if locked_for > 0:
            return LoginOutcome(None, "bloque", int(locked_for) + 1)
        row = connection.execute(sa.select(operators).where(operators.c.name == name)).first()
    # Outside the transaction: argon2 takes tens of milliseconds and 64 MiB, and must not
    # hold a database connection the chat needs meanwhile.
    verified = _verify(row.password_hash if row else _DUMMY_HASH, password)
    with engine.begin() as connection:
        if row is not None and row.active and verified:
            connection.execute(login_failures.delete().where(login_failures.c.key == keys[0]))
            _forgive_one(connection, keys[1])
            if _hasher.check_needs_rehash(row.password_hash):
                connection.execute(
                    operators.update()
                    .where(operators.c.id == row.id)
                    .values(password_hash=_hasher.hash(password))
                )
            audit.record(connection, row.name, "connexion", now=now)
            return LoginOutcome(Operator(row.id, row.name, row.role, row.active))
        # An unknown name is not written down: it may be a password typed in the wrong field.
        audit.record(connection, row.name if row else "inconnu", "connexion_refusee", now=now)
    return LoginOutcome(None, "identifiants")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _admit(connection: Connection, key: str, free_failures: int, now: float) -> float:
    """Counts one attempt on this counter unless it is locked; returns how long it stays locked."""
    # Counters nobody has moved for an hour are forgotten: the table holds only live ones.
    connection.execute(
        login_failures.delete().where(
            login_failures.c.last_failure_at < now - FAILURE_MEMORY_SECONDS,
            login_failures.c.locked_until < now,
        )
    )
    # Created if missing, and locked for this transaction either way.
    connection.execute(
        _insert_for(connection)(login_failures)
        .values(key=key, failures=0, last_failure_at=now, locked_until=0.0)
        .on_conflict_do_update(
            index_elements=[login_failures.c.key],
            set_={"failures": login_failures.c.failures},
        )
    )
    row = connection.execute(sa.select(login_failures).where(login_failures.c.key == key)).one()
    if row.locked_until > now:
        return row.locked_until - now
    failures = row.failures + 1
    locked_until = 0.0
    if failures >= free_failures:
        # The attempt is still checked; if it fails, the next ones wait, twice as long each time.
        locked_until = now + min(
            FIRST_LOCK_SECONDS * 2 ** (failures - free_failures), MAX_LOCK_SECONDS
        )
    connection.execute(
        login_failures.update()
        .where(login_failures.c.key == key)
        .values(failures=failures, last_failure_at=now, locked_until=locked_until)
    )
    return 0.0


def _insert_for(connection: Connection):
    # One statement that inserts or increments, atomic on both databases the project runs on.
    if connection.dialect.name == "postgresql":
        return postgresql_insert
    return sqlite_insert


def _forgive_one(connection: Connection, key: str) -> None:
    """The attempt that succeeded was counted against its address beforehand: it is taken back."""
    connection.execute(
        login_failures.update()
        .where(login_failures.c.key == key, login_failures.c.failures > 0)
        .values(failures=login_failures.c.failures - 1)
    )
