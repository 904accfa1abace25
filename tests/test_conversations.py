"""Whole conversations with the running assistant (Rasa server + action server, trained model)."""

from __future__ import annotations

import re
import sqlite3

import pytest

EMERGENCY_NUMBERS = ("3114", "112", "17", "119")
SUMMARY = "Voici ce que j'ai compris"
MAX_QUESTIONS = 12


def has_all_numbers(text: str, numbers=EMERGENCY_NUMBERS) -> bool:
    return all(re.search(rf"\b{number}\b", text) for number in numbers)


def answer_until_summary(chat, answer: str) -> tuple[str, int]:
    """Answers every question the same way until the summary; returns it and the count of questions."""
    for asked in range(MAX_QUESTIONS):
        reply = chat.texts(answer)
        if SUMMARY in reply:
            return reply, asked
    raise AssertionError(f"no summary after {MAX_QUESTIONS} answers")


def test_the_first_answer_presents_the_assistant_and_helps_at_once(conversation) -> None:
    chat = conversation()
    reply = chat.texts(
        "jai 14 ans et un mec menace de publier mes nudes si je lui donne pas 200 balles"
    )
    assert "programme (pas une personne)" in reply
    assert "ce n'est pas la police" in reply
    assert "aucune photo ne sera jamais demandée" in reply
    assert "ce n'est pas ta faute" in reply
    assert "Ne paie pas" in reply and "N'efface rien" in reply and "3018" in reply
    # Age and demand were in the message: the first question is about paying.
    assert "as déjà payé" in reply
    assert "quel âge" not in reply.lower()


def test_the_crisis_answer_interrupts_a_form_then_the_question_comes_back(conversation) -> None:
    chat = conversation()
    chat.texts("ils ont fait un faux nu de moi avec une IA et ça tourne")
    reply = chat.texts("jveux plus vivre")
    assert has_all_numbers(reply)
    assert "adulte de confiance" in reply
    # The conversation goes on: the pending question is asked again.
    assert "tu as quel âge" in reply


def test_an_answer_to_the_wrong_question_is_kept_and_the_question_comes_back(conversation) -> None:
    chat = conversation()
    chat.texts("mon ex a balancé mes nudes dans le groupe de la classe")
    chat.texts("16")
    reply = chat.texts("whatsapp")  # the question was whether it is public online
    assert "pas bien compris ta réponse" in reply
    assert "visible publiquement" in reply
    summary, _ = answer_until_summary(chat, "/ne_sait_pas")
    assert "Où : WhatsApp" in summary
    # Every later message still gets an answer.
    assert chat.say("merci")


@pytest.mark.parametrize(
    "message",
    [
        "je vais me foutre en l'air ce soir",
        "j'ai avalé tous les cachets de la boite",
        "il est devant chez moi et il veut rentrer",
        "Je voudrais disparaître pour toujours",
    ],
)
def test_crisis_messages_always_get_the_emergency_answer(conversation, message: str) -> None:
    chat = conversation()
    chat.texts("un adulte sur fortnite me demande des photos")
    assert has_all_numbers(chat.texts(message))


def test_a_skipped_question_leaves_the_fact_unknown_and_the_conversation_goes_on(
    conversation,
) -> None:
    chat = conversation()
    chat.texts("toute la classe m'insulte sur snap tous les jours")
    reply = chat.texts("/refus_repondre")
    assert "tu as quel âge" not in reply
    summary, _ = answer_until_summary(chat, "/ne_sait_pas")
    assert "Pas précisé (ce n'est pas grave)" in summary
    assert "l'âge" in summary


def test_a_parent_is_answered_with_vous_and_not_asked_the_age_again(conversation) -> None:
    chat = conversation()
    reply = chat.texts(
        "Bonjour, ma fille de 13 ans parle sur Roblox avec un adulte qui lui demande des photos"
    )
    assert "Votre enfant n'est pas coupable" in reply
    assert "âge a votre enfant" not in reply
    assert "est-elle adulte" in reply
    summary, _ = answer_until_summary(chat, "/ne_sait_pas")
    assert "L'âge de votre enfant : 13 ans" in summary
    assert "Roblox" in summary
    assert "gardez les preuves" in summary


