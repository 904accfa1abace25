"""Replaces personal identifiers in a chat message with placeholders before it reaches Rasa."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher
from stdnum import iban, luhn, numdb

from refuge.crisis import detect_crisis
from web import redaction_words

__all__ = ["PLACEHOLDERS", "Redaction", "redact"]

PLACEHOLDERS: dict[str, str] = {
    "telephone": "[téléphone]",
    "email": "[email]",
    "adresse": "[adresse]",
    "iban": "[iban]",
    "carte": "[carte bancaire]",
    "code": "[code]",
    "pseudo": "[pseudo]",
    "lien": "[lien]",
    "etablissement": "[établissement]",
    "nom": "[nom]",
}


@dataclass(frozen=True)
class Redaction:
    text: str  # the redacted text
    found: tuple[str, ...]  # the kinds replaced, in order of appearance


Span = tuple[int, int, str]

# -------------------------------------------------------------------------------------- E-mail

# \w rather than ASCII: "léa.dupont@gmail.com" is not deliverable but names a child all the same.
# The look-behind makes each word a single starting point, so a long run of letters without
# "@" costs one linear attempt instead of one per character.
_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w%+-]+(?:\.[\w%+-]+)*"
    r"@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,24}(?![\w-])"
)

# ---------------------------------------------------------------------------------------- IBAN

_IBAN_HEAD = re.compile(r"(?<![^\W_])[A-Za-z]{2}\d{2}")
_IBAN_GROUP = re.compile(r"[A-Za-z0-9]+")
_IBAN_MAX = 34  # 2 letters + 2 check digits + at most 30 characters of BBAN
_IBAN_TYPO = 2
_IBAN_COUNTRIES = numdb.get("iban")

# ----------------------------------------------------------------------------------- Telephone

# POSSIBLE, not VALID: VALID refuses numbers in ranges the metadata does not list as allocated
# ("07 12 34 56 78", "+33 7 12 ...") and numbers with a digit missing, which still point at a
# person. POSSIBLE only checks the length for the region, so short numbers (3018, 119, 17),
# amounts, ages and years stay out, as the tests show.
_PHONE_LENIENCY = Leniency.POSSIBLE
# Real numbers have at least 7 digits; clusters with fewer never reach the (slow) matcher,
# which is only ever given a cluster, never the whole message.
_PHONE_MIN_DIGITS = 7
# 15 digits (E.164) behind "00" and a "(0)". A longer cluster holds several numbers, which the
# matcher would not separate anyway, and costs it a parse per position; _FRENCH_PHONE takes over.
_PHONE_MAX_DIGITS = 18
_DIGIT_CLUSTER = re.compile(
    rf"\+?\(?(?<!\d)\d(?:[ \t.\-/()\u00a0]{{0,3}}\d){{{_PHONE_MIN_DIGITS - 1},}}"
)
# The matcher gives up on a cluster holding two numbers ("06 12 34 56 78 07 98 76 54 32") or a
# number glued to a year; French shapes are then looked for one by one and checked by the library.
_FRENCH_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)[ .-]?33[ .-]?(?:\(0\)[ .-]?)?|0)[1-9](?:[ .-]?\d{2}){4}(?!\d)"
)

# -------------------------------------------------------------- Payment card and voucher codes

_CARD_MIN, _CARD_MAX = 13, 19
_CODE_MIN_DIGITS = 8


def _digit_run(min_digits: int) -> re.Pattern[str]:
    """Maximal runs of at least `min_digits` digits, grouped by single spaces or dashes.

    The minimum is in the pattern so that the many short numbers of a message never cost a call.
    """
    return re.compile(rf"(?<!\d)\d(?:[ -]?\d){{{min_digits - 1},}}(?!\d)")


_CARD_RUN = _digit_run(_CARD_MIN)
_CODE_RUN = _digit_run(_CODE_MIN_DIGITS)
_CODE_MIN_CHARS = 8
# Dashes join groups into one code ("X7K9-PL2M-Q4RT"); upper-case groups of 4 or 5 separated by
# single spaces are how gift cards are printed, so they count as one code too.
_CODE_TOKEN = re.compile(
    r"(?<![\w@])(?:[A-Z0-9]{4,5}(?: [A-Z0-9]{4,5}){2,}|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)(?![\w@])"
)
_LETTERS_OR_DIGITS = re.compile(r"[A-Za-z]+|\d+")
# Glued SMS spelling ("500euros", "jai14ans", "iphone12") mixes letters and digits too; what tells
# it from a code is that its letter parts are words.
_UNIT_WORDS = frozenset(
    {"euro", "euros", "eur", "balle", "balles", "dollar", "dollars", "ans", "an", "min", "mn", "h"}
)
_SERVICE_NUMBERS = frozenset({"3018", "3114", "3919", "119", "112", "114", "115", "15", "17", "18"})
_CURRENCY = re.compile(r"[ \t]?(?:€|\$|(?:euros?|eur|e|balles?|dollars?|k)(?![\w]))", re.I)
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?: \d{3}){1,2}")  # "12 500 000": an amount, not a code
_YEAR = re.compile(r"(?:19|20)\d{2}")
_DATE = re.compile(
    r"(?P<day>\d{1,2})[ -](?P<month>\d{1,2})[ -](?:\d{2}|\d{4})"
    r"|\d{4}-(?P<imonth>\d{2})-(?P<iday>\d{2})"
)

# ------------------------------------------------------------------------------ Postal address

# Street types that are never ordinary words after a number.
_STREET_TYPES = (
    r"rue|ruelle|avenue|av|ave|boulevard|bd|bld|blvd|bvd|all[ée]e|impasse|imp|chemin|quai"
    r"|r[ée]sidence|lotissement|lieu[- ]dit|faubourg|rond[- ]point|esplanade"
)
# Street types that are also ordinary words after a number ("j'ai 2 cours de maths", "2 place
# de libre"): they need a capitalised name or "de la / du / des" to count as a street.
_AMBIGUOUS_STREET_TYPES = (
    r"place|cours|route|rte|square|passage|villa|domaine|voie|cit[ée]|promenade|mont[ée]e"
    r"|hameau|sentier|traverse|parvis"
)
# Words that end a street name: a clause starting again after the address. A street name runs
# to the first punctuation, one of these words, a number or at most seven words, whichever
# comes first; a word too many is a smaller harm than a street name kept.
_STOP_WORDS = (
    r"et|ou|où|a|à|au|aux|pour|par|mais|donc|car|chez|avec|sans|vers|dans|en|près|pres|depuis"
    r"|quand|si|puis|alors|comme|parce|il|elle|ils|elles|on|je|tu|nous|vous|qui|que|ce|ça|ca"
    r"|cest|y|ya|me|te|se|ne|pas|plus|mon|ma|mes|ton|ta|tes|son|sa|ses|leur|leurs|notre|nos"
    r"|votre|vos|est|sont|était|etait|suis|es|ai|as|habite|habitent|vit|stp|svp|merci|mdr|lol"
    r"|euros?|eur|balles?|ans"
)
_STOP = rf"(?:(?:{_STOP_WORDS})(?![\w'’-])|(?:[jcmtsn]|qu|jusqu|lorsqu|puisqu)['’])"
_MONTHS = (
    r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre"
    r"|d[ée]cembre"
)
# Numbers belong to a street name only as a date after "du" ("rue du 8 Mai 1945", "place du
# 11 Novembre"): elsewhere a number after a street is the start of something else ("500 euros").
_NAME_WORD = (
    rf"(?!{_STOP})(?:[^\W\d_][\w'’-]*"
    r"|(?:(?<=\bdu )|(?<=\bdes ))\d{1,4}(?:er)?(?![\w])"
    rf"(?:[ \t]+(?:{_MONTHS})(?![\w])(?:[ \t]+(?:1[89]|20)\d{{2}}(?![\w]))?)?)"
)
_NAME = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,6}}"
_CAPITAL = "A-ZÀ-ÖØ-Þ"
_POSTCODE = r"(?<![\w.,+])(?:0[1-9]|[1-8]\d|9[0-8])\d{3}(?!\d)"
_TOWN_PREFIX = r"(?:(?:le|la|les|saint|st|sainte|ste)[ -])?"
_CAPITALISED_TOWN_PREFIX = r"(?:(?:Le|La|Les|Saint|St|Sainte|Ste)[ -])?"
_LOOSE_TOWN = rf"(?!{_STOP}){_TOWN_PREFIX}[^\W\d_][\w'’]*(?:-[\w'’]+)*"
# "10000 abonnés" or "20000 balles" have the shape of a postcode and a town.
_NOT_A_TOWN = (
    r"(?!(?:euros?|eur|balles?|dollars?|abonn\w*|followers?|vues?|likes?|personnes?|fois|ans"
    r"|messages?|photos?|vid[ée]os?|snaps?|amis?|potes?|gens|membres?|points?|commentaires?"
    r"|partages?)(?![\w]))"
)
_STRICT_TOWN = rf"{_NOT_A_TOWN}(?-i:{_CAPITALISED_TOWN_PREFIX}[{_CAPITAL}][\w'’]*(?:-[\w'’]+)*)"
# Words after which a postcode is one ("j'habite à 75011 paris"): only then may the town be
# written in lower case, as children write it.
_ADDRESS_CUE = (
    r"(?:(?<=\bà )|(?<=\ba )|(?<=\bau )|(?<=\bsur )|(?<=\bvers )|(?<=\bhabite )|(?<=\bvit )"
    r"|(?<=\bvis )|(?<=\bcp )|(?<=\bpostal ))"
)
_STREET = re.compile(
    rf"(?<![\w,.])\d{{1,4}}(?:[ \t]*(?:bis|ter|quater)(?![\w]))?[ \t]*,?[ \t]*"
    rf"(?:(?:{_STREET_TYPES})\.?[ \t]+"
    rf"|(?:{_AMBIGUOUS_STREET_TYPES})\.?[ \t]+"
    rf"(?=(?:de[ \t]+|d['’])?(?-i:[{_CAPITAL}])|(?:de[ \t]+la|de[ \t]+l['’]|du|des)[ \t]))"
    rf"{_NAME}"
    rf"(?:\s*,?\s*{_POSTCODE}[ \t]+{_LOOSE_TOWN})?",
    re.IGNORECASE,
)
_POSTCODE_TOWN = re.compile(
    rf"{_POSTCODE}[ \t]+{_STRICT_TOWN}|{_ADDRESS_CUE}{_POSTCODE}[ \t]+{_NOT_A_TOWN}{_LOOSE_TOWN}",
    re.IGNORECASE,
)
_BETWEEN_ADDRESS_PARTS = re.compile(r"[\s,;\-–]*")


def _emails(text: str) -> list[Span]:
    if "@" not in text:
        return []
    return [(match.start(), match.end(), "email") for match in _EMAIL.finditer(text)]


def _ibans(text: str) -> list[Span]:
    """IBANs, valid or not.

    One that fails the checksum is still an IBAN: a typo'd one still names the bank, the branch
    and most of the account. It must then have the length of its country's IBANs, give or take
    the two characters a typo adds or drops, and end with a digit: the words after it stay out,
    and a head like "ps45" followed by a few words is not an IBAN.
    """
    spans: list[Span] = []
    resume = 0
    for head in _IBAN_HEAD.finditer(text):
        if head.start() < resume:
            continue
        expected = _iban_length(head.group()[:2].upper())
        if expected is None:
            continue
        groups: list[re.Match[str]] = []
        position, length = head.start(), 0
        while length < _IBAN_MAX:
            group = _IBAN_GROUP.match(text, position)
            if group is None:
                break
            groups.append(group)
            length += len(group.group())
            position = group.end()
            if text[position : position + 1] not in (" ", "-"):
                break
            position += 1
        span = _iban_span(groups, expected)
        if span is not None:
            spans.append(span)
            resume = span[1]
    return spans


def _iban_span(groups: list[re.Match[str]], expected: int) -> Span | None:
    """The groups that make the IBAN: the valid one, else the best typo'd one, else None."""
    lengths, length = [], 0
    for group in groups:
        length += len(group.group())
        lengths.append(length)
    if expected in lengths:
        count = lengths.index(expected) + 1
        if iban.is_valid("".join(group.group() for group in groups[:count])):
            return groups[0].start(), groups[count - 1].end(), "iban"
    typos = [
        (abs(length - expected), -length, count)
        for count, length in enumerate(lengths, start=1)
        if abs(length - expected) <= _IBAN_TYPO and groups[count - 1].group()[-1].isdigit()
    ]
    if not typos:
        return None
    count = min(typos)[2]
    return groups[0].start(), groups[count - 1].end(), "iban"


