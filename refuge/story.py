"""Reads the facts of a story from a person's own words: who writes, whose age, who demands what.

Pure Python, rules on normalised text (the words are data in refuge/knowledge/recit.yml).
A fact comes out only when the words say it; anything unsure is left unknown, so that the
assistant asks instead of telling a person something they never said.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from refuge.facts import ADULT_AGE, AGE_MAX, AGE_MIN, DEMANDES
from refuge.text import normalise

STORY_FILE = Path(__file__).parent / "knowledge" / "recit.yml"
STORY_BOOLEAN_FACTS = (
    "menace_diffusion",
    "diffuse",
    "diffusion_en_ligne",
    "demande_obtenue",
    "auteur_majeur",
    "propositions_sexuelles",
    "contenu_sexuel_recu",
    "rencontre_proposee",
    "rencontre_eue_lieu",
    "usurpation_identite",
    "contenu_mineurs_tiers",
)

_AGE = re.compile(r"\b(\d{1,2}) ?ans?\b")
# "il m a dit 14 ans mais il en a 27": the number alone is his real age.
_AUTHOR_EN_A = re.compile(
    r"\b(il|elle) en a( en fait| en vrai| genre| plutot| au moins| facile)? (\d{1,2})\b"
)
# The child's partner or ex, then their age: "l ex petit ami de ma fille qui a 18 ans".
_PARTNER_OF_CHILD_BEFORE = re.compile(
    r"\b(ex|petit ami|petite amie|copain|copine|ancien copain|ancienne copine|amoureux|mec)\b"
    r"( \w+)? (de|d) (ma|mon|notre|sa|son) (fille|fils|enfant|ado|eleve)( qui a| age de| agee de| de)?$"
)
# "son copain, qui a 19 ans", told by her aunt or her teacher: her partner, the author.
_HER_PARTNER_BEFORE = re.compile(
    r"\b(son|sa) (ex|petit ami|petite amie|copain|copine|ancien copain|ancienne copine|amoureux|mec"
    r"|ex copain|ex copine)( qui a| age de| agee de| de)$"
)
# The author of the same age as the victim, or another age said just after: "lui aussi".
_SAME_AGE_AUTHOR = re.compile(
    r"\b\d{1,2} ans\b( \w+){0,2} (et )?(lui|elle|il|lui il|elle elle)( a| a l age)? (aussi|pareil|le meme|la meme)\b"
    r"|\b(il|elle) a (\d{1,2})( ans)? (aussi|comme moi|comme elle|comme lui)\b"
)
_OTHER_AGE_AUTHOR = re.compile(
    r"\b\d{1,2} ans (et )?(?:lui|elle) (\d{1,2})\b(?! ?(e|eme|euros?|balles|fois|h)\b)"
)
# Said of the author's age when he lied about it: "il m a dit qu il avait 14 ans".
_CLAIMED = re.compile(
    r"\b(dit|dis|disait|disais|dise|pretend\w*|soi disant|passer pour|faisait croire|fait croire"
    r"|croire qu|croyait|mentait|mentir|ment|annonce|annoncait|ecrit|ecrivait|profil|presente|presentait"
    r"|se fait passer|se faisait passer)\b"
)
_CONTRAST = re.compile(r"\b(mais|en fait|en vrai|alors qu|sauf que|or)\b")
_AUTHOR_NOUN_BEFORE = re.compile(
    r"\b(mec|homme|gars|type|adulte|monsieur|mr|inconnu|individu|majeur|vieux|personne|meuf"
    r"|femme|quelqu un|keum|bonhomme|predateur|pervers|admin|modo|moderateur|streamer|youtubeur"
    r"|tiktokeur|photographe|benevole|chauffeur|voisin|surveillant|animateur|entraineur|coach"
    r"|compagnon|ex compagnon|ancien compagnon|ex copain|ancien copain)( \w+){0,2}( (de|d|qui a|ayant|age de"
    r"|agee? de|qui avait|d environ|d a peu pres|de genre|genre))?$"
)
_AUTHOR_PRONOUN_BEFORE = re.compile(
    r"\b(il|elle|lui)( m a dit qu il)?( en)? (a|aurait|avait)( genre| en fait| en vrai| vraiment"
    r"| reellement| au moins| plus de| environ| bien| facile)?$"
)
_FIRST_PERSON_BEFORE = re.compile(
    r"(^|\b)(j ai|jai|g|moi|j vais avoir|je vais avoir|j aurai|vais avoir|jsuis|je suis|j|chui)"
    r"( eu| bientot| presque| juste| que| seulement| a peine)?$"
)
# Who writes, named: "je suis le grand frere" then "(22 ans)" is the writer's age.
_WRITER_NOUN_BEFORE = re.compile(
    r"\bje suis (le|la) (grande? soeur|grand frere|soeur|frere|cousine?|tante|oncle|amie?|voisine?"
    r"|marraine|parrain|pere|mere|maman|papa|grand mere|grand pere)$"
)
# The author's words reported: the "j'ai" that follows is his. (Said of a claim, "il disait
# qu'il avait 15 ans", the age is a lie, read by _CLAIMED.)
_AUTHOR_SAYS_BEFORE = re.compile(
    r"\b(il|elle) (m a|ma|m|lui a|m avait|mavait|m ont|mont) (dit|ecrit|avoue|repondu|envoye)"
    r"( que| qu)?( en vrai| en fait| enfait| finalement| direct)?( (j ai|jai|g|j))$"
)
_CHILD_BEFORE = re.compile(
    r"\b(fille|fils|enfant|ado|eleve|joueuse|joueur|jeune|gamine?|garcon|petite fille|petit fils"
    r"|collegienne?|lyceenne?|niece|neveu|pote|amie?|copine|copain|soeur|frere|cousine?|licenciee?|camarade"
    r"|adolescente?|victime|petite?)s?( \w+){0,3}( (de|qui a|a|agee? de|ayant|qui vient d avoir|vient d avoir"
    r"|d a peine|qui aura))?$"
)
# One child named in the singular: the child concerned when someone else tells the story.
_ONE_CHILD = re.compile(
    r"\b(d|de) (une|un|l|cette|cet|ce) (eleve|fille|jeune fille|garcon|ado|adolescente?|jeune|collegienne?|lyceenne?)( de \d+ ans)?\b"
)
_DEMANDED_BEFORE = re.compile(
    r"\b(veut|voulait|demande|demandait|reclame|reclamait|exige|exigeait|s il|si il|si je|si j|si jlui|si tu"
    r"|contre|pour avoir|insiste pour)( (?!sinon\b)\w+){0,4}$"
)  # (after "sinon" comes the threat: "250 euros sinon ils envoient la video")
# ... unless the victim then sent it: "il m a demande une photo en calecon, g envoye".
_SENT_AFTER = re.compile(
    r"^( \w+){0,3} (g|j ai|jai|je l ai|jl ai|jlai|je lai|je lui ai|jlui ai|j lui ai|elle l a|il l a"
    r"|elle lui a|il lui a|il en a|elle en a|j en ai|jen ai)( deja)? (envoye|envoyee|fait|faite|donne|donnee)\b"
    r"(?! (des |un |une |les |ses )?(liens?|messages?|sms|cadeaux?|robux|argent|vocaux))"
)
# "il a 16 ans moi 15": the writer's age after another's, without "ans".
_ME_TOO_AGE = re.compile(
    r"\b(\d{1,2}) ans (et )?moi (\d{1,2})\b(?! ?(e|eme|euros?|balles|fois|h|min|minutes|heures"
    r"|jours|mois|semaines|photos?|videos?)\b)"
)
# "qui va sur ses 17 ans", "jvais sur mes 15 ans": one year less.
_GOING_ON = re.compile(r"\b(va|allait|vais|jvais|vas) sur (ses|mes) (\d{1,2}) ans\b")
_PARENT_OF_BEFORE = re.compile(
    r"\b(maman|mere|pere|papa|parent|parents|grand mere|grand pere|mamie|papi|tante|oncle"
    r"|tutrice|tuteur)( legale?)? (de|d) \w+$"
)
_CHILD_PRONOUN_BEFORE = re.compile(
    r"\b(elle|il)( n)? (a|vient d avoir|va avoir|avait)( que| juste| seulement| a peine)?$"
)


# What the author does, right after the age of the one who does it.
_ACTS_AFTER = re.compile(
    r" (qui )?(a|ont|avait|l a|les a) (fabrique|cree|fait|monte|truque|genere|publie|poste|partage"
    r"|diffuse|balance|pris|filme|menace|harcele|insulte)\w*( \w+){0,10} (de|d) ((une|un|cette|cet)"
    r" (eleve|camarade|fille|jeune|collegienne?|lyceenne?|copine|amie?)|(sa|son|ma|mon|notre) (camarade|copine|amie?|ex|soeur|fille|fils|enfant|eleve))\b"
)


@dataclass(frozen=True)
class StoryWords:
    sent_by_victim: tuple[re.Pattern[str], ...]
    nothing_demanded: re.Pattern[str]
    demand_trigger: re.Pattern[str]
    demand_window: int
    demand_objects: Mapping[str, re.Pattern[str]]
    amount: re.Pattern[str]
    facts: Mapping[str, tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]]
    contenu: Mapping[str, re.Pattern[str]]
    roles: Mapping[str, tuple[re.Pattern[str], ...]]
    sms: Mapping[str, str] = field(default_factory=dict)
    offered_by_author: tuple[re.Pattern[str], ...] = ()
    adult_life: re.Pattern[str] | None = None

    def spelled_out(self, normalised: str) -> str:
        """The normalised text with the SMS words of recit.yml spelled out."""
        return " ".join(self.sms.get(word, word) for word in normalised.split())


@lru_cache(maxsize=2)
def load_story_words(path: Path = STORY_FILE) -> StoryWords:
    """Compiles recit.yml once; a bad pattern fails at start-up, not mid-conversation."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    demandes = raw["demandes"]
    return StoryWords(
        sent_by_victim=tuple(re.compile(p) for p in raw["envoye_par_la_victime"]),
        nothing_demanded=re.compile(raw["demande_rien"]),
        demand_trigger=re.compile(demandes["declencheurs"]),
        demand_window=int(demandes["fenetre"]),
        demand_objects={k: re.compile(p) for k, p in demandes["objets"].items()},
        amount=re.compile(raw["montant"]),
        facts={
            fact: (
                tuple(re.compile(p) for p in spec.get("vrai", [])),
                tuple(re.compile(p) for p in spec.get("faux", [])),
            )
            for fact, spec in raw["faits"].items()
        },
        contenu={k: re.compile(p) for k, p in raw["contenu"].items()},
        roles={k: tuple(re.compile(p) for p in v) for k, v in raw["roles"].items()},
        sms=dict(raw.get("sms") or {}),
        offered_by_author=tuple(re.compile(p) for p in raw.get("offert_par_l_auteur") or ()),
        adult_life=re.compile(raw["vie_adulte"]) if raw.get("vie_adulte") else None,
    )


