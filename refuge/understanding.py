"""Reads facts from what the person wrote: a free message, or the answer to one question.

Pure Python: the Rasa actions pass the intent, the entities and the text, and
get plain values back (refuge/knowledge/dialogue.yml holds the words).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from refuge.facts import ADULT_AGE, AGE_MAX, AGE_MIN, BOOLEAN_FACTS, CONTENUS, DEMANDES, ROLES
from refuge.story import (
    ages_in,
    amount_in_text,
    demanded_amount,
    load_story_words,
    only_a_sum_paid,
    places_of_story,
    platform_mentions,
    read_story,
    situation_from_story,
    speaker_in,
)
from refuge.text import normalise

DIALOGUE_FILE = Path(__file__).parent / "knowledge" / "dialogue.yml"

SITUATION_INTENTS = {
    "signaler_sextorsion": "sextorsion",
    "signaler_deepfake": "deepfake",
    "signaler_grooming": "grooming",
    "signaler_contenu_pedocriminel": "contenu_pedocriminel",
    "signaler_diffusion_non_consentie": "diffusion_non_consentie",
    "signaler_cyberharcelement": "cyberharcelement",
}
CRISIS_INTENT = "crise_detresse"
SKIP_INTENTS = frozenset({"ne_sait_pas", "refus_repondre"})
# Intents that only make sense as an answer: no rule answers them during a
# form, so the form itself must (a re-prompt), never step aside.
ANSWER_INTENTS = frozenset({"informer", "affirmer", "nier", "reprendre", *SKIP_INTENTS})
# The crisis net's entity (components/crisis_net.py): explicit signs or a figure of speech.
CRISIS_ENTITY = "signal_crise"
CRISIS_LEVELS = ("explicite", "ambigu")
# A later message changes the situation only when the classifier is at least this sure.
CHANGE_CONFIDENCE = 0.6
# Situations that a threat with a demand, told later, turns into a sextortion.
ESCALATES_TO_SEXTORTION = frozenset(
    {"diffusion_non_consentie", "grooming", "cyberharcelement", "deepfake"}
)
# A message this long that the classifier could not place is read as a story.
MIN_STORY_WORDS = 8
SITUATION_ONLY_FACTS = {
    "propositions_sexuelles": ("grooming",),
    "diffuse": ("sextorsion", "deepfake", "diffusion_non_consentie", "cyberharcelement"),
}
# The classifier's next guess behind a figure of speech is the story's only when it counts.
MIN_SECOND_GUESS = 0.2
DEMANDE_VALUES = DEMANDES
CONTENU_VALUES = CONTENUS
ROLE_VALUES = ROLES
MIN_AGE, MAX_AGE = AGE_MIN, AGE_MAX
# Longest free-text answer kept as a platform name: anything longer is a
# sentence, not a name, and may carry what identifies someone.
MAX_PLATFORM_TEXT = 40
_NOTHING = object()  # no value at all, not even None

_NUMBER_WORDS = {
    "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11,
    "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
    "dix sept": 17, "dix huit": 18, "dix neuf": 19, "vingt": 20,
}  # fmt: skip
_NUMBER = re.compile(r"\b(\d{1,3})\b")
_DONT_KNOW = re.compile(
    r"^(je (ne )?sais pas|jsais pas|jsp|j sais pas|chais pas|sais pas|nous ne savons pas"
    r"|on (ne )?sait pas|aucune idee|j en sais rien|je n en sais rien|aucun moyen de savoir"
    r"|impossible (a|de) (dire|savoir)|je l ignore|j ignore|nous l ignorons|je ne le sais pas"
    r"|difficile a dire|dur a dire|je ne saurais (pas )?(le )?dire|pas la moindre idee"
    r"|je n ai aucune idee|j ai aucune idee|jai aucune idee|g aucune idee"
    # The child does not know either: "il ne sait pas, le profil est celui d'une fille".
    r"|(il|elle) (ne )?sait pas|(ils|elles) (ne )?savent pas|nous n en (savons|avons) (rien|aucune idee)"
    # "Inconnu." to "is the author an adult?": nobody knows who he is.
    r"|inconnu|inconnue|on ne sait pas qui|personne ne sait)\b"
)
# Doubt said anywhere in the answer: "il dit qu'il a 16 ans mais jsp", "c'est sûrement faux".
_DOUBT = re.compile(
    r"\b(jsp|je (ne )?sais pas|jsais pas|j sais pas|aucune idee|pas sur|pas sure|surement faux"
    r"|peut etre faux|rien n est sur|rien de sur|rien de certain|sans certitude|on ne sait pas"
    r"|nous ne savons pas|on soupconne|nous soupconnons|je soupconne|elle soupconne)\b"
)
# A number that is money, not an age: "g deja mis 50 en carte paysafe", "j'ai payé 40".
_PAID_NUMBER = re.compile(
    r"\b(mis|paye|payee|payer|paie|verse|vire|donne|envoye|depense|achete)( \w+)? (\d{1,3})\b"
    r"|\b(\d{1,3}) (en|de) (carte|cartes|paysafe\w*|pcs|coupons?|neosurf|transcash|bitcoins?|crypto\w*)\b"
)
# An age that is no answer to "how old are you?": children's in images, whoever writes.
_CHILDREN_AGE = re.compile(
    r"\b(enfants?|petits?|petites?|gamins?|gamines?|fillettes?|bebes?)( \w+){0,2} \d{1,2} ans\b"
    # "sur son profil il dit avoir 14 ans", told by a parent: the author's claim, nobody's age.
    r"|\b(profil|pretend\w*|soi disant|se fait passer)( \w+){0,4} \d{1,2} ans\b"
)
# Said by the victim, an age claimed ("il disait qu'il avait 13 ans") or "il a 30 ans" is the
# author's. (A witness's "il m'a dit avoir 13 ans" is the child's own age.)
_OTHERS_AGE = re.compile(
    _CHILDREN_AGE.pattern
    + r"|\b(dit|disait|dise|pretend\w*|soi disant|avoir|avait)( qu (il|elle) (a|avait))?( genre)? \d{1,2} ans\b"
    + r"|\b(il|elle|lui) (a|avait)( genre| environ| au moins)? \d{1,2}( ans)?\b"
)
# A platform without a name: "sur un site pornographique, je ne connais pas le nom exact".
_PORN_SITE = re.compile(r"\b(sites?|forums?) (porno\w*|pour adultes|x|de cul)\b")
# The author named as a pupil or a young person, in an answer to "is the author an adult?".
_YOUNG_AUTHOR = re.compile(
    r"\b(un|une|des|d un|d une) (eleves?|collegien\w*|lyceen\w*|ados?|mineure?s?|gamins?|gamines?)\b"
    r"|\b(de|en) (6e|5e|4e|3e|6eme|5eme|4eme|3eme|seconde|2nde|premiere|1ere|terminale)\b"
)
_ABOUT_AUTHOR = re.compile(
    r"\b(mec|homme|gars|type|adulte|monsieur|en fait|en vrai|mais|il en a)\b"
)
_DENIED = re.compile(
    # "pas des dessins ou de l ia": both denied.
    r"\b(pas|ni) (des|de|d) \w+ ou (de l |des |d |du |de )?(ia|montages?|dessins?|fakes?)\b|"
    r"\b(pas|ni|sans|aucun|aucune|non)( \w+){0,3} (ia|i a|intelligence artificielle|montages?"
    r"|fake|truque\w*|genere\w*|photoshop\w*|deepfakes?|applis?|dessins?|vraies?|vrais?|reel\w*)\b"
)
_NO_IMAGES_ONLY_MESSAGES = re.compile(
    r"\b(pas|aucune?|jamais)( envoye)? (d |de |des )?(images?|photos?|videos?)\b.*"
    r"\b(seulement|juste|que|uniquement|mais) (ces|des|les|de|d) (messages?|textos?|sms)\b"
)
_CLAIMED_AGE = re.compile(r"\b(dit|disait|dise|pretend\w*|soi disant|profil|se fait passer)\b")
_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)?)\s?(€|e\b|eur\b|euros?\b|balles?\b|dollars?\b|\$)")


@dataclass(frozen=True)
class Answer:
    """How the person answered the question about one fact."""

    value: Any = None
    skipped: bool = False


@dataclass(frozen=True)
class DialogueKnowledge:
    implied_facts: Mapping[str, Mapping[str, Any]]
    questions: Mapping[str, tuple[str, ...]]
    conditions: Mapping[str, Mapping[str, Any]]
    demande_words: Mapping[str, tuple[re.Pattern[str], ...]]
    yes: re.Pattern[str]
    no: re.Pattern[str]
    contenu_words: Mapping[str, re.Pattern[str]]


@lru_cache(maxsize=2)
def dialogue_data(path: Path = DIALOGUE_FILE) -> Mapping[str, Any]:
    """dialogue.yml as read, once: the summaries take their labels from it too."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=2)
