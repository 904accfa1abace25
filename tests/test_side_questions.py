"""The side questions asked in the middle of ours: which messages ask one, and what is answered."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from refuge.facts import ROLES, FactError
from refuge.side_questions import (
    QUESTIONS_FILE,
    WITNESS_VOICE,
    find_side_question,
    load_side_questions,
)

KINDS = tuple(kind.name for kind in load_side_questions().kinds)

ASKED = [
    ("Est-ce que je peux porter plainte en ligne ?", "plainte"),
    ("est ce que moi jvais avoir des pb vu que c moi qui ai envoyé les photos au debut ?", "faute"),
    ("jvais avoir des problemes ?", "faute"),
    # que_faire: asked alone, without more of the story
    ("Je voudrais savoir ce que je dois faire d'autre.", "que_faire"),
    ("je dois faire quoi ?", "que_faire"),
    ("quest ce que je dois faire ?", "que_faire"),
    ("que faire ?", "que_faire"),
    ("Que dois-je faire maintenant ?", "que_faire"),
    ("ok et on fait quoi mtn ?", "que_faire"),
    # parler_ici
    ("slt jsp si jpeux parler de ca", "parler_ici"),
    ("je sais pas si c'est le bon endroit", "parler_ici"),
    ("c'est bien ici pour parler de photos ?", "parler_ici"),
    ("jose pas trop en parler", "parler_ici"),
    ("je peux vous parler de quelque chose ?", "parler_ici"),
    ("tu peux m aider stp ?", "parler_ici"),
    # robot
    ("t un robot ?", "robot"),
    ("t'es un bot", "robot"),
    ("tes un robot ou quoi", "robot"),
    ("tu es une vraie personne ?", "robot"),
    ("Vous êtes un humain ?", "robot"),
    ("Êtes-vous une intelligence artificielle ?", "robot"),
    ("je parle à un robot ?", "robot"),
    ("c'est un chatbot ?", "robot"),
    ("c'est qui qui me répond ?", "robot"),
    ("t qui toi ?", "robot"),
    ("Je parle à quelqu'un de réel ou à une IA, là ?", "robot"),
    # prevenir
    ("ce que je vous écris est transmis au collège ?", "prevenir"),
    ("Si je porte plainte, est-ce que ma femme sera forcément mise au courant ?", "prevenir"),
    ("tu peux pas le dire toi au principal ? moi jose pas", "prevenir"),
    ("tu vas le dire a la police ?", "prevenir"),
    ("tu va le dire a mes parent", "prevenir"),
    ("vs allez prevenir la police ?", "prevenir"),
    ("Vous allez prévenir l'école ?", "prevenir"),
    ("tu previens mes parents ?", "prevenir"),
    ("tu vas me balancer ?", "prevenir"),
    ("dis rien a ma mere stp", "prevenir"),
    ("c'est anonyme ?", "prevenir"),
    ("tu peux appeler la police pour moi ?", "prevenir"),
    ("Allez-vous prévenir ses parents ?", "prevenir"),
    ("jai eu tort de payer ? si jpaye encore il arretera ?", "deja_paye"),
    ("si on paie le reste il arrêtera ?", "deja_paye"),
    ("si jpaye encore il arretera ?", "deja_paye"),
    (
        "Est-ce que le fait qu'il ait déjà payé aggrave les choses ? Faut-il payer encore pour avoir la paix ?",
        "deja_paye",
    ),
    ("est ce que jrisque un truc vu que jsuis dans le groupe jai rien acheté moi", "faute"),
    # peur_parents
    ("ma mere va me tuer si elle sait ?", "peur_parents"),
    ("ma mère va me tuer si elle l'apprend", "peur_parents"),
    ("mes darons vont me défoncer", "peur_parents"),
    ("mes parents vont etre tellement deçus de moi", "peur_parents"),
    ("faut pas le dire a ma mere elle ma interdit roblox elle va me tuer", "peur_parents"),
    (
        "nos parents vont peter un cable si ils apprennent, faut vraiment leur dire ?",
        "peur_parents",
    ),
    ("on est obligés de leur dire ?", "peur_parents"),
    ("mon pere va etre furieux", "peur_parents"),
    ("si mes parents savent je suis mort", "peur_parents"),
    ("j'ose pas le dire à mes parents", "peur_parents"),
    ("je suis obligée de le dire à mes parents ?", "peur_parents"),
    ("Ma fille a peur de nous en parler", "peur_parents"),
    ("L'élève n'ose pas en parler à ses parents", "peur_parents"),
    # deja_paye
    ("Peut-on récupérer cet argent ?", "deja_paye"),
    ("c cuit pour moi vu que g deja payé ?", "deja_paye"),
    ("c grave si g deja payé ?", "deja_paye"),
    ("C'est grave si j'ai déjà payé ?", "deja_paye"),
    ("et si j'ai déjà payé ?", "deja_paye"),
    ("g deja payé 50 €, c trop tard ?", "deja_paye"),
    ("je lui ai deja envoyé d'autres photos, c grave ?", "deja_paye"),
    ("Ma fille a déjà payé 200 euros, c'est trop tard ?", "deja_paye"),
    ("Mon fils a déjà envoyé de l'argent, est-ce trop tard ?", "deja_paye"),
    # faute
    ("Est-ce qu'on peut me reprocher de lui avoir envoyé ces photos ?", "faute"),
    ("c un peu ma faute nn ?", "faute"),
    ("Ma fille risque-t-elle quelque chose ?", "faute"),
    ("c ma faute ?", "faute"),
    ("Est-ce que c'est de ma faute ?", "faute"),
    ("je suis coupable ?", "faute"),
    ("je vais avoir des problèmes ?", "faute"),
    ("c'est illégal que j'aie envoyé une photo ?", "faute"),
    ("c grave si g envoyé des nudes ?", "faute"),
    ("la police peut me punir ?", "faute"),
    ("est ce que je vais aller en prison parce que j'ai payé", "faute"),
    ("C'est notre faute ? On aurait dû surveiller", "faute"),
    ("Ma fille a envoyé des photos, est-ce qu'elle risque quelque chose ?", "faute"),
    # suppression
    ("Combien de temps faut-il pour la faire retirer de X ?", "suppression"),
    ("insta peut le fermer ce compte ou pas ??", "suppression"),
    ("si jsignale a tiktok ils l enlevent vraiment ?", "suppression"),
    ("comment je peux prouver que c'est pas moi ?", "preuves"),
    ("je dois tout effacer ?", "preuves"),
    ("faut il quitter le groupe ?", "preuves"),
    ("on garde des preuves comment ?", "preuves"),
    ("Doit-il rester dans le groupe pour garder une trace ?", "preuves"),
    ("jdois bloquer d abord ou pas ?", "preuves"),
    ("ya moyen que la video disparaisse du groupe ?", "suppression"),
    ("c de ma faute jsuis trop bete d avoir envoye", "faute"),
    ("attends jparle a un humain ou c automatique ?", "robot"),
    ("c grave si jlui reponds plus ?", "repondre"),
    ("je dois lui répondre ?", "repondre"),
    ("faut il le bloquer ?", "repondre"),
    ("Dois-je lui répondre pour gagner du temps ?", "repondre"),
    ("et si je reponds pas il va faire quoi ?", "repondre"),
    ("jdois le bloquer ou pas ?", "repondre"),
    ("on peut les faire supprimer ?", "suppression"),
    ("C'est possible de retirer la vidéo ?", "suppression"),
    ("mes photos vont rester sur internet pour toujours ?", "suppression"),
    ("ca va rester a vie ?", "suppression"),
    ("les photos peuvent etre supprimées ?", "suppression"),
    ("Peut-on faire retirer les images de notre fille ?", "suppression"),
    ("est ce que le 3018 peut faire supprimer les photos", "suppression"),
    # plainte
    ("je dois porter plainte ?", "plainte"),
    ("jdois porter plainte ou pas", "plainte"),
    ("Est-ce qu'il faut porter plainte ?", "plainte"),
    ("Devons-nous porter plainte ?", "plainte"),
    ("la police va me croire ?", "plainte"),
    ("et si les flics me croient pas", "plainte"),
    ("ils vont me croire au commissariat ?", "plainte"),
    # publier_vraiment
    ("tu crois qu'il va vraiment publier ?", "publier_vraiment"),
    ("il va vraiment publier ?", "publier_vraiment"),
    ("il va publier ?", "publier_vraiment"),
    ("il bluffe ?", "publier_vraiment"),
    ("c du bluff ?", "publier_vraiment"),
    ("si je paie il arrete ?", "publier_vraiment"),
    ("Vous pensez qu'il va le faire ?", "publier_vraiment"),
    ("Pensez-vous qu'il mettra ses menaces à exécution ?", "publier_vraiment"),
]

NOT_ASKED = [
    # Stories: what happened, even with the words of a side question.
    "j'ai déjà payé 50€ il en veut encore je fais quoi ?",
    "jsp quoi faire un mec sur snap menace de publier",
    "g 14 ans jsp quoi faire",
    "il menace de tout envoyer a mes parents",
    "il veut 200 balles sinon il publie mes photos",
    "il va publier mes photos si je paie pas",
    "il m'a dit que si tu le dis à la police il publie tout",
    "il m'a dit de rien dire à mes parents",
    "j'ai peur qu'il envoie les photos à mes parents",
    "il a déjà publié la vidéo",
    "c'était un bot qui m'écrivait au début",
    "c t un bot qui m'écrivait",
    "ils ont créé un faux compte avec mes photos",
    "un mec sur insta me demande des nudes",
    "ma fille de 13 ans reçoit des messages d'un adulte sur roblox",
    "il dit que je vais avoir des problèmes si je parle",
    "mes parents sont au courant",
    "ma mère m'aide, elle est au courant",
    "c grave ce qu'il fait",
    # A story followed by a question the main classifier answers.
    "il va publier mes photos si je paie pas, je fais quoi ?",
    "j'ai déjà payé 50€ il en veut encore je fais quoi ?",
    # Answers to our questions.
    "oui g deja payé",
    "oui j'ai payé 50 euros",
    "non j'ai rien payé",
    "oui",
    "non",
    "nan",
    "non il menace pas",
    "g 14 ans",
    "elle a 15 ans et c'était sur insta",
    "il a 30 ans",
    "sur snap",
    "c'est un montage",
    "il veut que je paye",
    "je sais pas",
    "je préfère ne pas dire",
    # Crises, and real danger at home: the crisis answer, not a figure of speech.
    "jveux mourir",
    "il va me tuer si je parle",
    "mon père me frappe quand il sait que je parle à des garçons",
    # Questions the main classifier answers.
    "que dit la loi ?",
    "comment signaler ?",
    "comment porter plainte ?",
    "comment faire supprimer la vidéo ?",
    "je dois garder les messages ou les supprimer ?",
    "le 3018 c'est quoi ?",
    "il risque d'aller en prison ?",
    "je veux parler à un humain",
    # Someone who may have wronged another: "you are the victim" would be false.
    "j'ai transféré la photo d'une fille, je suis coupable ?",
    "mon fils a partagé la photo d'une camarade, il risque quoi ?",
    "si je commente une rumeur sur qqn je peux etre poursuivi moi aussi ?",
    # Small talk.
    "merci",
    "bonjour",
    "mdr jsuis morte de rire",
    "",
]


@pytest.mark.parametrize(("message", "kind"), ASKED)
def test_a_side_question_is_recognised_however_it_is_written(message: str, kind: str) -> None:
    question = find_side_question(message)
    assert question is not None, message
    assert question.kind == kind, (message, question.evidence)


@pytest.mark.parametrize("message", NOT_ASKED)
def test_stories_answers_and_other_questions_are_not_side_questions(message: str) -> None:
    question = find_side_question(message)
    assert question is None, (message, question and (question.kind, question.evidence))


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_tried_with_at_least_six_wordings(kind: str) -> None:
    assert sum(1 for _, expected in ASKED if expected == kind) >= 6


def test_the_kinds_the_product_needs_are_all_there() -> None:
    assert set(KINDS) >= {
        "robot",
        "deja_paye",
        "prevenir",
        "peur_parents",
        "faute",
        "suppression",
        "plainte",
        "publier_vraiment",
    }


def test_already_paid_is_a_fact_the_question_states() -> None:
    question = find_side_question("c grave si g deja payé ?")
    assert question is not None
    assert dict(question.facts) == {"demande_obtenue": True}


def test_asking_whether_he_will_really_publish_states_the_threat() -> None:
    question = find_side_question("il va vraiment publier ?")
    assert question is not None
    assert dict(question.facts) == {"menace_diffusion": True}


def test_a_question_about_the_assistant_states_no_fact() -> None:
    question = find_side_question("t un robot ?")
    assert question is not None
    assert dict(question.facts) == {}


@pytest.mark.parametrize(
    ("role", "voice"),
    [
        ("victime", "tu"),
        ("temoin", "tu"),
        (None, "tu"),
        ("parent", "vous_parent"),
        ("professionnel", "vous_professionnel"),
    ],
)
def test_the_answer_speaks_to_whoever_writes(role: str | None, voice: str) -> None:
    question = find_side_question("t un robot ?")
    assert question is not None
    assert question.answer_for(role) == question.answers[voice]


def test_a_witness_is_not_told_that_they_are_the_victim() -> None:
    question = find_side_question(
        "ma soeur a peur de la reaction de nos parents, on est obligés de leur dire ?"
    )
    assert question is not None and question.kind == "peur_parents"
    assert "toi la victime" in question.answer_for("victime")
    assert "toi la victime" not in question.answer_for("temoin")
    assert "Ce n'est pas sa faute" in question.answer_for("temoin")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_of_the_facts_has_an_answer(role: str) -> None:
    question = find_side_question("tu vas le dire a la police ?")
    assert question is not None
    assert question.answer_for(role)


_VOUS = re.compile(r"\b(vous|votre|vos)\b", re.IGNORECASE)
_TU = re.compile(r"\b(tu|te|toi|ton|ta|tes|t')(?=\W|$)", re.IGNORECASE)
ANSWERS = [
    (kind.name, voice, answer)
    for kind in load_side_questions().kinds
    for voice, answer in kind.answers.items()
]


@pytest.mark.parametrize(("kind", "voice", "answer"), ANSWERS)
def test_every_answer_is_short_and_in_its_voice(kind: str, voice: str, answer: str) -> None:
    assert answer.strip()
    assert len(answer) < 500, (kind, voice, len(answer))
    if voice in {"tu", WITNESS_VOICE}:
        assert not _VOUS.search(answer), (kind, _VOUS.search(answer))
    else:
        assert not _TU.search(answer.replace("’", "'")), (kind, voice, _TU.search(answer))


_CHECKABLE = re.compile(r"\b(3018|119|112|17|114|3114)\b|Take It Down|article|Code pénal")


@pytest.mark.parametrize("kind", load_side_questions().kinds, ids=lambda kind: kind.name)
def test_every_legal_or_helpline_fact_has_a_dated_source(kind) -> None:
    if not any(_CHECKABLE.search(answer) for answer in kind.answers.values()):
        return
    assert kind.source, kind.name
    assert "22 novembre 2026" in kind.source or "1er décembre 2026" in kind.source


def _write(tmp_path: Path, mutate) -> Path:
    raw = yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))
    mutate(raw)
    path = tmp_path / "questions.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_a_bad_pattern_fails_at_load(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda raw: raw["questions"]["robot"]["motifs"].append("(t es"))
    with pytest.raises(re.error):
        load_side_questions(path)


def test_a_misspelt_fact_fails_at_load(tmp_path: Path) -> None:
    path = _write(
        tmp_path, lambda raw: raw["questions"]["deja_paye"].update(faits={"deja_paye": True})
    )
    with pytest.raises(FactError):
        load_side_questions(path)


def test_a_missing_voice_fails_at_load(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda raw: raw["questions"]["robot"]["reponses"].pop("vous_parent"))
    with pytest.raises(KeyError):
        load_side_questions(path)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_fails(text: str) -> None:
    question = find_side_question(text)
    assert question is None or question.evidence


# --- Against the training data -------------------------------------------------------------

NLU_FILE = Path(__file__).parents[1] / "data" / "nlu.yml"
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\{[^}]*\}|\([^)]*\))")
# Training examples of the stories and crises that do fire a side question, each with why
# that is right. Empty today: none of the signaler_* or crisis examples fires.
ALLOWED_STORY_EXAMPLES: dict[str, str] = {}


def _training_examples() -> list[tuple[str, str]]:
    """(intent, text) of data/nlu.yml, entity annotations reduced to their words."""
    data = yaml.safe_load(NLU_FILE.read_text(encoding="utf-8"))
    return [
        (block["intent"], _ANNOTATION.sub(r"\1", line.strip()[2:]))
        for block in data["nlu"]
        if "intent" in block
        for line in block["examples"].splitlines()
        if line.strip().startswith("- ")
    ]


def test_no_story_or_crisis_we_train_on_is_taken_for_a_side_question() -> None:
    examples = [
        text
        for intent, text in _training_examples()
        if intent.startswith("signaler_") or intent == "crise_detresse"
    ]
    assert len(examples) > 600
    fired = {
        text: question.kind
        for text in examples
        if (question := find_side_question(text)) is not None
    }
    assert set(fired) == set(ALLOWED_STORY_EXAMPLES), fired


def test_every_bot_challenge_we_train_on_is_the_robot_question() -> None:
    examples = [text for intent, text in _training_examples() if intent == "bot_challenge"]
    missed = [
        text for text in examples if (q := find_side_question(text)) is None or q.kind != "robot"
    ]
    assert not missed


@pytest.mark.parametrize("role", ["victime", "temoin", None])
def test_fear_of_the_parents_a_figure_of_speech_too_always_names_the_3114(role) -> None:
    # "si mes parents voient ca jsuis mort": a figure answered as a question, never nothing.
    question = find_side_question("si mes parents voient ca jsuis mort")
    assert question is not None and question.kind == "peur_parents"
    assert "3114" in question.answer_for(role)
