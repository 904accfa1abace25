"""Runs the console on its own (`python -m console`, or `refuge-console`), on REFUGE_CONSOLE_PORT."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from anyio import to_thread
from fastapi import FastAPI
from fastapi.responses import RedirectResponse, Response

from console.app import CONSOLE_PATH, create_console_app
from console.settings import ConsoleSettings
from database.engine import make_engine
from database.migrate import upgrade_to_head
from web.security import SecurityHeadersMiddleware
from web.serving import serve


def create_standalone_app(settings: ConsoleSettings) -> FastAPI:
    engine = make_engine(settings.database_url)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await to_thread.run_sync(upgrade_to_head, engine)
        yield
        engine.dispose()

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.mount(CONSOLE_PATH, create_console_app(settings, engine))

    @app.get("/")
    @app.get(CONSOLE_PATH)
    async def root() -> Response:
        return RedirectResponse(f"{CONSOLE_PATH}/", 308)

    app.add_middleware(SecurityHeadersMiddleware, partner_origins=())
    return app


def main() -> None:
    settings = ConsoleSettings.from_env()
    serve(lambda: create_standalone_app(settings), settings.host, settings.port)


if __name__ == "__main__":
    main()
