"""The takedown request: a short French letter to the platform, with blanks the person fills in.

What a notice under Article 16(2) of the Digital Services Act (Regulation (EU)
2022/2065) must let the platform act on: the reasons the content is illegal, its
exact location (the URL), the notifier's name and e-mail (not required for
child sexual abuse content, Article 16(2)(c)), and a statement of good faith.
The assistant never asks for the link or the names and never stores them: the
blanks stay blanks, filled in the person's own copy. The legal basis comes from
the knowledge base (knowledge/offences.yml), never from here.
"""

from __future__ import annotations

from datetime import date

from refuge.facts import Facts
from refuge.knowledge_base import KnowledgeBase, load_knowledge_base
from refuge.rendering import french_date, penalty_text

BLANK_LINK = "[à compléter : l'adresse exacte (URL) du contenu]"
BLANK_ACCOUNT = "[à compléter : le nom du compte qui l'a publié]"
BLANK_DATE = "[à compléter : la date où vous l'avez vu]"
BLANK_REASON = "[à compléter : ce que montre le contenu et pourquoi il est illicite]"

# Who the person in the content is, as the writer says it (the letter is always "vous" to the platform).
_WHO = {
    "victime": "Je suis la personne que montre ce contenu.",
    "victime_majeure": "Je suis la personne que montre ce contenu.",
    "parent": "La personne que montre ce contenu est mon enfant.",
    "professionnel": "La personne que montre ce contenu est un ou une jeune dont j'ai la charge.",
    "temoin": "Je ne suis pas la personne que montre ce contenu ; je le signale pour elle.",
}


def legal_basis(facts: Facts) -> list[str]:
    """The articles that make the content illegal, from what the person said."""
    articles = []
    if facts.contenu == "genere" or facts.situation == "deepfake":
        articles.append("226-8-1")  # a sexual montage or AI image of someone, made public
    elif facts.situation in ("sextorsion", "diffusion_non_consentie") or facts.contenu == "reel":
        articles.append("226-2-1")  # an intimate image shared without consent
    if facts.situation == "cyberharcelement":
        articles.append("222-33-2-2")
    if facts.mineur or facts.situation == "contenu_pedocriminel":
        articles.append("227-23")  # any sexual image of a minor, real or generated
    return articles


def _reason(facts: Facts) -> str:
    if facts.situation == "cyberharcelement":
        return "Ce contenu fait partie d'un harcèlement en ligne."
    if facts.contenu == "genere" or facts.situation == "deepfake":
        return (
            "Ce contenu est un montage ou une image générée par IA, à caractère sexuel, diffusé "
            "sans l'accord de la personne représentée."
        )
    if facts.situation == "contenu_pedocriminel":
        return "Ce contenu est une image à caractère sexuel d'un mineur."
    return "Ce contenu est une image intime diffusée sans l'accord de la personne représentée."


def render_takedown_request(
    facts: Facts,
    role: str,
    platform: str | None,
    today: date,
    kb: KnowledgeBase | None = None,
) -> str:
    """The letter, as plain text to copy, save or print (no blank line: one chat message)."""
    kb = kb or load_knowledge_base()
    where = platform or "[à compléter : la plateforme]"
    articles = legal_basis(facts)
    minor_content = bool(facts.mineur) or facts.situation == "contenu_pedocriminel"
    lines = [
        "Objet : demande de retrait d'un contenu illicite (notification au titre de l'article 16 "
        "du règlement (UE) 2022/2065 sur les services numériques)",
        f"À l'équipe de modération de {where},",
        "Je vous signale le contenu suivant :",
        f"- adresse exacte : {BLANK_LINK}",
        f"- compte : {BLANK_ACCOUNT}",
        f"- vu le : {BLANK_DATE}",
        f"Raisons : {_reason(facts) if articles else BLANK_REASON}",
        _WHO.get(role, _WHO["temoin"]),
    ]
    if minor_content:
        lines.append(
            "La personne représentée est mineure (moins de 18 ans) : il s'agit d'un contenu "
            "d'abus sexuel sur mineur, à retirer en priorité."
        )
    if articles:
        lines.append("Ce contenu est illicite en droit français :")
        for article in articles:
            offence = kb.offence(article)
            lines.append(
                f"- article {offence.article} du {offence.code} ({offence.titre}) : "
                f"{penalty_text(offence.peine)}"
            )
    lines += [
        "Je vous demande de retirer ce contenu sans délai, de le rendre inaccessible et "
        "d'empêcher qu'il soit remis en ligne, puis de me confirmer votre décision.",
        "Je déclare de bonne foi que les informations et allégations contenues dans cette "
        "notification sont exactes et complètes.",
        "Nom et adresse e-mail : [à compléter]"
        + (
            " (facultatifs pour un contenu d'abus sexuel sur mineur, article 16, paragraphe 2, c)"
            if minor_content
            else ""
        ),
        f"Fait le {french_date(today.isoformat())}.",
    ]
    return "\n".join(lines)