# A platform named as where the photos came from: "une photo de mon insta", "a partir de mes
# photos Instagram". Where the story happens is elsewhere when another platform is named.
_PHOTO_SOURCE_BEFORE = re.compile(
    r"\b(photos?|images?|selfies?|videos?|pp|profil)( \w+){0,2} (de|d|du|sur|depuis)"
    r"( (mon|ma|mes|son|sa|ses|leur|leurs|notre|nos|ton|ta|tes))?( compte)?$"
    r"|\b(mes|ses|leurs|nos|tes) (photos?|images?|selfies?|videos?)$"
)
# X, one capital letter, is no word the classifier's lookup can hold: "sur un compte sur X".
_PORN_SITE_NAMED = re.compile(
    r"\b(sur|dans) (un|des|plusieurs) sites? (porno\w*|x|pour adultes|de cul)\b"
)
_X_NAMED = re.compile(r"\b(sur|via|de|compte|profil) X\b(?![-'’])")


def platform_mentions(entities: Sequence[Mapping[str, Any]], text: str) -> list[tuple[str, bool]]:
    """Each platform a message names, with whether it is only where the photos came from."""
    mentions = []
    for entity in entities:
        value = str(entity.get("value") or "").strip()
        if entity.get("entity") != "plateforme" or not value:
            continue
        start = entity.get("start")
        before = normalise(text[:start]) if isinstance(start, int) else ""
        mentions.append((value, bool(_PHOTO_SOURCE_BEFORE.search(before))))
    if _X_NAMED.search(text or "") and all(value != "X" for value, _ in mentions):
        mentions.append(("X", False))
    if not mentions and _PORN_SITE_NAMED.search(normalise(text or "")):
        mentions.append(("site pornographique", False))
    return mentions


