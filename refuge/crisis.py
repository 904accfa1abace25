"""The crisis safety net: recognises suicide, self-harm or immediate danger from expressions and lemmas.

It is independent of the intent classifier on purpose: the Rasa pipeline runs it
after DIET and lets it override whatever DIET decided (components/crisis_net.py).

A signal has a level. `explicite`: a sign of suicide, self-harm or danger, which gets
the emergency answer. `ambigu`: a figure of speech that may hide one ("jsuis mort de
honte", "j'en peux plus", "ce mec me tue avec ses messages"), which gets a direct, kind
question and the 3114. The figures (and the exclusions, "mort de rire") are cut out of
the message before the explicit expressions and the lemma rules read it, so that
"je vais mourir de honte" is not read as "je vais mourir", while "jsuis morte de honte
jveux mourir" still is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

# The very patterns of normalise(): the offsets below must describe the same text.
from refuge.text import _NON_WORD, _REPEATED_LETTERS

CRISIS_FILE = Path(__file__).parent / "knowledge" / "crisis.yml"

EXPLICIT = "explicite"
AMBIGUOUS = "ambigu"

# A lemma placed in the text as typed: (start_char, end_char, lemma), as spaCy gives
# them (token.idx, token.idx + len(token.text), token.lemma_). A bare string is a
# lemma whose place is unknown.
PlacedLemma = tuple[int, int, str]


# "je veux pas me faire du mal", "j ai pas envie de mourir", "je vais pas me tuer": the sign
# is named to be denied. Not nothing (a denial can hide the wish): the direct question and
# the 3114, as for a figure of speech. Only a verb of will or intent right before the
# negation: "personne me comprend pas, envie de mourir" stays explicit.
_DENIED = re.compile(
    r"\b(je|j|jveux|jvais|jai|g)? ?(ne |n )?(veux|veut|voudrais|vais|vas|compte|pense|souhaite|ai)"
    r"( vraiment| absolument)? (pas|jamais)"
    r"( (du tout|vraiment))?( (envie|l intention|besoin|le projet) (de|d))? $"
)


@dataclass(frozen=True)
class CrisisSignal:
    """Why a message was recognised as a crisis, and how surely."""

    kind: str  # explicite: suicide, automutilation, danger_immediat, lemmes; ambigu: the figure's family
    evidence: str
    level: str = EXPLICIT  # EXPLICIT or AMBIGUOUS

    @property
    def explicit(self) -> bool:
        return self.level == EXPLICIT


@dataclass(frozen=True)
class _LemmaPair:
    before: frozenset[str]
    after: frozenset[str]
    window: int
    any_order: bool


@dataclass(frozen=True)
class CrisisPatterns:
    exclusions: tuple[re.Pattern[str], ...]
    sms_words: dict[str, str]
    expressions: tuple[tuple[str, re.Pattern[str]], ...]
    single_lemmas: frozenset[str]
    lemma_pairs: tuple[_LemmaPair, ...]
    ambiguous: tuple[tuple[str, re.Pattern[str]], ...] = ()


def _compile_by_kind(section: dict[str, list[str]]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (kind, re.compile(pattern)) for kind, patterns in section.items() for pattern in patterns
    )


@lru_cache(maxsize=4)
def load_patterns(path: Path = CRISIS_FILE) -> CrisisPatterns:
    """Reads and compiles the patterns; a bad regex fails here, at start-up, not mid-conversation."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    pairs = tuple(
        _LemmaPair(
            before=frozenset(pair["avant"]),
            after=frozenset(pair["apres"]),
            window=int(pair["fenetre"]),
            any_order=bool(pair.get("ordre_libre", False)),
        )
        for pair in raw["lemmes"]["paires"]
    )
    return CrisisPatterns(
        exclusions=tuple(re.compile(p) for p in raw["exclusions"]),
        sms_words={str(short): str(full) for short, full in raw["sms"].items()},
        expressions=_compile_by_kind(raw["expressions"]),
        single_lemmas=frozenset(raw["lemmes"]["seuls"]),
        lemma_pairs=pairs,
        ambiguous=_compile_by_kind(raw.get("ambigu") or {}),
    )


