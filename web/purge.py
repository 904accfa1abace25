"""`refuge-purge`: deletes now the conversations idle longer than the retention (the web service also does it hourly)."""

from __future__ import annotations

import argparse

from database import audit
from database.engine import make_engine
from web.conversations import ConversationStore
from web.settings import Settings


def main(argv: list[str] | None = None) -> int:
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(prog="refuge-purge", description=__doc__)
    parser.add_argument(
        "--jours",
        type=float,
        default=settings.retention_days,
        help=f"durée de conservation en jours (REFUGE_RETENTION_DAYS, ici {settings.retention_days})",
    )
    args = parser.parse_args(argv)
    store = ConversationStore(make_engine(settings.database_url))
    store.migrate()
    result = store.purge(args.jours * 86_400, actor=audit.COMMAND_LINE)
    print(
        f"{result.conversations} conversation(s), {result.events} événement(s) et "
        f"{result.console_rows} ligne(s) de la console effacés."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