def places_of_story(mentions: Sequence[tuple[str, bool]]) -> list[str]:
    """The platforms where the story happens, first named first: a platform named only as
    the photos' source is left out when another one is named."""
    places = [value for value, source in mentions if not source] or [v for v, _ in mentions]
    return list(dict.fromkeys(places))


def speaks_of_adult_life(text: str) -> bool:
    """The words of an adult's life (\"ma femme\", \"au boulot\"): the voice, never a fact."""
    words = load_story_words()
    normalised = words.spelled_out(normalise(text or ""))
    return bool(words.adult_life and words.adult_life.search(normalised))


@dataclass(frozen=True)
class Ages:
    """The ages a story gives, each attributed to whom it belongs (None: not said)."""

    victim: int | None = None
    author: int | None = None


def read_story(text: str, role: str | None = None) -> dict[str, Any]:
    """The facts a message states, by their names in refuge/facts.py (plus montant).

    `role` is who writes, when already known; otherwise it is read from the text first,
    because whose age "elle a 13 ans" is depends on who says it.
    """
    words = load_story_words()
    normalised = corrected(words.spelled_out(normalise(text or "")))
    found: dict[str, Any] = {}
    if not normalised:
        return found
    role = role or speaker_in(normalised, words)
    if role:
        found["role"] = role

    ages = ages_in(normalised, role or "victime")
    if ages.victim is not None:
        found["age_victime"] = ages.victim
    if ages.author is not None:
        found["auteur_majeur"] = ages.author >= ADULT_AGE

    for fact in STORY_BOOLEAN_FACTS:
        if fact in found:
            continue
        read = normalised
        if fact in _NOT_DONE_WHEN_THREATENED:
            # "sinon ils publient des images de lui": the threat, not what was done.
            read = _THREAT_CLAUSE.sub(" | ", normalised)
        if fact == "auteur_majeur":
            if _AUTHOR_UNKNOWN.search(normalised):
                continue  # "jsais pas qui a fait ca", "elle pense que c'est un eleve, sans preuve"
            # "il a envoye la video a trois eleves de sa classe": whom to, not who. Told by
            # someone else, "les nudes d une fille de ma classe" is the one it happens to.
            read = _RECIPIENTS.sub(" | ", normalised)
            if role not in {"victime", None}:
                read = _CLASSMATE_CONCERNED.sub(" | ", read)
        if fact == "contenu_mineurs_tiers" and role == "professionnel":
            # "une photo intime d'une eleve de 15 ans", told by her teacher, shows the
            # pupil concerned, not other children (a parent's child is "ma fille").
            read = re.sub(r"\s+", " ", _ONE_CHILD.sub(" ", normalised))
        value = _boolean(read, *words.facts[fact])
        if value is not None:
            found[fact] = value

    if found.get("contenu_mineurs_tiers"):
        # What the images of other children show ("un adulte qui lui fait des trucs sexuels")
        # says nothing of who sent them, nor of what was said to the one who saw them.
        found.pop("propositions_sexuelles", None)
        images = _IMAGES_WORD.search(normalised)
        if ages.author is None and images:
            # "ajoutée par un adulte à un canal où circulent des vidéos" is the author; the
            # adult the images show is not.
            adult = _boolean(normalised[: images.start()], *words.facts["auteur_majeur"])
            found.pop("auteur_majeur", None)
            if adult is not None:
                found["auteur_majeur"] = adult
    if found.get("diffusion_en_ligne") and found.get("diffuse") is None:
        found["diffuse"] = True  # put online publicly is spread already
    elif found.get("diffusion_en_ligne") and found.get("diffuse") is False:
        del found["diffusion_en_ligne"]  # "il les poste en story" threatened, nothing posted yet
    contenu = contenu_in(normalised, words)
    if contenu:
        found["contenu"] = contenu
        found["contenu_sexuel"] = True
    proposed = found.get("rencontre_proposee")
    if found.get("rencontre_eue_lieu"):
        found.setdefault("rencontre_proposee", True)  # they met: a meeting was proposed
    # What the author offers is cut out first: it is no demand, and its amount is not one.
    asked = normalised
    for pattern in words.offered_by_author:
        asked = pattern.sub(" | ", asked)
    met = _MET_DEMAND.search(asked)
    later = asked[met.end() :] if met else ""
    more_of_the_same: list[str] = []
    wants_more = bool(met and _DEMANDS_MORE.search(later))
    if met and (
        wants_more
        or "argent" in demands_in_story(later, words)
        or amount_in_text(later, words)
        or _boolean(later, *words.facts["menace_diffusion"])
    ):
        # "elle lui a demande des photos, il en a envoye, et depuis ... s il ne paie pas": the
        # photos were the start of a blackmail; what is demanded now comes after, and
        # whether that was paid or sent is said after too. (A groomer's demands add up.)
        asked = f"{asked[: met.start()]} | {later}"
        more = _DEMANDS_MORE.search(later)
        before_more = later[: more.start()] if more else ""
        if more and not (
            demands_in_story(before_more, words) or amount_in_text(before_more, words)
        ):
            # "jlai fait et mtn il en veut d autres": more of the same is demanded. (After
            # "il voulait 3 cartes paysafe … il en redemande", more of the money.)
            more_of_the_same = demands_in_story(met.group(0), words)
        obtained = _boolean(later, *words.facts["demande_obtenue"])
        found.pop("demande_obtenue", None)
        if obtained is not None:
            found["demande_obtenue"] = obtained
    demande = sorted({*demands_in_story(asked, words), *more_of_the_same}, key=DEMANDES.index)
    if proposed and "rencontre" not in demande:
        demande = sorted({*demande, "rencontre"}, key=DEMANDES.index)
    if demande:
        found["demande"] = demande
        if "rencontre" in demande:
            found.setdefault("rencontre_proposee", True)
        if "actes_sexuels" in demande:
            found.setdefault("propositions_sexuelles", True)  # sexual acts asked for
    elif words.nothing_demanded.search(normalised):
        found["demande"] = []
    amount = demanded_amount(asked, words)
    if amount:
        found["montant"] = amount
        if "argent" not in found.get("demande", []):
            found["demande"] = sorted({*found.get("demande", []), "argent"}, key=DEMANDES.index)
    return found


