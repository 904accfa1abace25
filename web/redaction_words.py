"""The identifiers made of words: account names, profile links, e-mails spelled out, schools' and people's names.

Detectors for web/redaction.py, each returning spans (start, end, kind). A
platform's name is kept (the law and the advice need it: "instagram [lien]"),
an establishment's kind too ("collège [établissement]"): only what points at
one person or one school goes.
"""

from __future__ import annotations

import re

Span = tuple[int, int, str]

# Platforms whose name stays when a link to them goes: the canonical spelling.
PLATFORMS = {
    "instagram": "instagram", "instagr": "instagram", "snapchat": "snapchat", "tiktok": "tiktok",
    "facebook": "facebook", "fb": "facebook", "twitter": "twitter", "x": "x",
    "discord": "discord", "youtube": "youtube", "youtu": "youtube", "twitch": "twitch",
    "telegram": "telegram", "t": "telegram", "whatsapp": "whatsapp", "wa": "whatsapp",
    "onlyfans": "onlyfans", "reddit": "reddit", "threads": "threads", "bsky": "bluesky",
    "pinterest": "pinterest", "linkedin": "linkedin", "roblox": "roblox", "twitch.tv": "twitch",
}  # fmt: skip

# --------------------------------------------------------------------------------------- Links
# A link with a path names an account or a post; a platform's bare address ("snapchat.com")
# names nobody and stays.
_URL = re.compile(
    r"(?i)(?<![\w@/])(?:https?://|www\.)[^\s<>\"']+"
    r"|(?<![\w@/.])(?:[a-z0-9-]+\.)+(?:com|fr|net|org|me|gg|tv|be|ch|ca|io|ly|co)/[^\s<>\"']+"
)
_HOST = re.compile(r"(?i)^(?:https?://)?(?:www\.|m\.|vm\.|web\.)?([a-z0-9-]+)\.")


def links(text: str) -> list[Span]:
    spans = []
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:!?)")
        host = _HOST.match(url)
        platform = PLATFORMS.get(host.group(1).lower()) if host else None
        spans.append((match.start(), match.start() + len(url), f"lien:{platform or ''}"))
    return spans


# ------------------------------------------------------------------------ E-mails spelled out
_SPELLED_EMAIL = re.compile(
    r"(?i)(?<![\w.])[\w.+-]+\s*[(\[]?\s*(?:arobase|arobaz|at)\s*[)\]]?\s*[\w-]+"
    r"\s*[(\[]?\s*(?:point|dot)\s*[)\]]?\s*(?:com|fr|net|org|be|ch|ca|eu|io)(?![\w])"
)


def spelled_emails(text: str) -> list[Span]:
    return [(m.start(), m.end(), "email") for m in _SPELLED_EMAIL.finditer(text)]


# ------------------------------------------------------------------------------ Account names
_AT_HANDLE = re.compile(r"(?<![\w@.])@[\w.]{2,30}(?<!\.)")
# Not inside a button's payload ("/ne_sait_pas", '"actes_sexuels"'): those are the assistant's.
_UNDERSCORED = re.compile(r"(?<![\w@/\"])(?=[\w.]*[^\W\d_])[\w.]*\w_[\w.]*\w(?![\w@\"])")
# After a platform or "pseudo" and an optional "c'est": the account's name.
_HANDLE_CUE = (
    r"(?i:\b(?:pseudo|identifiant|username|user|blaze|compte|profil|snap|snapchat|insta"
    r"|instagram|tiktok|discord|twitter|telegram|twitch|roblox)"
    r"(?:\s+(?:c\s*['’]?\s*est|cest|c|est|ct|=|:|s\s*['’]?\s*appelle|sappelle|de\s+lui|à\s+lui))?"
    r"\s*[:=]?\s+)"
)
# A name with a digit or a dot in it ("lea2009", "kev.93"), the shape of an account.
_HANDLE_AFTER_CUE = re.compile(
    _HANDLE_CUE + r"((?=[\w.]*\d)(?=[\w.]*[^\W\d_])[\w.]{3,30}|[^\W\d_]+\.[\w.]+)(?![\w@])"
)
_NAMED_HANDLE = re.compile(
    r"(?i:\b(?:pseudo|identifiant|username)(?:\s+(?:c\s*['’]?\s*est|cest|c|est|=|:))?\s*[:=]?\s+)"
    r"([\w.]{2,30})(?![\w@])"
)


