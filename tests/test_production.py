"""The production layout with real processes: two Rasa servers on PostgreSQL and Redis, and its faults.

What `make run-production` starts (deployment/processes.py), on free ports, with
a PostgreSQL server and a Redis server of its own (the machine's binaries, so
that they can be stopped and started again without touching anyone else's).
Nothing is mocked: servers are frozen and killed with signals, PostgreSQL and
Redis are shut down and started again.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import WebService, _free_port

from deployment.processes import Layout

pytestmark = pytest.mark.rasa

STORY = [
    "un mec menace de publier mes photos si je paie pas",
    "j'ai 14 ans",
    "non j'ai rien payé",
    "c'est sur snap",
    "il m'a dit 200 euros",
    "merci",
]


def _consecutive_free_ports(count: int) -> int:
    while True:
        first = _free_port()
        try:
            sockets = []
            for port in range(first, first + count):
                sock = socket.socket()
                sock.bind(("127.0.0.1", port))
                sockets.append(sock)
            return first
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()


class RedisServer:
    """A Redis server of this test's own: it keeps nothing on disk, like the machine's."""

    def __init__(self, directory: Path) -> None:
        self.port = _free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class PostgresServer:
    """A PostgreSQL cluster of this test's own (initdb), run as the postgres user when root."""

    def __init__(self, directory: Path, bin_dir: Path) -> None:
        self.port = _free_port()
        self.directory = directory
        self.bin_dir = bin_dir
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.directory / "data"),
                  "-A", "trust", "-U", "postgres")  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.directory / "data"),
                  "-o", options, "-l", str(self.directory / "log"), "-w", "start")  # fmt: skip

    def stop(self) -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.directory / "data"),
                  "-m", "fast", "-w", "stop")  # fmt: skip


def _postgres_bin_dir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return candidates[-1].parent if candidates else None


@pytest.fixture(scope="module")
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = _postgres_bin_dir()
    if bin_dir is None:
        pytest.skip("initdb absent : PostgreSQL (la base de production) n'est pas installé ici")
    # Not under pytest's temporary folder: it is root's alone, the postgres user could not enter.
    directory = Path(tempfile.mkdtemp(prefix="refuge-test-postgres-"))
    server = PostgresServer(directory, bin_dir)
    try:
        server.init()
        server.start()
        yield server
        server.stop()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server absent : la mise en production n'est pas testable ici")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def production(
    model_path: Path, postgres_server: PostgresServer, redis_server: RedisServer, tmp_path_factory
) -> Iterator[Layout]:
    layout = Layout(
        model=model_path,
        var_dir=tmp_path_factory.mktemp("production"),
        database_url=postgres_server.url,
        rasa_servers=2,
        actions_port=_free_port(),
        first_rasa_port=_consecutive_free_ports(2),
        web_port=_free_port(),
        redis_host="127.0.0.1",
        redis_port=redis_server.port,
        # The limits of one person, not of a test sending many conversations from one address.
        extra_env={"REFUGE_RATE_ADDRESS_MESSAGES": "100000/60"},
    )
    layout.start()
    try:
        yield layout
    finally:
        layout.stop()


def web_of(layout: Layout) -> WebService:
    web = layout.service("web")
    return WebService(url=layout.web_url, process=web.process, log=web.log, database=None)


def stored_user_texts(layout: Layout, conversation_id: str) -> list[str]:
    engine = sa.create_engine(layout.database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT data FROM events WHERE sender_id = :id AND type_name = 'user' ORDER BY id"
                ),
                {"id": conversation_id},
            ).fetchall()
    finally:
        engine.dispose()
    return [json.loads(row[0])["text"] for row in rows]


def first_server_of(conversation_id: str, servers: int) -> int:
    # The web service's affinity (web/assistant.py): the same conversation, the same server first.
    return zlib.crc32(conversation_id.encode()) % servers


def ensure_running(layout: Layout) -> None:
    for service in layout.services:
        if not service.running():
            service.start()
    for service in layout.services:
        service.wait_ready()


