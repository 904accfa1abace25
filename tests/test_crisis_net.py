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
    # Warning signs an adult reports (3114, "reconnaître les signes").
    ("il a donné toutes ses affaires à son frère", "suicide"),
    ("elle a des idées noires depuis des semaines", "suicide"),
    ("il pense à la mort tout le temps", "suicide"),
    ("ma fille répète qu'on serait mieux sans elle", "suicide"),
    ("il a dit qu'il allait sauter de son balcon", "suicide"),
    ("elle a posté une story d'adieu", "suicide"),
    ("j'ai acheté des lames", "suicide"),
    ("je me brûle quand ça va trop mal", "automutilation"),
    # SMS spelling, read as the plain French the expressions are written in.
    ("jve pu vivre", "suicide"),
    ("a koi sa sert de vivre", "suicide"),
    ("jvoi pu l'interet de rester la", "suicide"),
    ("jsuis de trop partout", "suicide"),
    ("chui fatiguée de vivre", "suicide"),
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
        "je veux que ça s'arrête",
        "on a parlé de la mort de mon grand-père en cours",
        "j'ai donné mes affaires de sport à laver",
        "la corde à sauter en sport",
        "g pa envi de parler",
        "je vois pas l'intérêt de porter plainte",
        "j'en ai marre de ce mec",
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


@pytest.fixture(scope="module")
def training_examples(nlp) -> list[tuple[str, str, bool]]:
    """Each example of data/nlu.yml: its text, its intent, and whether the net fires on it."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(CRISIS_FILE.parents[2] / "data" / "nlu.yml"))
    return [
        (
            m.get("text"),
            m.get("intent"),
            detect_crisis(m.get("text"), lemmas(nlp, m.get("text"))) is not None,
        )
        for m in data.intent_examples
    ]


def test_the_net_alone_catches_every_crisis_example_we_train_on(training_examples) -> None:
    # The classifier knows these; the net must not depend on it.
    missed = [
        text
        for text, intent, fired in training_examples
        if intent == "crise_detresse" and not fired
    ]
    assert missed == []


def test_the_net_rarely_fires_on_the_other_training_examples(training_examples) -> None:
    others = [
        (text, fired) for text, intent, fired in training_examples if intent != "crise_detresse"
    ]
    alarms = [text for text, fired in others if fired]
    # A few are right to fire: a bullied child told "va mourir" also gets the numbers.
    assert len(alarms) <= len(others) // 100, alarms
