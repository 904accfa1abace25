"""Normalisation of user text for rule-based matching (accents, SMS spelling, punctuation)."""

from __future__ import annotations

import re
import unicodedata

_REPEATED_LETTERS = re.compile(r"([a-z])\1{2,}")
_NON_WORD = re.compile(r"[^a-z0-9€]+")


def normalise(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces, letters repeated 3+ times folded.

    "Jveuuux MOURIR!!!" -> "jveux mourir"; "m'attend" -> "m attend".
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = _REPEATED_LETTERS.sub(r"\1", without_accents)
    return _NON_WORD.sub(" ", folded).strip()
