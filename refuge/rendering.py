"""Turns a qualification, a checklist or resources into short French chat messages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from refuge.knowledge_base import Checklist, Penalty, Resource
from refuge.qualification import POSSIBLE, Qualification, RetainedOffence, elide

MAX_MESSAGE_LENGTH = 450

_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip

# The frames around the engine's sentences; the victim (or an unknown writer) and a witness
# are tutoyés, a parent, a professional (who speaks of "le ou la jeune") and a victim of 18
# or more ("victime_majeure", refuge.facts.voice_of) are vouvoyés.
_INTRO = {
    "victime": "Voici ce que dit la loi sur ce que l'auteur te fait subir.",
    "parent": "Voici ce que dit la loi sur ce que l'auteur fait subir à votre enfant.",
    "temoin": "Voici ce que dit la loi sur ce que l'auteur fait subir à la personne concernée.",
    "professionnel": "Voici ce que dit la loi sur ce que l'auteur fait subir au ou à la jeune.",
    "victime_majeure": "Voici ce que dit la loi sur ce que l'auteur vous fait subir.",
}
_NOTHING_FOUND = {
    "victime": (
        "Avec ce que tu m'as dit, je ne peux pas encore rattacher ta situation à une infraction "
        "précise. Ça ne veut pas dire que ce n'est pas grave : tu as le droit de te faire aider."
    ),
    "parent": (
        "Avec ce que vous m'avez dit, je ne peux pas encore rattacher la situation de votre enfant "
        "à une infraction précise. Cela ne veut pas dire que ce n'est pas grave."
    ),
    "temoin": (
        "Avec ce que tu m'as dit, je ne peux pas encore rattacher la situation de la personne "
        "concernée à une infraction précise. Ça ne veut pas dire que ce n'est pas grave."
    ),
    "professionnel": (
        "Avec ce que vous m'avez dit, je ne peux pas encore rattacher la situation du ou de la "
        "jeune à une infraction précise. Cela ne veut pas dire que ce n'est pas grave : en cas "
        "de doute, le 119 peut vous conseiller."
    ),
    "victime_majeure": (
        "Avec ce que vous m'avez dit, je ne peux pas encore rattacher votre situation à une "
        "infraction précise. Cela ne veut pas dire que ce n'est pas grave : vous avez le droit "
        "de vous faire aider."
    ),
}
_RESOURCES_INTRO = {
    "victime": "Tu peux te faire aider ici :",
    "parent": "Vous pouvez vous faire aider ici, vous et votre enfant :",
    "temoin": "Voici où la personne concernée (et toi aussi) peut se faire aider :",
    "professionnel": "Vous pouvez vous faire aider ici, vous et le ou la jeune :",
    "victime_majeure": "Vous pouvez vous faire aider ici :",
}


def render_qualification(q: Qualification) -> list[str]:
    """Chat messages: an introduction, one or two per offence, then the date and the warning."""
    role = q.role if q.role in _INTRO else "victime"
    if not q.infractions:
        messages = [_NOTHING_FOUND[role]]
    else:
        messages = [_INTRO[role]]
        for offence in q.infractions:
            messages.extend(_pack(_offence_sentences(offence, q.questions)))
    messages.extend(
        _pack([f"Droit en vigueur au {french_date(q.droit_en_vigueur_au)}.", q.avertissement])
    )
    return messages


def render_checklist(checklist: Checklist, role: str | None) -> str:
    """The checklist as one message: its title, then one line per piece of advice."""
    lines = [f"{checklist.title_for(role)} :"]
    lines.extend(f"• {item.text_for(role)}" for item in checklist.elements)
    return "\n".join(lines)


def render_resources(resources: Sequence[Resource], role: str | None) -> str:
    """The resources as one message: what each does, for whom, when and how to reach it."""
    lines = [_RESOURCES_INTRO.get(role or "victime", _RESOURCES_INTRO["victime"])]
    for resource in resources:
        parts = [
            f"• {resource.nom} : {_sentence(resource.ce_quil_fait)}",
            f"Pour qui : {resource.pour_qui}.",
        ]
        if resource.horaires:
            parts.append(f"Quand : {resource.horaires}.")
        parts.append(f"Comment : {', '.join(resource.acces)}.")
        if resource.garanties:
            parts.append(_sentence(resource.garanties))
        if resource.limites:
            parts.append(_sentence(resource.limites))
        lines.append(" ".join(parts))
    return "\n".join(lines)


def penalty_text(penalty: Penalty) -> str:
    """Penalty(7, 100000) -> "jusqu'à 7 ans de prison et 100 000 € d'amende"."""
    years = "1 an" if penalty.annees == 1 else f"{penalty.annees} ans"
    euros = f"{penalty.euros:,}".replace(",", " ")
    return f"jusqu'à {years} de prison et {euros} € d'amende"


def french_date(iso_date: str) -> str:
    """The ISO date in French words: "2026-11-22" -> "22 novembre 2026"."""
    year, month, day = (int(part) for part in iso_date.split("-"))
    return f"{'1er' if day == 1 else day} {_MONTHS[month - 1]} {year}"


def _offence_sentences(offence: RetainedOffence, questions: Mapping[str, str]) -> list[str]:
    reference = _article_reference(offence)
    if offence.certitude == POSSIBLE:
        sentences = [
            f"Ce que fait l'auteur pourrait correspondre à l'infraction « {offence.titre} » ({reference})."
        ]
    else:
        sentences = [
            f"Ce que fait l'auteur correspond probablement à l'infraction « {offence.titre} » ({reference})."
        ]
    if offence.pourquoi:
        sentences.append(offence.pourquoi)
    if offence.manque:
        asked = [questions.get(fact, fact) for fact in offence.manque]
        sentences.append(f"Pour en être sûr, il faudrait savoir {_joined(asked)}.")
    sentences.append(f"Peine prévue : {penalty_text(offence.peine)}.")
    # The aggravations of an uncertain offence would only lengthen the chat; they stay in the JSON.
    shown = offence.aggravations if offence.certitude != POSSIBLE else ()
    for aggravation in shown:
        penalty = _capitalised(penalty_text(aggravation.peine))
        if aggravation.certitude == POSSIBLE:
            sentences.append(f"{penalty} {elide('si', aggravation.description)}.")
        else:
            sentences.append(
                f"Ici, {penalty_text(aggravation.peine)}, {elide('car', aggravation.description)}."
            )
    sentences.extend(offence.precisions)
    return sentences


def _article_reference(offence: RetainedOffence) -> str:
    plural = " et " in offence.article
    return f"{'articles' if plural else 'article'} {offence.article} du {offence.code}"


def _pack(sentences: Iterable[str], separator: str = " ") -> list[str]:
    """Groups sentences into messages of at most MAX_MESSAGE_LENGTH characters, in order."""
    messages: list[str] = []
    for sentence in sentences:
        if messages and len(messages[-1]) + 1 + len(sentence) <= MAX_MESSAGE_LENGTH:
            messages[-1] = f"{messages[-1]}{separator}{sentence}"
        else:
            messages.append(sentence)
    return messages


def _joined(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    text = _capitalised(text.strip())
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


# ----- Chat versions: what a frightened teenager or a worried parent can read
# on a phone. The full texts above stay for the CLI and the JSON.

_CHAT_OPENING = {
    "victime": "Ce n'est pas ta faute, et tu n'es pas seul·e. Voici ce que dit la loi sur ce que fait l'auteur :",
    "parent": "Votre enfant n'y est pour rien. Voici ce que dit la loi sur ce que fait l'auteur :",
    "temoin": "La personne concernée n'y est pour rien. Voici ce que dit la loi sur ce que fait l'auteur :",
    "professionnel": "Le ou la jeune n'y est pour rien. Voici ce que dit la loi sur ce que fait l'auteur :",
    "victime_majeure": "Ce n'est pas votre faute, et vous n'êtes pas seul·e. Voici ce que dit la loi sur ce que fait l'auteur :",
}
_CHAT_POSSIBLE = {
    "victime": "Selon ce qu'on ne sait pas encore, pourraient aussi s'appliquer :",
    "parent": "Selon ce que l'on ne sait pas encore, pourraient aussi s'appliquer :",
    "temoin": "Selon ce qu'on ne sait pas encore, pourraient aussi s'appliquer :",
    "professionnel": "Selon ce que l'on ne sait pas encore, pourraient aussi s'appliquer :",
    "victime_majeure": "Selon ce que l'on ne sait pas encore, pourraient aussi s'appliquer :",
}
_CHAT_MISSING = {
    "victime": "Ce qui pourrait changer la réponse : savoir",
    "parent": "Ce qui pourrait changer la réponse : savoir",
    "temoin": "Ce qui pourrait changer la réponse : savoir",
    "professionnel": "Ce qui pourrait changer la réponse : savoir",
    "victime_majeure": "Ce qui pourrait changer la réponse : savoir",
}
# Shown in chat, the most useful first; the full list stays in the JSON.
MAX_POSSIBLE_SHOWN = 3
MAX_QUESTIONS_SHOWN = 3
CONTACTS_BY_ROLE = {
    "victime": ("3018", "espace_mineurs", "119", "3114", "17_112", "114"),
    "temoin": ("3018", "espace_mineurs", "119", "3114", "17_112", "114"),
    "parent": ("3018", "119", "plainte", "3114", "17_112", "114"),
    # A professional's own steps first: the CRIP, the procureur, the 119 for advice.
    "professionnel": ("information_preoccupante", "procureur", "119", "3018", "3114", "17_112"),
    # An adult victim: adults' help (the 3018 and the 119 are for minors).
    "victime_majeure": (
        "17cyber",
        "plainte",
        "thesee",
        "pharos",
        "stopncii",
        "3114",
        "17_112",
        "114",
    ),
}
_CONTACTS_INTRO = {
    "victime": "Des personnes peuvent t'aider, gratuitement et sans te juger :",
    "parent": "Des professionnels peuvent vous aider, vous et votre enfant :",
    "temoin": "Des personnes peuvent t'aider, toi et la personne concernée :",
    "professionnel": "Vos démarches, et qui peut vous conseiller, vous et le ou la jeune :",
    "victime_majeure": "Qui peut vous aider et recevoir votre plainte :",
}


def render_law_for_chat(q: Qualification) -> list[str]:
    """Short chat messages: the probable offences in full, the possible ones named, then the date and the warning.

    Certain penalties come with why they apply; uncertain ones are only named,
    with the few facts that would decide, asked once.
    """
    role = q.role if q.role in _CHAT_OPENING else "victime"
    probable = [o for o in q.infractions if o.certitude != POSSIBLE]
    possible = [o for o in q.infractions if o.certitude == POSSIBLE]
    if not q.infractions:
        messages = [_NOTHING_FOUND[role]]
    else:
        messages = [_CHAT_OPENING[role]]
        for offence in probable:
            messages.extend(_pack(_chat_offence_sentences(offence)))
        if possible:
            # One line each, with what would make it apply: a list of offences without
            # their conditions reads as accusations the facts do not support.
            named = [
                f"• « {o.titre} » ({_article_reference(o)}){', ' + o.condition if o.condition else ''}."
                for o in possible[:MAX_POSSIBLE_SHOWN]
            ]
            messages.extend(_pack([_CHAT_POSSIBLE[role], *named], separator="\n"))
        asked = [
            q.questions[fact] for fact in q.manque[:MAX_QUESTIONS_SHOWN] if fact in q.questions
        ]
        if asked:
            messages.append(f"{_CHAT_MISSING[role]} {_joined(asked)}.")
    messages.extend(
        _pack([f"Droit en vigueur au {french_date(q.droit_en_vigueur_au)}.", q.avertissement])
    )
    return messages


def _chat_offence_sentences(offence: RetainedOffence) -> list[str]:
    sentences = [f"« {offence.titre} » ({_article_reference(offence)})."]
    if offence.pourquoi:
        sentences.append(offence.pourquoi)
    sentences.append(f"Peine prévue : {penalty_text(offence.peine)}.")
    for aggravation in offence.aggravations:
        if aggravation.certitude != POSSIBLE:
            sentences.append(
                f"Ici, {penalty_text(aggravation.peine)}, {elide('car', aggravation.description)}."
            )
    return sentences


def render_contacts(resources: Sequence[Resource], role: str | None) -> str:
    """One short line per contact that fits the situation: name, when, how."""
    role = role if role in CONTACTS_BY_ROLE else "victime"
    by_id = {resource.id: resource for resource in resources}
    lines = [_CONTACTS_INTRO[role]]
    for resource_id in CONTACTS_BY_ROLE[role]:
        resource = by_id.get(resource_id)
        if resource is None:
            continue
        when = f" ({resource.horaires})" if resource.horaires else ""
        lines.append(f"• {resource.nom}{when} : {', '.join(resource.acces)}.")
    return "\n".join(lines)