_IMAGES_WORD = re.compile(r"\b(videos?|photos?|images?|contenus?|packs?)\b")
_NOT_DONE_WHEN_THREATENED = ("diffuse", "diffusion_en_ligne", "usurpation_identite")
# Those images or messages were sent or shown to ("a trois eleves de sa classe", "le compte
# suit tt les gens de mon lycee"): not who did it.
_RECIPIENTS = re.compile(
    r"\b(a|aux|a tous|a toutes|a tous les|a toute|suit|suivent|identifie|identifient|tag|tague|taguent"
    r"|ajoute|ajoutent)( (tt|tous|toutes))?( (des|ses|mes|les|deux|trois|quatre|plusieurs"
    r"|quelques|certains|\d+))? (gens|eleves|camarades|potes|filles|garcons|gars|mecs|jeunes|ados"
    r"|copains|copines|amis|amies)( \w+){0,2} (de|du|d) (ma|sa|son|mon|leur|notre|la|l)( ancien| ancienne)?"
    r" (classe|college|lycee|ecole|bahut|promo|equipe|club)\b"
)
# The classmate the story is about, introduced ("ya une fille de ma classe", "les nudes d une
# fille de ma classe"): the victim when a witness or an adult tells it.
_CLASSMATE_CONCERNED = re.compile(
    r"\b(d|de|pour|ya|y a|il y a|avec|sur) (un|une) (fille|garcon|gars|mec|meuf|eleve|pote|copine"
    r"|copain|amie?)( \w+)? (de|du|d) (ma|notre|sa|leur|la|mon|son) (classe|college|lycee|ecole|bahut|promo)\b"
)
# Who did it is not known: the young people named are a guess, or those who saw it.
_AUTHOR_UNKNOWN = re.compile(
    r"\b(sais|sait|savons|savent|sache) (pas|plus) qui\b|\b(aucune|pas d) idee (de )?qui\b"
    r"|\b(aucune|sans|pas de) preuves?\b|\bqui (c est|l a fait|a fait (ca|ce|le|la|les))\b"
    # "ca vient de filles de mon college jcrois": a guess.
    r"|\b(classe|college|lycee|ecole|bahut|promo) (jcrois|je crois|jpense|je pense|peut etre|ptet|surement)\b"
)
_THREAT_CLAUSE = re.compile(
    r"\b(sinon|si (je|j|jlui|jle|jla|jles|tu|il|elle|on|ils|elles)( \w+){0,6}? pas( \w+){0,6}?) (il|elle|ils|elles|on)"
    r"( les| la| le| l| tout| lui)? (publie|publient|poste|postent|envoie"
    r"|envoient|balance|balancent|partage|partagent|diffuse|diffusent|montre|montrent|met|mettent)\b"
    r"|\b(il|elle|ils|elles|on)( les| la| le| l| tout| lui)? (publie|publient|poste|postent|envoie"
    r"|envoient|balance|balancent|partage|partagent|diffuse|diffusent|montre|montrent|met|mettent)"
    r"( \w+){0,6}? si (je|j|jlui|jle|jla|jles|tu|il|elle|on|ils|elles)( \w+){0,4}? pas\b"
)  # ("sinon il la publie", "si elle envoie pas une autre photo il la publie", "il la publie
#   si je paye pas": a threat)
# An image demand met at once ("il en a envoyé", "jlai fait"): where a blackmail started when
# a threat, money or "il en veut d'autres" follows (read_story).
_DEMANDS_MORE = re.compile(
    r"\b(en )?(veut|veulent|voulait|redemande\w*|reclame\w*|exige\w*) (encore|d autres|plus|de nouveau|d autre)\b"
    r"|\b(il|elle|ils) (en )?redemande\w*"
)
_MET_DEMAND = re.compile(
    r"\b(demande|demandait|demander|veut|voulait|reclame|reclamait|exige|exigeait"
    r"|si (je|j|jlui|je lui|elle|il)( lui)? (envoie|envoyais|envoyait|envoies))\w*( \w+){0,6}"
    r" (photos?|videos?|nudes?|images?|pics?)( \w+){0,5}? (et )?((il|elle|j|je|g) (en|l|les) ?(a|ai|avait|avais)"
    r"|jlai|j l ai|je l ai|jl ai|jlui en ai|je lui en ai|g|j ai|jai|je lui ai|jlui ai)"
    r" (deja )?(envoye|envoyee|envoyees|envoyer|fait)\b"
)
# A number said, then put right: "ma fille de 14 ans, enfin non elle a 13 ans", "jai 16 ans
# lui 17, ah non il a eu 18", "il veut 150 balles ... non 250 pardon". The later one stands.
_CORRECTION_AFTER = re.compile(
    r"\b(enfin non|ah non|euh non|non pardon|pardon|non en fait|en fait non|oups|nan)"
    r"(?P<between>( \w+){0,3}?) (?P<value>\d+)(?P<unit> ans| balles| euros?| e\b)?"
    r"|\bnon (?P<value2>\d+)(?P<unit2> ans| balles| euros?)? (pardon|dsl|desole|je me suis trompe\w*|jme suis trompe\w*)\b"
)
_NUMBER = re.compile(r"\b\d+\b")


