"""Forwards one turn to Rasa's REST channel and turns its answer into the public message format."""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

logger = logging.getLogger("refuge.web")

# How long the health check waits for each Rasa server.
HEALTH_PROBE_SECONDS = 1.0


# Reads the tracker for the turn of a message id: Rasa's REST items, or None.
StoredReply = Callable[[], Awaitable["list[dict[str, Any]] | None"]]


class AssistantUnavailable(Exception):
    """Rasa could not give an answer: down, too slow, an error, or an empty reply."""


@dataclass
class Button:
    title: str
    payload: str


@dataclass
class Document:
    title: str
    text: str


@dataclass
class BotMessage:
    text: str
    buttons: list[Button] = field(default_factory=list)
    document: Document | None = None


# The custom payloads the actions send (actions/law.py), by key, with the title
# the web chat shows above the saved or printed document.
DOCUMENT_TITLES = {
    "recapitulatif_plainte": "Récapitulatif pour la plainte",
    "demande_retrait": "Demande de retrait à envoyer à la plateforme",
}


def to_bot_messages(rasa_messages: list[dict[str, Any]]) -> list[BotMessage]:
    """Rasa's REST output (text, buttons, custom) as the web chat's messages.

    Rasa sends a message's text and its custom payload as two items; the
    document is attached to the text it repeats, so the chat shows it once.
    """
    messages: list[BotMessage] = []
    for item in rasa_messages:
        custom = item.get("custom")
        if isinstance(custom, dict):
            for key, title in DOCUMENT_TITLES.items():
                text = custom.get(key)
                if isinstance(text, str) and text:
                    document = Document(title=title, text=text)
                    if messages and messages[-1].text == text and messages[-1].document is None:
                        messages[-1].document = document
                    else:
                        messages.append(BotMessage(text=text, document=document))
        text = item.get("text")
        if isinstance(text, str) and text:
            buttons = [
                Button(title=str(button.get("title", "")), payload=str(button.get("payload", "")))
                for button in item.get("buttons") or []
                if isinstance(button, dict) and button.get("payload")
            ]
            messages.append(BotMessage(text=text, buttons=buttons))
    return messages


class AssistantClient:
    """Talks to one of several Rasa servers; they share the tracker store, so any can answer."""

    def __init__(
        self, urls: tuple[str, ...], timeout_seconds: float, lock_lifetime_seconds: float = 0
    ) -> None:
        self._urls = urls
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._retry_timeout = aiohttp.ClientTimeout(total=timeout_seconds + lock_lifetime_seconds)
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        connector = aiohttp.TCPConnector(limit=200, limit_per_host=100)
        self._session = aiohttp.ClientSession(connector=connector, timeout=self._timeout)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    def _servers_for(self, conversation_id: str) -> list[str]:
        # The same conversation goes to the same server first (its lock is then
        # never contended across servers); the others are the fallbacks.
        first = zlib.crc32(conversation_id.encode()) % len(self._urls)
        return list(self._urls[first:] + self._urls[:first])

    async def send(
        self,
        conversation_id: str,
        text: str,
        message_id: str | None = None,
        stored_reply: StoredReply | None = None,
        continues: bool = False,
    ) -> list[BotMessage]:
        """One turn; with a message id, a server lost mid-turn is replaced without doubling it.

        `stored_reply` reads the tracker for the turn of that message id
        (web/turns.py): a server that went away after storing the turn leaves
        its reply there; one that went away before left nothing, and the next
        server takes the turn. `continues` tells Rasa this conversation was
        answered less than a session ago (actions/session.py).
        """
        assert self._session is not None, "AssistantClient.start() was not awaited"
        body: dict[str, Any] = {"sender": conversation_id, "message": text}
        if message_id is not None:
            # Rasa's REST channel stores the request's metadata in the user event.
            body["metadata"] = {"message_id": message_id, "suite": continues}
        timeout = self._timeout
        for url in self._servers_for(conversation_id):
            try:
                async with self._session.post(
                    f"{url}/webhooks/rest/webhook", json=body, timeout=timeout
                ) as response:
                    if response.status != 200:
                        raise AssistantUnavailable(f"Rasa answered {response.status}")
                    payload = await response.json(content_type=None)
            except aiohttp.ClientConnectorError:
                # Nothing reached that server: the next one can take the turn safely.
                continue
            except asyncio.TimeoutError as error:
                # Still working, perhaps: a second server would run the turn twice.
                raise AssistantUnavailable(type(error).__name__) from error
            except aiohttp.ClientConnectionError as error:
                # The server went away during the turn (killed, restarted).
                if message_id is None or stored_reply is None:
                    raise AssistantUnavailable(type(error).__name__) from error
                logger.warning(
                    "Un serveur Rasa est parti pendant un tour (%s) : reprise sur un autre serveur",
                    type(error).__name__,
                )
                stored = await stored_reply()
                if stored:
                    payload = stored
                else:
                    # The dead server's lock ticket holds the conversation until it
                    # expires (TICKET_LOCK_LIFETIME): the next server waits that long.
                    timeout = self._retry_timeout
                    continue
            except (aiohttp.ClientError, ValueError) as error:
                raise AssistantUnavailable(type(error).__name__) from error
            messages = to_bot_messages(payload if isinstance(payload, list) else [])
            if not messages:
                # Rasa's REST channel answers [] with 200 when a turn failed.
                raise AssistantUnavailable("empty reply")
            return messages
        raise AssistantUnavailable("no Rasa server reachable")

    async def ready(self) -> bool:
        assert self._session is not None
        for url in self._urls:
            try:
                # A health check answers fast even when a Rasa server hangs: a probe
                # longer than its caller's own timeout would never be read.
                async with self._session.get(
                    f"{url}/", timeout=aiohttp.ClientTimeout(total=HEALTH_PROBE_SECONDS)
                ) as r:
                    if r.status == 200:
                        return True
            except (aiohttp.ClientError, asyncio.TimeoutError):
                continue
        return False