def load_dialogue_knowledge(path: Path = DIALOGUE_FILE) -> DialogueKnowledge:
    raw = dialogue_data(path)
    replies = raw["reponses"]
    return DialogueKnowledge(
        implied_facts=raw["faits_implicites"],
        questions={situation: tuple(facts) for situation, facts in raw["questions"].items()},
        conditions=raw["questions_conditionnelles"],
        demande_words={
            value: tuple(re.compile(p) for p in patterns)
            for value, patterns in raw["demande_mots"].items()
        },
        yes=re.compile(replies["oui"]),
        no=re.compile(replies["non"]),
        contenu_words={value: re.compile(p) for value, p in replies["contenu"].items()},
    )


def facts_from_message(
    intent: str | None,
    entities: Sequence[Mapping[str, Any]],
    text: str,
    known: Mapping[str, Any],
    confidence: float = 1.0,
    earlier: Sequence[str] = (),
) -> dict[str, Any]:
    """Facts a free message establishes (the story, outside any question).

    The facts come from the story's own words (refuge.story); the classifier's entities
    only add the platform and, when the words say nothing, who writes and the images.
    `earlier` holds the person's earlier messages: what they said there is a fact said,
    not one the situation only implied, and a change of situation keeps it.
    Only values that are new or change are returned. An explicit crisis message yields
    nothing: it must reach the crisis answer untouched.
    """
    if intent == CRISIS_INTENT and crisis_level(entities) != "ambigu":
        return {}
    normalised = normalise(text or "")
    known_role = known.get("role")
    # A role said in words wins over the default "victime" given to a first message.
    role = speaker_in(normalised)
    if role is None and not known_role:
        role = _entity_value(entities, "role", ROLE_VALUES)
    if known_role and known_role != "victime" and role != known_role:
        role = None  # a parent or a professional stays who they said they are
    story = read_story(text, role or known_role)
    story.pop("role", None)

    found: dict[str, Any] = {}
    stated_before = read_story(" \n ".join(earlier), role or known_role) if earlier else {}
    # Decided on what was said, not on what the current situation only implied.
    stated = stated_facts(known, stated_before)
    situation = decide_situation(
        known.get("situation"), intent, confidence, {**stated, **story}, normalised
    )
    if situation and situation != known.get("situation"):
        found["situation"] = situation
        found.update(implied_facts_change(known, situation, {**stated_before, **story}))
    if role:
        found["role"] = role
    elif (situation or known.get("situation")) and not known_role:
        found["role"] = "victime"

    # Facts that speak of another situation's story: sexual proposals are grooming's
    # question, and images "spread" are the victim's own, not child abuse material seen.
    kept_for = situation or known.get("situation")
    for fact, situations in SITUATION_ONLY_FACTS.items():
        if kept_for and kept_for not in situations:
            story.pop(fact, None)
    if known.get("montant") and story.get("montant") and only_a_sum_paid(normalised):
        story.pop("montant")  # "jai deja mis 50e" after "ils veulent 300 balles": still 300
    restarted = False  # a blackmail that started from a demand already met
    if earlier and story.get("demande") and known.get("demande_obtenue") is True:
        # "il ma demande une photo et jlai envoyee", then "mtn il veut une video sinon …":
        # what was sent met the first demand, not the blackmail's; read on the whole story.
        whole = read_story(" \n ".join([*earlier, text or ""]), role or known_role)
        # What the earlier messages demanded and the whole story no longer does was met.
        met = set(stated_before.get("demande") or []) - set(whole.get("demande") or [])
        if whole.get("demande_obtenue") is None and "demande_obtenue" not in story:
            found["demande_obtenue"] = None
            # ... and what it asked for first is no longer what is demanded.
            restarted = bool(whole.get("demande"))
        elif met and whole.get("demande"):
            # "elle ma demande une video et jlai fait", then "il voulait 3 cartes paysafe …
            # jlui ai envoye les codes": paid, and the money is what is demanded now.
            restarted = True
        if restarted:
            story["demande"] = whole["demande"]
    for fact, value in story.items():
        if fact == "demande" and not restarted:
            value = sorted(set(value) | set(known.get("demande") or []), key=DEMANDE_VALUES.index)
        found[fact] = value
    if "contenu" not in found and known.get("contenu") is None:
        contenu = _entity_value(entities, "contenu", CONTENU_VALUES)
        if contenu:
            found["contenu"] = contenu
    places = places_of_story(platform_mentions(entities, text or ""))
    if places:
        found["plateforme"] = places[0][:MAX_PLATFORM_TEXT]

    return {name: value for name, value in found.items() if known.get(name) != value}


