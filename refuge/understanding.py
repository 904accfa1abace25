"""Reads facts from what the person wrote: a free message, or the answer to one question.

Pure Python: the Rasa actions pass the intent, the entities and the text, and
get plain values back (refuge/knowledge/dialogue.yml holds the words).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from refuge.facts import AGE_MAX, AGE_MIN, BOOLEAN_FACTS, CONTENUS, DEMANDES, ROLES
from refuge.text import normalise

DIALOGUE_FILE = Path(__file__).parent / "knowledge" / "dialogue.yml"

SITUATION_INTENTS = {
    "signaler_sextorsion": "sextorsion",
    "signaler_deepfake": "deepfake",
    "signaler_grooming": "grooming",
    "signaler_contenu_pedocriminel": "contenu_pedocriminel",
    "signaler_diffusion_non_consentie": "diffusion_non_consentie",
    "signaler_cyberharcelement": "cyberharcelement",
}
CRISIS_INTENT = "crise_detresse"
SKIP_INTENTS = frozenset({"ne_sait_pas", "refus_repondre"})
# Intents that only make sense as an answer: no rule answers them during a
# form, so the form itself must (a re-prompt), never step aside.
ANSWER_INTENTS = frozenset({"informer", "affirmer", "nier", *SKIP_INTENTS})
DEMANDE_VALUES = DEMANDES
CONTENU_VALUES = CONTENUS
ROLE_VALUES = ROLES
MIN_AGE, MAX_AGE = AGE_MIN, AGE_MAX
# Longest free-text answer kept as a platform name: anything longer is a
# sentence, not a name, and may carry what identifies someone.
MAX_PLATFORM_TEXT = 40

_NUMBER_WORDS = {
    "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11,
    "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
    "dix sept": 17, "dix huit": 18, "dix neuf": 19, "vingt": 20,
}  # fmt: skip
_NUMBER = re.compile(r"\b(\d{1,3})\b")
_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)?)\s?(€|e\b|eur\b|euros?\b|balles?\b|dollars?\b|\$)")
# "j'ai 14 ans", "ma fille de 13 ans", "mon fils qui a 12 ans": the victim's age.
_FIRST_PERSON_AGE = re.compile(r"\b(?:j ai|jai|g|j vais avoir|je vais avoir) (\d{1,2}) ?ans\b")
_CHILD_AGE = re.compile(
    r"\b(?:ma|mon|notre) (?:fille|fils|enfant|ado|petite|petit|garcon|gamin|gamine)"
    r"(?: (?:de|qui a|a|agee? de))? (\d{1,2}) ?ans\b"
)


@dataclass(frozen=True)
class Answer:
    """How the person answered the question about one fact."""

    value: Any = None
    skipped: bool = False


@dataclass(frozen=True)
class DialogueKnowledge:
    implied_facts: Mapping[str, Mapping[str, Any]]
    conditions: Mapping[str, Mapping[str, Any]]
    demande_words: Mapping[str, tuple[re.Pattern[str], ...]]
    yes: re.Pattern[str]
    no: re.Pattern[str]
    contenu_words: Mapping[str, re.Pattern[str]]
    role_words: Mapping[str, tuple[re.Pattern[str], ...]]


@lru_cache(maxsize=2)
def dialogue_data(path: Path = DIALOGUE_FILE) -> Mapping[str, Any]:
    """dialogue.yml as read, once: the summaries take their labels from it too."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=2)
def load_dialogue_knowledge(path: Path = DIALOGUE_FILE) -> DialogueKnowledge:
    raw = dialogue_data(path)
    replies = raw["reponses"]
    return DialogueKnowledge(
        implied_facts=raw["faits_implicites"],
        conditions=raw["questions_conditionnelles"],
        demande_words={
            value: tuple(re.compile(p) for p in patterns)
            for value, patterns in raw["demande_mots"].items()
        },
        yes=re.compile(replies["oui"]),
        no=re.compile(replies["non"]),
        contenu_words={value: re.compile(p) for value, p in replies["contenu"].items()},
        role_words={
            role: tuple(re.compile(p) for p in patterns)
            for role, patterns in raw["role_mots"].items()
        },
    )


