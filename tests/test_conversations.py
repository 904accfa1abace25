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


def test_after_a_crisis_the_assistant_stays_with_the_person_until_they_say_so(conversation) -> None:
    chat = conversation()
    chat.texts("ils ont fait un faux nu de moi avec une IA et ça tourne")
    reply = chat.texts("jveux plus vivre")
    assert has_all_numbers(reply)
    assert "en sécurité" in reply
    # No question of the form in the same reply, nor after "ok": the person comes first.
    assert "tu as quel âge" not in reply
    reply = chat.texts("ok")
    assert "tu as quel âge" not in reply and "3114" in reply
    reply = chat.texts("/reprendre")
    assert "on reprend" in reply
    assert "tu as quel âge" in reply


def test_a_figure_of_speech_gets_a_direct_question_with_the_3114_then_the_story_goes_on(
    conversation,
) -> None:
    chat = conversation()
    chat.texts("ils ont fait un faux nu de moi avec une IA et ça tourne")
    reply = chat.texts("jsuis morte de honte")
    assert "3114" in reply and "te faire du mal" in reply
    assert "112" not in reply  # not the whole emergency block
    reply = chat.texts("non c une façon de parler")
    assert "tu as quel âge" in reply


def test_a_question_asked_in_the_middle_is_answered_then_the_question_comes_back(
    conversation,
) -> None:
    chat = conversation()
    chat.texts("un mec menace de publier mes nudes si je lui donne pas 100 balles")
    reply = chat.texts("t un robot ?")
    assert "programme" in reply
    assert "tu as quel âge" in reply
    reply = chat.texts("c grave si g deja payé ?")
    assert "tu as quel âge" in reply
    summary, _ = answer_until_summary(chat, "/ne_sait_pas")
    # What the side question said is kept: it was not asked again.
    assert "Déjà payé ou envoyé : oui" in summary


def test_what_the_victim_sent_is_not_taken_for_what_the_author_demands(conversation) -> None:
    chat = conversation()
    chat.texts("jlui ai envoyé des nudes et la il veut 150 balles sinon il les publie")
    summary, _ = answer_until_summary(chat, "/ne_sait_pas")
    assert "Ce qui est demandé : de l'argent (150 €)" in summary
    assert "des photos ou vidéos" not in summary
    assert "Les images : de vraies images" in summary


def test_a_teacher_is_answered_as_a_professional_in_vous(conversation) -> None:
    chat = conversation()
    reply = chat.texts(
        "Bonjour, je suis professeure principale. Une élève de 13 ans m'a confié qu'un homme "
        "menace de diffuser des photos d'elle si elle ne lui envoie pas d'autres photos."
    )
    assert "CRIP" in reply and "119" in reply
    assert "ta faute" not in reply and "tu as" not in reply
    assert "Quel âge" not in reply
    summary, _ = answer_until_summary(chat, "/ne_sait_pas")
    assert "13 ans" in summary


def test_the_situation_told_first_is_kept_when_a_later_answer_sounds_like_another(
    conversation,
) -> None:
    chat = conversation()
    chat.texts("g 15 ans et quelqu un a fait un montage de moi toute nue avec une ia")
    replies = [chat.texts("non il menace pas")]
    summary, _ = answer_until_summary(chat, "/ne_sait_pas")
    assert "fausses images sexuelles" in summary
    assert "sextorsion" not in summary
    assert replies


def test_a_clear_grooming_story_is_understood(conversation) -> None:
    chat = conversation()
    reply = chat.texts(
        "g 13 ans un homme de 24 ans me parle de trucs sexuels sur discord il m a demandé des "
        "photos et il veut qu on se voie samedi"
    )
    assert "pas bien compris" not in reply
    assert "ne va pas au rendez-vous" in reply


def test_an_answer_to_the_wrong_question_is_kept_and_the_question_comes_back(conversation) -> None:
    chat = conversation()
    chat.texts("mon ex a balancé mes nudes dans le groupe de la classe")
    chat.texts("16")
    reply = chat.texts("whatsapp")  # the question was whether it is public online
    assert "je le note" in reply
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
    # "un adulte" was said: the author's age is not asked either.
    assert "est-elle adulte" not in reply
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
    # Age, demand, platform and real images ("mes nudes") were said: only the rest is asked.
    for answer in ("non", "non", "oui"):
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


@pytest.mark.parametrize("mash", ["wxcvbn", "azertyuiop qsdf", "qsdfghjklm"])
def test_keys_struck_at_random_are_not_understood_rather_than_read_as_a_story(
    conversation, mash
) -> None:
    chat = conversation()
    reply = chat.texts(mash)
    assert "Je n'ai pas bien compris" in reply
    # No first help for a situation nobody told, no checklist.
    assert "pas ta faute" not in reply and "Pour te protéger" not in reply
    # A story told next is read as usual.
    reply = chat.texts("un mec menace de publier mes nudes si je paie pas 200 balles")
    assert "pas ta faute" in reply


def test_keys_struck_in_the_middle_of_the_questions_do_not_change_the_story(conversation) -> None:
    chat = conversation()
    chat.texts("jai 14 ans et un mec menace de publier mes nudes si je lui donne pas 200 balles")
    reply = chat.texts("wxcvbn")
    assert "pas ta faute" not in reply  # no other situation's first help
    assert "as déjà payé" in reply  # the question comes back