def stated_facts(known: Mapping[str, Any], stated_before: Mapping[str, Any]) -> dict[str, Any]:
    """The known facts less those the current situation only implied: a value equal to
    the implied one counts as said only when the earlier messages said it."""
    implied_now = load_dialogue_knowledge().implied_facts.get(known.get("situation") or "", {})
    return {
        fact: value
        for fact, value in known.items()
        if not (implied_now.get(fact, _NOTHING) == value and stated_before.get(fact) != value)
    }


def implied_facts_change(
    known: Mapping[str, Any], situation: str, said: Mapping[str, Any]
) -> dict[str, Any]:
    """The facts a change of situation sets: what the old one only implied ("shared, no
    threat") is forgotten (None), what the new one implies is set, and what the person
    said (`said`: this message and the earlier ones) stays for the caller to set: "mes
    nudes", said first, stays real when the story becomes a sextortion."""
    implied = load_dialogue_knowledge().implied_facts
    old = implied.get(known.get("situation") or "", {})
    dropped = {fact for fact, value in old.items() if known.get(fact) == value and fact not in said}
    change: dict[str, Any] = dict.fromkeys(dropped)
    for fact, value in implied.get(situation, {}).items():
        if (known.get(fact) is None or fact in dropped) and fact not in said:
            change[fact] = value
    return change