FIRST_MESSAGES = {
    "sextorsion": "il dit quil envoie ma video a tous mes contacts si je paye pas",
    "deepfake": "quelqu'un a mis ma tete sur un corps nu avec une appli",
    "grooming": "un gars de 25 ans sur insta veut me voir en vrai et me demande des photos",
    "contenu_pedocriminel": "dans un groupe telegram ils partagent des images d'enfants nus",
    "diffusion_non_consentie": "mon ex a balancé mes nudes dans le groupe de la classe",
    "cyberharcelement": "ils ont créé un faux compte à mon nom pour se moquer de moi tous les jours",
}


@pytest.mark.parametrize("situation", list(FIRST_MESSAGES))
def test_every_situation_goes_from_the_first_message_to_the_summary(
    conversation, situation: str
) -> None:
    chat = conversation()
    first = chat.texts(FIRST_MESSAGES[situation])
    assert "3018" in first
    summary, questions = answer_until_summary(chat, "/ne_sait_pas")
    assert questions <= 8
    assert "Situation :" in summary
    assert "3018" in summary
    # Then the law, dated and marked as information, with what comes next as buttons.
    assert "Droit en vigueur au 22 novembre 2026" in summary
    assert "pas un conseil juridique" in summary


def test_after_the_summary_the_buttons_answer_from_the_knowledge_base(conversation) -> None:
    chat = conversation()
    chat.texts("jai 14 ans un mec menace de publier mes nudes sur insta si je paie pas 150€")
    # Age, demand and platform were said: only the other questions come.
    for answer in ("non", '/informer{"contenu": "reel"}', "non", "oui"):
        replies = chat.say(answer)
    said = "\n".join(r.get("text", "") for r in replies)
    assert SUMMARY in said and "Où : Instagram" in said
    assert "« Chantage » (article 312-10 du Code pénal)" in said
    assert "jusqu'à 7 ans de prison et 100 000 € d'amende" in said
    buttons = [b["title"] for r in replies for b in r.get("buttons") or []]
    assert buttons == ["Que dit la loi ?", "Que faire maintenant ?", "Conseils pour se protéger",
                       "Parler à quelqu'un", "Récapitulatif pour la plainte"]  # fmt: skip

    complaint = chat.say("/demander_recapitulatif")
    assert complaint[0]["text"].startswith("RÉCAPITULATIF POUR LA PLAINTE")
    assert "Âge de la victime : 14 ans" in complaint[0]["text"]
    assert "150 €" in complaint[0]["text"]
    assert any(r.get("custom", {}).get("recapitulatif_plainte") for r in complaint)

    assert "Ne paie rien" in chat.texts("/question_signalement")
    assert "caméra" in chat.texts("/question_prevention")
    assert "3114" in chat.texts("/parler_humain")


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "a" * 10_000,
        "😭😭😭",
        "Hello, can you help me with my homework?",
        "<script>alert('x')</script><img src=x onerror=alert(1)>",
        "'; DROP TABLE events; --",
        "\x00\x01\x02 binaire \ufffd",
        "ok",
    ],
)
def test_bad_input_gets_a_kind_answer_and_never_an_error(conversation, text: str) -> None:
    chat = conversation()
    replies = chat.say(text)
    assert replies and all(reply.get("text") for reply in replies)
    # And the conversation still works afterwards.
    assert "3018" in chat.texts("un mec menace de publier mes photos si je paie pas")


def test_out_of_scope_recalls_what_the_assistant_does_and_the_emergency_numbers(
    conversation,
) -> None:
    chat = conversation()
    chat.texts("bonjour")
    reply = chat.texts("c'est quoi la meilleure recette de crêpes ?")
    assert "chantage" in reply
    assert has_all_numbers(reply, ("112", "17", "3114", "119"))


def test_repeated_misunderstandings_point_to_a_human(conversation) -> None:
    chat = conversation()
    chat.texts("bonjour")
    chat.texts("qsdkfj qsdlkfj")
    reply = chat.texts("mlkjqsd pqoeiru")
    assert "3018" in reply


def test_conversations_are_kept_in_the_sql_tracker_store(servers, conversation) -> None:
    chat = conversation()
    chat.texts("un adulte sur fortnite me demande des photos")
    with sqlite3.connect(servers.database) as db:
        rows = db.execute(
            "SELECT count(*) FROM events WHERE sender_id = ?", (chat.sender,)
        ).fetchone()
    assert rows[0] > 0
