"""The crisis safety net on its own: expressions, figures of speech and lemmas, without the classifier."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import spacy
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from refuge.crisis import (
    AMBIGUOUS,
    CRISIS_FILE,
    EXPLICIT,
    CrisisSignal,
    _normalised_view,
    detect_crisis,
    load_patterns,
)
from refuge.text import normalise


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("fr_core_news_md")


def lemmas(nlp, text: str) -> list[tuple[int, int, str]]:
    """spaCy's lemmas placed in the text, as components/crisis_net.py gives them."""
    return [(token.idx, token.idx + len(token.text), token.lemma_) for token in nlp(text)]


def bare_lemmas(nlp, text: str) -> list[str]:
    return [token.lemma_ for token in nlp(text)]


CRISIS_MESSAGES = [
    ("mon beau pere est entrain de taper ma mere la maintenant", "danger_immediat"),
    ("il ma donné rdv ce soir sinon il envoie tout, jsuis obligée dy aller", "danger_immediat"),
    ("il est en voiture il ma dit de monter sinon il balance mes nudes", "danger_immediat"),
    ("tout le monde serait plus tranquille sans moi", "suicide"),
    ("ce soir jen finis", "suicide"),
    ("je cherche comment pas se rater", "suicide"),
    ("jai choisi la date ce sera le 14", "suicide"),
    ("merci pour tout coach, prenez soin de l'équipe", "suicide"),
    ("jme griffe jusqua saigner", "automutilation"),
    ("il se brûle les mains avec des cigarettes", "automutilation"),
    ("il mattend a la sortie, si je monte pas dans sa voiture il poste tout", "danger_immediat"),
    ("il l'attend à la gare à 17h et lui a dit de venir seule", "danger_immediat"),
    ("ils sont 4 devant le gymnase ils vont me defoncer", "danger_immediat"),
    ("des copains armés, c'est dans une demi-heure", "danger_immediat"),
    ("si demain jsuis plus la effacez tout", "suicide"),
    ("bientot ya plus aucune trace de moi", "suicide"),
    ("jai mis de cote les medocs de ma grand mere", "suicide"),
    ("il a une boîte de médicaments et compte tout prendre ce soir", "suicide"),
    ("jai bu de la vodka avec des doliprane", "suicide"),
    ("des coupures récentes et profondes sur les deux avant-bras", "automutilation"),
    ("jveux mourir", "suicide"),
    ("JVEUUUX MOURIR", "suicide"),
    ("j'ai envie d'en finir", "suicide"),
    ("je vais me foutre en l'air ce soir", "suicide"),
    ("si ca sort jme fou en l air jte jure g deja regardé comment faire", "suicide"),
    ("jme fous en lair", "suicide"),
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
    # Cut again, and the place before the jump.
    ("jme suis recoupée hier soir sur le bras jy arrive plus", "automutilation"),
    ("assise sur le rebord de la fenêtre, j'ai vraiment failli sauter", "suicide"),
    ("j'ai failli sauter cette nuit", "suicide"),
]


@pytest.mark.parametrize(("message", "kind"), CRISIS_MESSAGES)
def test_crisis_expressions_are_recognised_whatever_the_spelling(message: str, kind: str) -> None:
    signal = detect_crisis(message)
    assert signal is not None, message
    assert signal.kind == kind
    assert signal.level == EXPLICIT