def decide_situation(
    current: str | None,
    intent: str | None,
    confidence: float,
    facts: Mapping[str, Any],
    normalised: str,
) -> str | None:
    """The situation of the conversation: decided from the story, then kept.

    A later message changes it only when it clearly tells another story: the classifier
    is sure and the message's own facts describe that other situation. "non il menace
    pas", classified as a sextortion, leaves a deepfake a deepfake.
    """
    said = SITUATION_INTENTS.get(intent or "")
    from_facts = situation_from_story(facts, normalised)
    if current:
        # A few words are an answer or a detail ("ce sont de vraies photos"), not a new story.
        if len(normalised.split()) < MIN_STORY_WORDS:
            return current
        if said and said != current and confidence >= CHANGE_CONFIDENCE and from_facts == said:
            return said
        # A threat with a demand, told later, turns any story into a sextortion.
        if from_facts == "sextorsion" and current in ESCALATES_TO_SEXTORTION:
            return "sextorsion"
        return current
    if said is None:
        # A long story the classifier could not place: its facts may still be clear.
        return from_facts if len(normalised.split()) >= MIN_STORY_WORDS else None
    told = any(v is not None for k, v in facts.items() if k not in {"role", "age_victime"})
    if (
        not told
        and speaker_in(normalised) in {"parent", "professionnel", "temoin"}
        and not _IMAGES_NAMED.search(normalised)
        and not _SOMETHING_HAPPENS.search(normalised)
    ):
        # "Bonjour. Principal d'un college de 600 eleves.": who writes, nothing yet of what
        # happens; any situation would be a guess.
        return None
    images_told = any(
        facts.get(k) is not None
        for k in ("contenu", "contenu_mineurs_tiers", "contenu_sexuel_recu", "diffuse")
    )
    if said == "contenu_pedocriminel" and not images_told and not _IMAGES_NAMED.search(normalised):
        # "Bonjour, je suis la mère d'un garçon de 12 ans": a child named, no image yet.
        return None
    return _corrected(said, facts)


