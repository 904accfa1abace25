"""Recognises the questions people ask in the middle of ours ("t'es un robot ?") and gives their answer.

The words and the answers are data in refuge/knowledge/questions.yml. Pure Python, no
Rasa import: the actions answer the side question, then ask their own question again.
A crisis comes first: callers check refuge/crisis.py before this module.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from refuge.facts import ADULT_VICTIM_VOICE, Facts
from refuge.story import read_story
from refuge.text import normalise

QUESTIONS_FILE = Path(__file__).parent / "knowledge" / "questions.yml"
VOICES = ("tu", "vous_parent", "vous_professionnel", "vous_majeur")
# A witness is addressed as "tu"; where the "tu" answer speaks to the victim ("c'est toi la
# victime"), a kind gives the witness an answer of their own.
WITNESS_VOICE = "temoin"
# Who writes decides the voice; a witness is a young person, addressed as "tu", and so is
# anyone whose role is not known yet (most people who write are minors).
_VOICE_BY_ROLE = {
    "victime": "tu",
    "temoin": "tu",
    "parent": "vous_parent",
    "professionnel": "vous_professionnel",
    ADULT_VICTIM_VOICE: "vous_majeur",
}
# normalise() turns punctuation into spaces, so the question mark is looked for in the raw text.
_QUESTION_MARKS = ("?", "？", "¿")


@dataclass(frozen=True)
class SideQuestion:
    """A side question recognised in a message: its kind, what it says of the situation, its answer."""

    kind: str
    facts: Mapping[str, Any]
    answers: Mapping[str, str]
    source: str | None
    evidence: str

    def answer_for(self, role: str | None) -> str:
        """The answer in the voice of whoever writes: a role, "victime_majeure" or None."""
        if role == "temoin" and WITNESS_VOICE in self.answers:
            return self.answers[WITNESS_VOICE]
        return self.answers[_VOICE_BY_ROLE.get(role or "", "tu")]


@dataclass(frozen=True)
class _Kind:
    name: str
    patterns: tuple[re.Pattern[str], ...]
    patterns_if_question: tuple[re.Pattern[str], ...]
    exclusions: tuple[re.Pattern[str], ...]
    facts: Mapping[str, Any]
    answers: Mapping[str, str]
    source: str | None
    # Only a message that tells nothing of the story: "mon fils est victime de chantage…
    # que dois-je faire ?" is the story, told with its question, not the question alone.
    alone: bool = False


@dataclass(frozen=True)
class SideQuestions:
    """questions.yml compiled: what makes a message a question, then each kind in priority order."""

    question_words: tuple[re.Pattern[str], ...]
    kinds: tuple[_Kind, ...]


@lru_cache(maxsize=4)
def load_side_questions(path: Path = QUESTIONS_FILE) -> SideQuestions:
    """Reads and compiles questions.yml; a bad regex, fact or missing voice fails here, at start-up."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    kinds = []
    for name, entry in raw["questions"].items():
        facts = dict(entry.get("faits") or {})
        Facts.from_mapping(facts)  # a misspelt fact or value raises FactError now
        answers = {voice: str(entry["reponses"][voice]).strip() for voice in VOICES}
        if entry["reponses"].get(WITNESS_VOICE):
            answers[WITNESS_VOICE] = str(entry["reponses"][WITNESS_VOICE]).strip()
        kinds.append(
            _Kind(
                name=name,
                patterns=_compiled(entry.get("motifs")),
                patterns_if_question=_compiled(entry.get("motifs_si_question")),
                exclusions=_compiled(entry.get("sauf")),
                facts=MappingProxyType(facts),
                answers=MappingProxyType(answers),
                source=str(entry["source"]).strip() if entry.get("source") else None,
                alone=bool(entry.get("seulement_sans_recit")),
            )
        )
    return SideQuestions(question_words=_compiled(raw["marques_de_question"]), kinds=tuple(kinds))


def find_side_question(text: str, data: SideQuestions | None = None) -> SideQuestion | None:
    """The side question the message asks, or None (a story, an answer, another kind of question)."""
    data = data or load_side_questions()
    normalised = normalise(text or "")
    if not normalised:
        return None
    asks = any(mark in text for mark in _QUESTION_MARKS) or any(
        word.search(normalised) for word in data.question_words
    )
    for kind in data.kinds:
        if any(exclusion.search(normalised) for exclusion in kind.exclusions):
            continue
        if kind.alone and any(fact != "role" for fact in read_story(text)):
            continue
        candidates = kind.patterns + (kind.patterns_if_question if asks else ())
        for pattern in candidates:
            match = pattern.search(normalised)
            if match:
                return SideQuestion(
                    kind=kind.name,
                    facts=kind.facts,
                    answers=kind.answers,
                    source=kind.source,
                    evidence=match.group(0),
                )
    return None


def _compiled(patterns: list[str] | None) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in patterns or ())
