"""Runs the public web service (`python -m web`), configured from the environment."""

from __future__ import annotations

from web.app import create_app
from web.serving import serve
from web.settings import Settings


def main() -> None:
    settings = Settings.from_env()
    serve(lambda: create_app(settings), settings.host, settings.port)


if __name__ == "__main__":
    main()