# Words of something happening to the child ("ma fille se fait harceler"): a story begins.
_SOMETHING_HAPPENS = re.compile(
    r"\b(harcel\w*|insult\w*|menac\w*|moqu\w*|chantage|compte|comptes|profils?|messages?|ecri\w*"
    r"|demand\w*|propos\w*|rencontr\w*|publi\w*|post\w*|partag\w*|diffus\w*|victime|arnaqu\w*"
    r"|pieg\w*|contact\w*|parl\w*|agress\w*|racket\w*|fake|faux|fausses?|ia|montages?|rumeurs?)\b"
)
# Images of children is what the situation is about: no image named, no such situation.
_IMAGES_NAMED = re.compile(
    r"\b(photos?|videos?|images?|contenus?|liens?|packs?|nudes?|pedo\w*|porno\w*|films?"
    r"|fichiers?|vids?|pics?|captures?|screens?|montages?|sexuel\w*|nue?s?"
    # Something sent or shown, however vague: "un gars m envoie des trucs chelou".
    r"|trucs?|choses?|envoi\w*|envoy\w*|montr\w*|recu\w*|recoi\w*)\b"
)


def _corrected(said: str, facts: Mapping[str, Any]) -> str:
    """The classifier's situation, unless the story's own facts clearly say another."""
    threat = facts.get("menace_diffusion") is True
    demand = bool(facts.get("demande")) and facts.get("demande") != ["rencontre"]
    generated = facts.get("contenu") == "genere"
    if (
        said == "grooming"
        and generated
        and not (facts.get("propositions_sexuelles") or facts.get("rencontre_proposee") or demand)
    ):
        return "deepfake"  # "un homme de son club a fait des montages d'elle nue"
    if said in {"deepfake", "grooming"} and threat and demand:
        # Fake images used to blackmail, or a groomer's "si jenvoie pas des photos toute nue
        # elle montre tout a ma mere": a sextortion (as when the threat is told later).
        return "sextorsion"
    if (
        said == "contenu_pedocriminel"
        and facts.get("contenu_mineurs_tiers") is not True
        and (facts.get("age_victime") is not None and facts.get("contenu") in {"reel", "genere"})
    ):
        # "une image d'elle nue, fabriquée", told by her CPE: the pupil's own images, so
        # her situation, not images of other children.
        if demand and (threat or facts.get("diffuse")):
            return "sextorsion"  # a demand, then a threat or the images sent: a blackmail
        return "deepfake" if generated else "diffusion_non_consentie"
    if said == "deepfake" and not generated and facts.get("usurpation_identite"):
        return "cyberharcelement"  # a fake account in someone's name is not a fake image
    if said in {"diffusion_non_consentie", "sextorsion", "cyberharcelement"} and (
        facts.get("contenu_mineurs_tiers")
    ):
        return "contenu_pedocriminel"  # images of other children
    if said == "diffusion_non_consentie" and generated:
        return "deepfake"
    if said == "diffusion_non_consentie" and demand:
        # Shared after a demand ("il exige 250 euros ; comme il n'a pas payé, il a envoyé la
        # vidéo"): the threat carried out, a sextortion.
        return "sextorsion"
    if said == "deepfake" and facts.get("contenu") == "reel":
        return "sextorsion" if threat and demand else "diffusion_non_consentie"
    if said == "sextorsion" and not threat:
        if facts.get("diffuse") and not demand:
            # (Spread after a demand not met, "jai pas payé les 200e et il la fait", is the
            # threat carried out: still a sextortion.)
            return "deepfake" if generated else "diffusion_non_consentie"
        if facts.get("auteur_majeur") and (
            facts.get("propositions_sexuelles") or facts.get("rencontre_proposee")
        ):
            return "grooming"  # an adult asking, with no threat: grooming
    return said