def corrected(normalised: str) -> str:
    """The text with each number put right by the person replaced by the right one."""
    for _ in range(3):
        match = _CORRECTION_AFTER.search(normalised)
        if not match:
            return normalised
        value = match.group("value") or match.group("value2")
        previous = [
            m for m in _NUMBER.finditer(normalised, max(0, match.start() - 200), match.start())
        ]
        if not previous:
            return normalised
        wrong = previous[-1]
        normalised = (
            f"{normalised[: wrong.start()]}{value}{normalised[wrong.end() : match.start()]}"
            f"{normalised[match.end() :]}"
        )
    return normalised


def speaker_in(normalised: str, words: StoryWords | None = None) -> str | None:
    """parent, professionnel, victime, temoin, or None when the words do not say."""
    words = words or load_story_words()

    def says(role: str) -> bool:
        return any(p.search(normalised) for p in words.roles[role])

    if says("parent"):
        return "parent"
    victim = says("victime")
    if says("professionnel") or (says("professionnel_eleve") and not victim):
        return "professionnel"
    if victim:
        # Said outright: a classifier's "witness" for "mes amis" must not overrule it.
        return "victime"
    if says("temoin"):
        return "temoin"
    return None


def ages_in(normalised: str, role: str) -> Ages:
    """Whose each "N ans" is: the victim's, the author's real age, or a lie (ignored)."""
    victim = author = None
    for match in _AGE.finditer(normalised):
        value = int(match.group(1))
        if not AGE_MIN <= value <= AGE_MAX:
            continue
        before = normalised[max(0, match.start() - 60) : match.start()].strip()
        owner = _age_owner(before, value, role)
        if (
            owner == "victime"
            and role != "victime"
            and _ACTS_AFTER.match(normalised[match.end() :])
        ):
            # "un eleve de 16 ans a fabrique des fausses photos d une eleve": who did it.
            owner = "auteur"
        if owner == "victime" and victim is not None and value != victim and role != "victime":
            # A second young person's age in a parent's or a professional's story ("une fille
            # de 16 ans avec qui il sortait"): the author's, most often.
            owner = "auteur"
        if owner == "victime" and victim is None:
            victim = value
        elif owner == "auteur" and author is None:
            author = value
    me_too = _ME_TOO_AGE.search(normalised)
    if (
        me_too
        and victim is None
        and role == "victime"
        and AGE_MIN <= int(me_too.group(3)) <= AGE_MAX
    ):
        victim = int(me_too.group(3))
    going_on = _GOING_ON.search(normalised)
    said_of = going_on and (going_on.group(2) == "mes") == (role == "victime")
    if said_of and (victim is None or victim == int(going_on.group(3))):
        victim = int(going_on.group(3)) - 1
    if author is None and role == "victime":
        # "g 17 ans et lui aussi", "(elle a 17 aussi)": the victim speaks of the author. (A
        # witness's "il a 15 ans comme moi" is the friend's age.)
        same = _SAME_AGE_AUTHOR.search(normalised)
        said = same and same.group(7)
        if said and AGE_MIN <= int(said) <= AGE_MAX:
            author = int(said)
        elif same and victim is not None:
            author = victim
    if author is None and victim is not None:
        # "elle a 15 ans, lui 16": the other one's age, said right after.
        other = _OTHER_AGE_AUTHOR.search(normalised)
        if other and AGE_MIN <= int(other.group(2)) <= AGE_MAX:
            author = int(other.group(2))
    if author is None:
        match = _AUTHOR_EN_A.search(normalised)
        if match and AGE_MIN <= int(match.group(3)) <= AGE_MAX:
            author = int(match.group(3))
    return Ages(victim=victim, author=author)


