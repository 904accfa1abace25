"""The console's web app: login, the triage list, a conversation's page, annotations and the supervisors' pages.

Server-rendered HTML (Jinja2, escaped by default: every text from a
conversation is shown as text), no script. Every route but the login page asks
for a live session; every POST carries the session's CSRF token.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import secrets
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from anyio import to_thread
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from console import accounts, annotations, exports, statistics, triage_index
from console.permissions import allowed
from console.sessions import Session, close_session, csrf_matches, find_session, open_session
from console.settings import ConsoleSettings
from console.transcript import read_transcript
from database import audit, retention
from database.engine import make_engine
from web.security import (
    SecurityHeadersMiddleware,
    content_security_policy,
    forwarded_client,
    is_https,
)

logger = logging.getLogger("refuge.console")
HERE = Path(__file__).parent
# Where the console lives, mounted on the web service or served on its own.
CONSOLE_PATH = "/operateur"
SESSION_COOKIE = "refuge_console"
LOGIN_CSRF_COOKIE = "refuge_console_connexion"
# Past this, a page number is not a page: refused rather than an OFFSET the database chokes on.
MAX_PAGE = 100_000
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,255}$")
STATE_LABELS = {"nouvelle": "nouvelle", "en_cours": "en cours", "revue": "revue"}
LOGIN_ERRORS = {
    "identifiants": "Identifiant ou mot de passe incorrect.",
    "bloque": "Trop d'essais manqués : réessayez dans {minutes} minute(s).",
    "jeton": "La page de connexion a expiré : réessayez.",
}
# The login page is the one page shown before a session: its few styles are
# inline, allowed by their hash (the console's stylesheet needs a session).
LOGIN_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem;"
    "color:#1d1d1f}label{display:block;margin-top:1rem;font-weight:600}"
    "input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}"
    "button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem}"
    ".erreur{color:#a00000;font-weight:600}"
)


class NotLoggedIn(Exception):
    pass


class Forbidden(Exception):
    pass


class QuietErrorMiddleware:
    """An unexpected error answers a plain 500 and is logged by its type only.

    Starlette's own handler re-raises after answering, and the server then logs the
    traceback, whose messages could carry a conversation's text or a note.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            logger.error("Erreur inattendue dans la console (%s)", type(error).__name__)
            if started:
                return
            body = (
                "<!doctype html><html lang='fr'><title>Erreur</title><p>Une erreur est "
                "survenue : réessayez dans un instant.</p></html>"
            ).encode()
            await send({
                "type": "http.response.start", "status": 500,
                "headers": [(b"content-type", b"text/html; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())],
            })  # fmt: skip
            await send({"type": "http.response.body", "body": body})


class NoStoreMiddleware:
    """Conversations must not linger in a shared computer's cache: nothing of the console is stored."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": [*message.get("headers", []), (b"cache-control", b"no-store")],
                }
            await send(message)

        await self.app(scope, receive, with_no_store if scope["type"] == "http" else send)


def create_console_app(settings: ConsoleSettings | None = None, engine=None) -> FastAPI:
    settings = settings or ConsoleSettings.from_env()
    engine = engine or make_engine(settings.database_url)
    vocabulary = exports.domain_vocabulary(settings.domain_file)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    try:
        zone = ZoneInfo(settings.time_zone)
    except ZoneInfoNotFoundError:
        zone = timezone.utc

    def local_time(moment: float | None) -> str:
        if not moment:
            return ""
        return datetime.fromtimestamp(moment, zone).strftime("%d/%m/%Y %H:%M")

    templates.env.filters["heure"] = local_time
    templates.env.globals["etats"] = STATE_LABELS
    style_hash = base64.b64encode(hashlib.sha256(LOGIN_STYLE.encode()).digest()).decode()
    login_policy = content_security_policy("'none'").replace(
        "style-src 'self'", f"style-src 'self' 'sha256-{style_hash}'"
    )
    stylesheet = (HERE / "static" / "console.css").read_bytes()

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = engine

    # --- Sessions and permissions ------------------------------------------------------
    def base(request: Request) -> str:
        return request.scope.get("root_path", "").rstrip("/")

    async def session_of(request: Request) -> Session | None:
        token = request.cookies.get(SESSION_COOKIE)
        return await to_thread.run_sync(find_session, engine, token)

    async def require(request: Request, permission: str = "voir_conversations") -> Session:
        session = await session_of(request)
        if session is None:
            raise NotLoggedIn()
        if not allowed(session.operator.role, permission):
            raise Forbidden()
        return session

    async def form_with_csrf(request: Request, session: Session) -> dict[str, str]:
        form = await request.form()
        given = form.get("csrf") or request.headers.get("x-csrftoken")
        if not csrf_matches(session.csrf_token, given):
            raise Forbidden()
        return {key: str(value) for key, value in form.items()}

    def render_page(
        request: Request, name: str, session: Session | None, status: int = 200, **context: Any
    ) -> HTMLResponse:
        context.update(
            base=base(request),
            session=session,
            peut=(
                lambda permission: (
                    session is not None and allowed(session.operator.role, permission)
                )
            ),
        )
        return templates.TemplateResponse(request, name, context, status_code=status)

    def wants_html(request: Request) -> bool:
        return "text/html" in request.headers.get("accept", "")

    @app.exception_handler(NotLoggedIn)
    async def not_logged_in(request: Request, error: NotLoggedIn) -> Response:
        if wants_html(request) and request.method == "GET":
            target = request.url.path
            if request.url.query:
                target += "?" + request.url.query
            return RedirectResponse(f"{base(request)}/connexion?suite={quote(target)}", 303)
        return JSONResponse({"error": "connexion_requise"}, 401)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, error: Forbidden) -> Response:
        session = await session_of(request)
        return render_page(
            request,
            "erreur.html",
            session,
            403,
            message="Cette page ou cette action ne vous est pas ouverte.",
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        # Checked before the session otherwise: say nothing, not even the input, to a stranger.
        session = await session_of(request)
        if session is None:
            return await not_logged_in(request, NotLoggedIn())
        return render_page(request, "erreur.html", session, 400, message="Adresse mal formée.")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        # An unknown address says nothing to whoever is not logged in.
        session = await session_of(request)
        if session is None:
            return await not_logged_in(request, NotLoggedIn())
        return render_page(
            request, "erreur.html", session, error.status_code, message="Page introuvable."
        )

    # --- Login -------------------------------------------------------------------------
    def secure(request: Request) -> bool:
        return settings.force_secure_cookies or is_https(request, settings.trusted_proxies)

    def login_page(
        request: Request,
        error: str | None = None,
        status: int = 200,
        retry: int = 0,
        suite: str = "",
    ) -> Response:
        token = secrets.token_urlsafe(32)
        message = LOGIN_ERRORS[error].format(minutes=max(1, (retry + 59) // 60)) if error else None
        response = templates.TemplateResponse(
            request,
            "connexion.html",
            {
                "base": base(request),
                "csrf": token,
                "erreur": message,
                "suite": suite,
                "style": LOGIN_STYLE,
            },
            status_code=status,
        )
        response.headers["content-security-policy"] = login_policy
        response.set_cookie(
            LOGIN_CSRF_COOKIE, token, max_age=1800, path=base(request) or "/",
            httponly=True, samesite="strict", secure=secure(request),
        )  # fmt: skip
        return response

    def safe_next(request: Request, target: str) -> str:
        # Only a path of the console itself: never an open redirect.
        root = base(request) or ""
        if target.startswith(root + "/") and not target.startswith("//") and "\\" not in target:
            return target
        return root + "/"

    @app.get("/connexion")
    async def login_form(request: Request, suite: str = "") -> Response:
        return login_page(request, suite=suite)

    @app.post("/connexion")
    async def login(request: Request) -> Response:
        form = await request.form()
        suite = str(form.get("suite") or "")
        if not csrf_matches(request.cookies.get(LOGIN_CSRF_COOKIE, ""), form.get("csrf")):
            return login_page(request, "jeton", 403, suite=suite)
        address = forwarded_client(request, settings.trusted_proxies)
        outcome = await to_thread.run_sync(
            accounts.authenticate,
            engine,
            str(form.get("identifiant") or ""),
            str(form.get("mot_de_passe") or ""),
            address,
        )
        if outcome.operator is None:
            status = 429 if outcome.error == "bloque" else 401
            return login_page(request, outcome.error, status, outcome.retry_after, suite)
        token = await to_thread.run_sync(open_session, engine, outcome.operator)
        response = RedirectResponse(safe_next(request, suite), 303)
        response.set_cookie(
            SESSION_COOKIE, token, path=base(request) or "/",
            httponly=True, samesite="strict", secure=secure(request),
        )  # fmt: skip
        response.delete_cookie(LOGIN_CSRF_COOKIE, path=base(request) or "/")
        return response

    @app.post("/deconnexion")
    async def logout(request: Request) -> Response:
        session = await require(request)
        await form_with_csrf(request, session)
        await to_thread.run_sync(close_session, engine, session)
        response = RedirectResponse(f"{base(request)}/connexion", 303)
        response.delete_cookie(SESSION_COOKIE, path=base(request) or "/")
        return response

    @app.get("/static/console.css")
    async def console_style(request: Request) -> Response:
        await require(request)
        return Response(stylesheet, media_type="text/css; charset=utf-8")

    # --- The triage list -----------------------------------------------------------------
    def day_start(value: str) -> float | None:
        try:
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=zone).timestamp()
        except ValueError:
            return None

    @app.get("/")
    async def conversation_list(
        request: Request,
        etat: str = "",
        situation: str = "",
        etiquette: str = "",
        du: str = "",
        au: str = "",
        page: int = Query(1, ge=1, le=MAX_PAGE),
    ) -> Response:
        session = await require(request)
        until = day_start(au)
        filters = triage_index.Filters(
            state=etat if etat in STATE_LABELS else None,
            situation=situation if situation in statistics.SITUATIONS else None,
            tag=etiquette or None,
            since=day_start(du),
            until=until + 86_400 if until is not None else None,
        )

        def load() -> tuple[list, int, list[str]]:
            triage_index.refresh(engine)
            with engine.connect() as connection:
                listed, total = triage_index.list_conversations(connection, filters, page)
                return listed, total, annotations.active_tags(connection)

        listed, total, tag_names = await to_thread.run_sync(load)
        pages = max(1, -(-total // triage_index.PAGE_SIZE))
        query = {
            k: v
            for k, v in {
                "etat": etat,
                "situation": situation,
                "etiquette": etiquette,
                "du": du,
                "au": au,
            }.items()
            if v
        }
        return render_page(
            request, "liste.html", session,
            conversations=listed, total=total, page_courante=min(max(page, 1), pages), pages=pages,
            filtres=query, situations=statistics.SITUATIONS, etiquettes=tag_names,
            lien_page=lambda number: "?" + urlencode({**query, "page": number}),
        )  # fmt: skip

    # --- A conversation ------------------------------------------------------------------
    def checked_id(conversation_id: str) -> str:
        if not CONVERSATION_ID.match(conversation_id):
            raise StarletteHTTPException(404)
        return conversation_id

    def conversation_context(
        conversation_id: str, session: Session, log_view: bool
    ) -> dict[str, Any] | None:
        triage_index.refresh(engine)
        with engine.begin() as connection:
            transcript = read_transcript(connection, conversation_id)
            if transcript is None:
                return None
            if log_view:
                audit.record(connection, session.operator.name, "consultation", conversation_id)
                # Opened by an operator: someone is on it, the others see "en cours".
                annotations.mark_opened(connection, conversation_id, session.operator)
            row = triage_index.triage_row(connection, conversation_id)
            return {
                "transcript": transcript,
                "triage": row,
                "etat": annotations.state_of(connection, conversation_id),
                "etiquettes_conversation": annotations.tags_of(connection, conversation_id),
                "etiquettes": annotations.active_tags(connection),
                "notes": annotations.notes_of(connection, conversation_id),
                "corrections": annotations.corrections_of(connection, conversation_id),
                "intentions": vocabulary.intents,
                "entites": vocabulary.entities,
            }

    async def show_conversation(
        request: Request,
        conversation_id: str,
        session: Session,
        *,
        error: str | None = None,
        status: int = 200,
        log_view: bool = True,
    ) -> Response:
        context = await to_thread.run_sync(conversation_context, conversation_id, session, log_view)
        if context is None:
            raise StarletteHTTPException(404)
        return render_page(request, "conversation.html", session, status, erreur=error, **context)

    @app.get("/conversations/{conversation_id}")
    async def conversation_page(request: Request, conversation_id: str) -> Response:
        session = await require(request)
        return await show_conversation(request, checked_id(conversation_id), session)

    async def annotate(request: Request, conversation_id: str, permission: str, change) -> Response:
        session = await require(request, permission)
        conversation_id = checked_id(conversation_id)
        form = await form_with_csrf(request, session)

        def run() -> None:
            with engine.begin() as connection:
                change(connection, conversation_id, form, session)

        try:
            await to_thread.run_sync(run)
        except annotations.AnnotationError as error:
            return await show_conversation(
                request, conversation_id, session, error=str(error), status=400, log_view=False
            )
        return RedirectResponse(f"{base(request)}/conversations/{conversation_id}", 303)

    @app.post("/conversations/{conversation_id}/etiquettes")
    async def tag(request: Request, conversation_id: str) -> Response:
        return await annotate(
            request, conversation_id, "annoter",
            lambda c, cid, form, s: annotations.add_tag(c, cid, form.get("etiquette", ""), s.operator),
        )  # fmt: skip

    @app.post("/conversations/{conversation_id}/etiquettes/retirer")
    async def untag(request: Request, conversation_id: str) -> Response:
        return await annotate(
            request, conversation_id, "annoter",
            lambda c, cid, form, s: annotations.remove_tag(c, cid, form.get("etiquette", ""), s.operator),
        )  # fmt: skip

    @app.post("/conversations/{conversation_id}/notes")
    async def note(request: Request, conversation_id: str) -> Response:
        return await annotate(
            request, conversation_id, "annoter",
            lambda c, cid, form, s: annotations.add_note(c, cid, form.get("texte", ""), s.operator),
        )  # fmt: skip

    @app.post("/conversations/{conversation_id}/revue")
    async def review(request: Request, conversation_id: str) -> Response:
        return await annotate(
            request, conversation_id, "annoter",
            lambda c, cid, form, s: annotations.mark_reviewed(c, cid, s.operator),
        )  # fmt: skip

    def apply_correction(
        connection, conversation_id: str, form: dict[str, str], session: Session
    ) -> None:
        try:
            event_id = int(form.get("message", ""))
        except ValueError as error:
            raise annotations.AnnotationError("Message inconnu.") from error
        intent = form.get("intention") or None
        if intent is not None and intent not in vocabulary.intents:
            raise annotations.AnnotationError("Intention inconnue.")
        text = annotations.message_text(connection, conversation_id, event_id)
        entities = annotations.parse_entities(form.get("entites", ""), text, vocabulary.entities)
        annotations.correct(
            connection, conversation_id, event_id,
            intent=intent, entities=entities, missed_crisis=form.get("crise_manquee") == "oui",
            operator=session.operator,
        )  # fmt: skip

    @app.post("/conversations/{conversation_id}/corrections")
    async def correction(request: Request, conversation_id: str) -> Response:
        return await annotate(request, conversation_id, "corriger", apply_correction)

    # --- Supervisors -------------------------------------------------------------------
    @app.get("/exports")
    async def export_page(request: Request) -> Response:
        session = await require(request, "exporter")

        def counts() -> tuple[int, int]:
            with engine.connect() as connection:
                return exports.nlu_yaml(connection, vocabulary)[1], exports.missed_crises_yaml(
                    connection
                )[1]

        nlu_count, crises_count = await to_thread.run_sync(counts)
        return render_page(
            request, "exports.html", session, exemples=nlu_count, crises=crises_count
        )

    async def download(
        request: Request, what: str, build, filename: str, media_type: str
    ) -> Response:
        session = await require(
            request, "exporter" if what != "statistiques" else "voir_statistiques"
        )

        def run() -> tuple[str, int]:
            with engine.begin() as connection:
                content, count = build(connection)
                audit.record(
                    connection, session.operator.name, f"export_{what}", detail=f"lignes={count}"
                )
                return content, count

        content, _ = await to_thread.run_sync(run)
        return Response(
            content, media_type=media_type,
            headers={"content-disposition": f'attachment; filename="{filename}"'},
        )  # fmt: skip

    @app.get("/exports/corrections-nlu.yml")
    async def export_nlu(request: Request) -> Response:
        return await download(
            request, "nlu", lambda c: exports.nlu_yaml(c, vocabulary),
            "corrections-nlu.yml", "application/yaml; charset=utf-8",
        )  # fmt: skip

    @app.get("/exports/crises-manquees.yml")
    async def export_crises(request: Request) -> Response:
        return await download(
            request, "crises", exports.missed_crises_yaml,
            "crises-manquees.yml", "application/yaml; charset=utf-8",
        )  # fmt: skip

    @app.get("/statistiques")
    async def statistics_page(request: Request) -> Response:
        session = await require(request, "voir_statistiques")

        def load() -> list[statistics.Week]:
            triage_index.refresh(engine)
            with engine.connect() as connection:
                return statistics.weekly(connection)

        weeks = await to_thread.run_sync(load)
        return render_page(
            request, "statistiques.html", session,
            semaines=weeks, graphique=statistics.chart_bars(weeks), situations=statistics.SITUATIONS,
        )  # fmt: skip

    @app.get("/statistiques.csv")
    async def statistics_csv(request: Request) -> Response:
        def build(connection) -> tuple[str, int]:
            weeks = statistics.weekly(connection)
            return statistics.as_csv(weeks), len(weeks)

        response = await download(
            request, "statistiques", build, "statistiques.csv", "text/csv; charset=utf-8"
        )
        return response

    @app.get("/etiquettes")
    async def tags_page(request: Request, erreur: str = "") -> Response:
        session = await require(request, "gerer_etiquettes")

        def load() -> list:
            with engine.connect() as connection:
                return annotations.all_tags(connection)

        return render_page(
            request, "etiquettes.html", session, etiquettes=await to_thread.run_sync(load)
        )

    async def supervise(request: Request, permission: str, change, back: str) -> Response:
        session = await require(request, permission)
        form = await form_with_csrf(request, session)

        def run() -> None:
            with engine.begin() as connection:
                change(connection, form, session)

        try:
            await to_thread.run_sync(run)
        except (annotations.AnnotationError, accounts.AccountError) as error:
            return render_page(request, "erreur.html", session, 400, message=str(error))
        return RedirectResponse(f"{base(request)}{back}", 303)

    @app.post("/etiquettes")
    async def create_tag(request: Request) -> Response:
        return await supervise(
            request, "gerer_etiquettes",
            lambda c, form, s: annotations.create_tag(c, form.get("nom", ""), s.operator), "/etiquettes",
        )  # fmt: skip

    @app.post("/etiquettes/retirer")
    async def retire_tag(request: Request) -> Response:
        return await supervise(
            request, "gerer_etiquettes",
            lambda c, form, s: annotations.retire_tag(c, form.get("nom", ""), s.operator), "/etiquettes",
        )  # fmt: skip

    @app.get("/comptes")
    async def accounts_page(request: Request) -> Response:
        session = await require(request, "gerer_comptes")

        def load() -> list:
            with engine.connect() as connection:
                return accounts.list_accounts(connection)

        return render_page(request, "comptes.html", session, comptes=await to_thread.run_sync(load))

    @app.post("/comptes/{name}/desactiver")
    async def deactivate_account(request: Request, name: str) -> Response:
        session = await require(request, "gerer_comptes")
        await form_with_csrf(request, session)
        if name.strip().lower() == session.operator.name:
            return render_page(
                request,
                "erreur.html",
                session,
                400,
                message="Vous ne pouvez pas désactiver votre propre compte.",
            )
        try:
            await to_thread.run_sync(accounts.deactivate, engine, name, session.operator.name)
        except accounts.AccountError as error:
            return render_page(request, "erreur.html", session, 400, message=str(error))
        return RedirectResponse(f"{base(request)}/comptes", 303)

    @app.get("/journal")
    async def audit_page(
        request: Request, page: int = Query(1, ge=1, le=MAX_PAGE), conversation: str = ""
    ) -> Response:
        session = await require(request, "lire_journal")
        size = 100

        def load() -> tuple[list, int]:
            with engine.connect() as connection:
                filter_id = conversation if CONVERSATION_ID.match(conversation) else None
                rows = audit.read(
                    connection,
                    limit=size,
                    offset=(max(page, 1) - 1) * size,
                    conversation_id=filter_id,
                )
                return rows, audit.count(connection, filter_id)

        rows, total = await to_thread.run_sync(load)
        pages = max(1, -(-total // size))
        return render_page(
            request, "journal.html", session, lignes=rows, page_courante=min(max(page, 1), pages),
            pages=pages, conversation=conversation,
        )  # fmt: skip

    @app.post("/purge")
    async def purge_now(request: Request) -> Response:
        session = await require(request, "purger")
        await form_with_csrf(request, session)
        result = await to_thread.run_sync(
            lambda: retention.purge(
                engine, settings.retention_days * 86_400, actor=session.operator.name
            )
        )
        return render_page(request, "erreur.html", session, 200, titre="Purge faite", message=(
            f"{result.conversations} conversation(s), {result.events} événement(s) et "
            f"{result.console_rows} ligne(s) de la console effacés (plus de {settings.retention_days} jours sans activité)."
        ))  # fmt: skip

    app.add_middleware(QuietErrorMiddleware)
    app.add_middleware(NoStoreMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, partner_origins=())
    return app
