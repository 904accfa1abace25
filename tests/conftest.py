"""Shared fixtures: the trained model, and a real action server and Rasa server on loopback.

The servers are the ones `make run` starts, on free ports, with a throw-away
SQLite tracker store; nothing is mocked.
"""

from __future__ import annotations

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
            with urllib.request.urlopen(url, timeout=2) as response:
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


@pytest.fixture(scope="session")
def servers(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    tmp_dir = tmp_path_factory.mktemp("servers")
    actions_port, rasa_port = _free_port(), _free_port()
    env = server_environment(tmp_dir, actions_port)
    actions_log, rasa_log = tmp_dir / "actions.log", tmp_dir / "rasa.log"
    actions = subprocess.Popen(
        [str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)],
        cwd=ROOT, env=env, stdout=actions_log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    rasa = subprocess.Popen(
        [str(VENV_BIN / "rasa"), "run", "--model", str(model_path), "--interface", "127.0.0.1",
         "--port", str(rasa_port), "--credentials", "credentials.yml", "--endpoints", "endpoints.yml"],
        cwd=ROOT, env=env, stdout=rasa_log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_http(f"http://127.0.0.1:{actions_port}/health", actions, actions_log)
        _wait_http(f"http://127.0.0.1:{rasa_port}/", rasa, rasa_log)
        yield Servers(
            rasa_url=f"http://127.0.0.1:{rasa_port}",
            actions_url=f"http://127.0.0.1:{actions_port}",
            database=tmp_dir / "tracker.db",
            actions=actions,
            tmp_dir=tmp_dir,
        )
    finally:
        _stop(rasa)
        _stop(actions)


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
