"""Benchmark: the default layout and the production layout side by side, in one run.

Each layout is started as `make run` and `make run-production` start it
(deployment/processes.py), on its own ports and throw-away stores, then:

1. people: conversations of 10 turns through the public API, people arriving
   over 10 s and waiting 2 to 5 s between turns (a message id on each turn, as
   the chat sends): throughput, p50/p95/p99, errors, empty replies, Rasa CPU
   per turn;
2. saturation: closed loop, no pause, for a fixed time: turns per second;
3. a long conversation: 50 turns in a row, turn 50 against turn 1;
4. for the production layout, a check in PostgreSQL that every message and
   every reply of phase 1 is stored exactly once and in order.

    .venv/bin/python scripts/bench_production.py --model models/refuge-….tar.gz
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import redis
import sqlalchemy as sa
from bench import cpu_seconds, percentile
from bench_web import load, machine_busy_seconds

from deployment.processes import Layout

REQUEST_TIMEOUT_SECONDS = 60
TARGET_SATURATION_GAIN = 1.5
TARGET_P99_MS = 300
TARGET_LONG_RATIO = 1.2
# People as they write: a story, then answers in words (no intent payloads:
# through the public API, only buttons the assistant offered pass as intents).
SCRIPTS = [
    ["slt", "jai 14 ans et un mec menace de publier mes nudes si je paie pas 200 balles", "non",
     "c des vraies photos", "jsp", "oui je crois", "sur snap", "g peur", "ok", "merci"],
    ["Bonjour, ma fille de 13 ans parle sur Roblox avec un adulte qui lui demande des photos",
     "oui", "des photos d'elle", "oui", "non", "oui il veut la voir samedi", "non",
     "comment porter plainte ?", "merci", "au revoir"],
    ["ils ont fait un faux nu de moi avec une IA", "15", "oui", "oui sur insta", "non",
     "je sais pas qui c", "c grave ?", "jsp", "c'est puni par la loi ?", "ok merci"],
    ["toute la classe m'insulte sur snap tous les jours", "12", "oui", "non", "snapchat",
     "comment je peux me protéger", "ils ont fait un faux compte a mon nom", "oui", "merci", "ok"],
    ["Je suis CPE, une élève de 4e me dit qu'une photo d'elle nue circule", "14 ans", "oui",
     "dans le groupe de la classe", "non", "que dois-je faire ?", "merci", "oui", "non", "d'accord"],
]  # fmt: skip
LONG_TURNS = [
    "ok",
    "jsp",
    "oui",
    "non",
    "merci",
    "c grave ?",
    "g peur",
    "d'accord",
    "hmm",
    "et apres ?",
]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    empty: int = 0
    attempted: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def ms(self, share: float) -> float:
        return percentile(self.latencies, share) * 1000 if self.latencies else float("nan")


class Client:
    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self.session, self.url = session, url

    async def open(self) -> str:
        async with self.session.post(f"{self.url}/api/conversations", json={}) as response:
            return (await response.json())["id"]

    async def say(self, conversation: str, text: str, tally: Tally) -> list[str] | None:
        """One turn; the texts answered, or None when it failed."""
        tally.attempted += 1
        started = time.perf_counter()
        try:
            async with self.session.post(
                f"{self.url}/api/conversations/{conversation}/messages",
                json={"text": text, "message_id": uuid.uuid4().hex},
            ) as response:
                body = await response.json(content_type=None)
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            tally.error(type(error).__name__)
            return None
        if status != 200:
            tally.error(str(status))
            return None
        tally.latencies.append(time.perf_counter() - started)
        texts = [m.get("text") for m in body.get("messages", [])]
        if not texts or not all(texts):
            tally.empty += 1
        return texts


@dataclass
class Figures:
    name: str
    people: Tally
    people_seconds: float
    rasa_cpu_ms: float
    saturation: float
    long_first_ms: float
    long_last_ms: float
    stored: str = "-"


def rasa_cpu(layout: Layout) -> float:
    return sum(cpu_seconds(s.process.pid) for s in layout.rasa if s.process is not None)


async def people(client: Client, args: argparse.Namespace, rng: random.Random):
    plans = [
        (rng.uniform(0, args.arrival_seconds), rng.choice(SCRIPTS)[: args.turns],
         [rng.uniform(2, 5) for _ in range(args.turns)])
        for _ in range(args.conversations)
    ]  # fmt: skip
    tally = Tally()
    played: dict[str, list[tuple[str, list[str] | None]]] = {}

    async def person(offset: float, script: list[str], pauses: list[float]) -> None:
        await asyncio.sleep(offset)
        conversation = await client.open()
        played[conversation] = []
        for text, pause in zip(script, pauses, strict=False):
            played[conversation].append((text, await client.say(conversation, text, tally)))
            await asyncio.sleep(pause)

    started = time.perf_counter()
    await asyncio.gather(*(person(*plan) for plan in plans))
    return tally, time.perf_counter() - started, played


async def saturation(client: Client, clients: int, seconds: float) -> float:
    deadline = time.perf_counter() + seconds
    answered = 0

    async def loop(index: int) -> None:
        nonlocal answered
        position = index
        while time.perf_counter() < deadline:
            conversation = await client.open()
            for text in SCRIPTS[position % len(SCRIPTS)]:
                if time.perf_counter() >= deadline:
                    return
                if (
                    await client.say(conversation, text, Tally())
                    and time.perf_counter() <= deadline
                ):
                    answered += 1
            position += 1

    await asyncio.gather(*(loop(i) for i in range(clients)))
    return answered / seconds


async def long_conversation(client: Client, conversations: int = 3) -> tuple[float, float]:
    firsts, lasts = [], []
    for _ in range(conversations):
        conversation, tally = await client.open(), Tally()
        await client.say(conversation, SCRIPTS[0][1], tally)
        for number in range(1, 50):
            await client.say(conversation, LONG_TURNS[number % len(LONG_TURNS)], tally)
        # Turns 2-6 against 46-50: the first turn also opens the session.
        firsts.append(statistics.median(tally.latencies[1:6]))
        lasts.append(statistics.median(tally.latencies[-5:]))
    return statistics.median(firsts) * 1000, statistics.median(lasts) * 1000


def check_stored(database_url: str, played: dict) -> str:
    """Every message and reply of the people phase stored exactly once, in order."""
    engine = sa.create_engine(database_url)
    wrong = 0
    try:
        with engine.connect() as connection:
            for conversation, turns in played.items():
                rows = connection.execute(
                    sa.text(
                        "SELECT type_name, data FROM events WHERE sender_id = :id "
                        "AND type_name IN ('user', 'bot') ORDER BY id"
                    ),
                    {"id": conversation},
                ).fetchall()
                users = [json.loads(r.data)["text"] for r in rows if r.type_name == "user"]
                bots = [json.loads(r.data).get("text") for r in rows if r.type_name == "bot"]
                sent = [text for text, reply in turns]
                answered = [t for _, reply in turns if reply for t in reply]
                wrong += users != sent or [t for t in bots if t] != answered
    finally:
        engine.dispose()
    return f"{len(played) - wrong}/{len(played)} conversations exactly once and in order"


async def measure(name: str, layout: Layout, args: argparse.Namespace) -> Figures:
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(
        timeout=timeout, connector=aiohttp.TCPConnector(limit=0)
    ) as session:
        client = Client(session, layout.web_url)
        warm = await client.open()
        for text in SCRIPTS[0]:
            await client.say(warm, text, Tally())
        cpu_before = rasa_cpu(layout)
        tally, seconds, played = await people(client, args, random.Random(args.seed))
        cpu_ms = (rasa_cpu(layout) - cpu_before) * 1000 / max(1, len(tally.latencies))
        throughput = await saturation(client, args.clients, args.saturation_seconds)
        first, last = await long_conversation(client)
    stored = (
        check_stored(layout.database_url, played) if "postgresql" in layout.database_url else "-"
    )
    return Figures(name, tally, seconds, cpu_ms, throughput, first, last, stored)


def report(figures: list[Figures], args: argparse.Namespace) -> None:
    default, production = figures
    rows = [
        ("turns (phase 1)", lambda f: f"{f.people.attempted} in {f.people_seconds:.0f} s"),
        ("throughput", lambda f: f"{len(f.people.latencies) / f.people_seconds:.1f} turns/s"),
        ("p50", lambda f: f"{f.people.ms(0.5):.0f} ms"),
        ("p95", lambda f: f"{f.people.ms(0.95):.0f} ms"),
        ("p99", lambda f: f"{f.people.ms(0.99):.0f} ms"),
        ("errors", lambda f: str(f.people.errors or 0)),
        ("empty replies", lambda f: str(f.people.empty)),
        ("Rasa CPU per turn", lambda f: f"{f.rasa_cpu_ms:.1f} ms"),
        ("saturation", lambda f: f"{f.saturation:.1f} turns/s ({args.clients} clients)"),
        ("long: turn 1 / 50", lambda f: f"{f.long_first_ms:.0f} / {f.long_last_ms:.0f} ms"),
        ("stored", lambda f: f.stored),
    ]
    print(f"\n{'':22}{default.name:<34}{production.name}")
    for label, value in rows:
        print(f"{label:22}{value(default):<34}{value(production)}")
    gain = production.saturation / default.saturation
    ratio = production.long_last_ms / production.long_first_ms
    p99 = production.people.ms(0.99)
    print(f"\nsaturation gain {gain:.2f}x (target >= {TARGET_SATURATION_GAIN}x): "
          f"{'ok' if gain >= TARGET_SATURATION_GAIN else 'MISSED'}")  # fmt: skip
    print(f"production p99 {p99:.0f} ms with {args.conversations} people (target <= "
          f"{TARGET_P99_MS} ms): {'ok' if p99 <= TARGET_P99_MS else 'MISSED'}")  # fmt: skip
    print(f"long conversation turn 50 / turn 1 {ratio:.2f} (target <= {TARGET_LONG_RATIO}): "
          f"{'ok' if ratio <= TARGET_LONG_RATIO else 'MISSED'}")  # fmt: skip


def postgres_database(admin_url: str) -> tuple[str, Callable[[], None]]:
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"refuge_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return admin_url.rsplit("/", 1)[0] + f"/{name}", drop


async def run(args: argparse.Namespace) -> int:
    work = Path(tempfile.mkdtemp(prefix="refuge-bench-production-"))
    database_url, drop = postgres_database(args.postgresql)
    redis.Redis(port=args.redis_port, db=args.redis_db).flushdb()
    limits = {"REFUGE_RATE_ADDRESS_MESSAGES": "1000000/60",
              "REFUGE_RATE_ADDRESS_CONVERSATIONS": "1000000/600"}  # fmt: skip
    ports = dict(actions_port=args.port, first_rasa_port=args.port + 10, web_port=args.port + 50)
    layouts = [
        Layout(model=args.model, var_dir=work / "default", database_url=f"sqlite:///{work}/d.db",
               extra_env=limits, **ports),
        Layout(model=args.model, var_dir=work / "production", database_url=database_url,
               rasa_servers=args.servers, redis_host="127.0.0.1", redis_port=args.redis_port,
               redis_db=args.redis_db, extra_env=limits, **ports),
    ]  # fmt: skip
    names = ["default (1 Rasa, SQLite)", f"production ({args.servers} Rasa, PostgreSQL, Redis)"]
    print(f"==> {os.cpu_count()} cores, {load()}; model {args.model.name}")
    figures = []
    try:
        for name, layout in zip(names, layouts, strict=True):
            print(f"==> {name}: starting", flush=True)
            layout.start()
            busy = machine_busy_seconds()
            try:
                figures.append(await measure(name, layout, args))
            finally:
                layout.stop()
            print(f"    measured ({machine_busy_seconds() - busy:.0f} CPU s)", flush=True)
    finally:
        drop()
    report(figures, args)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--servers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--conversations", type=int, default=100)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--arrival-seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16, help="saturation: concurrent clients")
    parser.add_argument("--saturation-seconds", type=float, default=30)
    parser.add_argument("--port", type=int, default=5400, help="first of the ports used")
    parser.add_argument("--postgresql", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-port", type=int, default=6379)
    parser.add_argument("--redis-db", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
