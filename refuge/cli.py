"""`qualifier`: reads facts as JSON on stdin, prints the qualification as JSON (or French text)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from refuge.facts import FactError, Facts
from refuge.knowledge_base import KnowledgeBaseError
from refuge.qualification import qualify
from refuge.rendering import render_checklist, render_qualification, render_resources

EXIT_BAD_INPUT = 2
EXIT_BROKEN_KNOWLEDGE = 1


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command; returns 0, 2 on bad input, 1 when the knowledge base is broken."""
    parser = argparse.ArgumentParser(
        prog="qualifier",
        description=(
            "Lit les faits d'une situation en JSON sur l'entrée standard et affiche les infractions "
            "qui peuvent correspondre, les conseils et les ressources (informations juridiques "
            "générales, pas un conseil juridique)."
        ),
    )
    parser.add_argument(
        "--texte", action="store_true", help="affiche le texte en français au lieu du JSON"
    )
    args = parser.parse_args(argv)

    try:
        facts = _read_facts()
        qualification = qualify(facts)
    except FactError as error:
        _write(sys.stderr, f"Erreur : {error}\n")
        return EXIT_BAD_INPUT
    except KnowledgeBaseError as error:
        _write(sys.stderr, f"Erreur dans la base de connaissances : {error}\n")
        return EXIT_BROKEN_KNOWLEDGE

    if args.texte:
        blocks = [
            *render_qualification(qualification),
            *(
                render_checklist(checklist, qualification.role)
                for checklist in qualification.checklists
            ),
            render_resources(qualification.ressources, qualification.role),
        ]
        _write(sys.stdout, "\n\n".join(blocks) + "\n")
    else:
        _write(sys.stdout, json.dumps(qualification.to_dict(), ensure_ascii=False, indent=2) + "\n")
    return 0


def _read_facts() -> Facts:
    raw = (
        sys.stdin.buffer.read()
        if hasattr(sys.stdin, "buffer")
        else sys.stdin.read().encode("utf-8")
    )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FactError("l'entrée n'est pas en UTF-8.") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FactError(
            f"l'entrée n'est pas du JSON valide (ligne {error.lineno}, colonne {error.colno} : {error.msg})."
        ) from error
    if not isinstance(data, dict):
        raise FactError(
            'l\'entrée doit être un objet JSON, par exemple {"situation": "sextorsion", "age_victime": 14}.'
        )
    return Facts.from_mapping(data)


def _write(stream: object, text: str) -> None:
    # UTF-8 whatever the terminal's locale: the texts are French.
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        stream.write(text)  # type: ignore[attr-defined]


if __name__ == "__main__":
    sys.exit(main())