@cache
def _iban_length(country: str) -> int | None:
    """The length of the country's IBANs, or None if the country has none."""
    structure = _IBAN_COUNTRIES.info(country)[0][1].get("bban")
    if not structure:
        return None
    return 4 + sum(int(size) for size in re.findall(r"\d+", structure))


def _cards(text: str) -> list[Span]:
    """Luhn-valid runs of 13 to 19 digits; no card number starts with 0, "0033..." numbers do."""
    spans: list[Span] = []
    for run in _CARD_RUN.finditer(text):
        digits = re.sub(r"\D", "", run.group())
        if (
            _CARD_MIN <= len(digits) <= _CARD_MAX
            and digits[0] != "0"
            and text[run.start() - 1 : run.start()] != "+"
            and luhn.is_valid(digits)
        ):
            spans.append((run.start(), run.end(), "carte"))
    return spans


def _phones(text: str) -> list[Span]:
    spans: list[Span] = []
    for cluster in _DIGIT_CLUSTER.finditer(text):
        if sum(char.isdigit() for char in cluster.group()) > _PHONE_MAX_DIGITS:
            continue
        for match in PhoneNumberMatcher(cluster.group(), "FR", leniency=_PHONE_LENIENCY):
            spans.append((cluster.start() + match.start, cluster.start() + match.end, "telephone"))
    return spans


