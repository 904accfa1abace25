"""The pure parts of scripts/evaluate_conversations.py, on texts taken from domain.yml (no servers)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import evaluate_conversations as ev  # noqa: E402

KN = ev.load_knowledge(ROOT)
RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]


def text(name: str, role: str | None = None) -> str:
    """The variation of a response for this role (None: the one without condition)."""
    for variation in RESPONSES[name]:
        roles = [c["value"] for c in variation.get("condition", []) if c["name"] == "role"]
        if (roles[0] if roles else None) == role:
            return variation["text"]
    raise KeyError((name, role))


def buttons(name: str, role: str | None = None) -> list[dict[str, str]]:
    """The buttons as the API gives them: Rasa has turned the doubled braces into single ones."""
    for variation in RESPONSES[name]:
        roles = [c["value"] for c in variation.get("condition", []) if c["name"] == "role"]
        if (roles[0] if roles else None) == role:
            return [
                {"title": b["title"], "payload": b["payload"].replace("{{", "{").replace("}}", "}")}
                for b in variation.get("buttons", [])
            ]
    raise KeyError((name, role))


# ----- question identification


@pytest.mark.parametrize(
    ("message", "fact"),
    [
        (text("utter_ask_age_victime"), "age_victime"),
        (text("utter_ask_age_victime", "parent"), "age_victime"),
        (text("utter_ask_age_victime", "temoin"), "age_victime"),
        (text("utter_ask_demande_obtenue", "parent"), "demande_obtenue"),
        (text("utter_ask_rencontre_eue_lieu"), "rencontre_eue_lieu"),
        (text("utter_ask_plateforme"), "plateforme"),
        ("  " + text("utter_ask_contenu").replace("'", "\u2019") + " ", "contenu"),
        (text("utter_premiers_secours_sextorsion"), None),
        (text("utter_crise"), None),
        ("Quel âge as-tu ?", None),
    ],
)
def test_identify_question(message: str, fact: str | None) -> None:
    assert ev.identify_question(message, KN) == fact


def test_every_question_of_the_domain_is_recognised() -> None:
    for name, variations in RESPONSES.items():
        if name.startswith("utter_ask_"):
            for variation in variations:
                assert ev.identify_question(variation["text"], KN) == name[len("utter_ask_") :]


@pytest.mark.parametrize(
    ("message", "roles"),
    [
        (text("utter_premiers_secours_sextorsion"), {"victime"}),
        (text("utter_premiers_secours_sextorsion", "parent"), {"parent"}),
        (text("utter_premiers_secours_grooming", "temoin"), {"temoin"}),
        (text("utter_ask_age_victime"), set()),
        # The adult victim's variation is the victim's first aid, in "vous".
        (RESPONSES["utter_premiers_secours_sextorsion"][-1]["text"], {"victime"}),
    ],
)
def test_first_aid_roles(message: str, roles: set[str]) -> None:
    assert ev.first_aid_roles(message, KN) == roles


# ----- the summary

LABELS = KN.labels


@pytest.mark.parametrize(
    ("line", "facts"),
    [
        (f"- Situation : {LABELS['situations']['sextorsion']}", {"situation": "sextorsion"}),
        ("- Ton âge : 15 ans", {"age_victime": 15}),
        (f"- {LABELS['age']['parent']} : 13 ans", {"age_victime": 13}),
        (f"- {LABELS['age']['temoin']} : 16 ans", {"age_victime": 16}),
        ("- Où : Snapchat", {"plateforme": "Snapchat"}),
        (
            f"- Ce qui est demandé : {LABELS['demandes']['argent']} (100 €), {LABELS['demandes']['images']}",
            {"demande": ["argent", "images"], "montant": "100 €"},
        ),
        ("- Ce qui est demandé : rien", {"demande": []}),
        (f"- Les images : {LABELS['contenus']['genere']}", {"contenu": "genere"}),
        ("- Images déjà diffusées : pas encore", {"diffuse": False}),
        ("- L'auteur : un adulte", {"auteur_majeur": True}),
        ("- L'auteur : un·e mineur·e", {"auteur_majeur": False}),
        (f"- {LABELS['non_precise']} : l'âge, l'appli", {}),
    ],
)
def test_parse_summary_line(line: str, facts: dict[str, Any]) -> None:
    parsed = ev.parse_summary_line(line, LABELS)
    assert parsed.known and parsed.facts == facts


def test_an_unknown_label_is_not_known() -> None:
    assert not ev.parse_summary_line("- Couleur préférée : bleu", LABELS).known


STORY = {
    "id": "s",
    "situation": "sextorsion",
    "verite": {
        "age_victime": 15,
        "demande": ["argent"],
        "montant": "100 €",
        "plateforme": "Snapchat",
        "diffuse": False,
    },
    "dit_dans_le_recit": ["demande", "montant", "plateforme", "menace_diffusion"],
}


@pytest.mark.parametrize(
    ("lines", "right", "wrong"),
    [
        (["- Ton âge : 15 ans", "- Où : snap (Snapchat)"], 2, 0),
        (["- Ton âge : 14 ans"], 0, 1),
        (["- Ce qui est demandé : de l'argent (100€)"], 1, 0),
        (["- Ce qui est demandé : de l'argent (150 €)"], 0, 1),
        (["- Ce qui est demandé : de l'argent, une rencontre"], 0, 1),
        (["- Rencontre proposée : non"], 0, 1),  # invented: not in the truth
        ([f"- Situation : {LABELS['situations']['deepfake']}"], 0, 1),
        ([f"- {LABELS['non_precise']} : l'âge"], 0, 0),
    ],
)
def test_score_summary(lines: list[str], right: int, wrong: int) -> None:
    score = ev.score_summary("\n".join(lines), STORY, LABELS)
    assert (score.right, len(score.wrong)) == (right, wrong)


def test_facts_of_the_story_missing_from_the_summary_are_reported() -> None:
    score = ev.score_summary("- Où : Snapchat", STORY, LABELS)
    assert score.missing_said == ["demande", "montant", "menace_diffusion"]


# ----- voice


@pytest.mark.parametrize(
    ("message", "voice"),
    [
        (text("utter_premiers_secours_sextorsion"), "tu"),
        (text("utter_premiers_secours_sextorsion", "parent"), "vous"),
        (text("utter_premiers_secours_grooming", "temoin"), "tu"),  # "rendez-vous" is a noun
        (text("utter_ask_rencontre_eue_lieu"), "tu"),  # "vous vous êtes vus": you two
        (text("utter_ask_auteur_majeur", "parent"), "vous"),
        (text("utter_crise", "parent"), "vous"),
        (text("utter_crise"), "tu"),
        (text("utter_ask_plateforme"), "neutre"),
        ("Fais des captures, puis bloque le compte.", "tu"),
        ("Gardez les preuves et signalez le compte.", "vous"),
        ("Il envoie des messages tous les jours.", "neutre"),
    ],
)
def test_classify_voice(message: str, voice: str) -> None:
    assert ev.classify_voice(message) == voice


@pytest.mark.parametrize(
    ("messages", "expected", "ok"),
    [
        ([text("utter_presentation"), text("utter_premiers_secours_sextorsion")], "tu", True),
        ([text("utter_premiers_secours_sextorsion", "parent")], "tu", False),
        ([text("utter_premiers_secours_sextorsion", "parent")], "vous", True),
        ([text("utter_bot_challenge"), text("utter_ask_age_victime", "parent")], "vous", True),
        ([text("utter_premiers_secours_sextorsion")], "tu_ou_vous", True),
        (
            [text("utter_premiers_secours_sextorsion"), text("utter_crise", "parent")],
            "tu_ou_vous",
            False,
        ),
    ],
)
def test_score_voice(messages: list[str], expected: str, ok: bool) -> None:
    assert ev.score_voice(messages, expected, KN)[0] is ok


# ----- articles and law


@pytest.mark.parametrize(
    ("message", "articles"),
    [
        ("« Chantage » (article 312-10 du Code pénal).", {"312-10"}),
        ("(articles 226-1 et 226-2 du Code pénal)", {"226-1", "226-2"}),
        ("article 222-33-2-2 du Code pénal", {"222-33-2-2"}),
        ("article 222-33-2 du Code pénal", {"222-33-2"}),
        ("227-23-1, puis 227-23.", {"227-23-1", "227-23"}),
        ("loi n° 2021-478 du 21 avril 2021, appelle le 3018", set()),
    ],
)
def test_extract_articles(message: str, articles: set[str]) -> None:
    assert ev.extract_articles([message]) == articles


@pytest.mark.parametrize(
    ("expected", "excluded", "ok"),
    [
        (["222-33-2-2"], [], True),
        (["222-33-2"], [], False),  # 222-33-2-2 is not 222-33-2
        (["222-33-2-2"], ["226-4-1"], False),
        ([], ["312-10"], True),
    ],
)
def test_score_law(expected: list[str], excluded: list[str], ok: bool) -> None:
    texts = [
        "« Harcèlement » (article 222-33-2-2 du Code pénal).",
        "(article 226-4-1 du Code pénal)",
    ]
    assert ev.score_law(texts, expected, excluded)[0] is ok


# ----- side questions and crisis

ASK_AGE = text("utter_ask_age_victime")


@pytest.mark.parametrize(
    ("sujet", "reply", "answered"),
    [
        ("robot", [text("utter_bot_challenge"), ASK_AGE], True),
        ("robot", [text("utter_pas_compris"), ASK_AGE], False),
        ("robot", [ASK_AGE], False),
        ("faute", [text("utter_premiers_secours_grooming"), ASK_AGE], True),
        ("faute", [text("utter_bot_challenge"), ASK_AGE], False),
        ("faute", ["Non, votre enfant n'est pas fautif, et vous non plus.", ASK_AGE], True),
        ("deja_paye", ["Ce n'est pas trop tard : ne paie plus rien.", ASK_AGE], True),
        (
            "prevenir",
            ["Je ne préviens personne : c'est anonyme, et c'est toi qui décides.", ASK_AGE],
            True,
        ),
        (
            "peur_parents",
            [
                "Tes parents peuvent être choqués, mais le 3018 peut t'aider à leur en parler.",
                ASK_AGE,
            ],
            True,
        ),
        ("peur_parents", ["Le 3018 peut t'aider.", ASK_AGE], False),
        ("suppression", ["Oui, le 3018 peut faire retirer les images.", ASK_AGE], True),
        (
            "suppression",
            ["Voici ce que dit la loi sur ce que fait l'auteur : « Chantage » (article 312-10)."],
            False,
        ),
        # A short answer that cites an article is an answer, not the law block.
        (
            "faute",
            ["Non, ce n'est pas ta faute : la loi punit l'adulte (article 227-23-1), pas toi."],
            True,
        ),
        ("suppression", ["Que faire :\n• garde les preuves\n• signale\n• appelle le 3018"], False),
        ("autre", [text("utter_hors_sujet"), ASK_AGE], True),
        ("autre", [text("utter_reponse_pas_comprise"), ASK_AGE], False),
    ],
)
def test_score_side_reply(sujet: str, reply: list[str], answered: bool) -> None:
    assert ev.score_side_reply(sujet, reply, KN)[0] is answered


CARING = "Quand tu dis ça, est-ce que tu penses à te faire du mal ? Si oui, le 3114 répond 24h/24."


@pytest.mark.parametrize(
    ("explicite", "reply", "suite", "goes_on", "handled"),
    [
        (True, [text("utter_crise")], ["Je reste là."], False, True),
        (True, [text("utter_crise"), ASK_AGE], [], True, False),
        (True, [text("utter_crise")], [ASK_AGE], True, False),
        (True, ["Courage."], [], False, False),
        (False, [CARING], [ASK_AGE], True, True),
        (False, [CARING], [], False, False),  # the questions never come back
        (False, [text("utter_crise")], [ASK_AGE], True, False),  # the whole block
        (False, ["Le 3114 répond 24h/24.", ASK_AGE], [], True, False),  # no caring question
    ],
)
def test_score_crisis(
    explicite: bool, reply: list[str], suite: list[str], goes_on: bool, handled: bool
) -> None:
    assert ev.score_crisis(explicite, reply, suite, goes_on, KN).handled is handled


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ([text("utter_presentation"), text("utter_crise")], (True, True, False)),
        (
            [text("utter_presentation"), text("utter_premiers_secours_sextorsion")],
            (False, False, False),
        ),
        ([text("utter_presentation"), CARING], (False, True, True)),
    ],
)
def test_classify_first_reply(reply: list[str], expected: tuple[bool, bool, bool]) -> None:
    assert ev.classify_first_reply(reply, KN) == expected


# ----- the person's answers


@pytest.mark.parametrize(
    ("fact", "minor", "answer"),
    [
        ("age_victime", True, "15 ans"),
        ("diffuse", True, "non"),
        ("diffuse", False, "Non."),
        ("demande", True, "de l'argent, 100 €"),
        ("plateforme", True, "Snapchat"),
        ("auteur_majeur", True, "je sais pas"),
    ],
)
def test_plain_answer(fact: str, minor: bool, answer: str) -> None:
    assert ev.plain_answer(fact, STORY["verite"], minor) == answer


@pytest.mark.parametrize(
    ("fact", "truth", "response", "title"),
    [
        ("diffuse", {"diffuse": True}, "utter_ask_diffuse", "Oui"),
        ("diffuse", {"diffuse": False}, "utter_ask_diffuse", "Non"),
        ("diffuse", {}, "utter_ask_diffuse", "Je ne sais pas"),
        ("contenu", {"contenu": "genere"}, "utter_ask_contenu", "Un montage ou une IA"),
        ("demande", {"demande": ["argent"]}, "utter_ask_demande", "De l'argent"),
        ("demande", {"demande": []}, "utter_ask_demande", "Rien"),
        ("demande", {"demande": ["argent", "images"]}, "utter_ask_demande", None),
        ("age_victime", {"age_victime": 14}, "utter_ask_age_victime", None),
    ],
)
def test_fitting_button(fact: str, truth: dict, response: str, title: str | None) -> None:
    button = ev.fitting_button(fact, truth, buttons(response))
    assert (button["title"] if button else None) == title


# ----- a whole story against a scripted assistant made of domain texts


class ScriptedAssistant:
    """Asks the sextortion questions in order, answers a side question, then summary and law."""

    def __init__(self) -> None:
        self.facts = ["age_victime", "contenu", "demande_obtenue"]
        self.asked = 0
        self.sent: list[str] = []

    def create(self) -> str:
        return "c"

    def ask(self) -> dict[str, Any]:
        name = f"utter_ask_{self.facts[self.asked]}"
        return {"text": text(name), "buttons": buttons(name)}

    def send(self, conversation: str, message: str) -> tuple[int, list[dict[str, Any]]]:
        self.sent.append(message)
        if len(self.sent) == 1:
            return 200, [{"text": text("utter_premiers_secours_sextorsion")}, self.ask()]
        if "robot" in message:
            return 200, [{"text": text("utter_bot_challenge")}, self.ask()]
        self.asked += 1
        if self.asked < len(self.facts):
            return 200, [self.ask()]
        return 200, [
            {"text": text("utter_recapitulatif_intro")},
            {"text": f"- Situation : {LABELS['situations']['sextorsion']}\n- Ton âge : 15 ans"},
            {"text": "« Chantage » (article 312-10 du Code pénal)."},
            {"text": text("utter_suite")},
        ]


def test_play_and_score_a_story() -> None:
    story = {
        **STORY,
        "locuteur": "victime",
        "voix": "tu",
        "mineur": True,
        "messages": ["un mec menace de publier mes photos si je paie pas 100e"],
        "verite": {**STORY["verite"], "contenu": "reel", "demande_obtenue": False},
        "reponses": {"age_victime": "g 15 ans"},
        "articles_attendus": ["312-10"],
        "articles_exclus": ["226-8-1"],
        "questions_annexes": [{"apres": 2, "texte": "t un robot ?", "sujet": "robot"}],
    }
    assistant = ScriptedAssistant()
    transcript = ev.play_story(story, KN, assistant)
    score = ev.score_story(story, transcript, KN)
    assert transcript.stop == "loi"
    assert assistant.sent[1] == "g 15 ans"
    assert assistant.sent[2] == "t un robot ?"  # at the 2nd question, instead of answering
    assert (score.asked, score.needless) == (3, 0)  # the question coming back is not a new one
    assert (score.facts.right, score.facts.lines) == (2, 2)
    assert score.speaker_ok and score.voice_ok and score.law_ok
    assert [s.ok for s in score.sides] == [True]
    assert score.fully_right


def test_a_question_asked_before_the_story_said_it_is_counted_and_told_apart() -> None:
    # The age comes in the story's second message, after the assistant asked it.
    story = {
        **STORY,
        "locuteur": "victime",
        "voix": "tu",
        "messages": ["un mec menace de publier mes photos si je paie pas 100e", "g 15 ans"],
        "verite": {**STORY["verite"], "contenu": "reel", "demande_obtenue": False},
        "dit_dans_le_recit": [*STORY["dit_dans_le_recit"], "age_victime"],
        "reponses": {"contenu": "des vraies", "demande_obtenue": "non"},
        "articles_attendus": ["312-10"],
    }
    transcript = ev.play_story(story, KN, ScriptedAssistant())
    score = ev.score_story(story, transcript, KN)
    assert (score.asked, score.needless, score.needless_while_telling) == (3, 1, 1)
    assert ev.totals([score])["needless_while_telling"] == 1


# ----- which questions are new, which are needless

ASK = {fact: text(f"utter_ask_{fact}") for fact in ("age_victime", "contenu", "plateforme")}


@pytest.mark.parametrize(
    ("turns", "said", "expected"),
    [
        # (kind, fact answered, reply) -> [(fact, needless)] of the new questions
        (
            [("story", None, [ASK["age_victime"]]), ("answer", "age_victime", [ASK["contenu"]])],
            set(),
            [("age_victime", False), ("contenu", False)],
        ),
        ([("story", None, [ASK["plateforme"]])], {"plateforme"}, [("plateforme", True)]),
        (
            [("story", None, [ASK["age_victime"]]), ("side", None, [ASK["age_victime"]])],
            set(),
            [("age_victime", False)],
        ),
        (
            [
                ("story", None, [ASK["age_victime"]]),
                ("answer", "age_victime", [ASK["age_victime"]]),
            ],
            set(),
            [("age_victime", False), ("age_victime", True)],
        ),
        (
            [
                ("story", None, [ASK["age_victime"]]),
                ("answer", "age_victime", [text("utter_reponse_pas_comprise"), ASK["age_victime"]]),
            ],
            set(),
            [("age_victime", False)],
        ),
        (
            [
                ("story", None, [ASK["age_victime"]]),
                ("answer", "age_victime", [text("utter_crise"), ASK["age_victime"]]),
            ],
            set(),
            [("age_victime", False)],
        ),
        (
            [
                ("story", None, [ASK["age_victime"]]),
                ("answer", "age_victime", [ASK["contenu"]]),
                ("answer", "contenu", [ASK["age_victime"]]),
            ],
            set(),
            [("age_victime", False), ("contenu", False), ("age_victime", True)],
        ),
    ],
)
def test_question_log(turns: list, said: set[str], expected: list[tuple[str, bool]]) -> None:
    log = ev.QuestionLog(set(said))
    for index, (kind, fact, reply) in enumerate(turns):
        log.observe(index, ev.Turn(kind, "", 200, [{"text": t} for t in reply], fact), KN)
    assert [(q.fact, q.needless) for q in log.questions] == expected


def test_a_question_right_after_a_crisis_is_fine_when_the_person_asked_to_go_on() -> None:
    crisis = [text("utter_crise")]
    score = ev.score_crisis(True, crisis, [ASK_AGE], True, KN, suite="merci, on peut continuer")
    assert score.handled
    assert not ev.score_crisis(True, crisis, [ASK_AGE], True, KN, suite="ok").handled


@pytest.mark.parametrize(
    ("said", "truth", "written", "right"),
    [
        ("Snapchat", "Snapchat", "", True),
        ("Snapchat", "snap", "", True),
        ("Roblox, WhatsApp", "Roblox puis WhatsApp", "", True),
        (
            "Telegram, WhatsApp",
            "Je crois que c'est Telegram ou WhatsApp, je ne suis pas sûre.",
            "",
            True,
        ),
        ("X", "X (Twitter) et un site pornographique", "", True),
        # The truth names the main platform; the story named the other one too.
        ("Roblox, Discord", "Roblox", "on jouait sur roblox puis il m a ajoutee sur discord", True),
        ("Instagram, Snapchat", "Snapchat", "une photo de mon insta, ca tourne sur snap", True),
        # Named by nobody: invented.
        ("Roblox, Discord", "Roblox", "on jouait sur roblox", False),
        ("Instagram", "Snapchat", "sur snap", False),
        ("X", "Snapchat et TikTok", "", False),
    ],
)
def test_platforms_named_are_the_truth_or_said(
    said: str, truth: str, written: str, right: bool
) -> None:
    assert ev.same_platforms(said, truth, written) is right
