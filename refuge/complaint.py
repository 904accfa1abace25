"""The summary a victim can copy or print for the police or the 3018: only what they said."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from refuge.facts import Facts
from refuge.qualification import PROBABLE, Qualification
from refuge.rendering import french_date
from refuge.summary import render_understanding
from refuge.understanding import dialogue_data


def _labels() -> Mapping[str, Any]:
    return dialogue_data()["plainte"]


def render_complaint_summary(
    said: Mapping[str, Any],
    qualification: Qualification,
    today: date,
    skipped: list[str] | None = None,
) -> str:
    """A plain-text summary: date, facts as said, evidence to bring, articles that may apply."""
    labels = _labels()
    facts = qualification.faits
    understood = render_understanding(said, skipped, voice="document")
    # No blank line: Rasa's REST channel would cut the text into several
    # messages there, and this one must stay whole to be copied or printed.
    lines = [
        labels["titre"],
        f"{labels['date']} {french_date(today.isoformat())}.",
        labels["faits_professionnel" if qualification.role == "professionnel" else "faits"],
        understood or labels["rien_dit"],
        labels["preuves_titre"],
        *(f"- {item}" for item in evidence_to_bring(facts)),
        labels["articles_titre"],
    ]
    articles = [
        f"- article {offence.article} ({offence.titre})"
        + ("" if offence.certitude == PROBABLE else " : à vérifier")
        for offence in qualification.infractions
    ]
    lines.extend(articles or [labels["aucun_article"]])
    lines.append(labels["fin"])
    return "\n".join(lines)


def evidence_to_bring(facts: Facts) -> list[str]:
    """What to bring, according to what happened: payment receipts only if something was paid."""
    evidence = _labels()["preuves"]
    items = list(evidence["toujours"])
    if facts.role == "professionnel":
        # A professional copies no image at all, even as evidence: where, which account, when.
        items[0] = evidence["professionnel"]
    elif facts.situation == "contenu_pedocriminel":
        # Never a screenshot of a child's image: keeping one is itself an offence (227-23).
        items[0] = evidence["contenu_pedocriminel"]
    if facts.demande_obtenue and facts.demande and "argent" in facts.demande:
        items.append(evidence["argent_donne"])
    if facts.diffuse:
        items.append(evidence["images_diffusees"])
    return items