def _french_phones(text: str) -> list[Span]:
    spans: list[Span] = []
    for candidate in _FRENCH_PHONE.finditer(text):
        try:
            number = phonenumbers.parse(candidate.group(), "FR")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            spans.append((candidate.start(), candidate.end(), "telephone"))
    return spans


def _streets(text: str) -> list[Span]:
    return [(match.start(), match.end(), "adresse") for match in _STREET.finditer(text)]


def _postcode_towns(text: str) -> list[Span]:
    return [(match.start(), match.end(), "adresse") for match in _POSTCODE_TOWN.finditer(text)]


def _code_tokens(text: str) -> list[Span]:
    return [
        (m.start(), m.end(), "code") for m in _CODE_TOKEN.finditer(text) if _is_code_token(m[0])
    ]


def _code_digit_runs(text: str) -> list[Span]:
    return [
        (run.start(), run.end(), "code")
        for run in _CODE_RUN.finditer(text)
        if _is_code_digits(run.group()) and not _CURRENCY.match(text, run.end())
    ]


def _is_code_digits(run: str) -> bool:
    groups = re.split(r"[ -]", run)
    if sum(len(group) for group in groups) < _CODE_MIN_DIGITS:
        return False
    if all(group in _SERVICE_NUMBERS for group in groups):
        return False
    if all(_YEAR.fullmatch(group) for group in groups):  # "2023-2024", the school year
        return False
    if _THOUSANDS.fullmatch(run):
        return False
    date = _DATE.fullmatch(run)
    if date is not None:
        day = int(date.group("day") or date.group("iday"))
        month = int(date.group("month") or date.group("imonth"))
        if 1 <= day <= 31 and 1 <= month <= 12:
            return False
    return True