def facts_from_message(
    intent: str | None,
    entities: Sequence[Mapping[str, Any]],
    text: str,
    known: Mapping[str, Any],
) -> dict[str, Any]:
    """Facts a free message establishes (the first messages, outside any question).

    Only values that are new or change are returned. A crisis message yields
    nothing: it must reach the crisis answer untouched.
    """
    if intent == CRISIS_INTENT:
        return {}
    knowledge = load_dialogue_knowledge()
    normalised = normalise(text or "")
    found: dict[str, Any] = {}

    situation = SITUATION_INTENTS.get(intent or "")
    if situation:
        found.update(knowledge.implied_facts.get(situation, {}))

    role = _entity_value(entities, "role", ROLE_VALUES) or (
        None if known.get("role") else guess_role(normalised, knowledge)
    )
    if role:
        found["role"] = role
    elif situation and not known.get("role"):
        found["role"] = "victime"

    age = _victim_age(entities, normalised)
    if age is not None:
        found["age_victime"] = age

    demande = demands_in(entities, normalised, knowledge)
    if demande:
        found["demande"] = sorted(
            set(demande) | set(known.get("demande") or []), key=DEMANDE_VALUES.index
        )
    amount = amount_in(entities, normalised)
    if amount:
        found["montant"] = amount

    contenu = _entity_value(entities, "contenu", CONTENU_VALUES)
    if contenu:
        found["contenu"] = contenu
    platform = _entity_text(entities, "plateforme")
    if platform:
        found["plateforme"] = platform

    return {name: value for name, value in found.items() if known.get(name) != value}


def facts_from_entities(entities: Sequence[Mapping[str, Any]], text: str) -> dict[str, Any]:
    """Facts an answer gives besides the one asked, from its entities only ("non, c'était sur snap").

    The age is left out: in an answer it may be anybody's.
    """
    found: dict[str, Any] = {}
    platform = _entity_text(entities, "plateforme")
    if platform:
        found["plateforme"] = platform
    demande = [
        str(e["value"])
        for e in entities
        if e.get("entity") == "demande" and e.get("value") in DEMANDE_VALUES
    ]
    if any(e.get("entity") == "montant" for e in entities):
        demande.append("argent")
        found["montant"] = amount_in(entities, normalise(text or ""))
    if demande:
        found["demande"] = sorted(set(demande), key=DEMANDE_VALUES.index)
    contenu = _entity_value(entities, "contenu", CONTENU_VALUES)
    if contenu:
        found["contenu"] = contenu
    return found


def interpret_answer(
    fact: str,
    intent: str | None,
    entities: Sequence[Mapping[str, Any]],
    text: str,
) -> Answer | None:
    """The answer to the question about `fact`, or None when the message does not answer it.

    None lets the form step aside so that another rule answers the message
    (a crisis, a question), after which the question is asked again.
    """
    if intent == CRISIS_INTENT:
        return None
    if intent in SKIP_INTENTS:
        return Answer(skipped=True)
    knowledge = load_dialogue_knowledge()
    normalised = normalise(text or "")

    if fact == "age_victime":
        age = _entity_age(entities) or parse_age(normalised)
        return Answer(age) if age is not None else None
    if fact == "plateforme":
        platform = _entity_text(entities, "plateforme")
        if platform:
            return Answer(platform)
        if (
            intent in {"informer", "nlu_fallback", "hors_sujet"}
            and 0 < len(text.strip()) <= MAX_PLATFORM_TEXT
        ):
            return Answer(text.strip())
        return None
    if fact == "demande":
        if _is_no(intent, normalised, knowledge):
            return Answer([])
        demande = demands_in(entities, normalised, knowledge)
        return Answer(sorted(set(demande), key=DEMANDE_VALUES.index)) if demande else None
    if fact == "contenu":
        contenu = _entity_value(entities, "contenu", CONTENU_VALUES)
        if not contenu:
            contenu = next(
                (
                    value
                    for value, words in knowledge.contenu_words.items()
                    if words.search(normalised)
                ),
                None,
            )
        return Answer(contenu) if contenu else None
    if fact == "auteur_majeur":
        # "il a 30 ans" answers the question better than "oui".
        author_age = _entity_age(entities, role="auteur") or parse_age(normalised)
        if author_age is not None and not _is_yes(intent, normalised, knowledge):
            return Answer(author_age >= 18)
    if fact in BOOLEAN_FACTS:
        if _is_yes(intent, normalised, knowledge):
            return Answer(True)
        if _is_no(intent, normalised, knowledge):
            return Answer(False)
    return None


