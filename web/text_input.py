"""A person's text made safe to forward: no control character, no lone surrogate, never read as an intent.

Rasa reads a message starting with "/" as an intent with entities ("/restart"
resets the conversation, "/affirmer{...}" sets slots): only the payloads of the
buttons the assistant offered in this conversation may pass as such.
"""

from __future__ import annotations

import re

# Control characters other than tab and newlines: PostgreSQL refuses NUL, and
# none of them means anything in a chat message.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Valid JSON ("\ud800") but not text: spaCy fails on it inside Rasa. A pair is
# already one character once the JSON is read, so any surrogate left is alone.
_LONE_SURROGATES = re.compile(r"[\ud800-\udfff]")
INTENT_PREFIX = "/"
# What a typed "/" becomes at the start of a message: it reads the same to a person.
FULLWIDTH_SOLIDUS = "\uff0f"


def clean_text(text: str) -> str:
    return _LONE_SURROGATES.sub("\ufffd", _CONTROL_CHARACTERS.sub(" ", text))


def is_offered_payload(text: str, offered: frozenset[str]) -> bool:
    return text.strip() in offered


def disarm_intent_syntax(text: str) -> str:
    """The text with a leading "/" (after spaces, which Rasa strips) no longer read as an intent."""
    stripped = text.lstrip()
    if not stripped.startswith(INTENT_PREFIX):
        return text
    return text[: len(text) - len(stripped)] + FULLWIDTH_SOLIDUS + stripped[1:]
