"""Serves an app of the project with uvicorn, as the web service and the console alone both do."""

from __future__ import annotations

import logging
from collections.abc import Callable

import uvicorn
from starlette.types import ASGIApp

from refuge.log_privacy import install as install_log_privacy


def serve(make_app: Callable[[], ASGIApp], host: str, port: int) -> None:
    # Before the app is made: its first log line is already text-free, tracebacks included.
    install_log_privacy()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    uvicorn.run(
        make_app(),
        host=host,
        port=port,
        # Addresses are personal data: no access log. X-Forwarded-For is read by
        # the apps themselves, only from the proxies named in REFUGE_TRUSTED_PROXIES.
        access_log=False,
        proxy_headers=False,
        server_header=False,
        ws="none",  # no WebSocket route; Rasa's pinned websockets is too old for uvicorn's
        log_level="info",
    )
