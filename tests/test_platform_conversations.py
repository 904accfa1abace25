"""Platform help in real conversations (Rasa, the action server): each family of platform, the takedown request."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from refuge.platforms import load_platforms

pytestmark = pytest.mark.rasa


@pytest.mark.parametrize(
    "message, link",
    [
        # social networks with stories
        ("comment je signale sur snap", "values.snap.com/safety/safety-reporting"),
        ("comment faire retirer la photo d'insta", "help.instagram.com"),
        # video
        ("faire retirer une vidéo de tiktok", "tiktok.com/safety"),
        ("comment signaler une video sur youtube", "support.google.com/youtube"),
        # games and their chats
        ("comment je signale un joueur sur roblox", "en.help.roblox.com"),
        ("comment signaler quelqu'un sur discord", "discord.com/safety"),
        # messaging
        ("comment on signale un contact sur whatsapp", "faq.whatsapp.com"),
    ],
)
def test_a_platform_named_in_the_question_gets_its_route_and_official_page(
    conversation, message, link
):
    chat = conversation()
    replies = chat.say(message)
    text = "\n".join(reply.get("text") or "" for reply in replies)
    assert link in text
    assert "vérifiée le" in text
    assert "Ne jamais faire de capture" in text
    # The takedown request is offered, never the link or the names asked for.
    payloads = [b["payload"] for reply in replies for b in reply.get("buttons") or []]
    assert "/demander_lettre_retrait" in payloads
    assert "envoie-moi le lien" not in text.lower()


def test_the_platform_said_in_the_story_is_used_when_asked_how_to_report(conversation):
    chat = conversation()
    chat.texts("ils ont fait un faux nu de moi avec une IA et ça tourne sur insta")
    text = chat.texts("comment je la fais retirer ?")
    assert "help.instagram.com" in text


def test_the_takedown_request_comes_as_a_document_with_the_articles_of_the_story(conversation):
    chat = conversation()
    chat.texts("ils ont fait un faux nu de moi avec une IA et ça tourne sur insta, j'ai 14 ans")
    replies = chat.say("/demander_lettre_retrait")
    documents = [
        r["custom"]["demande_retrait"] for r in replies if isinstance(r.get("custom"), dict)
    ]
    assert len(documents) == 1
    letter = documents[0]
    assert "article 226-8-1 du Code pénal" in letter
    assert "article 227-23 du Code pénal" in letter
    assert "À l'équipe de modération de Instagram" in letter
    assert "[à compléter : l'adresse exacte (URL) du contenu]" in letter
    advice = "\n".join(r.get("text") or "" for r in replies)
    assert "remplis toi-même les blancs" in advice


def test_a_parent_gets_the_takedown_request_in_their_words(conversation):
    chat = conversation()
    chat.texts("Bonjour, ma fille de 13 ans : une fausse photo d'elle nue circule sur snapchat")
    replies = chat.say("je veux une lettre pour faire retirer la photo")
    letter = next(
        r["custom"]["demande_retrait"] for r in replies if isinstance(r.get("custom"), dict)
    )
    assert "mon enfant" in letter and "Snapchat" in letter
    assert "remplissez vous-même les blancs" in "\n".join(r.get("text") or "" for r in replies)


BLIND = Path(__file__).parent / "plateformes_blind.yml"
# First blind read (2 December 2026): 24/40; 39/40 after the fixes it showed (README). A floor.
BLIND_FLOOR = 0.90


def test_blind_platform_questions_get_their_platforms_route(conversation):
    """tests/plateformes_blind.yml, written without reading data/: each question alone, first message."""
    messages = yaml.safe_load(BLIND.read_text(encoding="utf-8"))["messages"]
    guide = load_platforms()
    missed = []
    for message in messages:
        chat = conversation()
        text = "\n".join(r.get("text") or "" for r in chat.say(message["text"]))
        if guide.platform(message["plateforme"]).help.url not in text:
            missed.append(message["text"])
    share = 1 - len(missed) / len(messages)
    print(f"\nplateformes_blind.yml: {len(messages) - len(missed)}/{len(messages)} ({share:.0%})")
    for text in missed:
        print(f"  missed: {text}")
    assert share >= BLIND_FLOOR, missed