def _is_code_token(token: str) -> bool:
    if len(token.replace("-", "").replace(" ", "")) < _CODE_MIN_CHARS:
        return False
    runs = _LETTERS_OR_DIGITS.findall(token)
    letters = [run for run in runs if run.isalpha()]
    if not letters or len(letters) == len(runs):
        return False
    # Spaced groups must look like a code themselves, or a message in capitals with a number in
    # it ("J'AI PEUR 3018 AIDE MOI") would be one.
    if " " in token and sum(_is_mixed(group) for group in token.split(" ")) < 2:
        return False
    # A random code of 8 characters or more alternates letters and digits several times; SMS
    # spelling ("jai14ans", "iphone12") rarely does, and its letter parts are words.
    if len(runs) >= 4:
        return True
    return not all(_is_word(run) for run in letters)


def _is_mixed(group: str) -> bool:
    return not group.isalpha() and not group.isdigit()


def _is_word(letters: str) -> bool:
    return (
        letters.lower() in _UNIT_WORDS
        or (letters.islower() and len(letters) >= 2)
        or (letters.istitle() and len(letters) >= 3)
    )


# From the most specific shape to the least, each detector seeing the placeholders the previous
# ones put: the most specific reading of a piece of text wins.
_DETECTORS: tuple[Callable[[str], list[Span]], ...] = (
    _emails,
    redaction_words.spelled_emails,
    redaction_words.links,
    _ibans,
    _cards,
    _phones,
    _french_phones,
    _streets,
    _postcode_towns,
    redaction_words.establishments,  # before names: "collège Jean Moulin" is a school
    redaction_words.names,
    redaction_words.handles,
    _code_tokens,  # before digit runs, so that "AB12345678CD" is one code
    _code_digit_runs,
)
# The detectors that replace words (not digits nor "@"): the ones that could take a word of
# the story for a name.
_WORD_DETECTORS = frozenset(
    {redaction_words.establishments, redaction_words.names, redaction_words.handles}
)
# A placeholder can uncover an identifier a detector refused for what was next to it
# ("lea@gmail.com0612345678": no e-mail ends with "com0612345678"), so the detectors run again
# until they find nothing: that is what makes redacting twice change nothing. Every round that
# finds something removes digits or an "@", and placeholders have neither, so it ends; in
# practice after the second round, the cap only bounds what a crafted message can cost.
_MAX_ROUNDS = 3


