"""`make run-production`: the production layout on one machine, each process restarted if it stops.

    REFUGE_DATABASE_URL=postgresql://refuge@127.0.0.1:5432/refuge REFUGE_RASA_SERVERS=2 \
        make run-production

Everything else comes from the same environment variables as `make run`
(scripts/env.sh). For several machines, compose.yaml in this folder runs the
same processes with the same variables.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

import redis
import sqlalchemy as sa

from database.engine import make_engine
from database.migrate import upgrade_to_head
from deployment.processes import ROOT, Layout, StartFailed

# A process that keeps dying is restarted less and less often, up to this.
MAX_RESTART_DELAY_SECONDS = 60


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError:
        raise SystemExit(f"{name} doit être un nombre entier (reçu : {raw!r})") from None


def check_stores(database_url: str, redis_host: str, redis_port: int, redis_db: int) -> None:
    """Both stores answer, and the project's tables are at the latest migration, before anything starts."""
    if not database_url.startswith("postgresql"):
        raise SystemExit(
            "La mise en production utilise PostgreSQL : REFUGE_DATABASE_URL=postgresql://… "
            "(SQLite, le défaut de `make run`, ne sert qu'un seul serveur Rasa)."
        )
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        # Once, here, rather than by N processes starting at the same time.
        upgrade_to_head(engine)
    except sa.exc.OperationalError as error:
        raise SystemExit(
            f"PostgreSQL ne répond pas à REFUGE_DATABASE_URL ({type(error.orig).__name__}) : "
            "vérifier l'adresse, et que la base existe (createdb)."
        ) from None
    finally:
        engine.dispose()
    try:
        redis.Redis(host=redis_host, port=redis_port, db=redis_db, socket_timeout=2).ping()
    except redis.RedisError as error:
        raise SystemExit(
            f"Redis ne répond pas sur {redis_host}:{redis_port} ({type(error).__name__}) : "
            "REFUGE_REDIS_HOST, REFUGE_REDIS_PORT."
        ) from None


def layout_from_env(model: Path) -> Layout:
    servers = _int("REFUGE_RASA_SERVERS", os.cpu_count() or 1)
    if servers < 1:
        raise SystemExit("REFUGE_RASA_SERVERS doit valoir au moins 1")
    return Layout(
        model=model,
        var_dir=Path(os.environ.get("REFUGE_VAR_DIR", ROOT / "var")),
        database_url=os.environ["REFUGE_DATABASE_URL"],
        rasa_servers=servers,
        host=os.environ.get("REFUGE_RASA_HOST", "127.0.0.1"),
        actions_port=_int("REFUGE_ACTIONS_PORT", 5055),
        first_rasa_port=_int("REFUGE_RASA_PORT", 5005),
        web_port=_int("REFUGE_WEB_PORT", 8000),
        redis_host=os.environ.get("REFUGE_REDIS_HOST", "127.0.0.1"),
        redis_port=_int("REFUGE_REDIS_PORT", 6379),
        redis_db=_int("REFUGE_REDIS_DB", 1),
        lock_lifetime_seconds=_int("TICKET_LOCK_LIFETIME", 10),
    )


def supervise(layout: Layout) -> None:
    """Restarts whatever stops (a crash, an out-of-memory kill), waiting longer each time it recurs."""
    delays = {service.name: 1.0 for service in layout.services}
    while True:
        time.sleep(1)
        for service in layout.services:
            if service.running():
                continue
            print(
                f"{service.name} s'est arrêté : redémarrage (journal : {service.log})", flush=True
            )
            time.sleep(delays[service.name])
            delays[service.name] = min(delays[service.name] * 2, MAX_RESTART_DELAY_SECONDS)
            service.start()


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m deployment", description=__doc__)
    parser.add_argument("--model", required=True, type=Path)
    arguments = parser.parse_args()
    layout = layout_from_env(arguments.model)
    check_stores(layout.database_url, layout.redis_host or "", layout.redis_port, layout.redis_db)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"==> {layout.rasa_servers} serveur(s) Rasa, PostgreSQL, Redis : démarrage…", flush=True)
    try:
        layout.start()
    except StartFailed as error:
        print(error, file=sys.stderr)
        return 1
    print(
        f"Refuge (production) est prêt : {layout.web_url}/  ·  console : {layout.web_url}/operateur\n"
        f"  serveurs Rasa : {', '.join(layout.rasa_urls)}\n"
        f"  journaux : {layout.var_dir}\nCtrl-C pour tout arrêter.",
        flush=True,
    )
    try:
        supervise(layout)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        layout.stop()
        print("Refuge arrêté.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
