"""Reading the facts and the latest message out of a rasa-sdk Tracker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from refuge.facts import ADULT_VICTIM_VOICE, FACT_NAMES, Facts, voice_of
from refuge.story import places_of_story, platform_mentions, read_story, speaks_of_adult_life
from refuge.understanding import stated_facts

# The slots holding the facts have the facts' names (domain.yml).
FACT_SLOTS = FACT_NAMES
CONTEXT_SLOTS = ("plateforme", "montant")
SKIPPED_SLOT = "faits_ignores"
# The assistant's answers to a reply it could not read as the answer to its question.
NOT_READ_RESPONSES = frozenset({"utter_precision_notee", "utter_reponse_pas_comprise"})
# The situation whose first help was given: it is given once.
FIRST_AID_GIVEN_SLOT = "premiers_secours_donnes"
# A victim of 18 or more: the responses' condition for vouvoiement and adults' help.
ADULT_VICTIM_SLOT = "victime_majeure"


def known_facts(tracker: Tracker) -> dict[str, Any]:
    """The facts and context slots, with Rasa's float age turned back into an integer."""
    facts = {name: tracker.get_slot(name) for name in (*FACT_SLOTS, *CONTEXT_SLOTS)}
    if facts["age_victime"] is not None:
        facts["age_victime"] = int(facts["age_victime"])
    return facts


def facts_to_tell(tracker: Tracker) -> dict[str, Any]:
    """The known facts as told back to the person (the summary, the complaint summary).

    A story often crosses platforms ("on s'est parlé sur Fortnite, puis sur WhatsApp"): the
    slot keeps one, for the report route; what is told back names every one they named.
    """
    known = known_facts(tracker)
    # What the situation only implied ("shared images: no threat") is not told back as
    # if the person had said it: only what their messages or answers said.
    texts = [e.get("text") or "" for e in story_events(tracker) if e.get("event") == "user"]
    said = {**read_story(" \n ".join(texts), known.get("role")), **answered_facts(tracker)}
    facts = {**stated_facts(known, said), **{k: known[k] for k in CONTEXT_SLOTS}}
    named = platforms_of_story(tracker)
    if facts.get("plateforme") and facts["plateforme"] not in named:
        named.insert(0, facts["plateforme"])
    if len(named) > 1:
        facts["plateforme"] = ", ".join(named)
    return facts


def answered_facts(tracker: Tracker) -> dict[str, Any]:
    """The facts set by the person's answer to the question about them, in this story."""
    answered: dict[str, Any] = {}
    asked = None
    for event in story_events(tracker):
        if event.get("event") != "slot":
            continue
        name, value = event.get("name"), event.get("value")
        if name == "requested_slot":
            asked = value
        elif name == asked and value is not None:
            answered[name] = value
    return answered


def platforms_of_story(tracker: Tracker) -> list[str]:
    """Every platform the person's messages of this story named, first named first."""
    mentions = []
    for event in story_events(tracker):
        if event.get("event") == "user":
            entities = (event.get("parse_data") or {}).get("entities") or []
            mentions.extend(platform_mentions(entities, event.get("text") or ""))
    return places_of_story(mentions)


def engine_facts(tracker: Tracker) -> Facts:
    """The facts as the qualification engine takes them (slot values are valid by construction)."""
    known = known_facts(tracker)
    return Facts.from_mapping({name: known[name] for name in FACT_SLOTS})


def skipped_facts(tracker: Tracker) -> list[str]:
    return list(tracker.get_slot(SKIPPED_SLOT) or [])


def platform_named(tracker: Tracker) -> str | None:
    """The platform the latest message names ("Snapchat" for "snap"), if it names one."""
    _, entities, _ = latest_message(tracker)
    return next((e.get("value") for e in entities if e.get("entity") == "plateforme"), None)


@dataclass(frozen=True)
class RepliesNotRead:
    """The replies to the question about one fact, in a row, the form could not read."""

    count: int
    texts: tuple[str, ...]  # every reply since the question was first asked, latest excluded


def replies_not_read(tracker: Tracker, fact: str, form: str = "form_situation") -> RepliesNotRead:
    """Counted from the form's own "noted" and "not understood" answers since the question
    was first asked in this run; the first help of more story is not one, a side question
    answered is not one.
    """
    said: list[tuple[str, str | None, str]] = []  # (event kind, the action that spoke, what)
    action = None
    for event in story_events(tracker):
        kind = event.get("event")
        if kind == "action":
            action = event.get("name")
        elif kind == "bot":
            said.append(("bot", action, (event.get("metadata") or {}).get("utter_action") or ""))
        elif kind == "user":
            said.append(("user", None, event.get("text") or ""))
    count, texts = 0, []
    for kind, speaker, what in reversed(said[:-1] if said and said[-1][0] == "user" else said):
        if kind == "user":
            texts.append(what)
        elif speaker == form and what in NOT_READ_RESPONSES:
            count += 1
        elif what.startswith("utter_ask_") and what != f"utter_ask_{fact}":
            break
    return RepliesNotRead(count, tuple(texts))


def latest_message(tracker: Tracker) -> tuple[str | None, list[dict[str, Any]], str]:
    """(intent name, entities, text) of the latest user message."""
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name")
    return intent, list(message.get("entities") or []), message.get("text") or ""


def story_events(tracker: Tracker) -> list[dict[str, Any]]:
    """The events of the current story: a restart or a new session starts a new one."""
    events: list[dict[str, Any]] = []
    for event in tracker.events:
        if event.get("event") in {"restart", "session_started"}:
            events = []
        else:
            events.append(event)
    return events


def earlier_messages(tracker: Tracker) -> list[str]:
    """The person's messages of this story before the latest one, oldest first."""
    texts = [e.get("text") or "" for e in story_events(tracker) if e.get("event") == "user"]
    return texts[:-1]


def voice(known: dict[str, Any], adult_life: bool = False) -> str:
    """Whom the texts speak to (refuge.facts.voice_of): a role, or "victime_majeure"."""
    return voice_of(known.get("role"), known.get("age_victime"), adult_life)


def tracker_voice(tracker: Tracker) -> str:
    """The voice of the conversation: the slot remembers an adult's life said before the age."""
    return voice(known_facts(tracker), bool(tracker.get_slot(ADULT_VICTIM_SLOT)))


def voice_events(tracker: Tracker, changes: dict[str, Any]) -> list[EventType]:
    """Sets the adult-victim slot when the role, the age or an adult's life said change it."""
    _, _, text = latest_message(tracker)
    adult_life = bool(tracker.get_slot(ADULT_VICTIM_SLOT)) or speaks_of_adult_life(text)
    adult = voice({**known_facts(tracker), **changes}, adult_life) == ADULT_VICTIM_VOICE
    if adult == bool(tracker.get_slot(ADULT_VICTIM_SLOT)):
        return []
    return [SlotSet(ADULT_VICTIM_SLOT, adult)]