def story_intent(parse_data: Mapping[str, Any]) -> tuple[str | None, float]:
    """The intent to read a message's story by, with its confidence.

    A figure of speech inside a story ("jsuis morte de honte il a tout envoyé a la classe")
    is answered as a possible crisis first, but its story is still the classifier's next
    guess: that guess decides the situation, so that nothing is asked twice afterwards.
    """
    intent = parse_data.get("intent") or {}
    name, confidence = intent.get("name"), float(intent.get("confidence") or 0.0)
    if name == CRISIS_INTENT and crisis_level(parse_data.get("entities") or []) == "ambigu":
        for entry in parse_data.get("intent_ranking") or []:
            guess = float(entry.get("confidence") or 0.0)
            if entry.get("name") in SITUATION_INTENTS and guess >= MIN_SECOND_GUESS:
                return entry["name"], guess
    return name, confidence


def crisis_level(entities: Sequence[Mapping[str, Any]]) -> str | None:
    """explicite or ambigu, as the crisis net said (components/crisis_net.py), else None."""
    return _entity_value(entities, CRISIS_ENTITY, CRISIS_LEVELS)


def facts_from_entities(entities: Sequence[Mapping[str, Any]], text: str) -> dict[str, Any]:
    """Facts an answer gives besides the one asked, from its entities only ("non, c'était sur snap").

    The age is left out: in an answer it may be anybody's.
    """
    found: dict[str, Any] = {}
    platform = _entity_text(entities, "plateforme")
    if platform:
        found["plateforme"] = platform
    demande = [
        str(e["value"])
        for e in entities
        if e.get("entity") == "demande" and e.get("value") in DEMANDE_VALUES
    ]
    amount = demanded_amount(normalise(text or ""))
    if amount:
        demande.append("argent")
        found["montant"] = amount
    if demande:
        found["demande"] = sorted(set(demande), key=DEMANDE_VALUES.index)
    contenu = _entity_value(entities, "contenu", CONTENU_VALUES)
    if contenu:
        found["contenu"] = contenu
    return found


# The victim's own age, told in more of the story while another question waits: "jai cliqué
# sur un lien ... jai 15 ans jsuis choquée", "il l'a mis dans un groupe snap. elle a 13 ans".
# A bare "15 ans", or any age, told to "is the author an adult?" stays the author's business.
_AGE_TOLD_IN_A_STORY = re.compile(
    r"^(\S+ ){5,}.*\b(j ai|jai|g|moi j ai|je vais avoir|jvais avoir|elle a|ma fille a|mon fils a)"
    r" (\d{1,2}) ans\b"
)


def facts_from_answer(
    fact: str, text: str, known: Mapping[str, Any], role: str | None
) -> dict[str, Any]:
    """What an answer's words tell ("oui il a 30 ans et il veut me voir", "elle menace pas").

    Only facts still unknown, the asked one included (the caller takes it as the answer
    when the short-answer reading found none), never who writes or the situation: an
    answer adds to the story, it does not rewrite it. The victim's age when asked, or
    when more of the story tells it (_AGE_TOLD_IN_A_STORY), never in an answer about the author.
    """
    story = read_story(text, role or "victime")
    story.pop("role", None)
    if fact != "age_victime" and (
        fact == "auteur_majeur" or not _AGE_TOLD_IN_A_STORY.search(normalise(text or ""))
    ):
        story.pop("age_victime", None)
    found = {name: value for name, value in story.items() if known.get(name) is None}
    # What is demanded adds up: "il veut aussi venir la chercher" after the photos.
    more = set(story.get("demande") or []) - set(known.get("demande") or [])
    if fact != "demande" and known.get("demande") and more:
        found["demande"] = sorted({*known["demande"], *more}, key=DEMANDE_VALUES.index)
    return found


