"""Benchmark of the operator console: 10,000 conversations of 20 turns, the triage list and a transcript, p50/p95.

For each database (a SQLite file; a fresh PostgreSQL database when the server
answers), fills Rasa's `events` table as its SQL tracker store writes it (five
events a turn: the message, slots, the action, the reply, action_listen), reads
it into the triage index, starts the console on its own (`python -m console`),
logs in over HTTP and times the triage list (filtered and not) and transcript
pages of conversations drawn at random. Targets: list < 200 ms, transcript
< 100 ms at p95.

    .venv/bin/python scripts/bench_console.py [--conversations 10000] [--turns 20] [--requests 200]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import percentile  # noqa: E402

from console.accounts import create  # noqa: E402
from console.triage_index import refresh  # noqa: E402
from database.engine import make_engine  # noqa: E402
from database.migrate import upgrade_to_head  # noqa: E402
from database.tables import rasa_events, rasa_metadata  # noqa: E402

POSTGRESQL_URL = os.environ.get(
    "REFUGE_TEST_POSTGRESQL_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
TARGET_LIST_P95_MS, TARGET_TRANSCRIPT_P95_MS = 200, 100
PASSWORD = "banc-d-essai-console"
SITUATIONS = ["sextorsion", "deepfake", "grooming", "cyberharcelement", "diffusion_non_consentie"]
TEXTS = [
    "slt jai 14 ans un mec sur snap a des photos de moi il veut 200e avant ce soir",
    "non jai rien payé",
    "oui c des vraies photos",
    "jsais pas trop",
    "il ma dit quil avait 16 ans",
    "ma fille de 13 ans a reçu des messages d'un adulte sur insta",
    "merci",
    "jveux plus vivre",
]


def conversation_rows(sender: str, turns: int, start: float, rng: random.Random) -> list[dict]:
    rows: list[dict] = []
    at = start
    crisis_turn = rng.randrange(turns) if rng.random() < 0.05 else -1
    for turn in range(turns):
        text = TEXTS[7] if turn == crisis_turn else rng.choice(TEXTS[:7])
        intent = (
            "crise_detresse"
            if turn == crisis_turn
            else rng.choice(["informer", "affirmer", "nier"])
        )
        entities = [{"entity": "signal_crise", "value": "explicite"}] if turn == crisis_turn else []
        events = [
            {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.9},
             "entities": entities, "text": text}, "metadata": {}},
            {"event": "slot", "name": "situation", "value": rng.choice(SITUATIONS)} if turn == 0 else
            {"event": "slot", "name": "age_victime", "value": float(rng.randint(11, 17))},
            {"event": "action", "name": rng.choice(["action_pas_compris"] + ["form_situation"] * 30)},
            {"event": "bot", "text": "Merci de me le dire. Est-ce que tu as déjà payé ?", "metadata": {}},
            {"event": "action", "name": "action_listen"},
        ]  # fmt: skip
        for event in events:
            at += 0.5
            rows.append({
                "sender_id": sender, "type_name": event["event"], "timestamp": at,
                "intent_name": intent if event["event"] == "user" else None,
                "action_name": event.get("name") if event["event"] == "action" else None,
                "data": json.dumps({**event, "timestamp": at}),
            })  # fmt: skip
        at += rng.uniform(5, 60)
    return rows


def fill(database_url: str, conversations: int, turns: int, seed: int) -> list[str]:
    engine = make_engine(database_url)
    upgrade_to_head(engine)
    rasa_metadata.create_all(engine)
    rng = random.Random(seed)
    senders = [uuid.UUID(int=rng.getrandbits(128)).hex for _ in range(conversations)]
    # Spread over the last 28 days, all settled (older than the index's settle delay).
    now = time.time() - 3600
    started = time.perf_counter()
    batch: list[dict] = []
    with engine.begin() as connection:
        for sender in senders:
            batch.extend(conversation_rows(sender, turns, now - rng.uniform(0, 28 * 86_400), rng))
            if len(batch) >= 20_000:
                connection.execute(rasa_events.insert(), batch)
                batch = []
        if batch:
            connection.execute(rasa_events.insert(), batch)
        events = connection.execute(
            sa.select(sa.func.count()).select_from(rasa_events)
        ).scalar_one()
    print(f"  {events} événements écrits en {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    read = refresh(engine, max_batches=10_000)
    elapsed = time.perf_counter() - started
    print(
        f"  index de tri : {read} événements lus en {elapsed:.1f} s ({read / elapsed:,.0f} événements/s)"
    )
    create(engine, "banc", "superviseur", PASSWORD, actor="banc d'essai")
    engine.dispose()
    return senders


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, float]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "Accept": "text/html",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        elapsed = (time.perf_counter() - started) * 1000
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        connection.close()
        return response.status, content, elapsed

    def log_in(self) -> None:
        _, page, _ = self.request("GET", "/operateur/connexion")
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        body = urlencode(
            {"csrf": token, "identifiant": "banc", "mot_de_passe": PASSWORD, "suite": "/operateur/"}
        )
        status, _, _ = self.request("POST", "/operateur/connexion", body)
        if status != 303:
            raise SystemExit(f"Connexion refusée ({status})")


def measure(
    database_url: str, senders: list[str], requests: int, seed: int
) -> dict[str, list[float]]:
    port = free_port()
    env = {**os.environ, "REFUGE_DATABASE_URL": database_url, "REFUGE_CONSOLE_PORT": str(port),
           "RASA_TELEMETRY_ENABLED": "false"}  # fmt: skip
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "console"], cwd=ROOT, env=env, stdout=log, stderr=log
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        log.seek(0)
                        raise SystemExit(log.read().decode()[-2000:]) from None
                    time.sleep(0.2)
            client = Client(port)
            client.log_in()
            rng = random.Random(seed)
            pages = {
                "liste": lambda: "/operateur/",
                "liste filtrée (sextorsion, page 3)": lambda: (
                    "/operateur/?situation=sextorsion&page=3"
                ),
                "transcription": lambda: f"/operateur/conversations/{rng.choice(senders)}",
            }
            timings: dict[str, list[float]] = {name: [] for name in pages}
            for name, path in pages.items():
                for _ in range(5):  # warm-up: caches, first connections
                    client.request("GET", path())
                for _ in range(requests):
                    status, _, elapsed = client.request("GET", path())
                    if status != 200:
                        raise SystemExit(f"{name} : statut {status}")
                    timings[name].append(elapsed)
            return timings
        finally:
            server.terminate()
            server.wait(timeout=20)


def report(label: str, timings: dict[str, list[float]]) -> None:
    for name, values in timings.items():
        target = TARGET_TRANSCRIPT_P95_MS if name == "transcription" else TARGET_LIST_P95_MS
        p95 = percentile(values, 0.95)
        verdict = "ok" if p95 < target else "AU-DESSUS DE LA CIBLE"
        print(f"  {label:10s} {name:38s} p50 {percentile(values, 0.50):6.1f} ms   "
              f"p95 {p95:6.1f} ms   (cible p95 < {target} ms : {verdict})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    print(f"Console : {args.conversations} conversations de {args.turns} tours, "
          f"{args.requests} requêtes par page, {os.cpu_count()} cœurs")  # fmt: skip
    with tempfile.TemporaryDirectory() as work:
        sqlite_url = f"sqlite:///{work}/bench.db"
        print("SQLite")
        senders = fill(sqlite_url, args.conversations, args.turns, args.seed)
        report("SQLite", measure(sqlite_url, senders, args.requests, args.seed))
    admin = sa.create_engine(POSTGRESQL_URL, isolation_level="AUTOCOMMIT", future=True)
    name = f"refuge_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        print("PostgreSQL ne répond pas sur", POSTGRESQL_URL, ": mesure sur SQLite seulement.")
        return
    try:
        url = POSTGRESQL_URL.rsplit("/", 1)[0] + f"/{name}"
        print("PostgreSQL")
        senders = fill(url, args.conversations, args.turns, args.seed)
        report("PostgreSQL", measure(url, senders, args.requests, args.seed))
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
