"""After a message of distress: stay with the person, and go back to the questions only when they say so.

Pure Python. The Rasa actions keep the state in a slot and send the responses named here.
Two modes, as crisis counsellors work:
- `explicite`: the emergency answer was given; the next messages are answered by staying
  with the person (are you safe now, the 3114, an adult nearby), never by the next question;
- `ambigu`: a figure of speech ("mort de honte") got a direct, kind question with the 3114;
  a "yes" (or "I don't know") gets the emergency answer, a "no" goes back to the story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from refuge.story import read_story
from refuge.text import normalise

EXPLICIT, AMBIGUOUS = "explicite", "ambigu"
RESUME_INTENT = "reprendre"

# "on peut reprendre", "on continue les questions", "c bon on continue".
_RESUME = re.compile(
    r"\b(reprendre|reprend|reprends|reprenons|continuer|continue|continues|continuons"
    r"|la suite|on y va|on avance|passer a la suite)\b"
)
# To "do you think of hurting yourself?" (the ambiguous mode's question).
_YES = re.compile(
    r"^(oui|ouais|ouai|wi|ui|yes|yep|oe|si|bien sur|carrement|grave|un peu|parfois|des fois"
    r"|peut etre|ptet|ptetre|affirmer)\b"
)
# To "are you safe, now?" (the explicit mode's question).
# Someone is with them, or help is being called: "jsuis avec la cpe", "ma soeur appelle".
_SAFE = re.compile(
    r"^(oui|ouais|ouai|wi|ui|yes|yep|oe|ca va|ok ca va|c bon|c est bon|affirmer)\b"
    r"|\b(en securite|ca va mieux|je vais mieux"
    r"|(je suis|jsuis|chui|jsui|suis) (avec|chez) (ma|mon|mes|la|le|l|un|une|des|mes)"
    r"|(ma|mon|mes|la|le) \w+ (est|sont) (la|a cote|avec moi|chez moi)"
    r"|(elle|il|ils|on) (appelle|appellent|a appele|ont appele|vient|viennent|arrive|arrivent))\b"
)
# "reste avec moi", "continue de me parler": stay, even when a word of resuming is in it.
_STAY = re.compile(
    r"\b(restes? (avec moi|la|stp)|pars pas|me laisse pas|laisse moi pas"
    r"|continues? (a|de) me parler|parle moi)\b"
)
# Calling for help, said after the direct question: "jvais essayer d'appeler".
_CALLING = re.compile(
    r"\b(appeler|dappeler|appelle|appel|appele|telephoner|3114|le numero|ce numero)\b"
)
_FINE = re.compile(r"\b(ca va|tout va bien|je vais bien|ca va mieux|en securite)\b(?! pas)")
_UNSAFE = re.compile(r"^(non|nan|no|nn|pas vraiment|pas trop|pas du tout)\b|\bpas en securite\b")
_UNSURE = re.compile(
    r"\b(je sais pas|jsais pas|jsp|sais pas|je ne sais pas|chais pas|aucune idee)\b"
)


@dataclass(frozen=True)
class Step:
    """What to answer (a response name of domain.yml, or None), the new mode, and whether to resume."""

    response: str | None
    mode: str
    resume: bool = False


def resume_asked(text: str) -> bool:
    """The person says the questions can go on ("on peut reprendre", "on continue")."""
    return bool(_RESUME.search(normalise(text or "")))


def tells_a_story(text: str) -> bool:
    """The message states a fact of the story ("il menace de tout publier si je paie pas").

    The classifier reads a situation in almost anything said after a crisis ("je vais
    appeler, reste avec moi" came out as sextortion at 0.97): a story is only taken up
    when the message itself says something of it, not only who is there ("ma soeur").
    """
    return any(name != "role" for name in read_story(text))


def crisis_mode(level: str | None, current_mode: str | None) -> str:
    """The mode after a crisis message: explicit signs win, and an explicit crisis stays one."""
    if level == AMBIGUOUS and current_mode != EXPLICIT:
        return AMBIGUOUS
    return EXPLICIT


def crisis_response(mode: str) -> str:
    return "utter_crise" if mode == EXPLICIT else "utter_question_crise"


def aftercare_step(
    mode: str | None, intent: str | None, text: str, tells_story: bool = False
) -> Step:
    """The answer to a message that follows a crisis answer (not itself a crisis).

    `tells_story`: the classifier read a situation in the message; it is taken up as the
    person going on with their story only when the message states a fact of it.
    """
    normalised = normalise(text or "")
    stays = bool(_STAY.search(normalised))
    wants_to_resume = not stays and (intent == RESUME_INTENT or bool(_RESUME.search(normalised)))
    tells_story = tells_story and not stays and tells_a_story(text)
    unsure = intent == "ne_sait_pas" or bool(_UNSURE.search(normalised))

    if mode == AMBIGUOUS:
        # "ok" is read as "affirmer" but answers nothing: only a yes in words (or the
        # button) is a yes. The doubt goes to safety: "I don't know" is a yes.
        if _YES.search(normalised) or normalised == "affirmer" or unsure:
            return Step("utter_crise", EXPLICIT)
        # "dac jvais essayer d'appeler", "reste avec moi", "ma soeur est à côté": no "no",
        # and what a person in distress says: stay with them, never the next question.
        said_no = bool(_UNSAFE.search(normalised)) or intent == "nier"
        someone_near = bool(_SAFE.search(normalised)) and not _FINE.search(normalised)
        calls_or_is_with_someone = bool(_CALLING.search(normalised)) or someone_near
        if stays or (calls_or_is_with_someone and not said_no):
            return Step("utter_crise_soutien", EXPLICIT)
        # A "no", or anything else (often the answer to the earlier question): the
        # figure of speech was one; say the door stays open, and go on.
        return Step("utter_crise_ecartee", AMBIGUOUS, resume=True)

    # "non ça va" is fine, said the French way: "ça va" wins over the "non" before it.
    fine = bool(_FINE.search(normalised))
    unsafe = not fine and (intent == "nier" or bool(_UNSAFE.search(normalised)))
    if (wants_to_resume or tells_story) and not unsafe:
        return Step("utter_reprise", EXPLICIT, resume=True)
    if unsafe or unsure:
        # "Are you safe now?" "No": the emergency numbers again, now.
        return Step("utter_crise_pas_en_securite", EXPLICIT)
    if not stays and (fine or _SAFE.search(normalised)):
        return Step("utter_crise_en_securite", EXPLICIT)
    return Step("utter_crise_soutien", EXPLICIT)
