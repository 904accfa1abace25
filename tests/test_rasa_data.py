"""Rasa's own checks on the project: data validation and the test stories."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RASA = str(Path(sys.executable).parent / "rasa")
UNUSED = re.compile(r"The (intent|utterance) '(\w+)' is not used in any story or rule")
# Intents that only answer a form's question: read by refuge.understanding, not by a rule.
ANSWER_INTENTS = {"affirmer", "nier", "ne_sait_pas", "refus_repondre"}
FIRST_HELP = "utter_premiers_secours_"


def used_outside_stories(kind: str, name: str) -> bool:
    """Rasa's validator does not see responses sent by forms and custom actions."""
    if kind == "intent":
        return name in ANSWER_INTENTS
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    asked = {
        f"utter_ask_{slot}" for form in domain["forms"].values() for slot in form["required_slots"]
    }
    # The actions send them, and refuge.aftercare names the answers after a crisis.
    sources = [*(ROOT / "actions").glob("*.py"), ROOT / "refuge" / "aftercare.py"]
    texts = [path.read_text(encoding="utf-8") for path in sources]
    in_actions = any(f'"{name}"' in text for text in texts)
    # The first help of each situation: action_premiers_secours names it from the situation.
    first_help = name.startswith(FIRST_HELP) and any(f'f"{FIRST_HELP}{{' in text for text in texts)
    return name in asked or in_actions or first_help


def test_rasa_data_validate_is_clean(tmp_path: Path) -> None:
    result = subprocess.run(
        [RASA, "data", "validate", "--max-history", "5"], cwd=ROOT, capture_output=True, text=True
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    warnings = [line for line in output.splitlines() if "UserWarning" in line or "WARNING" in line]
    unexplained = []
    for line in warnings:
        match = UNUSED.search(line)
        if not (match and used_outside_stories(match.group(1), match.group(2))):
            unexplained.append(line)
    assert unexplained == []


def test_the_test_stories_pass(model_path: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [RASA, "test", "core", "--model", str(model_path), "--stories", "tests/test_stories.yml",
         "--out", str(tmp_path), "--fail-on-prediction-errors", "--no-plot"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text(encoding="utf-8") if failed.exists() else ""
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:] + details