@dataclass(frozen=True)
class _View:
    """A rewriting of the text as typed; each character knows the span of the text it comes from."""

    text: str
    origins: tuple[tuple[int, int], ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.origins[start][0], self.origins[end - 1][1]

    def replace(self, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> _View:
        """Like pattern.sub; a replacement's characters come from the whole match."""
        text: list[str] = []
        origins: list[tuple[int, int]] = []
        last = 0
        for match in pattern.finditer(self.text):
            text.append(self.text[last : match.start()])
            origins.extend(self.origins[last : match.start()])
            replacement = repl(match)
            text.append(replacement)
            if replacement:
                origins.extend([self.span(match.start(), match.end())] * len(replacement))
            last = match.end()
        text.append(self.text[last:])
        origins.extend(self.origins[last:])
        return _View("".join(text), tuple(origins))

    def strip(self) -> _View:
        start = len(self.text) - len(self.text.lstrip(" "))
        end = len(self.text.rstrip(" "))
        return _View(self.text[start:end], self.origins[start:end])

    def without(self, removed: Sequence[tuple[int, int]]) -> _View:
        """The view with every character that comes from a removed span turned into a space."""
        if not removed:
            return self
        text = "".join(
            " " if _overlaps(origin, removed) else char
            for char, origin in zip(self.text, self.origins, strict=True)
        )
        return _View(text, self.origins).replace(_SPACES, lambda _: " ").strip()


_SPACES = re.compile(r" {2,}")
_WORD = re.compile(r"\S+")


def _overlaps(span: tuple[int, int], removed: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in removed)


def _normalised_view(text: str) -> _View:
    """refuge.text.normalise(text), with where each character comes from."""
    chars: list[str] = []
    origins: list[tuple[int, int]] = []
    for i, char in enumerate(text):
        for part in unicodedata.normalize("NFKD", char.lower()):
            if not unicodedata.combining(part):
                chars.append(part)
                origins.append((i, i + 1))
    view = _View("".join(chars), tuple(origins))
    view = view.replace(_REPEATED_LETTERS, lambda m: m.group(1))
    return view.replace(_NON_WORD, lambda _: " ").strip()


def detect_crisis(
    text: str,
    lemmas: Sequence[str | PlacedLemma] | None = None,
    patterns: CrisisPatterns | None = None,
) -> CrisisSignal | None:
    """The crisis signal of a message: explicit if any, else ambiguous if any, else None.

    `lemmas` are spaCy's lemmas of the whole text, best placed ((start, end, lemma)):
    a placed lemma inside a figure of speech or an exclusion is not read, so
    "il me tue" (tuer + me) stays a figure. A bare lemma cannot be placed, so its
    rules only make the message explicit when the text holds no figure of speech.
    """
    patterns = patterns or load_patterns()
    normalised = _normalised_view(text or "")
    # The expressions are written in plain French; "jve pu vivre" is read as
    # "je veux plus vivre" too, and the text as typed is kept for the SMS forms
    # some expressions name themselves.
    spelled_out = normalised.replace(_WORD, lambda m: patterns.sms_words.get(m.group(), m.group()))
    views = [normalised] if spelled_out.text == normalised.text else [normalised, spelled_out]

    removed: list[tuple[int, int]] = []
    figure: CrisisSignal | None = None
    for view in views:
        for exclusion in patterns.exclusions:
            removed.extend(view.span(*m.span()) for m in exclusion.finditer(view.text) if m.group())
        for kind, pattern in patterns.ambiguous:
            # Only the group `figure`, when the pattern has one, is the figure; the
            # rest of the match is context that stays readable.
            group = "figure" if "figure" in pattern.groupindex else 0
            for match in pattern.finditer(view.text):
                if not match.group(group):
                    continue
                removed.append(view.span(*match.span(group)))
                figure = figure or CrisisSignal(kind, match.group(group), AMBIGUOUS)

    denied: CrisisSignal | None = None
    for view in views:
        rest = view.without(removed)
        for kind, pattern in patterns.expressions:
            for match in pattern.finditer(rest.text):
                if not _DENIED.search(rest.text[: match.start()]):
                    return CrisisSignal(kind, match.group(0), EXPLICIT)
                removed.append(rest.span(*match.span()))  # its lemmas are denied too
                denied = denied or CrisisSignal(kind, match.group(0), AMBIGUOUS)
    if lemmas:
        readable = _readable_lemmas(lemmas, removed, figure is not None or denied is not None)
        signal = _detect_from_lemmas(readable, patterns)
        if signal is not None:
            return signal
    return denied or figure


def _readable_lemmas(
    lemmas: Sequence[str | PlacedLemma], removed: Sequence[tuple[int, int]], has_figure: bool
) -> list[str]:
    """The lemmas outside the figures of speech and the exclusions, lower case."""
    readable = []
    for lemma in lemmas:
        if isinstance(lemma, str):
            # Unplaced: it may belong to the figure ("mourir" of "mourir de honte").
            if has_figure:
                continue
            readable.append(lemma.lower())
        elif not _overlaps((lemma[0], lemma[1]), removed):
            readable.append(str(lemma[2]).lower())
    return readable


def _detect_from_lemmas(lemmas: list[str], patterns: CrisisPatterns) -> CrisisSignal | None:
    for lemma in lemmas:
        if lemma in patterns.single_lemmas:
            return CrisisSignal(kind="lemmes", evidence=lemma)
    for pair in patterns.lemma_pairs:
        for i, lemma in enumerate(lemmas):
            if lemma not in pair.before:
                continue
            following = lemmas[i + 1 : i + 1 + pair.window]
            preceding = lemmas[max(0, i - pair.window) : i] if pair.any_order else []
            for other in (*following, *preceding):
                if other in pair.after:
                    return CrisisSignal(kind="lemmes", evidence=f"{lemma} … {other}")
    return None