def _placeholder(kind: str) -> str:
    # A link keeps the name of its platform, which the law and the advice need.
    if kind.startswith("lien:"):
        platform = kind.removeprefix("lien:")
        # Inside the brackets: a bare word after the placeholder could be read, on a second
        # pass, as part of another identifier ("06rue instagram" as a street).
        return f"[lien {platform}]" if platform else PLACEHOLDERS["lien"]
    return PLACEHOLDERS[kind]


def _replace(text: str, placed: list[Span], found: list[Span]) -> tuple[str, list[Span]]:
    """Puts the placeholders of `found` into `text`; returns it with all spans in its coordinates."""
    new = [span for span in found if all(span[1] <= s or e <= span[0] for s, e, _ in placed)]
    events = sorted([(*span, False) for span in placed] + [(*span, True) for span in new])
    pieces: list[str] = []
    spans: list[Span] = []
    position = length = 0
    for start, end, kind, is_new in events:
        if start < position:
            continue
        piece = _placeholder(kind) if is_new else text[start:end]
        pieces += [text[position:start], piece]
        length += start - position
        spans.append((length, length + len(piece), kind))
        length += len(piece)
        position = end
    pieces.append(text[position:])
    return "".join(pieces), spans


def _merge_addresses(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """One placeholder for "12 rue des Lilas, 75011 Paris": its parts are one identifier."""
    merged: list[Span] = []
    for span in spans:
        if (
            merged
            and merged[-1][2] == span[2] == "adresse"
            and _BETWEEN_ADDRESS_PARTS.fullmatch(text, merged[-1][1], span[0])
        ):
            merged[-1] = (merged[-1][0], span[1], "adresse")
        else:
            merged.append(span)
    if len(merged) == len(spans):
        return text, spans
    # The merged spans cover placeholders already: putting one back shortens them to one.
    return _replace(text, [], merged)


def _visible(text: str) -> str:
    """NFKC and no format characters: "06\u202f12…" or "lea\u200b@gmail.com" must not slip through."""
    if text.isascii():
        return text
    normalised = unicodedata.normalize("NFKC", text)
    return "".join(char for char in normalised if unicodedata.category(char) != "Cf")


def redact(text: str) -> Redaction:
    """Returns the text with phone numbers, e-mails, addresses, IBANs, cards, codes, account
    names, links, schools' and people's names replaced."""
    original, text = text, _visible(text)
    current, placed = text, []
    detectors = _DETECTORS
    if detect_crisis(text):
        # A message about suicide, self-harm or danger keeps every word: a name detector
        # taking "Je Veux Mourir" for a name would hide it from the crisis net in Rasa.
        detectors = tuple(d for d in _DETECTORS if d not in _WORD_DETECTORS)
    for _ in range(_MAX_ROUNDS):
        progressed = False
        for detector in detectors:
            found = detector(current)
            if found:
                current, placed = _replace(current, placed, found)
                progressed = True
        if not progressed:
            break
    if not placed:
        return Redaction(original, ())
    current, placed = _merge_addresses(current, placed)
    return Redaction(current, tuple(kind.split(":")[0] for _, _, kind in placed))
