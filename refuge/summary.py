"""The "voici ce que j'ai compris" summary: the known facts of a conversation in plain French."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from refuge.facts import voice_of
from refuge.understanding import dialogue_data


def _labels() -> Mapping[str, Any]:
    return dialogue_data()["recapitulatif"]


def render_understanding(
    facts: Mapping[str, Any], skipped: list[str] | None = None, voice: str | None = None
) -> str:
    """One line per known fact ("- Ton âge : 14 ans"), unknown facts left out, skipped ones named.

    `voice` is whom the age label speaks to: the role by default, or "document"
    for a text shown to a third party (the complaint summary).
    """
    labels = _labels()
    role = voice or voice_of(facts.get("role"), facts.get("age_victime"))
    lines: list[str] = []

    situation = facts.get("situation")
    if situation:
        lines.append(f"Situation : {labels['situations'][situation]}")
    age = facts.get("age_victime")
    if age is not None:
        lines.append(f"{labels['age'][role]} : {int(age)} ans")
    if facts.get("plateforme"):
        lines.append(f"Où : {facts['plateforme']}")
    demande = facts.get("demande")
    if demande is not None:
        wanted = [labels["demandes"][value] for value in demande]
        if "argent" in demande and facts.get("montant"):
            wanted[demande.index("argent")] += f" ({facts['montant']})"
        lines.append(f"Ce qui est demandé : {', '.join(wanted) if wanted else 'rien'}")
    contenu = facts.get("contenu")
    if contenu:
        lines.append(f"Les images : {labels['contenus'][contenu]}")
    for fact, (label, yes, no) in labels["oui_non"].items():
        value = facts.get(fact)
        if value is not None:
            lines.append(f"{label} : {yes if value else no}")
    if skipped:
        names = [labels["libelles_faits"].get(fact, fact) for fact in skipped]
        lines.append(f"{labels['non_precise']} : {', '.join(names)}")
    return "\n".join(f"- {line}" for line in lines)