def questions_to_ask(
    form_facts: Iterable[str], known: Mapping[str, Any], skipped: Iterable[str]
) -> list[str]:
    """The form's facts still worth asking: not skipped, and whose condition holds."""
    conditions = load_dialogue_knowledge().conditions
    skipped = set(skipped)
    asked = []
    for fact in form_facts:
        if fact in skipped:
            continue
        condition = conditions.get(fact)
        if condition is not None:
            value = known.get(condition["fait"])
            if "sauf" in condition and value is not None and value == condition["sauf"]:
                continue
            if "si" in condition and value is not None and value != condition["si"]:
                continue
        asked.append(fact)
    return asked


def guess_role(normalised: str, knowledge: DialogueKnowledge | None = None) -> str | None:
    """parent, temoin or None (the caller decides whether None means the victim)."""
    knowledge = knowledge or load_dialogue_knowledge()

    def says(role: str) -> bool:
        return any(p.search(normalised) for p in knowledge.role_words[role])

    if says("parent"):
        return "parent"
    if says("temoin") and not says("victime"):
        return "temoin"
    return None


def parse_age(normalised: str) -> int | None:
    """An age in a short answer: "14", "j'ai 14 ans", "quatorze"."""
    for match in _NUMBER.finditer(normalised):
        if _AMOUNT.match(normalised, match.start()):
            continue
        value = int(match.group(1))
        if MIN_AGE <= value <= MAX_AGE:
            return value
    for words, value in sorted(_NUMBER_WORDS.items(), key=lambda item: -len(item[0])):
        if re.search(rf"\b{words}\b", normalised):
            return value
    return None


def demands_in(
    entities: Sequence[Mapping[str, Any]], normalised: str, knowledge: DialogueKnowledge
) -> list[str]:
    found = [
        str(e.get("value"))
        for e in entities
        if e.get("entity") == "demande" and e.get("value") in DEMANDE_VALUES
    ]
    if any(e.get("entity") == "montant" for e in entities):
        found.append("argent")
    for value, patterns in knowledge.demande_words.items():
        if any(p.search(normalised) for p in patterns):
            found.append(value)
    return found


def amount_in(entities: Sequence[Mapping[str, Any]], normalised: str) -> str | None:
    """The amount demanded, written "200 €", from the entity or the text."""
    candidates = [str(e.get("value", "")) for e in entities if e.get("entity") == "montant"]
    candidates.append(normalised)
    for candidate in candidates:
        match = _AMOUNT.search(normalise(candidate))
        if match:
            unit = "$" if match.group(2).startswith(("dollar", "$")) else "€"
            return f"{match.group(1)} {unit}"
    return None


def _victim_age(entities: Sequence[Mapping[str, Any]], normalised: str) -> int | None:
    age = _entity_age(entities)
    if age is not None:
        return age
    for pattern in (_FIRST_PERSON_AGE, _CHILD_AGE):
        match = pattern.search(normalised)
        if match and MIN_AGE <= int(match.group(1)) <= MAX_AGE:
            return int(match.group(1))
    return None


def _entity_age(entities: Sequence[Mapping[str, Any]], role: str | None = None) -> int | None:
    """The first `age` entity with this role (None: the victim's age, annotated without a role)."""
    for entity in entities:
        if entity.get("entity") == "age" and entity.get("role") == role:
            age = parse_age(normalise(str(entity.get("value", ""))))
            if age is not None:
                return age
    return None


def _entity_value(
    entities: Sequence[Mapping[str, Any]], name: str, allowed: Sequence[str]
) -> str | None:
    for entity in entities:
        if entity.get("entity") == name and entity.get("value") in allowed:
            return str(entity["value"])
    return None


def _entity_text(entities: Sequence[Mapping[str, Any]], name: str) -> str | None:
    for entity in entities:
        if entity.get("entity") == name and str(entity.get("value", "")).strip():
            return str(entity["value"]).strip()[:MAX_PLATFORM_TEXT]
    return None


def _is_yes(intent: str | None, normalised: str, knowledge: DialogueKnowledge) -> bool:
    return intent == "affirmer" or bool(knowledge.yes.search(normalised))


def _is_no(intent: str | None, normalised: str, knowledge: DialogueKnowledge) -> bool:
    return intent == "nier" or bool(knowledge.no.search(normalised))
