"""French chat messages: short, in the right voice, with penalties, date and warning."""

from __future__ import annotations

import random
import re

import pytest

from refuge.facts import BOOLEAN_FACTS, CONTENUS, DEMANDES, ROLES, SITUATIONS, Facts
from refuge.knowledge_base import Penalty, load_knowledge_base
from refuge.qualification import qualify
from refuge.rendering import (
    MAX_MESSAGE_LENGTH,
    french_date,
    penalty_text,
    render_checklist,
    render_qualification,
    render_resources,
)

SEXTORTION = {
    "situation": "sextorsion",
    "age_victime": 14,
    "auteur_majeur": True,
    "contenu": "reel",
    "contenu_sexuel": True,
    "menace_diffusion": True,
    "demande": ["argent", "images"],
    "demande_obtenue": False,
}


def _messages(facts: dict) -> list[str]:
    return render_qualification(qualify(Facts.from_mapping(facts)))


@pytest.mark.parametrize(
    ("penalty", "expected"),
    [
        (Penalty(7, 100_000), "jusqu'à 7 ans de prison et 100 000 € d'amende"),
        (Penalty(1, 15_000), "jusqu'à 1 an de prison et 15 000 € d'amende"),
        (Penalty(10, 1_000_000), "jusqu'à 10 ans de prison et 1 000 000 € d'amende"),
    ],
)
def test_penalties_are_written_in_plain_french(penalty, expected):
    assert penalty_text(penalty) == expected


def test_dates_are_written_in_french():
    assert french_date("2026-11-22") == "22 novembre 2026"
    assert french_date("2025-01-01") == "1er janvier 2025"


def test_a_probable_offence_says_what_the_author_does_why_and_the_penalty():
    messages = _messages(SEXTORTION)
    chantage = next(m for m in messages if "« Chantage »" in m)
    assert "correspond probablement" in chantage
    assert "article 312-10 du Code pénal" in chantage
    assert "Parce qu'il menace de publier ou d'envoyer à d'autres des images de toi" in chantage
    assert "jusqu'à 5 ans de prison et 75 000 € d'amende" in chantage


def test_a_probable_aggravation_says_the_heavier_penalty_and_why():
    text = " ".join(_messages(SEXTORTION))
    assert "Ici, jusqu'à 10 ans de prison et 150 000 € d'amende, car tu as moins de 15 ans." in text


def test_a_possible_offence_says_what_would_decide_it():
    text = " ".join(_messages({**SEXTORTION, "auteur_majeur": None}))
    assert (
        "pourrait correspondre à l'infraction « Demande d'images sexuelles à un mineur par un majeur »"
        in text
    )
    assert "il faudrait savoir si l'auteur est majeur (18 ans ou plus)" in text


def test_the_last_message_gives_the_date_and_says_it_is_not_legal_advice():
    last = _messages(SEXTORTION)[-1]
    assert "Droit en vigueur au 22 novembre 2026." in last
    assert "pas un conseil juridique" in last


def test_nothing_established_is_said_gently_and_still_warns():
    messages = _messages({"situation": "autre"})
    assert "je ne peux pas encore rattacher ta situation" in messages[0]
    assert "pas un conseil juridique" in messages[-1]


def test_a_parent_is_vouvoye_and_hears_about_their_child():
    text = " ".join(_messages({**SEXTORTION, "role": "parent"}))
    assert "votre enfant" in text
    assert " toi" not in text and " tu " not in text


def test_a_professional_is_vouvoye_and_hears_about_the_young_person():
    text = " ".join(_messages({**SEXTORTION, "role": "professionnel"}))
    assert "au ou à la jeune" in text
    assert "des images du ou de la jeune" in text
    assert "car le ou la jeune a moins de 15 ans" in text
    assert "votre enfant" not in text and not TU.search(text)


def test_chat_law_for_a_professional_says_the_young_person_is_not_to_blame():
    messages = render_law_for_chat(
        qualify(Facts.from_mapping({**SEXTORTION, "role": "professionnel"}))
    )
    assert messages[0].startswith("Le ou la jeune n'y est pour rien")
    assert not TU.search(" ".join(messages))


def test_a_witness_is_tutoye_about_the_person_concerned():
    text = " ".join(_messages({**SEXTORTION, "role": "temoin"}))
    assert "la personne concernée" in text
    assert "votre enfant" not in text and " vous " not in text


def test_the_victim_is_tutoye():
    text = " ".join(_messages(SEXTORTION))
    assert "te fait subir" in text and "tu as moins de 15 ans" in text
    assert " vous " not in text and "votre" not in text


def _random_facts(rng: random.Random) -> dict:
    facts = {
        "situation": rng.choice((None, *SITUATIONS)),
        "role": rng.choice((None, *ROLES)),
        "age_victime": rng.choice((None, 9, 14, 16, 30)),
        "contenu": rng.choice((None, *CONTENUS)),
        "demande": rng.choice((None, [], list(DEMANDES), ["argent"], ["images"])),
    }
    facts.update({name: rng.choice((None, True, False)) for name in BOOLEAN_FACTS})
    return facts


def test_every_message_stays_short_enough_for_a_chat():
    rng = random.Random(22112026)
    for _ in range(800):
        for message in _messages(_random_facts(rng)):
            assert 0 < len(message) <= MAX_MESSAGE_LENGTH, message