def _age_owner(before: str, value: int, role: str) -> str | None:
    if role not in {"victime", None} and _WRITER_NOUN_BEFORE.search(before):
        return None  # "je suis le grand frere (22 ans) d une fille": the writer's own age
    if _AUTHOR_SAYS_BEFORE.search(before):
        # "il ma dit en vrai jai 22 ans": his own words, his age; a minor's age he says of
        # himself may be a lie, as any claim ("il m a dit jai 15 ans").
        return "auteur" if value >= ADULT_AGE else None
    if role in {"victime", None} and _FIRST_PERSON_BEFORE.search(before):
        # "il ma ecrit … jai eu 15 ans": the writer's own age, whatever was claimed before.
        return "victime"
    clause = _CONTRAST.split(before)[-1] if _CONTRAST.search(before) else before
    if _CLAIMED.search(clause) and not _CONTRAST.search(before[-25:]):
        # The age he claimed is not his own; but nobody claims to be an adult to a child
        # when he is not one: "il dit qu'il a 22 ans" is an adult.
        return "auteur" if value >= ADULT_AGE else None
    if _AUTHOR_NOUN_BEFORE.search(before):
        return "auteur"
    if role in {"victime", None}:
        if _FIRST_PERSON_BEFORE.search(before):
            return "victime"
        if _AUTHOR_PRONOUN_BEFORE.search(before):
            return "auteur"
        if not before:
            return "victime"  # "14 ans, un mec me menace": the writer's own age first
        return None
    # A parent, a professional or a witness: "j'ai 19 ans" is the writer's own age, no fact
    # of the story; a child noun or "elle a 13 ans" is the young person's age; an adult age
    # said of "il" is the author's.
    if _FIRST_PERSON_BEFORE.search(before):
        return None
    if _PARTNER_OF_CHILD_BEFORE.search(before) or (
        role in {"parent", "professionnel"} and _HER_PARTNER_BEFORE.search(before)
    ):
        return "auteur"  # "l'ex-petit ami de ma fille, qui a 18 ans"
    if _CHILD_BEFORE.search(before) or (role == "parent" and _PARENT_OF_BEFORE.search(before)):
        return "victime"
    if _CHILD_PRONOUN_BEFORE.search(before):
        return "victime" if value < ADULT_AGE else "auteur"
    if _AUTHOR_PRONOUN_BEFORE.search(before) and value >= ADULT_AGE:
        return "auteur"
    return None