def interpret_answer(
    fact: str,
    intent: str | None,
    entities: Sequence[Mapping[str, Any]],
    text: str,
    known: Mapping[str, Any] | None = None,
) -> Answer | None:
    """The answer to the question about `fact`, or None when the message does not answer it.

    None lets the form step aside so that another rule answers the message
    (a crisis, a question), after which the question is asked again.
    """
    if intent == CRISIS_INTENT:
        return None
    knowledge = load_dialogue_knowledge()
    normalised = normalise(text or "")
    # "Nous ne savons pas qui gère ce compte", "aucune idée, le profil dit 16 ans": not known.
    if intent in SKIP_INTENTS or _DONT_KNOW.search(normalised):
        return Answer(skipped=True)

    if fact == "age_victime":
        # "en fait il a 27 ans", said while the victim's age is asked, is the author's.
        role = (known or {}).get("role") or "victime"
        spelled = load_story_words().spelled_out(normalised)  # "quil avait" is "qu il avait"
        ages = ages_in(spelled, role)
        if ages.victim is not None:
            return Answer(ages.victim)
        if ages.author is not None and _ABOUT_AUTHOR.search(normalised):
            return None
        # "il disait qu'il avait 13 ans", "des petits enfants genre 8 ans": nobody's age here.
        said_by_victim = (known or {}).get("role") == "victime"
        others = _OTHERS_AGE if said_by_victim else _CHILDREN_AGE
        if others.search(spelled) and not re.search(
            r"\b(comme moi|moi aussi|pareil que moi)\b", spelled
        ):
            return None
        age = _entity_age(entities) or parse_age(normalised)
        return Answer(age) if age is not None else None
    if fact == "plateforme":
        platform = _entity_text(entities, "plateforme")
        if platform:
            return Answer(platform)
        if _PORN_SITE.search(normalised):
            return Answer("site pornographique")  # "Sur un site porno, je ne connais pas le nom"
        if (
            intent in {"informer", "nlu_fallback", "hors_sujet"}
            and 0 < len(text.strip()) <= MAX_PLATFORM_TEXT
        ):
            return Answer(text.strip().rstrip(".!?… "))
        return None
    if fact == "demande":
        if _is_no(intent, normalised, knowledge):
            return Answer([])
        # The story's reader first: it knows what the victim sent from what is demanded.
        demande = [
            *demands_in(entities, normalised, knowledge),
            *(read_story(text, (known or {}).get("role")).get("demande") or []),
        ]
        return Answer(sorted(set(demande), key=DEMANDE_VALUES.index)) if demande else None
    if fact == "contenu":
        # "de vraies vidéos, pas des images d'IA": what is denied does not count, and the
        # words, read without it, come before the classifier's entity (it tags "IA").
        affirmed = _DENIED.sub(" ", normalised)
        contenu = next(
            (value for value, words in knowledge.contenu_words.items() if words.search(affirmed)),
            None,
        ) or (
            None if affirmed != normalised else _entity_value(entities, "contenu", CONTENU_VALUES)
        )
        return Answer(contenu) if contenu else None
    if fact == "auteur_majeur":
        yes = _is_yes(intent, normalised, knowledge)
        if _CLAIMED_AGE.search(normalised) and _DOUBT.search(normalised) and not yes:
            return Answer(skipped=True)  # "il dit qu'il a 16 ans mais jsp": not known
        # "il a 30 ans" answers the question better than "oui"; but "elle a 13 ans", said
        # by a parent, is the child's age again, not the author's.
        author_age = _author_age_in_answer(normalised, (known or {}))
        if author_age is not None and not yes:
            return Answer(author_age >= ADULT_AGE)
        if (
            _YOUNG_AUTHOR.search(normalised)
            and not yes
            and not _is_no(intent, normalised, knowledge)
        ):
            return Answer(False)  # "son ancien petit ami, un eleve de seconde"
    if fact == "contenu_sexuel_recu" and _NO_IMAGES_ONLY_MESSAGES.search(normalised):
        # "pas d'images, seulement ces messages": no to the images, yes to the messages;
        # neither is told back as the answer, and the question is not asked again.
        return Answer(skipped=True)
    if fact in BOOLEAN_FACTS:
        if _is_yes(intent, normalised, knowledge):
            return Answer(True)
        if _is_no(intent, normalised, knowledge):
            return Answer(False)
        if _DOUBT.search(normalised):
            # "jcrois c que le groupe mais jsp si ca a tourné": neither yes nor no, and
            # unsure: left aside rather than guessed from the words.
            return Answer(skipped=True)
        told = read_story(text, (known or {}).get("role")).get(fact)
        if isinstance(told, bool):
            # The answer tells it: "il veut me faire des calins partout", "elle n'a rien
            # envoyé d'autre".
            return Answer(told)
    return None