@pytest.mark.parametrize(
    "message",
    [
        "Je voudrais disparaître pour toujours",
        "j'essaie de mourir sans que personne le sache",
        "elle s'est mutilée hier soir",
    ],
)
def test_lemmas_catch_what_the_expressions_miss(nlp, message: str) -> None:
    for lemma_input in (lemmas(nlp, message), bare_lemmas(nlp, message)):
        signal = detect_crisis(message, lemma_input)
        assert signal is not None and signal.level == EXPLICIT


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
        "je vais mourir de rire",
        "ptdr on est morts de rire",
        "c'est pas la fin du monde",
        "il ma dit ou ta vie est finie",
        "il me bat à fortnite",
        "j'ai failli sauter de joie",
        "j'ai failli sauter le repas",
        "jai cherché comment faire pour signaler",
        "jai regardé comment faire un gateau pour ma mere",
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
    assert signal is None or (signal.evidence and signal.level in (EXPLICIT, AMBIGUOUS))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_the_places_of_the_normalised_text_describe_the_normalised_text(text: str) -> None:
    # The figures are cut out of the text as typed by these places: they must be
    # those of the very text the expressions read.
    view = _normalised_view(text)
    assert view.text == normalise(text)
    assert len(view.origins) == len(view.text)
    assert all(0 <= start < end <= len(text) for start, end in view.origins)


