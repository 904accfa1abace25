"""No conversation text in any log: every log record of the process is reduced to what carries no text.

Rasa's structured log writes a failed turn with the message and a traceback whose
frames hold their local variables (the text, the tracker). Installed in the Rasa
server (components/) and the action server (actions/), a log record factory turns
every record into its logger, its event (Rasa's structured key, or the message with
its quoted parts removed), the type of its exception and a hash of the conversation
id, so that operators can still follow a failure across the servers' logs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from typing import Any

# What Rasa quotes in a log message is texts, slot values, events. Names in the shape of
# code (actions, responses, slots, modules: "action_qualifier", "rasa.core") stay, they
# say where it failed; a plain word may be what a person wrote.
_CODE_NAME = re.compile(r"(?<!\w)[a-z][a-z0-9]*(?:[_.:][a-z0-9]+)+(?!\w)")
_MAX_CHARS = 300
_installed = False


def conversation_hash(conversation_id: str) -> str:
    """A short, stable name for a conversation in logs: the id itself is a key to it."""
    return hashlib.sha256(conversation_id.encode("utf-8")).hexdigest()[:12]


def _scrub(message: str) -> str:
    """The first line up to its first quote; after it, only names in the shape of code.

    A quoted text can hold apostrophes ("'j'ai peur'"), so quotes cannot be paired: what
    follows the first one is kept only where it is a code name ("action_qualifier").
    """
    first_line = message.strip().splitlines()[0] if message.strip() else ""
    quote = min((i for i in (first_line.find("'"), first_line.find('"')) if i >= 0), default=-1)
    if quote < 0:
        return first_line[:_MAX_CHARS]
    names = _CODE_NAME.findall(first_line[quote:])
    kept = first_line[:quote].rstrip() + " '…'" + "".join(f" '{name}'" for name in names)
    return kept[:_MAX_CHARS]


def _find_sender(node: Any, depth: int = 0) -> str | None:
    if depth > 6:
        return None
    if isinstance(node, dict):
        for key in ("sender_id", "sender", "conversation_id"):
            value = node.get(key)
            if isinstance(value, str) and value:
                return value.strip("'\"")
        for value in node.values():
            found = _find_sender(value, depth + 1)
            if found:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _find_sender(value, depth + 1)
            if found:
                return found
    return None


def summary(message: str, exception_type: str | None) -> str:
    """What a log line keeps of a message: its event, an exception's type, a conversation's hash."""
    parts: list[str] = []
    try:
        structured = json.loads(message)
    except ValueError:
        structured = None
    if isinstance(structured, dict) and "event" in structured:
        parts.append(str(structured["event"])[:120])
        exceptions = structured.get("exception")
        if exception_type is None and isinstance(exceptions, list) and exceptions:
            first = exceptions[-1] if isinstance(exceptions[-1], dict) else {}
            exception_type = first.get("exc_type")
        sender = _find_sender(structured)
        if sender:
            parts.append(f"conversation={conversation_hash(sender)}")
    else:
        parts.append(_scrub(message))
    if exception_type:
        parts.append(f"exception={exception_type}")
    return " ".join(part for part in parts if part)


def install() -> None:
    """Makes every log record of this process text-free (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    original = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = original(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not fit its format
            message = str(record.msg)
        exception_type = (
            record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else None
        )
        record.msg = summary(message, exception_type)
        record.args = ()
        # A traceback's lines hold the texts its frames were given: the type above is enough.
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return record

    logging.setLogRecordFactory(factory)


def installed_filter() -> logging.Filter:
    """For a logging configuration file (logging.yml): installs the factory when the file is read.

    `rasa run` and the action server read such a file before they log anything, and
    before they load the model or the actions: their first line is already text-free.
    """
    install()
    return logging.Filter()
