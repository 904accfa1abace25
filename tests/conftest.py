"""Shared fixtures: the trained model, and a real action server and Rasa server on loopback.

The servers are the ones `make run` starts, on free ports, with a throw-away
SQLite tracker store; nothing is mocked.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
START_TIMEOUT = 240


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} stopped at start-up:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} not ready after {START_TIMEOUT} s:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def server_environment(tmp_dir: Path, actions_port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        REFUGE_DATABASE_URL=f"sqlite:///{tmp_dir / 'tracker.db'}",
        REFUGE_LOCK_STORE="in_memory",
        REFUGE_REDIS_HOST="127.0.0.1",
        REFUGE_REDIS_PORT="6379",
        REFUGE_REDIS_DB="1",
        REFUGE_ACTIONS_HOST="127.0.0.1",
        REFUGE_ACTIONS_PORT=str(actions_port),
        SANIC_HOST="127.0.0.1",
    )
    return env


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The model trained from the current data (scripts/model.sh trains it when needed)."""
    given = os.environ.get("REFUGE_MODEL")
    if given:
        return Path(given)
    output = subprocess.run(
        [str(ROOT / "scripts" / "model.sh")], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return Path(output.stdout.strip().splitlines()[-1])


@dataclass
class Servers:
    rasa_url: str
    actions_url: str
    database: Path
    actions: subprocess.Popen
    tmp_dir: Path
    actions_command: list[str]
    env: dict[str, str]

    def start_actions(self) -> None:
        log = self.tmp_dir / "actions.log"
        self.actions = subprocess.Popen(
            self.actions_command, cwd=ROOT, env=self.env,
            stdout=log.open("a"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        _wait_http(f"{self.actions_url}/health", self.actions, log)

    def stop_actions(self) -> None:
        _stop(self.actions)


@pytest.fixture(scope="session")
def servers(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    tmp_dir = tmp_path_factory.mktemp("servers")
    actions_port, rasa_port = _free_port(), _free_port()
    env = server_environment(tmp_dir, actions_port)
    actions_log, rasa_log = tmp_dir / "actions.log", tmp_dir / "rasa.log"
    actions_command = [
        str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port),
        "--logging-config_file", "logging.yml",
    ]  # fmt: skip
    actions = subprocess.Popen(
        actions_command, cwd=ROOT, env=env, stdout=actions_log.open("w"), stderr=subprocess.STDOUT
    )
    rasa = subprocess.Popen(
        [str(VENV_BIN / "rasa"), "run", "--model", str(model_path), "--interface", "127.0.0.1",
         "--port", str(rasa_port), "--credentials", "credentials.yml", "--endpoints", "endpoints.yml",
         "--logging-config-file", "logging.yml"],
        cwd=ROOT, env=env, stdout=rasa_log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    running = Servers(
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        actions_url=f"http://127.0.0.1:{actions_port}",
        database=tmp_dir / "tracker.db",
        actions=actions,
        tmp_dir=tmp_dir,
        actions_command=actions_command,
        env=env,
    )
    try:
        _wait_http(f"{running.actions_url}/health", actions, actions_log)
        _wait_http(f"{running.rasa_url}/", rasa, rasa_log)
        yield running
    finally:
        _stop(rasa)
        # A test may have restarted the action server: stop the one running now.
        _stop(running.actions)


@dataclass
class Conversation:
    """One person talking to the running assistant through the REST channel."""

    rasa_url: str
    sender: str

    def say(self, text: str) -> list[dict]:
        body = json.dumps({"sender": self.sender, "message": text}).encode("utf-8")
        request = urllib.request.Request(
            f"{self.rasa_url}/webhooks/rest/webhook",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
            return json.loads(response.read().decode("utf-8"))

    def texts(self, text: str) -> str:
        """What the assistant answered, all its messages joined."""
        return "\n".join(reply.get("text", "") for reply in self.say(text))


@pytest.fixture
def conversation(servers: Servers) -> Callable[[], Conversation]:
    def start() -> Conversation:
        return Conversation(servers.rasa_url, f"test-{uuid.uuid4().hex}")

    return start


@dataclass
class WebService:
    """The public web service (`python -m web`) in front of the test servers."""

    url: str
    process: subprocess.Popen
    log: Path
    database: Path

    def request(
        self,
        method: str,
        path: str,
        body: object = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | list[tuple[str, str]] | None = None,
    ) -> tuple[int, dict[str, str], object]:
        """One HTTP request; returns the status, the headers (lower-case names) and the JSON body.

        `headers` may be a list of pairs, to send one header on several lines.
        """
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        pairs = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
        if (
            raw is None
            and body is not None
            and not any(n.lower() == "content-type" for n, _ in pairs)
        ):
            pairs.insert(0, ("Content-Type", "application/json"))
        host, port = self.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            connection.putrequest(method, path)
            for name, value in pairs:
                connection.putheader(name, value)
            if data is not None:
                connection.putheader("Content-Length", str(len(data)))
            connection.endheaders(data)
            response = connection.getresponse()
            status, response_headers, content = (
                response.status,
                response.getheaders(),
                response.read(),
            )
        finally:
            connection.close()
        lowered = {name.lower(): value for name, value in response_headers}
        parsed: object = content.decode("utf-8", "replace")
        if lowered.get("content-type", "").startswith("application/json"):
            parsed = json.loads(content)
        return status, lowered, parsed

    def new_conversation(self) -> str:
        status, _, body = self.request("POST", "/api/conversations", {})
        assert status == 201, body
        return body["id"]

    def say(
        self, conversation_id: str, text: str, message_id: str | None = None
    ) -> tuple[int, dict]:
        body: dict[str, str] = {"text": text}
        if message_id is not None:
            body["message_id"] = message_id
        status, _, reply = self.request(
            "POST", f"/api/conversations/{conversation_id}/messages", body
        )
        return status, reply


def start_web(servers: Servers, tmp_dir: Path, **settings: str) -> WebService:
    """Starts a web service on a free port; `settings` are REFUGE_* variables (without the prefix)."""
    port = _free_port()
    env = dict(servers.env)
    env.update(
        REFUGE_WEB_HOST="127.0.0.1",
        REFUGE_WEB_PORT=str(port),
        REFUGE_RASA_URLS=servers.rasa_url,
        REFUGE_RATE_LIMIT_STORE="memory",
    )
    env.update({f"REFUGE_{name.upper()}": value for name, value in settings.items()})
    log = tmp_dir / f"web-{port}.log"
    process = subprocess.Popen(
        [str(VENV_BIN / "python"), "-m", "web"], cwd=ROOT, env=env,
        stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    _wait_http(f"{url}/api/health", process, log)
    return WebService(url=url, process=process, log=log, database=servers.database)


@pytest.fixture(scope="session")
def partner_port() -> int:
    return _free_port()


@pytest.fixture(scope="session")
def partner_origin(partner_port: int) -> str:
    # "localhost" and "127.0.0.1" are different origins: the partner site is
    # another origin than the service, as on the real web.
    return f"http://localhost:{partner_port}"


@pytest.fixture(scope="session")
def web(
    servers: Servers, tmp_path_factory: pytest.TempPathFactory, partner_origin: str
) -> Iterator[WebService]:
    """The web service with its default limits, one partner origin allowed to embed the widget."""
    service = start_web(servers, tmp_path_factory.mktemp("web"), partner_origins=partner_origin)
    yield service
    _stop(service.process)


@pytest.fixture
def web_with(servers: Servers, tmp_path: Path) -> Iterator[Callable[..., WebService]]:
    """Starts web services with other settings for one test (strict limits, Rasa unreachable...)."""
    started: list[WebService] = []

    def start(**settings: str) -> WebService:
        service = start_web(servers, tmp_path, **settings)
        started.append(service)
        return service

    yield start
    for service in started:
        _stop(service.process)


@pytest.fixture
def actions_stopped(servers: Servers) -> Iterator[None]:
    """The action server is down for the length of the test, then started again."""
    servers.stop_actions()
    try:
        yield
    finally:
        servers.start_actions()


@dataclass
class PartnerSite:
    """A partner's page (a school, an association) on another origin, embedding the widget."""

    url: str
    origin: str


@pytest.fixture(scope="session")
def partner_site(
    web: WebService, partner_port: int, partner_origin: str, tmp_path_factory
) -> Iterator[PartnerSite]:
    import functools
    import http.server
    import threading

    root = tmp_path_factory.mktemp("partner")
    (root / "index.html").write_text(
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>Collège Jules Ferry</title>"
        "</head><body><main><h1>Collège Jules Ferry</h1><p>Infos pratiques.</p></main>"
        f"<script src='{web.url}/widget.js' async></script></body></html>",
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None  # type: ignore[assignment]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", partner_port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield PartnerSite(url=f"{partner_origin}/index.html", origin=partner_origin)
    server.shutdown()
    server.server_close()


CHROMIUM = Path(os.environ.get("REFUGE_CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (Playwright cannot download browsers here).

    Per module: Playwright's sync API keeps an event loop running in the main
    thread while it is open, and other modules call asyncio.run().
    """
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium introuvable ({CHROMIUM}) : installez-le avec 'apt-get install -y chromium' "
            "(scripts/test.sh le fait quand il le peut), ou donnez son chemin dans REFUGE_CHROMIUM."
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield launched
        launched.close()


@pytest.fixture
def phone(browser):
    """A phone-sized page with nothing kept from another test."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="fr-FR"
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def laptop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


# ------------------------------------------------------------------ databases
POSTGRESQL_URL = os.environ.get(
    "REFUGE_TEST_POSTGRESQL_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def _postgresql_database() -> Iterator[str]:
    """A database of its own on the PostgreSQL server, dropped afterwards."""
    import sqlalchemy as sa

    admin = sa.create_engine(POSTGRESQL_URL, isolation_level="AUTOCOMMIT", future=True)
    name = f"refuge_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        admin.dispose()
        pytest.skip(
            "PostgreSQL n'écoute pas sur 127.0.0.1:5432 (option de production, pas le défaut) : "
            "REFUGE_TEST_POSTGRESQL_URL pour un autre serveur"
        )
    try:
        yield POSTGRESQL_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file (the default) and a PostgreSQL database (production)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'refuge.db'}"
    else:
        yield from _postgresql_database()


@pytest.fixture
def engine(database_url: str):
    """The database at the latest migration."""
    from database.engine import make_engine
    from database.migrate import upgrade_to_head

    created = make_engine(database_url)
    upgrade_to_head(created)
    yield created
    created.dispose()


def rasa_event_rows(sender: str, events: list[dict], start: float) -> list[dict]:
    """Rows of Rasa's `events` table for these events (its stored JSON), one second apart."""
    rows = []
    for offset, event in enumerate(events):
        at = start + offset
        rows.append({
            "sender_id": sender,
            "type_name": event["event"],
            "timestamp": at,
            "intent_name": (event.get("parse_data") or {}).get("intent", {}).get("name"),
            "action_name": event.get("name") if event["event"] == "action" else None,
            "data": json.dumps({**event, "timestamp": at}),
        })  # fmt: skip
    return rows


@pytest.fixture
def add_events(engine):
    """Writes a conversation's events as Rasa's SQL tracker store does (its table, its JSON)."""
    from database.tables import rasa_events, rasa_metadata

    rasa_metadata.create_all(engine)

    def add(sender: str, events: list[dict], start: float) -> None:
        with engine.begin() as connection:
            connection.execute(rasa_events.insert(), rasa_event_rows(sender, events, start))

    return add


# Rasa's events as its SQL tracker store keeps them (the `data` column's JSON).
def user_event(text: str, intent: str = "informer", entities: list | None = None) -> dict:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"intent": {"name": intent, "confidence": 0.93}, "entities": entities or []},
    }


def slot_event(name: str, value: object) -> dict:
    return {"event": "slot", "name": name, "value": value}


def bot_event(text: str) -> dict:
    return {"event": "bot", "text": text, "metadata": {}}