@pytest.fixture(scope="module")
def training_examples(nlp) -> list[tuple[str, str, CrisisSignal | None]]:
    """Each example of data/nlu.yml: its text, its intent, and the net's signal on it."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(CRISIS_FILE.parents[2] / "data" / "nlu.yml"))
    return [
        (
            m.get("text"),
            m.get("intent"),
            detect_crisis(m.get("text"), lemmas(nlp, m.get("text"))),
        )
        for m in data.intent_examples
    ]


def test_the_net_alone_catches_every_crisis_example_we_train_on(training_examples) -> None:
    # The classifier knows these; the net must not depend on it.
    missed = [
        (text, signal)
        for text, intent, signal in training_examples
        if intent == "crise_detresse" and (signal is None or signal.level != EXPLICIT)
    ]
    assert missed == []


def test_the_net_rarely_fires_on_the_other_training_examples(training_examples) -> None:
    others = [
        (text, signal) for text, intent, signal in training_examples if intent != "crise_detresse"
    ]
    alarms = [(text, signal.level) for text, signal in others if signal is not None]
    # A few are right to fire: a bullied child told "va mourir" also gets the numbers,
    # "sextorsion jpp aidez moi" the question and the 3114.
    assert len(alarms) <= len(others) // 100, alarms


# Figures of speech: neither the emergency answer nor silence, but the direct question
# and the 3114 (level ambigu). SMS and proper French, a child's words and a parent's.
FIGURES_OF_SPEECH = [
    ("jme tue a la muscu pour le match", "harcelement"),
    ("jveux disparaitre de la surface de la terre", "honte"),
    ("elle va mourir si on lui retire son téléphone", "exasperation"),
    ("j'ai cru mourir sur place en voyant le montage", "honte"),
    ("ce dossier de harcèlement me tue", "harcelement"),
    ("jte jure cette honte elle va me tuer", "harcelement"),
    ("une migraine à me taper la tête contre les murs", "exasperation"),
    ("cette chanson me donne envie de mourir tellement elle est nulle", "exasperation"),
    ("g deja regardé comment faire", "methode_cherchee"),
    ("jsuis mort de honte", "honte"),
    ("JE SUIS MORTE DE HONTE 😭😭", "honte"),
    ("chui morte de la honte", "honte"),
    ("je vais mourir de honte", "honte"),
    ("jvais mourir de honte si il montre ça", "honte"),
    ("j'ai failli mourir de honte quand il a montré la photo", "honte"),
    ("la honte de ma vie", "honte"),
    ("c'était la pire honte de toute ma vie", "honte"),
    ("je veux disparaître sous terre", "honte"),
    ("jvoudrais rentrer sous terre", "honte"),
    ("j'ai envie de disparaître et me cacher", "honte"),
    ("jveux juste me cacher", "honte"),
    ("je veux disparaître d'insta", "honte"),
    ("Ma fille est morte de honte depuis que la photo circule", "honte"),
    ("ce mec me tue avec ses messages", "harcelement"),
    ("il me tue", "harcelement"),
    ("elle me tue à force avec ses snaps", "harcelement"),
    ("ça me tue de voir ça", "harcelement"),
    ("tu me tues toi", "harcelement"),
    ("tu vas me tuer avec tes questions", "harcelement"),
    ("je me tue à te le dire", "harcelement"),
    ("j'en peux plus", "epuisement"),
    ("j'en peux plus de ce jeu", "epuisement"),
    ("jen peux plus de lui", "epuisement"),
    ("j'en peux plus de ces messages", "epuisement"),
    ("jpp de ce groupe", "epuisement"),
    ("je n'en peux plus de toutes ces notifications", "epuisement"),
    ("j'en peux plus de tout ça", "epuisement"),
    ("Ma fille n'en peut plus de ces messages", "epuisement"),
    ("jsuis a bout", "epuisement"),
    ("un jour jvais péter un plomb", "epuisement"),
    ("ils me saoulent jen ai ras la casquette", "epuisement"),
    ("si mes potes voient ca jchange de pays mdr", "honte"),
    ("j'ai cru que j'allais faire un arrêt cardiaque", "honte"),
    ("ma mere va me tuer si elle sait", "peur_des_parents"),
    ("mes parents vont me tuer s'ils savent", "peur_des_parents"),
    ("si ma mère voit ça elle va me tuer", "peur_des_parents"),
    ("mon père va me tuer quand il verra ça", "peur_des_parents"),
    ("ma daronne va me buter", "peur_des_parents"),
    ("si mes parents voient ca jsuis mort", "peur_des_parents"),
    ("Mon fils va me tuer s'il apprend que je vous écris", "peur_des_parents"),
    ("Je suis morte d'inquiétude pour ma fille", "mourir_de"),
    ("je vais mourir de peur s'il publie", "mourir_de"),
    ("je vais mourir d'ennui en maths", "mourir_de"),
    ("si ça sort c'est la fin du monde", "desespoir"),
    ("je suis anéantie", "desespoir"),
    ("jsuis détruit", "desespoir"),
    ("ça m'a détruite", "desespoir"),
    ("ma vie est gâchée", "desespoir"),
    ("ma vie sociale est finie", "desespoir"),
    ("Ma réputation est détruite au lycée, je suis foutue", "desespoir"),
]


@pytest.mark.parametrize(("message", "kind"), FIGURES_OF_SPEECH)
def test_a_figure_of_speech_gets_the_question_not_the_emergency_answer(
    nlp, message: str, kind: str
) -> None:
    # Lemmas must not turn the figure back into an alarm: "mourir de honte" holds
    # aller + mourir, "il me tue" tuer + me.
    for lemma_input in (None, lemmas(nlp, message), bare_lemmas(nlp, message)):
        signal = detect_crisis(message, lemma_input)
        assert signal is not None, (message, lemma_input)
        assert signal.level == AMBIGUOUS, (message, signal)
        assert signal.kind == kind


# A real sign beside a figure is a real sign: explicit, whatever the figure around it.
FIGURE_AND_SIGN = [
    "jsuis morte de honte jveux mourir",
    "j'en peux plus je veux plus vivre",
    "jen peux plus jveux plus etre la",
    "j'en peux plus de vivre",
    "j'en peux plus de ma vie",
    "jpp de cette vie",
    "j'en peux plus de tout",
    "j'en peux plus d'exister",
    "Mon fils dit qu'il n'en peut plus de vivre depuis la photo",
    "ce mec me tue avec ses messages, je vais me foutre en l'air",
    "il me tue avec ses messages et là il est devant chez moi",
    "la honte de ma vie, je vais me tuer",
    "je vais mourir de honte, jai pris des cachets",
    "je veux mourir de honte",
    "j'ai envie de mourir de honte",
    "mdr jsuis morte de honte jvais me pendre",
    "ma mère va me tuer si elle sait, de toute façon je veux en finir",
    "mes parents vont me tuer, je me scarifie depuis",
    "mon père va me tuer il a un couteau",
    "mon beau-père va me tuer il défonce la porte",
    "mon mec va me tuer",
    "ma mère veut me tuer",
    "j'en peux plus de ce jeu et je me coupe",
    "tu me tues, jme tue si tu publies",
    "je me tue à te le dire, je vais me suicider",
    "je suis anéantie, j'ai des idées noires",
    "jsuis détruite je me fais du mal",
    "c'est la fin du monde, ma vie est finie",
    "ma vie est finie",
    "ma vie sociale est finie et je veux mourir",
    "je suis à bout, je veux disparaître pour toujours",
    "je veux disparaître sous terre et ne plus me réveiller",
    "ma mere me tue si elle sait, je vais sauter du pont",
    "je vais mourir de faim je veux plus vivre",
    "j'aimerais qu'il me tue",
    "il me tue à petit feu, il me frappe tous les soirs",
    "mon père va me tuer pour de vrai",
    "ma mère va me tuer jvais me foutre en lair",
    "je suis finie, adieu tout le monde",
    "j'ai envie de mourir tellement j'ai honte de ces photos",
    "ce prof de maths me tue, je vais me tuer ce soir",
    "je vais me pendre si j'entends encore parler de ces photos",
    "jme tue a la muscu et ce soir jen finis",
]


@pytest.mark.parametrize("message", FIGURE_AND_SIGN)
def test_a_figure_beside_a_real_sign_stays_explicit(nlp, message: str) -> None:
    for lemma_input in (None, lemmas(nlp, message), bare_lemmas(nlp, message)):
        signal = detect_crisis(message, lemma_input)
        assert signal is not None and signal.level == EXPLICIT, (message, signal)


DENIED_SIGNS = [
    "nn jveux pas me faire du mal cest juste que jai trop peur deux",
    "je veux pas mourir",
    "j'ai pas envie de me tuer, j'ai juste peur",
    "je vais pas me tuer t'inquiète",
]
# A denial is only a denial of the sign it sits right before.
STILL_EXPLICIT = [
    "j'en ai ras le bol de vivre",
    "personne me comprend pas, envie de mourir",
    "pourquoi pas me tuer",
    "j'ai pas envie de vivre",
    "je veux pas me tuer mais je veux me scarifier",
    "je veux pas mourir seule, je vais me pendre ce soir",
]


@pytest.mark.parametrize("message", DENIED_SIGNS)
def test_a_denied_sign_gets_the_direct_question_not_nothing(nlp, message: str) -> None:
    for lemma_input in (None, lemmas(nlp, message), bare_lemmas(nlp, message)):
        signal = detect_crisis(message, lemma_input)
        assert signal is not None and signal.level == AMBIGUOUS, (message, lemma_input, signal)


@pytest.mark.parametrize("message", STILL_EXPLICIT)
def test_a_denial_elsewhere_in_the_message_leaves_the_sign_explicit(nlp, message: str) -> None:
    for lemma_input in (None, lemmas(nlp, message), bare_lemmas(nlp, message)):
        signal = detect_crisis(message, lemma_input)
        assert signal is not None and signal.level == EXPLICIT, (message, signal)


def test_no_figure_hides_any_sign_said_before_or_after_it() -> None:
    signs = [message for message, _ in CRISIS_MESSAGES]
    hidden = [
        (figure, sign)
        for figure, _ in FIGURES_OF_SPEECH
        for sign in signs
        for message in (f"{figure} {sign}", f"{sign}, {figure}")
        if getattr(detect_crisis(message), "level", None) != EXPLICIT
    ]
    assert hidden == []


@pytest.mark.parametrize(
    ("what", "level"),
    [
        # Of life itself: explicit (expressions, suicide) ...
        ("de vivre", EXPLICIT),
        ("d'exister", EXPLICIT),
        ("de cette vie", EXPLICIT),
        ("de ma putain de vie", EXPLICIT),
        ("d'être là", EXPLICIT),
        ("de rester en vie", EXPLICIT),
        ("de faire semblant", EXPLICIT),
        ("de tout", EXPLICIT),
        # ... of anything else: ask (ambigu, epuisement).
        ("", AMBIGUOUS),
        ("de ce jeu", AMBIGUOUS),
        ("de lui", AMBIGUOUS),
        ("de ces messages", AMBIGUOUS),
        ("de tout ça", AMBIGUOUS),
        ("des cours", AMBIGUOUS),
        ("de ma sœur", AMBIGUOUS),
        ("d'attendre", AMBIGUOUS),
    ],
)
def test_j_en_peux_plus_is_explicit_of_life_itself_and_a_question_otherwise(
    what: str, level: str
) -> None:
    # The look-ahead of the figure and the explicit expression hold the same list.
    for start in ("j'en peux plus", "jen peux pu", "jpp", "je n'en peux plus"):
        message = f"{start} {what}".strip()
        signal = detect_crisis(message)
        assert signal is not None and signal.level == level, (message, signal)


def _placed(text: str, lemmas_by_word: dict[str, str]) -> list[tuple[int, int, str]]:
    """Hand-written tokens: each word of the text at its place, with its lemma."""
    return [
        (m.start(), m.end(), lemmas_by_word.get(m.group(), m.group()))
        for m in re.finditer(r"\w+", text)
    ]


def test_lemmas_inside_a_figure_are_not_read_those_outside_it_are() -> None:
    words = {"tue": "tuer", "vais": "aller", "veux": "vouloir", "partirai": "mourir"}
    figure = "il me tue"
    # tuer + me inside the figure: not read.
    signal = detect_crisis(figure, _placed(figure, words))
    assert signal is not None and signal.level == AMBIGUOUS
    # The same figure, and after it a wish to die only the lemmas see (vouloir ... mourir).
    message = "il me tue, je veux xx partirai"
    assert detect_crisis(message).level == AMBIGUOUS
    signal = detect_crisis(message, _placed(message, words))
    assert signal is not None and signal.level == EXPLICIT and signal.kind == "lemmes"


def test_bare_lemmas_cannot_be_placed_so_they_do_not_read_a_figure() -> None:
    signal = detect_crisis("il me tue", ["il", "me", "tuer"])
    assert signal is not None and signal.level == AMBIGUOUS
    # Without a figure in the message, bare lemmas read as before.
    signal = detect_crisis("il xx yy", ["il", "me", "tuer"])
    assert signal is not None and signal.level == EXPLICIT


def test_lemmas_inside_an_exclusion_are_not_read() -> None:
    message = "on va mourir de rire"
    assert detect_crisis(message, _placed(message, {"va": "aller"})) is None


def test_the_other_training_examples_rarely_get_the_emergency_answer(training_examples) -> None:
    others = [signal for _, intent, signal in training_examples if intent != "crise_detresse"]
    explicit = [signal for signal in others if signal is not None and signal.level == EXPLICIT]
    assert len(explicit) <= len(others) // 200, explicit


# Written blind, then read once (their first reads are in the README); since then they
# guard what was learnt from them. A new list stays out of here until its first read.
READ_CRISIS_LISTS = (
    "crise_heldout.yml",
    "crise_heldout2.yml",
    "crise_heldout3.yml",
    "crise_heldout4.yml",
    "crise_heldout5.yml",
)


def test_the_read_crisis_lists_are_caught_by_the_net_and_no_figure_of_speech_is_an_alarm() -> None:
    data: dict[str, list[str]] = {"crises": [], "figures": []}
    for name in READ_CRISIS_LISTS:
        read = yaml.safe_load((Path(__file__).parent / name).read_text(encoding="utf-8"))
        data["crises"] += read["crises"]
        data["figures"] += read["figures"]
    missed = [text for text in data["crises"] if detect_crisis(text) is None]
    alarms = [
        text
        for text in data["figures"]
        if (signal := detect_crisis(text)) is not None and signal.level == EXPLICIT
    ]
    assert missed == []
    assert alarms == []
