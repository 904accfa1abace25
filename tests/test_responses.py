"""The assistant's words, checked over every response of the domain."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

DOMAIN = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "domain.yml").read_text(encoding="utf-8")
)
RESPONSES = DOMAIN["responses"]


ADULT_VICTIM = "victime_majeure"


def voice_of_variation(variation: dict) -> str | None:
    """The role a variation is for, "victime_majeure" for an adult victim, None by default."""
    conditions = variation.get("condition", [])
    if any(c["name"] == ADULT_VICTIM and c["value"] is True for c in conditions):
        return ADULT_VICTIM
    return next((c["value"] for c in conditions if c["name"] == "role"), None)


def variations(role: str | None) -> list[tuple[str, str]]:
    """(response name, text) of the variation shown to this role (None: the default one)."""
    chosen = []
    for name, texts in RESPONSES.items():
        by_role = {voice_of_variation(v): v["text"] for v in texts}
        chosen.append((name, by_role.get(role, by_role[None])))
    return chosen


ALL_TEXTS = [(name, v["text"]) for name, texts in RESPONSES.items() for v in texts]


@pytest.mark.parametrize(("name", "text"), ALL_TEXTS)
def test_no_response_ever_asks_for_images(name: str, text: str) -> None:
    asks = re.compile(
        r"(envoie|montre|transf[eè]re)[- ]moi|m'envoyer|me montrer|envoie(z)? (une|la|les|des) (photo|image|capture)",
        re.I,
    )
    assert not asks.search(text), name


VOUVOYES = ("parent", "professionnel", ADULT_VICTIM)
# Said before anyone's age or role is known (the opening; a conversation whose tracker was
# lost): to everyone alike, in words that say neither "tu" nor "vous".
SAID_TO_EVERYONE = {"utter_presentation", "utter_contexte_perdu"}


@pytest.mark.parametrize(
    ("name", "text"), [(n, t) for role in VOUVOYES for n, t in variations(role)]
)
def test_parents_and_professionals_are_addressed_with_vous(name: str, text: str) -> None:
    assert not re.search(r"\b(tu|toi|ton|ta|tes|t')\b", text, re.I), name


def _roles_of(texts: list[dict]) -> set[str | None]:
    return {
        next((c["value"] for c in v.get("condition", []) if c["name"] == "role"), None)
        for v in texts
    }


@pytest.mark.parametrize(
    "name", [n for n, texts in RESPONSES.items() if "parent" in _roles_of(texts)]
)
def test_every_response_for_parents_has_its_professional_version(name: str) -> None:
    assert "professionnel" in _roles_of(RESPONSES[name]), name


@pytest.mark.parametrize(("name", "text"), variations("professionnel"))
def test_professionals_hear_about_the_young_person_never_about_their_child(
    name: str, text: str
) -> None:
    assert not re.search(r"\b(votre|vos) (enfant|fils|fille)s?\b", text, re.I), name


@pytest.mark.parametrize("role", [None, "victime", "temoin"])
def test_minors_and_witnesses_are_addressed_with_tu(role: str | None) -> None:
    for name, text in variations(role):
        # "vous" may mean "you two" ("vous vous êtes vus"), never the polite form.
        assert not re.search(r"\b(votre|vos|pouvez|êtes-vous|avez-vous)\b", text, re.I), name


@pytest.mark.parametrize("role", [None, "parent", "professionnel", ADULT_VICTIM])
def test_the_crisis_answer_gives_every_emergency_number(role: str | None) -> None:
    text = dict(variations(role))["utter_crise"]
    # The 119 is for children in danger: not an adult victim's number.
    numbers = (
        ("3114", "112", "17", "114")
        if role == ADULT_VICTIM
        else ("3114", "112", "17", "114", "119")
    )
    for number in numbers:
        assert re.search(rf"\b{number}\b", text), number


def test_an_adult_victim_is_vouvoye_on_every_response_a_minor_victim_gets() -> None:
    for name, texts in RESPONSES.items():
        if name in SAID_TO_EVERYONE:
            continue
        assert ADULT_VICTIM in {voice_of_variation(v) for v in texts}, name


@pytest.mark.parametrize(
    ("name", "text"), [(n, t) for n, t in variations(ADULT_VICTIM) if n not in SAID_TO_EVERYONE]
)
def test_an_adult_victim_is_pointed_to_adults_help(name: str, text: str) -> None:
    # The 3018 and the 119 are for minors; "un adulte de confiance" is a child's advice.
    assert not re.search(r"\b(3018|119)\b|adulte de confiance", text), name


@pytest.mark.parametrize(
    ("name", "texts"),
    [(n, t) for n, t in RESPONSES.items() if n.startswith("utter_premiers_secours_")],
)
def test_first_help_says_not_guilty_and_points_to_the_3018(name: str, texts: list[dict]) -> None:
    for variation in texts:
        text = variation["text"]
        if voice_of_variation(variation) == ADULT_VICTIM:
            assert re.search(r"17Cyber|StopNCII|PHAROS", text), name  # adults' help
        else:
            assert "3018" in text, name
        assert re.search(
            r"pas (ta|de ta|votre) faute|n'es pas coupable|n'est pas coupable|rien fait de mal|n'y (es|est) pour rien|bien fait d'en parler|pas responsable|raison de réagir|fais bien d'agir",
            text,
        ), name
        assert re.search(r"n'efface|ne transf|ne partage|captures? d'écran|preuves", text, re.I), (
            name
        )


def test_sextortion_first_help_says_paying_makes_it_worse() -> None:
    for variation in RESPONSES["utter_premiers_secours_sextorsion"]:
        assert re.search(r"ne pa(ie|yez) pas|dis-lui de ne pas payer", variation["text"], re.I)
        assert re.search(
            r"redemande|recommence|ne l'arrête pas|n'arrête presque jamais", variation["text"]
        )


def test_every_form_question_can_be_skipped() -> None:
    # The aftercare form asks nothing (action_ask_reprise): the person leads there.
    asked = set(DOMAIN["forms"]["form_situation"]["required_slots"])
    skip_payloads = {"/ne_sait_pas", "/refus_repondre"}
    for slot in asked:
        for variation in RESPONSES[f"utter_ask_{slot}"]:
            payloads = {b["payload"] for b in variation.get("buttons", [])}
            assert payloads & skip_payloads, slot


FIRST_HELP = [n for n in RESPONSES if n.startswith("utter_premiers_secours_")]


@pytest.mark.parametrize("name", FIRST_HELP)
def test_a_professionals_first_answer_gives_their_own_steps(name: str) -> None:
    text = dict(variations("professionnel"))[name]
    assert len(text) <= 620, len(text)  # a chat message, not a circular
    assert "le ou la jeune" in text.lower()
    assert "information préoccupante" in text and "CRIP" in text
    assert "procureur de la République" in text
    assert "article 40 du Code de procédure pénale" in text
    assert re.search(r"\b119\b", text) and "24h/24" in text
    assert "3018" in text
    assert re.search(r"n'enquêtez pas", text) and re.search(r"ne confrontez pas l'auteur", text)
    assert re.search(r"ne copiez, ne transférez, ne gardez aucune image", text, re.I)
    assert "chef d'établissement" in text


def test_a_professionals_next_steps_name_the_crip_the_procureur_and_the_119() -> None:
    text = dict(variations("professionnel"))["utter_prochaines_etapes"]
    for needed in ("CRIP", "procureur de la République", "article 40", "119", "3018"):
        assert needed in text, needed
