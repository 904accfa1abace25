"""The public web service: the chat pages, the widget, and the JSON API in front of Rasa."""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

from console.app import CONSOLE_PATH, create_console_app
from database.engine import make_engine
from refuge.crisis import detect_crisis, load_patterns
from web.api_models import (
    ConversationOut,
    ErrorOut,
    HealthOut,
    MessageIn,
    RepliesOut,
    declare_nullable,
)
from web.assistant import AssistantClient, AssistantUnavailable, to_bot_messages
from web.conversations import ConversationStore, is_well_formed
from web.rate_limit import RateLimiter, address_bucket, make_rate_limiter
from web.redaction import redact
from web.security import SecurityHeadersMiddleware, forwarded_client
from web.settings import RateLimit, Settings
from web.text_input import clean_text, disarm_intent_syntax, is_offered_payload
from web.turns import Claim, TurnLedger, is_message_id

logger = logging.getLogger("refuge.web")

STATIC_DIR = Path(__file__).parent / "static"
# Rasa's session_expiration_time (domain.yml), in seconds.
SESSION_SECONDS = 60 * 60
REPLIES_FILE = Path(__file__).parent / "replies.yml"


@lru_cache(maxsize=1)
def replies() -> dict[str, str]:
    return yaml.safe_load(REPLIES_FILE.read_text(encoding="utf-8"))


class ApiError(Exception):
    def __init__(self, status: int, error: str, text: str, **extra: Any) -> None:
        self.status = status
        self.error = error
        self.text = text
        self.extra = extra


def error_response(status: int, error: str, text: str, **extra: Any) -> JSONResponse:
    # Whatever went wrong, whoever reads this may be in danger: the one place
    # where the help numbers are added to what the service says.
    text = f"{text}\n{replies()['urgence']}"
    body = ErrorOut(error=error, messages=[{"text": text}], **extra).dict()
    headers = {}
    if extra.get("retry_after"):
        headers["Retry-After"] = str(extra["retry_after"])
    return JSONResponse(body, status_code=status, headers=headers)


def unavailable_reply(user_text: str) -> str:
    """The answer when the assistant cannot give one: a crisis gets the emergency answer first.

    The help numbers follow, added by `error_response` like to every error.
    """
    text = replies()["indisponible"]
    if detect_crisis(user_text):
        text = f"{replies()['crise']}\n{text}"
    return text


_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in {
        400: "JSON illisible.",
        404: "Conversation inconnue (jamais créée, ou effacée).",
        413: "Message trop long.",
        415: "Le corps doit être du JSON (Content-Type: application/json).",
        422: "JSON valide mais pas de la forme attendue.",
        429: "Trop de messages : réessayer après Retry-After secondes.",
    }.items()
}


