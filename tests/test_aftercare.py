"""After a message of distress (refuge.aftercare): the assistant stays with the person first."""

from __future__ import annotations

import pytest

from refuge.aftercare import AMBIGUOUS, EXPLICIT, aftercare_step, crisis_mode, crisis_response


@pytest.mark.parametrize(
    ("level", "current", "mode"),
    [
        ("explicite", None, EXPLICIT),
        ("ambigu", None, AMBIGUOUS),
        (None, None, EXPLICIT),  # only the classifier saw it: the emergency answer
        ("ambigu", EXPLICIT, EXPLICIT),  # once explicit, a figure of speech does not soften it
    ],
)
def test_explicit_signs_win_and_stay(level, current, mode) -> None:
    assert crisis_mode(level, current) == mode


def test_a_figure_of_speech_gets_a_question_not_the_whole_block() -> None:
    assert crisis_response(AMBIGUOUS) == "utter_question_crise"
    assert crisis_response(EXPLICIT) == "utter_crise"


@pytest.mark.parametrize(
    ("intent", "text", "response", "resume"),
    [
        ("remercier", "ok", "utter_crise_soutien", False),
        ("affirmer", "ok", "utter_crise_soutien", False),
        ("affirmer", "/affirmer", "utter_crise_en_securite", False),
        ("affirmer", "oui", "utter_crise_en_securite", False),
        ("informer", "ca va mieux", "utter_crise_en_securite", False),
        ("nier", "non", "utter_crise_pas_en_securite", False),
        ("informer", "pas vraiment", "utter_crise_pas_en_securite", False),
        ("ne_sait_pas", "jsp", "utter_crise_pas_en_securite", False),
        ("informer", "g 14 ans", "utter_crise_soutien", False),
        ("signaler_sextorsion", "il m'a encore écrit", "utter_crise_soutien", False),
        ("reprendre", "on peut reprendre", "utter_reprise", True),
        ("informer", "c bon on continue", "utter_reprise", True),
        # Someone is there, or help is being called: not a wish to go on.
        (
            "signaler_cyberharcelement",
            "ok ma soeur est a cote elle appelle",
            "utter_crise_en_securite",
            False,
        ),
        ("signaler_cyberharcelement", "ok jsuis avec la cpe la", "utter_crise_en_securite", False),
        ("affirmer", "les pompiers arrivent", "utter_crise_soutien", False),
        # "reste avec moi" is heard before anything else in the message.
        (
            "signaler_sextorsion",
            "d'accord. je vais appeler, reste avec moi deux minutes",
            "utter_crise_soutien",
            False,
        ),
        ("reprendre", "continue de me parler stp", "utter_crise_soutien", False),
    ],
)
def test_after_the_emergency_answer_the_questions_wait_until_the_person_says_so(
    intent, text, response, resume
) -> None:
    # The classifier read a situation in some of them: they state no fact of a story.
    step = aftercare_step(EXPLICIT, intent, text, intent.startswith("signaler"))
    assert (step.response, step.resume, step.mode) == (response, resume, EXPLICIT)


@pytest.mark.parametrize(
    ("intent", "text", "response", "mode", "resume"),
    [
        ("affirmer", "oui", "utter_crise", EXPLICIT, False),
        ("informer", "un peu", "utter_crise", EXPLICIT, False),
        ("ne_sait_pas", "jsais pas", "utter_crise", EXPLICIT, False),
        ("nier", "non", "utter_crise_ecartee", AMBIGUOUS, True),
        ("informer", "nn c une facon de parler", "utter_crise_ecartee", AMBIGUOUS, True),
        ("informer", "g 14 ans", "utter_crise_ecartee", AMBIGUOUS, True),
        # No "no", and the words of someone in distress: stay with them.
        ("informer", "dac jvais essayer dappeler", "utter_crise_soutien", EXPLICIT, False),
        ("informer", "reste avec moi", "utter_crise_soutien", EXPLICIT, False),
        (
            "informer",
            "je suis chez ma soeur là, elle est à côté de moi",
            "utter_crise_soutien",
            EXPLICIT,
            False,
        ),
        ("informer", "non jvais pas appeler c bon", "utter_crise_ecartee", AMBIGUOUS, True),
    ],
)
def test_the_answer_to_the_direct_question_is_followed(
    intent, text, response, mode, resume
) -> None:
    step = aftercare_step(AMBIGUOUS, intent, text)
    assert (step.response, step.mode, step.resume) == (response, mode, resume)


def test_a_story_told_after_the_emergency_answer_is_taken_up() -> None:
    step = aftercare_step(
        EXPLICIT, "signaler_sextorsion", "il menace de tout publier si je paie pas", True
    )
    assert (step.response, step.resume) == ("utter_reprise", True)
    # Unless they say they are not safe.
    assert not aftercare_step(EXPLICIT, "nier", "non", True).resume


def test_non_ca_va_is_fine_said_the_french_way() -> None:
    assert aftercare_step(EXPLICIT, "nier", "non ça va").response == "utter_crise_en_securite"
    assert (
        aftercare_step(EXPLICIT, "nier", "non ça va pas").response == "utter_crise_pas_en_securite"
    )