def demands_in_story(normalised: str, words: StoryWords | None = None) -> list[str]:
    """What the author demands, in DEMANDES order: demand words followed by what is demanded."""
    words = words or load_story_words()
    text = normalised
    for pattern in words.sent_by_victim:
        text = pattern.sub(" | ", text)
    tokens = text.split()
    found: set[str] = set()
    for index, token in enumerate(tokens):
        window_start = index
        head = " ".join(tokens[max(0, index - 1) : index + 1])
        if not (words.demand_trigger.fullmatch(token) or words.demand_trigger.fullmatch(head)):
            continue
        following_word = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token == "contre" and following_word in _PRONOUNS:
            continue  # "un groupe contre moi": against, not in exchange for
        if " ".join(tokens[max(0, index - 2) : index]) in _NO_DEMAND_BEFORE or (
            index and tokens[index - 1] in {"aucune", "sans", "ni"}
        ):
            continue  # "pas de demande d'argent ni de menace": denied, not demanded
        following: list[str] = []
        end = window_start + 1 + words.demand_window
        position = window_start + 1
        while position < min(end, len(tokens)):
            word = tokens[position]
            if word in {"|", "sinon"}:
                break  # after "sinon" comes the threat, not what is demanded
            # "veut que je vienne chez lui ... et que je lui envoie d autres photos": the
            # second "que" clause is demanded too, however long the first one was.
            if word in {"que", "qu"} and following and following[-1] == "et":
                end = position + 1 + words.demand_window
            following.append(word)
            position += 1
        span = " ".join(following)
        for value, pattern in words.demand_objects.items():
            if pattern.search(span):
                found.add(value)
    return sorted(found, key=DEMANDES.index)


_NO_DEMAND_BEFORE = frozenset({"pas de", "pas d", "jamais de", "y a pas", "a pas", "pas eu"})
_PRONOUNS = frozenset(
    {"moi", "toi", "lui", "elle", "nous", "vous", "eux", "elles", "mon", "ma", "son", "sa"}
)
# A sum already paid is not the sum demanded: "ils veulent 300 balles, jai deja mis 50e".
_PAID_SUM = re.compile(
    r"\b(j ai|jai|g|il a|elle a|on a|il lui a|elle lui a|je lui ai|jlui ai|j lui ai)( deja)?"
    r" (mis|paye|payee|verse|vire|envoye|donne|lache|depense|claque)( deja)? \d+(?:[.,]\d+)? ?"
    r"(e|€|euros?|balles?|boules?)\b|\bdeja (mis|paye|verse|vire|envoye|donne|lache) \d+\w*"
)


_MORE_AFTER_PAYMENT = re.compile(r"\b(\d{2,5}) de plus\b")


# What someone bought is no demand at all: "il dit qu il les a achete sur telegram pour 20e".
_BOUGHT = re.compile(
    r"\b(achete|achetee|achetees|achetes)( \w+){0,4} (pour|a) \d+(?:[.,]\d+)? ?"
    r"(e|€|euros?|balles?)\b"
)


def demanded_amount(normalised: str, words: StoryWords | None = None) -> str | None:
    """The sum demanded: a sum already paid only when no other sum is said (it was the demand).

    After a payment, "il en veut 150 de plus" is a sum too, though it has no unit.
    """
    normalised = _BOUGHT.sub(" | ", normalised)
    unpaid = _PAID_SUM.sub(" | ", normalised)
    more = _MORE_AFTER_PAYMENT.search(unpaid) if unpaid != normalised else None
    return (
        amount_in_text(unpaid, words)
        or (f"{more.group(1)} €" if more else None)
        or amount_in_text(normalised, words)
    )