def questions_for(situation: str | None) -> tuple[str, ...]:
    """The facts worth asking for a situation, most decisive first (dialogue.yml)."""
    return load_dialogue_knowledge().questions.get(situation or "", ())


def questions_to_ask(
    form_facts: Iterable[str], known: Mapping[str, Any], skipped: Iterable[str]
) -> list[str]:
    """The facts still worth asking: not skipped, and whose condition holds."""
    conditions = load_dialogue_knowledge().conditions
    skipped = set(skipped)
    asked = []
    for fact in form_facts:
        if fact in skipped:
            continue
        condition = conditions.get(fact)
        if condition is not None:
            value = known.get(condition["fait"])
            if "sauf" in condition and value is not None and value == condition["sauf"]:
                continue
            if "si" in condition and value is not None and value != condition["si"]:
                continue
        asked.append(fact)
    return asked


def parse_age(normalised: str) -> int | None:
    """An age in a short answer: "14", "j'ai 14 ans", "quatorze"."""
    paid = {
        int(n) for m in _PAID_NUMBER.finditer(normalised) for n in m.groups() if n and n.isdigit()
    }
    for match in _NUMBER.finditer(normalised):
        if _AMOUNT.match(normalised, match.start()) or int(match.group(1)) in paid:
            continue
        value = int(match.group(1))
        if MIN_AGE <= value <= MAX_AGE:
            return value
    for words, value in sorted(_NUMBER_WORDS.items(), key=lambda item: -len(item[0])):
        if re.search(rf"\b{words}\b", normalised):
            return value
    return None


def demands_in(
    entities: Sequence[Mapping[str, Any]], normalised: str, knowledge: DialogueKnowledge
) -> list[str]:
    found = [
        str(e.get("value"))
        for e in entities
        if e.get("entity") == "demande" and e.get("value") in DEMANDE_VALUES
    ]
    if amount_in_text(normalised):
        found.append("argent")
    for value, patterns in knowledge.demande_words.items():
        if any(p.search(normalised) for p in patterns):
            found.append(value)
    return found


def _author_age_in_answer(normalised: str, known: Mapping[str, Any]) -> int | None:
    role = known.get("role") or "victime"
    if _CLAIMED_AGE.search(normalised) and not re.search(r"\b(mais|en fait|en vrai)\b", normalised):
        return None  # "sur son profil il dit avoir 17 ans": what he claims, not known
    ages = ages_in(normalised, role)
    if ages.author is not None:
        return ages.author
    if ages.victim is not None:
        return None
    if _CLAIMED_AGE.search(normalised):
        return None  # "elle disait qu'elle avait 16 ans mais c'est un adulte": a lie, no age
    age = parse_age(normalised)
    if age is None:
        return None
    said_of_child = role in {"parent", "professionnel", "temoin"} and age < ADULT_AGE
    if said_of_child and (known.get("age_victime") in (None, age)):
        return None  # most likely the child's age: ask again rather than guess
    return age


def _entity_age(entities: Sequence[Mapping[str, Any]], role: str | None = None) -> int | None:
    """The first `age` entity with this role (None: the victim's age, annotated without a role)."""
    for entity in entities:
        if entity.get("entity") == "age" and entity.get("role") == role:
            age = parse_age(normalise(str(entity.get("value", ""))))
            if age is not None:
                return age
    return None


def _entity_value(
    entities: Sequence[Mapping[str, Any]], name: str, allowed: Sequence[str]
) -> str | None:
    for entity in entities:
        if entity.get("entity") == name and entity.get("value") in allowed:
            return str(entity["value"])
    return None


def _entity_text(entities: Sequence[Mapping[str, Any]], name: str) -> str | None:
    for entity in entities:
        if entity.get("entity") == name and str(entity.get("value", "")).strip():
            return str(entity["value"]).strip()[:MAX_PLATFORM_TEXT]
    return None


def _is_yes(intent: str | None, normalised: str, knowledge: DialogueKnowledge) -> bool:
    return intent == "affirmer" or bool(knowledge.yes.search(normalised))


def _is_no(intent: str | None, normalised: str, knowledge: DialogueKnowledge) -> bool:
    return intent == "nier" or bool(knowledge.no.search(normalised))