def _render(template: str, settings: Settings, *, javascript: bool = False) -> str:
    url = (
        json.dumps(settings.quick_exit_url)[1:-1]
        if javascript
        else html.escape(settings.quick_exit_url)
    )
    return template.replace("{{quick_exit_url}}", url).replace(
        "{{max_chars}}", str(settings.max_message_chars)
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    load_patterns()  # the crisis net's YAML, read now rather than on the loop at the first failure
    store = ConversationStore(make_engine(settings.database_url))
    assistant = AssistantClient(
        settings.rasa_urls, settings.rasa_timeout_seconds, settings.lock_lifetime_seconds
    )
    # The longest a turn can take: every server tried, the last after a lock expired.
    ledger = TurnLedger(
        store.engine,
        turn_seconds=settings.rasa_timeout_seconds * (len(settings.rasa_urls) + 1)
        + settings.lock_lifetime_seconds,
    )
    limiter: RateLimiter = make_rate_limiter(settings.rate_limit_store, settings.redis_url)
    pages = {
        "/": _render((STATIC_DIR / "index.html").read_text(encoding="utf-8"), settings),
        "/chat": _render((STATIC_DIR / "chat.html").read_text(encoding="utf-8"), settings),
    }
    widget_js = _render(
        (STATIC_DIR / "widget.js").read_text(encoding="utf-8"), settings, javascript=True
    )

    async def purge_on_schedule() -> None:
        retention = settings.retention_days * 86_400
        while True:
            try:
                result = await to_thread.run_sync(store.purge, retention)
                if result.conversations or result.events:
                    logger.info(
                        "Purge : %d conversations, %d événements",
                        result.conversations,
                        result.events,
                    )
            except Exception:  # the next round will try again; the service keeps answering
                logger.exception("La purge programmée a échoué")
            await asyncio.sleep(settings.purge_interval_seconds)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await to_thread.run_sync(store.migrate)
        await assistant.start()
        purge_task = asyncio.create_task(purge_on_schedule())
        try:
            yield
        finally:
            purge_task.cancel()
            await assistant.close()
            await limiter.close()
            store.engine.dispose()

    app = FastAPI(
        title="Refuge — API du chat",
        version="1.0.0",
        description=(
            "La seule porte publique de l'assistant Refuge. Les textes sont expurgés "
            "(téléphones, e-mails, adresses, moyens de paiement) avant d'être transmis."
        ),
        lifespan=lifespan,
        # Swagger's page loads scripts from a CDN: not on a service for minors.
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.store = store
    app.state.assistant = assistant
    app.state.limiter = limiter

    def client_bucket(request: Request) -> str:
        return address_bucket(client_address(request))

    def client_address(request: Request) -> str:
        return forwarded_client(request, settings.trusted_proxies)

    async def check_rate(key: str, limit: RateLimit, error: str) -> None:
        """Raises the 429 whose code is also the key of its text in replies.yml."""
        decision = await limiter.hit(key, limit)
        if not decision.allowed:
            raise ApiError(
                429,
                error,
                replies()[error].format(retry_after=decision.retry_after),
                retry=True,
                retry_after=decision.retry_after,
            )

    async def read_json(request: Request, *, optional: bool = False) -> Any:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > settings.max_body_bytes:
            raise _too_long()
        if optional and not content_type and (length in (None, "0")):
            return {}
        if content_type != "application/json":
            raise ApiError(415, "type_de_contenu", replies()["requete_invalide"])
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > settings.max_body_bytes:
                raise _too_long()
        if optional and not body:
            return {}
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError) as error:
            raise ApiError(400, "json_invalide", replies()["requete_invalide"]) from error

    def _too_long() -> ApiError:
        return ApiError(
            413,
            "message_trop_long",
            replies()["trop_long"].format(max_chars=settings.max_message_chars),
            max_chars=settings.max_message_chars,
        )

    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.error, error.text, **error.extra)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception) -> JSONResponse:
        # The database or anything else failing: still the apology and the numbers,
        # and the widget keeps the text. Logged without the request (it may hold text).
        logger.error("Erreur inattendue (%s)", type(error).__name__)
        return error_response(503, "service_indisponible", replies()["indisponible"], retry=True)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        return error_response(422, "requete_invalide", replies()["requete_invalide"])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            code = {404: "introuvable", 405: "methode_non_permise"}.get(error.status_code, "erreur")
            response = error_response(error.status_code, code, replies()["requete_invalide"])
            # A 405 says which methods are allowed (RFC 9110).
            response.headers.update(error.headers or {})
            return response
        return HTMLResponse(
            "<!doctype html><title>Introuvable</title><p>Page introuvable.</p>", error.status_code
        )

    @app.get("/", include_in_schema=False)
    async def home() -> HTMLResponse:
        return HTMLResponse(pages["/"])

    @app.get("/chat", include_in_schema=False)
    async def chat() -> HTMLResponse:
        return HTMLResponse(pages["/chat"])

    @app.get("/widget.js", include_in_schema=False)
    async def widget() -> Response:
        return Response(widget_js, media_type="application/javascript; charset=utf-8")

    @app.get("/api/health", response_model=HealthOut, tags=["service"])
    async def health() -> HealthOut:
        """Le service web répond ; `assistant` dit si un serveur Rasa répond aussi."""
        return HealthOut(status="ok", assistant=await assistant.ready())

    @app.post(
        "/api/conversations",
        status_code=201,
        response_model=ConversationOut,
        responses={k: v for k, v in _ERROR_RESPONSES.items() if k in (400, 413, 415, 422, 429)},
        tags=["conversations"],
        openapi_extra={
            "requestBody": {
                "required": False,
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        },
    )
    async def create_conversation(request: Request) -> ConversationOut:
        """Ouvre une conversation et renvoie son identifiant (jamais choisi par le client)."""
        await check_rate(
            f"adresse-conv:{client_bucket(request)}",
            settings.address_conversations,
            "trop_de_conversations",
        )
        if not isinstance(await read_json(request, optional=True), dict):
            raise ApiError(422, "requete_invalide", replies()["requete_invalide"])
        return ConversationOut(id=await to_thread.run_sync(store.create))

    @app.post(
        "/api/conversations/{conversation_id}/messages",
        response_model=RepliesOut,
        responses={
            **_ERROR_RESPONSES,
            503: {
                "model": ErrorOut,
                "description": "L'assistant ne peut pas répondre : réessayer.",
            },
        },
        tags=["conversations"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": MessageIn.schema()}},
            }
        },
    )
    async def post_message(conversation_id: str, request: Request) -> Any:
        """Envoie un message et renvoie les réponses de l'assistant."""
        await check_rate(
            f"adresse-msg:{client_bucket(request)}",
            settings.address_messages,
            "trop_de_messages",
        )
        if not is_well_formed(conversation_id):
            raise ApiError(404, "conversation_inconnue", replies()["conversation_inconnue"])
        payload = await read_json(request)
        if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
            raise ApiError(422, "requete_invalide", replies()["requete_invalide"])
        message_id = payload.get("message_id")
        if message_id is not None and not is_message_id(message_id):
            raise ApiError(422, "requete_invalide", replies()["requete_invalide"])
        text = clean_text(payload["text"])
        if len(text) > settings.max_message_chars:
            raise _too_long()
        # Only existing conversations are counted: random ids must not fill the limiter.
        offered = await to_thread.run_sync(store.touch, conversation_id)
        if offered is None:
            raise ApiError(404, "conversation_inconnue", replies()["conversation_inconnue"])
        await check_rate(
            f"conv:{conversation_id}",
            settings.conversation_messages,
            "trop_de_messages",
        )
        if is_offered_payload(text, offered):
            # A button the assistant offered here: its own payload, passed as it is.
            forwarded = text.strip()
        else:
            # Identifiers never leave this process: Rasa, its tracker store and its
            # logs only ever see placeholders. In a thread: up to a few ms of regexes.
            forwarded = disarm_intent_syntax((await to_thread.run_sync(redact, text)).text)
        if message_id is None:
            return await answer(conversation_id, forwarded, offered)
        claim = await claim_turn(conversation_id, message_id)
        if claim.reply is not None:
            return claim.reply  # sent twice: the same reply, and Rasa heard it once
        if claim.busy:
            reply = await to_thread.run_sync(unavailable_reply, forwarded)
            return error_response(503, "service_indisponible", reply, retry=True)
        try:
            reply_or_error = await answer(
                conversation_id, forwarded, offered, message_id, check_tracker=claim.taken_over
            )
        except BaseException:
            await to_thread.run_sync(ledger.release, conversation_id, message_id)
            raise
        if isinstance(reply_or_error, dict):
            await to_thread.run_sync(ledger.record, conversation_id, message_id, reply_or_error)
        else:
            await to_thread.run_sync(ledger.release, conversation_id, message_id)
        return reply_or_error

    async def claim_turn(conversation_id: str, message_id: str) -> Claim:
        """Claims the turn; the same message already under way is waited for, not sent again."""
        deadline = asyncio.get_running_loop().time() + ledger.turn_seconds
        while True:
            claim = await to_thread.run_sync(ledger.claim, conversation_id, message_id)
            if not claim.busy or asyncio.get_running_loop().time() >= deadline:
                return claim
            await asyncio.sleep(0.25)

    async def answer(
        conversation_id: str,
        forwarded: str,
        offered: frozenset[str],
        message_id: str | None = None,
        check_tracker: bool = False,
    ) -> dict[str, Any] | JSONResponse:
        async def stored_reply() -> list[dict[str, Any]] | None:
            assert message_id is not None
            return await to_thread.run_sync(ledger.reply_in_tracker, conversation_id, message_id)

        messages = []
        if check_tracker:
            # An earlier attempt failed: Rasa may have stored its turn all the same.
            messages = to_bot_messages(await stored_reply() or [])
        continues = False
        if message_id is not None:
            # Rasa's session lasts an hour (domain.yml): a reply within it means
            # Rasa must know this conversation, else its tracker was lost.
            continues = await to_thread.run_sync(
                ledger.answered_since, conversation_id, time.time() - SESSION_SECONDS
            )
        try:
            if not messages:
                messages = await assistant.send(
                    conversation_id,
                    forwarded,
                    message_id,
                    stored_reply if message_id else None,
                    continues=continues,
                )
        except AssistantUnavailable as error:
            logger.warning("L'assistant n'a pas répondu (%s)", error)
            reply = await to_thread.run_sync(unavailable_reply, forwarded)
            return error_response(503, "service_indisponible", reply, retry=True)
        payloads = {button.payload for message in messages for button in message.buttons}
        if not payloads <= offered:
            await to_thread.run_sync(store.remember_offered, conversation_id, offered | payloads)
        return {"messages": [asdict(message) for message in messages]}

    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declare_nullable(default_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    # Only the chat's script and style: the pages are served templated above.
    assets = {name: (STATIC_DIR / name).read_bytes() for name in ("chat.js", "chat.css")}

    @app.get("/static/chat.js", include_in_schema=False)
    async def chat_script() -> Response:
        return Response(assets["chat.js"], media_type="application/javascript; charset=utf-8")

    @app.get("/static/chat.css", include_in_schema=False)
    async def chat_style() -> Response:
        return Response(assets["chat.css"], media_type="text/css; charset=utf-8")

    # The helpline's console, on the same database; `python -m console` serves it
    # alone instead, on another port, for a deployment that keeps it off the public network.
    if settings.console_mounted:
        app.mount(CONSOLE_PATH, create_console_app(engine=store.engine))

        @app.get(CONSOLE_PATH, include_in_schema=False)
        async def console_root() -> Response:
            return RedirectResponse(f"{CONSOLE_PATH}/", 308)

    if settings.partner_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.partner_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
            max_age=600,
        )
    app.add_middleware(SecurityHeadersMiddleware, partner_origins=settings.partner_origins)
    return app
