"""The `qualifier` command: JSON in, JSON or French text out, clear errors with exit status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from refuge.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run_cli(stdin: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "ascii"}  # a hostile locale
    return subprocess.run(
        [sys.executable, "-m", "refuge.cli", *args],
        input=stdin.encode("utf-8"),
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


SEXTORTION = json.dumps(
    {
        "situation": "sextorsion",
        "age_victime": 14,
        "auteur_majeur": True,
        "contenu": "reel",
        "contenu_sexuel": True,
        "menace_diffusion": True,
        "demande": ["argent"],
    }
)


def test_valid_facts_give_the_qualification_as_utf8_json():
    result = run_cli(SEXTORTION)
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout.decode("utf-8"))
    assert data["droit_en_vigueur_au"] == "2026-11-22"
    assert data["infractions"][0]["article"] == "312-10"
    assert data["infractions"][0]["peine"] == {"annees": 5, "euros": 75000}
    assert "Code pénal" in result.stdout.decode("utf-8")  # not escaped as \u00e9
    assert {r["id"] for r in data["ressources"]} >= {"3018", "119", "3114"}


def test_texte_prints_the_french_messages():
    result = run_cli(SEXTORTION, "--texte")
    assert result.returncode == 0, result.stderr.decode()
    text = result.stdout.decode("utf-8")
    assert "« Chantage » (article 312-10 du Code pénal)" in text
    assert "jusqu'à 5 ans de prison et 75 000 € d'amende" in text
    assert "Si ça t'arrive :" in text and "Tu peux te faire aider ici :" in text
    assert "pas un conseil juridique" in text


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        pytest.param("{situation: sextorsion", "pas du JSON valide", id="invalid-json"),
        pytest.param("", "pas du JSON valide", id="empty-input"),
        pytest.param('["sextorsion"]', "doit être un objet JSON", id="not-an-object"),
        pytest.param('{"age": 14}', "Fait inconnu : age", id="unknown-fact"),
        pytest.param('{"situation": "racket"}', "« situation » doit valoir", id="unknown-value"),
        pytest.param('{"age_victime": 120}', "entre 5 et 99", id="age-out-of-range"),
    ],
)
def test_bad_input_is_a_french_error_with_exit_status_2_and_no_traceback(stdin, expected):
    result = run_cli(stdin)
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2
    assert expected in stderr
    assert stderr.startswith("Erreur : ")
    assert "Traceback" not in stderr
    assert result.stdout == b""


def test_main_can_be_called_in_process(monkeypatch, capsysbinary):
    import io

    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"situation": "cyberharcelement"}'))
    )
    assert main([]) == 0
    data = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    assert data["infractions"][0]["article"] == "222-33-2-2"