def test_the_most_detailed_situation_is_split_into_short_messages():
    facts = {
        **SEXTORTION,
        "age_victime": 13,
        "demande": list(DEMANDES),
        "diffuse": True,
        "diffusion_en_ligne": True,
        "bande_organisee": True,
        "contenu_sexuel_recu": True,
        "usurpation_identite": True,
    }
    messages = _messages(facts)
    assert len(messages) > 8
    assert all(len(m) <= MAX_MESSAGE_LENGTH for m in messages)


def test_a_checklist_is_rendered_with_its_title_and_one_line_per_advice():
    kb = load_knowledge_base()
    checklist = kb.checklist("si_ca_arrive")
    text = render_checklist(checklist, "victime")
    lines = text.splitlines()
    assert lines[0] == "Si ça t'arrive :"
    assert len(lines) == 1 + len(checklist.elements)
    assert lines[1].startswith("• Ne paie rien")


def test_a_checklist_for_a_parent_uses_vous():
    text = render_checklist(load_knowledge_base().checklist("si_ca_arrive"), "parent")
    assert text.startswith("Si ça arrive à votre enfant :")
    assert "• Ne payez rien" in text


def test_resources_say_what_they_do_for_whom_when_and_how():
    kb = load_knowledge_base()
    text = render_resources([kb.resource("3018"), kb.resource("17_112")], "victime")
    lines = text.splitlines()
    assert lines[0] == "Tu peux te faire aider ici :"
    assert lines[1].startswith("• 3018 (association e-Enfance) : ")
    assert "Quand : 7 jours sur 7, de 9 h à 23 h." in lines[1]
    assert "Comment : par téléphone au 3018, par chat sur 3018.fr" in lines[1]
    assert "Quand" not in lines[2]  # no hours in the reference: none invented


def test_resources_for_a_parent_use_vous():
    kb = load_knowledge_base()
    assert render_resources([kb.resource("119")], "parent").startswith("Vous pouvez")


# ----- The chat versions used by the Rasa actions.

from refuge.rendering import render_contacts, render_law_for_chat  # noqa: E402

TU = re.compile(r"\b(tu|toi|ton|ta|tes|t')\b", re.I)
VOUS = re.compile(r"\b(vous|votre|vos)\b", re.I)


def test_chat_law_messages_stay_short_dated_and_in_the_right_voice() -> None:
    rng = random.Random(20261122)
    for _ in range(300):
        facts = _random_facts(rng)
        q = qualify(Facts.from_mapping(facts))
        messages = render_law_for_chat(q)
        assert all(len(message) <= MAX_MESSAGE_LENGTH for message in messages)
        assert "Droit en vigueur au 22 novembre 2026" in messages[-1]
        assert "pas un conseil juridique" in messages[-1]
        said = " ".join(messages)
        if q.role in ("parent", "professionnel", "victime_majeure"):
            assert not TU.search(said), said
        else:
            assert not VOUS.search(said), said


def test_chat_law_opens_with_not_your_fault_then_details_only_probable_offences() -> None:
    q = qualify(Facts.from_mapping({**SEXTORTION, "role": "victime"}))
    messages = render_law_for_chat(q)
    assert messages[0].startswith("Ce n'est pas ta faute")
    probable = [o for o in q.infractions if o.certitude == "probable"]
    for offence in probable:
        assert any(f"article {offence.article} " in m and "Peine prévue" in m for m in messages)


def test_contacts_are_short_and_fit_the_role() -> None:
    kb = load_knowledge_base()
    minors = render_contacts(kb.ressources, "victime")
    parents = render_contacts(kb.ressources, "parent")
    assert "espace mineurs" in minors and "Porter plainte" not in minors
    assert "Porter plainte" in parents and not TU.search(parents)
    assert all(len(line) <= 200 for line in minors.splitlines())


def test_a_professionals_contacts_put_the_crip_the_procureur_and_the_119_first() -> None:
    kb = load_knowledge_base()
    q = qualify(Facts.from_mapping({**SEXTORTION, "role": "professionnel"}))
    text = render_contacts(q.ressources, q.role)
    lines = text.splitlines()
    assert lines[1].startswith("• Information préoccupante à la CRIP")
    assert lines[2].startswith("• Signalement au procureur de la République")
    assert lines[3].startswith("• 119")
    assert "3018" in text and not TU.search(text)
    assert all(len(line) <= 200 for line in lines)
    # The professional's own steps are not shown to a parent or a victim.
    for role in ("parent", "victime"):
        others = qualify(Facts.from_mapping({**SEXTORTION, "role": role}))
        assert "CRIP" not in render_contacts(others.ressources, role)
    assert kb.resource("procureur").si is not None


def test_a_checklist_for_a_professional_uses_vous_and_the_professional_steps():
    kb = load_knowledge_base()
    text = render_checklist(kb.checklist("que_faire_professionnels"), "professionnel")
    assert text.startswith("Ce que vous pouvez faire, en tant que professionnel·le :")
    assert "CRIP" in text and "article 40 du Code de procédure pénale" in text
    assert "votre enfant" not in text and not TU.search(text)
