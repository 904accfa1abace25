"""Runs the public web service (`python -m web`), configured from the environment."""

from __future__ import annotations

import logging

import uvicorn

from refuge.log_privacy import install as install_log_privacy
from web.app import create_app
from web.settings import Settings


def main() -> None:
    install_log_privacy()  # no conversation text in any log line, tracebacks included
    settings = Settings.from_env()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        # Addresses are personal data: no access log. X-Forwarded-For is read by
        # the app itself, only from the proxies named in REFUGE_TRUSTED_PROXIES.
        access_log=False,
        proxy_headers=False,
        server_header=False,
        ws="none",  # no WebSocket route; Rasa's pinned websockets is too old for uvicorn's
        log_level="info",
    )


if __name__ == "__main__":
    main()