def test_a_rasa_server_frozen_then_killed_under_load_costs_no_one_more_than_an_automatic_retry(
    production,
):
    web = web_of(production)
    rng = random.Random(7)
    results: dict[str, list[int]] = {}
    lock = threading.Lock()

    def person(conversation_id: str) -> None:
        time.sleep(rng.uniform(0, 2))
        for text in STORY:
            status, _ = web.say(conversation_id, text, uuid.uuid4().hex)
            with lock:
                results[conversation_id].append(status)
            time.sleep(rng.uniform(0.2, 0.8))

    conversations = [web.new_conversation() for _ in range(20)]
    on_first = [c for c in conversations if first_server_of(c, 2) == 0]
    assert on_first, "some conversations start on the server that will die"
    results.update({conversation_id: [] for conversation_id in conversations})
    threads = [threading.Thread(target=person, args=(c,)) for c in conversations]
    for thread in threads:
        thread.start()
    rasa_1 = production.service("rasa-1")
    try:
        time.sleep(3)
        # Frozen: it takes requests and never answers. One turn is sent to it now, for sure.
        rasa_1.process.send_signal(signal.SIGSTOP)
        extra = web.new_conversation()
        while first_server_of(extra, 2) != 0:
            extra = web.new_conversation()
        answer: dict[str, tuple[int, dict]] = {}
        in_flight = threading.Thread(
            target=lambda: answer.setdefault("reply", web.say(extra, STORY[0], "tour-en-vol-01"))
        )
        in_flight.start()
        time.sleep(1.5)
        rasa_1.kill()  # mid-turn, like an out-of-memory kill
        in_flight.join(60)
        for thread in threads:
            thread.join(120)
    finally:
        ensure_running(production)
    assert answer["reply"][0] == 200 and answer["reply"][1]["messages"]
    for conversation_id, statuses in results.items():
        assert statuses == [200] * len(STORY), conversation_id
        # Nothing lost, nothing doubled, in order.
        assert stored_user_texts(production, conversation_id) == STORY, conversation_id
    assert stored_user_texts(production, extra) == [STORY[0]]
    assert "reprise sur un autre serveur" in web.log.read_text()


def test_the_action_server_stopped_then_restarted_the_message_sent_again_is_answered_once(
    production,
):
    web = web_of(production)
    conversation_id = web.new_conversation()
    assert web.say(conversation_id, STORY[0], "actions-0001")[0] == 200
    actions = production.service("actions")
    actions.stop()
    try:
        status, body = web.say(conversation_id, STORY[1], "actions-0002")
        assert status == 503 and body["retry"] is True
        assert "3114" in "\n".join(m["text"] for m in body["messages"])
    finally:
        ensure_running(production)
    status, body = web.say(conversation_id, STORY[1], "actions-0002")  # "Renvoyer"
    assert status == 200 and body["messages"]
    # Context kept: the next answer follows from the story, not a new greeting.
    assert "Bonjour" not in body["messages"][0]["text"]
    texts = stored_user_texts(production, conversation_id)
    assert texts[0] == STORY[0] and texts[-1] == STORY[1]


def test_redis_restarted_mid_conversation_the_apology_then_the_conversation_goes_on(
    production, redis_server
):
    web = web_of(production)
    conversation_id = web.new_conversation()
    assert web.say(conversation_id, STORY[0], "redis-00001")[0] == 200
    redis_server.stop()
    try:
        status, body = web.say(conversation_id, STORY[1], "redis-00002")
        assert status == 503 and body["retry"] is True
    finally:
        redis_server.start()
    status, body = web.say(conversation_id, STORY[1], "redis-00002")
    assert status == 200 and body["messages"]
    assert stored_user_texts(production, conversation_id) == STORY[:2]
    # A later turn goes on with the story's context.
    status, body = web.say(conversation_id, STORY[2], "redis-00003")
    assert status == 200
    assert stored_user_texts(production, conversation_id) == STORY[:3]


def test_postgresql_restarted_mid_conversation_the_apology_then_the_story_goes_on(
    production, postgres_server
):
    web = web_of(production)
    conversation_id = web.new_conversation()
    for number, text in enumerate(STORY[:2]):
        assert web.say(conversation_id, text, f"postgres-{number:04}")[0] == 200
    postgres_server.stop()
    try:
        status, body = web.say(conversation_id, STORY[2], "postgres-0002")
        assert status == 503 and body["retry"] is True
        assert "3114" in "\n".join(m["text"] for m in body["messages"])
    finally:
        postgres_server.start()
    # "Renvoyer" after the restart: every process reconnects, the story is still there.
    status, body = web.say(conversation_id, STORY[2], "postgres-0002")
    assert status == 200
    texts = "\n".join(m["text"] for m in body["messages"])
    assert "incident technique" not in texts and "Refuge est un programme" not in texts
    assert stored_user_texts(production, conversation_id) == STORY[:3]
