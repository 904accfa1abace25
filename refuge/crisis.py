"""The crisis safety net: recognises suicide, self-harm or immediate danger from expressions and lemmas.

It is independent of the intent classifier on purpose: the Rasa pipeline runs it
after DIET and lets it override whatever DIET decided (components/crisis_net.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from refuge.text import normalise

CRISIS_FILE = Path(__file__).parent / "knowledge" / "crisis.yml"


@dataclass(frozen=True)
class CrisisSignal:
    """Why a message was recognised as a crisis."""

    kind: str  # suicide, automutilation, danger_immediat, or "lemmes"
    evidence: str


@dataclass(frozen=True)
class _LemmaPair:
    before: frozenset[str]
    after: frozenset[str]
    window: int
    any_order: bool


@dataclass(frozen=True)
class CrisisPatterns:
    exclusions: tuple[re.Pattern[str], ...]
    sms_words: dict[str, str]
    expressions: tuple[tuple[str, re.Pattern[str]], ...]
    single_lemmas: frozenset[str]
    lemma_pairs: tuple[_LemmaPair, ...]


@lru_cache(maxsize=4)
def load_patterns(path: Path = CRISIS_FILE) -> CrisisPatterns:
    """Reads and compiles the patterns; a bad regex fails here, at start-up, not mid-conversation."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    expressions = tuple(
        (kind, re.compile(pattern))
        for kind, patterns in raw["expressions"].items()
        for pattern in patterns
    )
    pairs = tuple(
        _LemmaPair(
            before=frozenset(pair["avant"]),
            after=frozenset(pair["apres"]),
            window=int(pair["fenetre"]),
            any_order=bool(pair.get("ordre_libre", False)),
        )
        for pair in raw["lemmes"]["paires"]
    )
    return CrisisPatterns(
        exclusions=tuple(re.compile(p) for p in raw["exclusions"]),
        sms_words={str(short): str(full) for short, full in raw["sms"].items()},
        expressions=expressions,
        single_lemmas=frozenset(raw["lemmes"]["seuls"]),
        lemma_pairs=pairs,
    )


def detect_crisis(
    text: str,
    lemmas: Sequence[str] | None = None,
    patterns: CrisisPatterns | None = None,
) -> CrisisSignal | None:
    """Returns the first crisis signal found in the text (and its lemmas, when given), else None."""
    patterns = patterns or load_patterns()
    normalised = normalise(text or "")
    # The expressions are written in plain French; "jve pu vivre" is read as
    # "je veux plus vivre" too, and the text as typed is kept for the SMS forms
    # some expressions name themselves.
    spelled_out = " ".join(patterns.sms_words.get(word, word) for word in normalised.split())
    for candidate in dict.fromkeys((normalised, spelled_out)):
        for exclusion in patterns.exclusions:
            candidate = exclusion.sub(" ", candidate)
        for kind, pattern in patterns.expressions:
            match = pattern.search(candidate)
            if match:
                return CrisisSignal(kind=kind, evidence=match.group(0))
    if lemmas:
        # No exclusions here: a lemma match is rare enough that a false alarm
        # ("mourir de rire") is an acceptable price for catching conjugations.
        return _detect_from_lemmas([lemma.lower() for lemma in lemmas], patterns)
    return None


def _detect_from_lemmas(lemmas: list[str], patterns: CrisisPatterns) -> CrisisSignal | None:
    for lemma in lemmas:
        if lemma in patterns.single_lemmas:
            return CrisisSignal(kind="lemmes", evidence=lemma)
    for pair in patterns.lemma_pairs:
        for i, lemma in enumerate(lemmas):
            if lemma not in pair.before:
                continue
            following = lemmas[i + 1 : i + 1 + pair.window]
            preceding = lemmas[max(0, i - pair.window) : i] if pair.any_order else []
            for other in (*following, *preceding):
                if other in pair.after:
                    return CrisisSignal(kind="lemmes", evidence=f"{lemma} … {other}")
    return None