def handles(text: str) -> list[Span]:
    spans = [(m.start(), m.end(), "pseudo") for m in _AT_HANDLE.finditer(text)]
    spans += [(m.start(), m.end(), "pseudo") for m in _UNDERSCORED.finditer(text)]
    for pattern in (_HANDLE_AFTER_CUE, _NAMED_HANDLE):
        spans += [(m.start(1), m.end(1), "pseudo") for m in pattern.finditer(text)]
    return spans


# ----------------------------------------------------------------------------- Establishments
_SCHOOL_KIND = (
    r"(?i:\b(?:coll[eè]ge|lyc[eé]e|[eé]cole(?:\s+(?:primaire|[eé]l[eé]mentaire|maternelle))?"
    r"|clg|groupe\s+scolaire|cit[eé]\s+scolaire|internat)"
    r"(?:\s+(?:priv[eé]e?|public|professionnel|pro|g[eé]n[eé]ral|agricole|technique|technologique))?)"
)
_CAPITAL = "A-ZÀ-ÖØ-Þ"
# "Jean Moulin", "Saint-Exupéry", "Pierre et Marie Curie", "de la Plaine", "Louise-Michel".
_CAPITALISED_NAME = (
    rf"(?:(?:de\s+la|de\s+l['’]|du|des|de|d['’])\s*)?[{_CAPITAL}][\w'’]*(?:-[\w'’]+)*"
    rf"(?:\s+(?:(?:et|de|du|des|de\s+la)\s+)?[{_CAPITAL}][\w'’]*(?:-[\w'’]+)*){{0,3}}"
)
# Lower-case SMS: "au college jean moulin il y a": at most three words, none of them a
# word of the sentence rather than of a name.
_SENTENCE_WORDS = (
    "le|la|les|l|un|une|des|de|du|d|mon|ma|mes|ton|ta|tes|son|sa|ses|notre|nos|votre|vos|leur"
    "|leurs|on|il|ils|elle|elles|je|j|tu|nous|vous|me|m|te|t|se|s|y|ya|en|et|ou|où|a|à|au|aux"
    "|dans|sur|pour|par|avec|sans|chez|vers|qui|que|qu|quand|comme|c|ce|cet|cette|ces|ca|ça"
    "|est|sont|etait|était|ai|as|avait|ont|fait|mais|donc|car|ne|n|pas|plus|jamais|rien|tout"
    "|tous|toute|toutes|hier|aujourd|aujourdhui|demain|soir|matin|midi|nuit|maintenant|depuis"
    "|pendant|avant|apres|après|encore|aussi|deja|déjà|toujours|souvent|personne|quelqu"
    "|quelquun|gens|classe|cours|recre|récré|cantine|prof|profs|eleve|élève|eleves|élèves"
    "|copain|copine|copains|copines|pote|potes|fille|filles|gars|garcon|garçon|mec|mecs"
    "|photo|photos|video|vidéo|groupe|snap|insta|tiktok|discord|jsuis|jai|j'ai|cest|c'est"
    "|la-bas|là|ici|bas|haut|mdr|lol|stp|svp|bref|genre|trop|tres|très|bien|mal|grave"
    "|comment|quoi|pourquoi|jsp|sais|sait"
    # the kinds of school, which come before a name, never in it
    "|prive|privé|privée|public|professionnel|pro|general|général|agricole|technique"
    "|technologique|primaire|elementaire|élémentaire|maternelle|scolaire"
)
_LOWER_NAME = (
    rf"(?!(?:{_SENTENCE_WORDS})\b)[^\W\d_][\w'’-]+"
    rf"(?:\s+(?!(?:{_SENTENCE_WORDS})\b)[^\W\d_][\w'’-]+){{0,2}}"
)
_SCHOOL = re.compile(
    rf"{_SCHOOL_KIND}\s+(?P<name>(?-i:{_CAPITALISED_NAME})|(?i:{_LOWER_NAME}))(?![\w'’-])"
)


