"""The processes of a layout: the action server, N Rasa servers and the web service, started, watched, stopped.

One description serves `make run-production`, the fault tests and the
production benchmark: what they start is what an association runs. Every
setting is an environment variable the project reads (scripts/env.sh), so the
compose file in this folder names the same ones.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_SECONDS = 300
# A dead Rasa server's lock ticket holds its conversation this long (Rasa's
# TICKET_LOCK_LIFETIME, 60 s by default): longer than the longest turn (Refuge's
# actions are pure Python, bounded; a turn takes well under a second), short
# enough for a retry on another server to wait it out.
PRODUCTION_LOCK_LIFETIME_SECONDS = 10


class StartFailed(RuntimeError):
    """A process stopped or did not answer at start-up; the message ends with its log."""


@dataclass
class Service:
    name: str
    command: list[str]
    env: dict[str, str]
    health_url: str
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches the launcher, which stops each in turn
            )  # fmt: skip

    def wait_ready(self, timeout: float = START_TIMEOUT_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise StartFailed(f"{self.name} s'est arrêté au démarrage :\n{self.tail()}")
            if self.answers():
                return
            time.sleep(0.5)
        raise StartFailed(f"{self.name} ne répond pas après {timeout:.0f} s :\n{self.tail()}")

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.health_url, timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: the process dies mid-turn, as in a crash or an out-of-memory kill."""
        if self.running():
            assert self.process is not None
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.running():
            assert self.process is not None
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def tail(self, characters: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-characters:]
        except OSError:
            return ""


@dataclass
class Layout:
    """Which processes run, on which ports, against which stores."""

    model: Path
    var_dir: Path
    database_url: str
    rasa_servers: int = 1
    host: str = "127.0.0.1"
    actions_port: int = 5055
    first_rasa_port: int = 5005
    web_port: int = 8000
    # None: the embedded default (in-memory lock store and rate limits, one Rasa server).
    redis_host: str | None = None
    redis_port: int = 6379
    redis_db: int = 1
    lock_lifetime_seconds: int = PRODUCTION_LOCK_LIFETIME_SECONDS
    extra_env: dict[str, str] = field(default_factory=dict)
    python: Path = ROOT / ".venv" / "bin" / "python"
    services: list[Service] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.rasa_servers > 1 and self.redis_host is None:
            # Two servers taking turns of one conversation at once would each
            # write their own version of it: only a shared lock store prevents it.
            raise ValueError("plusieurs serveurs Rasa demandent Redis (REFUGE_REDIS_HOST)")
        env = dict(os.environ)
        env.update(
            RASA_TELEMETRY_ENABLED="false",
            SENTRY_DSN="",
            TF_CPP_MIN_LOG_LEVEL=env.get("TF_CPP_MIN_LOG_LEVEL", "2"),
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            HF_HUB_OFFLINE="1",
            REFUGE_DATABASE_URL=self.database_url,
            REFUGE_ACTIONS_HOST=self.host,
            REFUGE_ACTIONS_PORT=str(self.actions_port),
            REFUGE_WEB_HOST=self.host,
            REFUGE_WEB_PORT=str(self.web_port),
            REFUGE_RASA_URLS=",".join(self.rasa_urls),
            REFUGE_LOCK_STORE="redis" if self.redis_host else "in_memory",
            REFUGE_RATE_LIMIT_STORE="redis" if self.redis_host else "memory",
            REFUGE_REDIS_HOST=self.redis_host or "127.0.0.1",
            REFUGE_REDIS_PORT=str(self.redis_port),
            REFUGE_REDIS_DB=str(self.redis_db),
            TICKET_LOCK_LIFETIME=str(self.lock_lifetime_seconds),
            SANIC_HOST=self.host,
        )
        env.update(self.extra_env)
        rasa = [
            Service(f"rasa-{index + 1}", self._rasa_command(index), env, f"{url}/",
                    self.var_dir / f"rasa-{index + 1}.log")
            for index, url in enumerate(self.rasa_urls)
        ]  # fmt: skip
        self.services = [
            Service("actions", self._actions_command(), env,
                    f"http://{self.host}:{self.actions_port}/health", self.var_dir / "actions.log"),
            *rasa,
            Service("web", [str(self.python), "-m", "web"], env, f"{self.web_url}/api/health",
                    self.var_dir / "web.log"),
        ]  # fmt: skip

    def _actions_command(self) -> list[str]:
        return [
            str(self.python), "-m", "rasa_sdk", "--actions", "actions",
            "--port", str(self.actions_port), "--logging-config_file", "logging.yml",
        ]  # fmt: skip

    def _rasa_command(self, index: int) -> list[str]:
        return [
            str(self.python.parent / "rasa"), "run", "--model", str(self.model),
            "--interface", self.host, "--port", str(self.first_rasa_port + index),
            "--credentials", "credentials.yml", "--endpoints", "endpoints.yml",
            "--logging-config-file", "logging.yml",
        ]  # fmt: skip

    @property
    def rasa_urls(self) -> list[str]:
        return [f"http://{self.host}:{self.first_rasa_port + i}" for i in range(self.rasa_servers)]

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"

    def service(self, name: str) -> Service:
        return next(service for service in self.services if service.name == name)

    @property
    def rasa(self) -> list[Service]:
        return [service for service in self.services if service.name.startswith("rasa-")]

    def start(self) -> None:
        """Starts everything and returns when every process answers; stops all on a failure."""
        actions, *rasa, web = self.services
        try:
            actions.start()
            # The first Rasa server creates the tracker store's table; several
            # creating it at once on PostgreSQL would collide.
            rasa[0].start()
            rasa[0].wait_ready()
            for service in rasa[1:]:
                service.start()
            web.start()
            for service in self.services:
                service.wait_ready()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()

    def first_stopped(self) -> Service | None:
        return next((service for service in self.services if not service.running()), None)
