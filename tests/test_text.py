"""Text helpers of refuge.text used before any reading of the story."""

from __future__ import annotations

import pytest

from refuge.text import only_unknown_words

LETTERS, OTHER = True, False
UNKNOWN, KNOWN = True, False


@pytest.mark.parametrize(
    ("words", "struck_at_random"),
    [
        ([(LETTERS, UNKNOWN)], True),  # "wxcvbn"
        ([(LETTERS, UNKNOWN), (LETTERS, UNKNOWN)], True),  # "azertyuiop qsdf"
        ([(LETTERS, UNKNOWN), (LETTERS, KNOWN)], False),  # "qsdf aide"
        ([(LETTERS, KNOWN)], False),  # "slt"
        ([(OTHER, UNKNOWN)], False),  # "14", "😭": nothing to tell
        ([(OTHER, UNKNOWN), (LETTERS, UNKNOWN)], True),  # "?? wxcvbn"
        ([], False),  # empty
    ],
)
def test_a_message_is_struck_at_random_when_every_word_of_letters_is_unknown(
    words, struck_at_random
):
    assert only_unknown_words(words) is struck_at_random