def establishments(text: str) -> list[Span]:
    return [(m.start("name"), m.end("name"), "etablissement") for m in _SCHOOL.finditer(text)]


# ------------------------------------------------------------------------------- People's names
# "il s'appelle Kevin Martin", "elle se nomme lea dupont": the words after the cue.
_NAME_CUE = re.compile(
    r"(?i:\b(?:s\s*['’]?\s*appelle|sappelle|se\s+nomme|nomm[eé]e?|son\s+(?:vrai\s+)?nom"
    r"(?:\s+(?:c\s*['’]?\s*est|cest|est|:))?|son\s+pr[eé]nom(?:\s+(?:c\s*['’]?\s*est|cest|est|:))?)"
    r"\s*:?\s+)"
    rf"(?P<name>(?-i:[{_CAPITAL}][\w'’]*(?:-[\w'’]+)*(?:\s+[{_CAPITAL}][\w'’]*(?:-[\w'’]+)*){{0,2}})"
    rf"|(?i:{_LOWER_NAME}))(?![\w'’-])"
)
# Two or three capitalised words in a row are a first and last name, unless they are
# words that begin a sentence, platforms, places of the law or of the calendar.
_NOT_NAMES = frozenset(
    """bonjour bonsoir salut coucou hello merci madame monsieur mme mr mlle m dr docteur maitre
    maître mon ma mes le la les un une il elle ils elles je j tu on nous vous ce cette c ça ca si
    et mais donc alors oui non depuis hier aujourd quand comment pourquoi est que qui quoi au aux
    du des en dans sur pour par avec help aide svp stp code pénal penal police gendarmerie
    justice france refuge pharos cnil thesee e-enfance enfance education éducation nationale
    conseil départemental departemental procureur république republique cpe lundi mardi mercredi
    jeudi vendredi samedi dimanche janvier février fevrier mars avril mai juin juillet août aout
    septembre octobre novembre décembre decembre noël noel saint sainte snapchat snap instagram
    insta tiktok facebook discord twitter youtube twitch telegram whatsapp onlyfans google apple
    iphone android ia ai chatgpt""".split()
)
_CAPITALISED_RUN = re.compile(
    rf"(?<![\w'’-])[{_CAPITAL}][a-zß-öø-ÿ'’]+(?:-[{_CAPITAL}]?[a-zß-öø-ÿ'’]+)*"
    rf"(?:[ \t]+[{_CAPITAL}][a-zß-öø-ÿ'’]+(?:-[{_CAPITAL}]?[a-zß-öø-ÿ'’]+)*){{1,2}}(?![\w'’-])"
)


_TITLES = frozenset("madame monsieur mme mr mlle m dr docteur maitre maître".split())


def names(text: str) -> list[Span]:
    spans = [(m.start("name"), m.end("name"), "nom") for m in _NAME_CUE.finditer(text)]
    for match in _CAPITALISED_RUN.finditer(text):
        words = [(w.start() + match.start(), w.end() + match.start(), w.group(0))
                 for w in re.finditer(r"\S+", match.group(0))]  # fmt: skip
        # The words of the sentence before the name go ("Bonjour Léa Martin"); a title
        # stays with the name it introduces ("Madame Martin").
        while words and words[0][2].lower().strip("'’") in _NOT_NAMES - _TITLES:
            words.pop(0)
        if len(words) < 2 or any(w.lower().strip("'’") in _NOT_NAMES - _TITLES for _, _, w in words):
            continue
        spans.append((words[0][0], words[-1][1], "nom"))
    return spans