def only_a_sum_paid(normalised: str) -> bool:
    """The message's only sum is one already paid ("g deja mis 50e en paysafe")."""
    return (
        bool(_PAID_SUM.search(normalised))
        and amount_in_text(_PAID_SUM.sub(" | ", normalised)) is None
    )


_THOUSANDS = re.compile(
    r"\b\d{1,3}(?:[ .]\d{3})+(?= ?(€|euros?\b|eur\b|balles?\b|e\b|dollars?\b|\$))"
)
_SPELLED_SUM = re.compile(
    r"\b(cinquante|cent|cents|deux cents|trois cents|quatre cents|cinq cents|mille|deux mille)"
    r" (euros?|balles|dollars?)\b"
)
_SPELLED = {
    "cinquante": "50", "cent": "100", "cents": "100", "deux cents": "200", "trois cents": "300",
    "quatre cents": "400", "cinq cents": "500", "mille": "1000", "deux mille": "2000",
}  # fmt: skip
# "3 cartes paysafe de 25": 75 in all.
_CARDS = re.compile(
    r"\b(\d{1,2}) (cartes?|codes?|recharges?) (paysafe\w*|pcs|transcash|neosurf|google play|steam"
    r"|amazon|itunes|apple|cadeaux?)( \w+)? de (\d{1,4})\b"
)


def amount_in_text(normalised: str, words: StoryWords | None = None) -> str | None:
    """ "150 balles" -> "150 €"; a school year ("en 4e") or "la 2e fois" is no amount."""
    words = words or load_story_words()
    cards = _CARDS.search(normalised)
    if cards:
        return f"{int(cards.group(1)) * int(cards.group(5))} €"
    normalised = _SPELLED_SUM.sub(lambda m: f"{_SPELLED[m.group(1)]} {m.group(2)}", normalised)
    # "1 000 €", "1.500 euros": one number, its thousands apart.
    normalised = _THOUSANDS.sub(lambda m: m.group(0).replace(" ", "").replace(".", ""), normalised)
    match = words.amount.search(normalised)
    if not match:
        return None
    number = match.group(1) or match.group(3)
    unit = match.group(2) or "e"
    if (
        re.search(r"\b(en|de|classe de|ma|sa|une|la|le|ta|la)\s*$", normalised[: match.start()])
        and unit == "e"
    ):
        return None
    symbol = "$" if unit.startswith(("dollar", "$")) else "€"
    if number.isdigit() and int(number) >= 1000:
        number = f"{int(number):,}".replace(",", " ")  # written the French way: "1 000 €"
    return f"{number} {symbol}"


def contenu_in(normalised: str, words: StoryWords | None = None) -> str | None:
    words = words or load_story_words()
    if words.contenu["genere"].search(normalised):
        return "genere"
    for match in words.contenu["reel"].finditer(normalised):
        # "il lui demande des photos d elle nue": asked for, they do not exist yet.
        before = normalised[max(0, match.start() - 30) : match.start()].strip()
        after = normalised[match.end() : match.end() + 40]
        if not _DEMANDED_BEFORE.search(before) or _SENT_AFTER.search(after):
            return "reel"
    return None


def _boolean(
    normalised: str,
    true_patterns: tuple[re.Pattern[str], ...],
    false_patterns: tuple[re.Pattern[str], ...],
) -> bool | None:
    if any(p.search(normalised) for p in false_patterns):
        return False
    if any(p.search(normalised) for p in true_patterns):
        return True
    return None


def situation_from_story(facts: Mapping[str, Any], normalised: str) -> str | None:
    """The situation a story's facts clearly describe, when the classifier could not tell.

    Only clear cases: a wrong situation costs the wrong questions and the wrong law.
    """
    demande = facts.get("demande") or []
    if facts.get("menace_diffusion") and set(demande) - {"rencontre"}:
        return "sextorsion"  # fake images too: "300e sinon il envoie les montages"
    if facts.get("contenu") == "genere":
        return "deepfake"
    if facts.get("menace_diffusion") and (demande or facts.get("contenu") == "reel"):
        return "sextorsion"
    if facts.get("auteur_majeur") and (
        facts.get("propositions_sexuelles")
        or facts.get("rencontre_proposee")
        or "images" in demande
        or "actes_sexuels" in demande
    ):
        return "grooming"
    if facts.get("diffuse") and facts.get("contenu") == "reel":
        return "diffusion_non_consentie"
    if facts.get("contenu_mineurs_tiers"):
        return "contenu_pedocriminel"  # "un pote m a montre des videos de petites filles"
    if facts.get("usurpation_identite") or re.search(
        r"\b(harcel\w*|insult\w*|moqu\w*)", normalised
    ):
        return "cyberharcelement"
    return None
