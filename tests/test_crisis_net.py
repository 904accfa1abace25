"""The crisis safety net on its own: expressions and lemmas, without the classifier."""

from __future__ import annotations

import re

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from refuge.crisis import CRISIS_FILE, detect_crisis, load_patterns


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("fr_core_news_md")


def lemmas(nlp, text: str) -> list[str]:
    return [token.lemma_ for token in nlp(text)]


CRISIS_MESSAGES = [
    ("jveux mourir", "suicide"),
    ("JVEUUUX MOURIR", "suicide"),
    ("j'ai envie d'en finir", "suicide"),
    ("je vais me foutre en l'air ce soir", "suicide"),
    ("plus envie de vivre franchement", "suicide"),
    ("tout le monde serait mieux sans moi", "suicide"),
    ("ma fille parle de se suicider", "suicide"),
    ("si la vidéo sort je me tue", "suicide"),
    ("je pense à me sucider", "suicide"),
    ("je me scarifie depuis hier", "automutilation"),
    ("jme fais du mal quand jy pense", "automutilation"),
    ("j'ai avalé des cachets", "automutilation"),
    ("jai laissé une lettre sur mon lit pour dire adieu", "suicide"),
    ("ce soir j'ai fait mes adieux à ma sœur sans qu'elle comprenne", "suicide"),
    ("j'ai vu des entailles sur les poignets de mon fils", "automutilation"),
    ("ma pote a les cuisses pleines de coupures", "automutilation"),
    ("jme recoupe depuis lundi", "automutilation"),
    ("je me brûle quand ça va trop mal", "automutilation"),
    ("il est devant chez moi et il veut rentrer", "danger_immediat"),
    ("il m'attend en bas de l'immeuble", "danger_immediat"),
    ("il tape à la porte", "danger_immediat"),
    ("au secours il sait ou j habite il va venir", "danger_immediat"),
    ("il menace de me tuer", "danger_immediat"),
]


@pytest.mark.parametrize(("message", "kind"), CRISIS_MESSAGES)
def test_crisis_expressions_are_recognised_whatever_the_spelling(message: str, kind: str) -> None:
    signal = detect_crisis(message)
    assert signal is not None, message
    assert signal.kind == kind


@pytest.mark.parametrize(
    "message",
    [
        "Je voudrais disparaître pour toujours",
        "j'essaie de mourir sans que personne le sache",
        "elle s'est mutilée hier soir",
    ],
)
def test_lemmas_catch_what_the_expressions_miss(nlp, message: str) -> None:
    assert detect_crisis(message, lemmas(nlp, message)) is not None


@pytest.mark.parametrize(
    "message",
    [
        "un mec menace de publier mes nudes si je paie pas",
        "mdr jsuis mort de rire",
        "ils m'ont dit va te pendre dans les commentaires",
        "comment porter plainte pour harcèlement",
        "ma fille de 13 ans reçoit des messages d'un adulte sur roblox",
        "il veut 200 balles sinon il envoie tout",
        "merci beaucoup, au revoir",
        "il me coupe tout le temps la parole",
        "je me coupe les cheveux moi-même",
        "il s'est fait une coupure au doigt en cuisinant",
        "",
    ],
)
def test_ordinary_messages_do_not_trigger_the_net(nlp, message: str) -> None:
    assert detect_crisis(message, lemmas(nlp, message)) is None


def test_every_pattern_of_the_data_file_compiles() -> None:
    patterns = load_patterns(CRISIS_FILE)
    assert len(patterns.expressions) >= 30
    assert all(isinstance(p, re.Pattern) for _, p in patterns.expressions)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_the_net_never_fails_on_arbitrary_text(text: str) -> None:
    signal = detect_crisis(text, text.split())
    assert signal is None or signal.evidence
