"""The identifiers made of words: account names, profile links, e-mails spelled out, schools' and people's names.

Detectors for web/redaction.py, each returning spans (start, end, kind). A
platform's name is kept (the law and the advice need it: "[lien instagram]"),
an establishment's kind too ("collège [établissement]"): only what points at
one person or one school goes.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

Span = tuple[int, int, str]

_WORDS = yaml.safe_load((Path(__file__).parent / "redaction_words.yml").read_text(encoding="utf-8"))
# Platforms whose name stays when a link to them goes: the canonical spelling.
PLATFORMS: dict[str, str] = _WORDS["plateformes"]
# Words of a sentence, never part of a name written in lower case, nor an account's name.
_SENTENCE_WORDS = "|".join(re.escape(word) for word in _WORDS["mots_de_phrase"])

# --------------------------------------------------------------------------------------- Links
# A link with a path names an account or a post; a platform's bare address ("snapchat.com")
# names nobody and stays.
# Never across a bracket: a link must not swallow another identifier's placeholder, or
# redacting the result again would change it.
_URL = re.compile(
    r"(?i)(?<![\w@/])(?:https?://|www\.)[^\s<>\"'\[\]]+"
    r"|(?<![\w@/.])(?:[a-z0-9-]+\.)+(?:com|fr|net|org|me|gg|tv|be|ch|ca|io|ly|co)/[^\s<>\"'\[\]]+"
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
# Not glued to a word nor to a placeholder ("lea@kev", "[pseudo]@kev"): what was refused
# next to a word must stay refused once the word is a placeholder, or redacting twice differs.
_AT_HANDLE = re.compile(r"(?<![\w@.\]])@[\w.]{2,30}(?<!\.)")
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
    _HANDLE_CUE + r"((?=[\w.]*\d)[^\W\d_][\w.]{2,29}|[^\W\d_]+\.[\w.]+)(?![\w@])"
)
_NAMED_HANDLE = re.compile(
    r"(?i:\b(?:pseudo|identifiant|username)(?:\s+(?:c\s*['’]?\s*est|cest|c|est|=|:))?\s*[:=]?\s+)"
    rf"(?!(?:{_SENTENCE_WORDS})\b)([\w.]{{2,30}})(?![\w@])"
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
_NOT_NAMES = frozenset(_WORDS["pas_des_noms"])
_CAPITALISED_RUN = re.compile(
    rf"(?<![\w'’-])[{_CAPITAL}][a-zß-öø-ÿ'’]+(?:-[{_CAPITAL}]?[a-zß-öø-ÿ'’]+)*"
    rf"(?:[ \t]+[{_CAPITAL}][a-zß-öø-ÿ'’]+(?:-[{_CAPITAL}]?[a-zß-öø-ÿ'’]+)*){{1,2}}(?![\w'’-])"
)


_TITLES = frozenset(_WORDS["titres"])


_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# "ça s'appelle sextorsion": the name of a thing, not of a person.
_IMPERSONAL = re.compile(r"(?i)(?:ça|ca|cela|ce|c)\s*['’]?\s*$")


def _title_case(text: str) -> bool:
    """Most words capitalised ("Il Menace De Publier Mes Photos"): capitals say nothing of names."""
    words = _WORD.findall(text)
    return len(words) >= 3 and sum(word[0].isupper() for word in words) * 2 > len(words)


def names(text: str) -> list[Span]:
    spans = [
        (m.start("name"), m.end("name"), "nom")
        for m in _NAME_CUE.finditer(text)
        if not _IMPERSONAL.search(text[: m.start()])
    ]
    if _title_case(text):
        return spans
    for match in _CAPITALISED_RUN.finditer(text):
        words = [(w.start() + match.start(), w.end() + match.start(), w.group(0))
                 for w in re.finditer(r"\S+", match.group(0))]  # fmt: skip
        # The words of the sentence before the name go ("Bonjour Léa Martin"); a title
        # stays with the name it introduces ("Madame Martin").
        while words and words[0][2].lower().strip("'’") in _NOT_NAMES:
            words.pop(0)
        if len(words) < 2 or any(w.lower().strip("'’") in _NOT_NAMES for _, _, w in words):
            continue
        spans.append((words[0][0], words[-1][1], "nom"))
    return spans
