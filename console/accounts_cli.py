"""`refuge-operateurs`: creates, lists and deactivates the console's accounts (the password on standard input)."""

from __future__ import annotations

import argparse
import getpass
import sys

from console import accounts
from console.permissions import roles
from database import audit
from database.engine import database_url, make_engine
from database.migrate import upgrade_to_head


def _read_password() -> str:
    # Never an argument: it would stay in the shell's history and in `ps`.
    if sys.stdin.isatty():
        first = getpass.getpass("Mot de passe : ")
        if getpass.getpass("Le même, encore une fois : ") != first:
            raise accounts.AccountError("Les deux mots de passe ne sont pas les mêmes.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="refuge-operateurs",
        description="Les comptes de la console des écoutants (mot de passe lu sur l'entrée standard).",
    )
    commands = parser.add_subparsers(dest="commande", required=True)
    add = commands.add_parser("ajouter", help="crée un compte")
    add.add_argument("nom")
    add.add_argument("--role", required=True, choices=roles())
    commands.add_parser("liste", help="liste les comptes")
    deactivate = commands.add_parser("desactiver", help="désactive un compte et ferme ses sessions")
    deactivate.add_argument("nom")
    args = parser.parse_args(argv)

    engine = make_engine(database_url())
    try:
        upgrade_to_head(engine)
        if args.commande == "ajouter":
            created = accounts.create(
                engine, args.nom, args.role, _read_password(), actor=audit.COMMAND_LINE
            )
            print(f"Compte {created.name} créé ({created.role}).")
        elif args.commande == "liste":
            with engine.connect() as connection:
                found = accounts.list_accounts(connection)
            for account in found:
                state = "actif" if account.active else "désactivé"
                print(f"{account.name}\t{account.role}\t{state}")
            if not found:
                print(
                    "Aucun compte. Créez-en un : refuge-operateurs ajouter NOM --role superviseur"
                )
        else:
            accounts.deactivate(engine, args.nom, actor=audit.COMMAND_LINE)
            print(f"Compte {args.nom} désactivé ; ses sessions sont fermées.")
    except accounts.AccountError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
