"""The deployment files and the production launcher: they name only settings the project reads."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from deployment.processes import Layout

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "deployment" / "compose.yaml"
# Where the project reads its settings: the sources, the scripts and Rasa's endpoints.
READERS = [
    *ROOT.glob("*/*.py"),
    *ROOT.glob("scripts/*.sh"),
    ROOT / "endpoints.yml",
]
# Read by the images the compose file takes as they are, not by the project.
FOREIGN_IMAGES = {"postgres", "redis"}


def project_reads(name: str) -> bool:
    pattern = re.compile(rf"\b{re.escape(name)}\b")
    return any(pattern.search(path.read_text(encoding="utf-8")) for path in READERS)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def project_services(compose: dict) -> dict[str, dict]:
    return {name: s for name, s in compose["services"].items() if name not in FOREIGN_IMAGES}


def test_every_variable_given_to_a_refuge_process_is_one_the_project_reads(compose):
    names = {
        name for service in project_services(compose).values() for name in service["environment"]
    }
    assert "REFUGE_DATABASE_URL" in names
    unread = sorted(name for name in names if not project_reads(name))
    assert unread == []


def test_every_variable_rasa_expands_in_the_endpoints_is_given_to_the_rasa_servers(compose):
    wanted = set(re.findall(r"\$\{(\w+)\}", (ROOT / "endpoints.yml").read_text()))
    rasa = {n: s for n, s in project_services(compose).items() if n.startswith("rasa-")}
    assert len(rasa) >= 2
    for name, service in rasa.items():
        # REFUGE_REDIS_* have defaults in scripts/env.sh only: a container must set them.
        assert wanted <= set(service["environment"]), name


def test_the_web_service_is_sent_to_every_rasa_server_and_the_commands_are_the_projects(compose):
    services = project_services(compose)
    urls = services["web"]["environment"]["REFUGE_RASA_URLS"].split(",")
    rasa = sorted(n for n in services if n.startswith("rasa-"))
    assert sorted(url.split("//")[1].split(":")[0] for url in urls) == rasa
    for name, service in services.items():
        command = service["command"]
        if "-m" in command:
            module = command[command.index("-m") + 1]
            assert module == "rasa_sdk" or (ROOT / module / "__main__.py").exists(), name
        for flag in (
            "--endpoints",
            "--credentials",
            "--logging-config-file",
            "--logging-config_file",
        ):
            if flag in command:
                assert (ROOT / command[command.index(flag) + 1]).exists(), (name, flag)
        if "--actions" in command:
            assert (ROOT / command[command.index("--actions") + 1]).is_dir()


def test_the_launcher_gives_every_process_the_stores_and_the_rasa_servers(tmp_path):
    layout = Layout(
        model=tmp_path / "model.tar.gz",
        var_dir=tmp_path,
        database_url="postgresql://refuge@db:5432/refuge",
        rasa_servers=3,
        first_rasa_port=6000,
        redis_host="cache",
    )
    assert [s.name for s in layout.services] == ["actions", "rasa-1", "rasa-2", "rasa-3", "web"]
    assert [s.command[s.command.index("--port") + 1] for s in layout.rasa] == [
        "6000",
        "6001",
        "6002",
    ]
    for service in layout.services:
        env = service.env
        assert env["REFUGE_DATABASE_URL"] == "postgresql://refuge@db:5432/refuge"
        assert env["REFUGE_LOCK_STORE"] == "redis" and env["REFUGE_REDIS_HOST"] == "cache"
        assert env["REFUGE_RATE_LIMIT_STORE"] == "redis"
        assert env["RASA_TELEMETRY_ENABLED"] == "false"
        assert env["REFUGE_RASA_URLS"].split(",") == [
            "http://127.0.0.1:6000", "http://127.0.0.1:6001", "http://127.0.0.1:6002"
        ]  # fmt: skip
        for name in env.keys() - os.environ.keys():
            assert project_reads(name), name


def test_several_rasa_servers_without_redis_are_refused(tmp_path):
    # Each would take turns of one conversation at once with its own in-memory lock.
    with pytest.raises(ValueError, match="Redis"):
        Layout(model=tmp_path / "m", var_dir=tmp_path, database_url="sqlite://", rasa_servers=2)
