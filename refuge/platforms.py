"""What to do on each platform: how to report, what to keep, what blocks copies, who helps next.

The facts are data (knowledge/platforms.yml, one entry per platform with its
official page and the date it was checked); this module picks the entry the
`plateforme` entity names and writes the chat's messages in the person's voice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from refuge.rendering import french_date
from refuge.text import normalise

PLATFORMS_FILE = Path(__file__).parent / "knowledge" / "platforms.yml"
# The voices that say "vous" (refuge.facts.voice_of).
VOUS = {"parent", "professionnel", "victime_majeure"}


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Source:
    url: str
    read_on: str
    says: str | None = None


@dataclass(frozen=True)
class Platform:
    name: str
    help: Link
    steps: tuple[str, ...]
    sources: tuple[Source, ...]
    # True: an official page says it takes part; None: not confirmed, nothing is claimed.
    take_it_down: bool | None
    stopncii: bool | None
    minors: tuple[str, Link] | None = None
    encrypted_messages: str | None = None


@dataclass(frozen=True)
class PlatformGuide:
    checked_on: str
    evidence: tuple[str, ...]
    never: str
    platforms: tuple[Platform, ...]
    report_questions: tuple[re.Pattern[str], ...] = ()

    def platform(self, name: str | None) -> Platform | None:
        """The entry for the entity's value ("Snapchat"), whatever its case; None if unknown."""
        if not name:
            return None
        wanted = name.strip().casefold()
        return next((p for p in self.platforms if p.name.casefold() == wanted), None)


def asks_how_to_report(text: str, guide: PlatformGuide | None = None) -> bool:
    """ "comment je signale", "faire retirer la photo", "tiktok veut pas supprimer"."""
    guide = guide or load_platforms()
    folded = normalise(text)
    return any(pattern.search(folded) for pattern in guide.report_questions)


@lru_cache(maxsize=1)
def load_platforms(path: Path = PLATFORMS_FILE) -> PlatformGuide:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    platforms = []
    for entry in raw["plateformes"]:
        minors = entry.get("mineurs")
        platforms.append(
            Platform(
                name=entry["nom"],
                help=Link(entry["aide"]["titre"], entry["aide"]["url"]),
                steps=tuple(entry["etapes"]),
                sources=tuple(
                    Source(s["url"], str(s["lu_le"]), s.get("dit")) for s in entry["sources"]
                ),
                take_it_down=entry.get("take_it_down"),
                stopncii=entry.get("stopncii"),
                minors=(minors["texte"].strip(), Link("", minors["url"])) if minors else None,
                encrypted_messages=(entry.get("messages_chiffres") or "").strip() or None,
            )
        )
    return PlatformGuide(
        checked_on=str(raw["verifie_le"]),
        evidence=tuple(raw["preuves"]),
        never=" ".join(raw["jamais"].split()),
        platforms=tuple(platforms),
        report_questions=tuple(re.compile(p) for p in raw["questions_de_signalement"]),
    )


def _you(role: str, tu: str, vous: str) -> str:
    return vous if role in VOUS else tu


def report_route(
    platform: Platform | None, role: str, guide: PlatformGuide, named: str | None = None
) -> str:
    """How to report there, in a few steps, with the official page and when it was checked."""
    if platform is None:
        steps = [
            "Sur le message ou la publication : appui long, ou « … », puis « Signaler ».",
            "Sur le profil : « … » ou ⚙, puis « Signaler » ; choisir le motif qui correspond.",
        ]
        lines = [
            _you(
                role,
                "Sur presque toutes les applications, ça se passe pareil :",
                "Sur presque toutes les applications, cela se passe de la même façon :",
            ),
            *(f"• {step}" for step in steps),
        ]
        if named:
            # A platform the guide has no entry for: say less rather than guess its menus.
            lines.insert(0, f"Je n'ai pas le chemin exact pour {named}.")
        else:
            lines.append(
                _you(
                    role,
                    "Dis-moi sur quelle application c'est, et je te donne son chemin exact.",
                    "Dites-moi sur quelle application c'est, et je vous donne son chemin exact.",
                )
            )
        return "\n".join(lines)
    lines = [f"Pour signaler sur {platform.name} :"]
    lines += [f"• {step}" for step in platform.steps]
    lines.append(
        f"Page d'aide officielle : {platform.help.url} (vérifiée le {french_date(guide.checked_on)})."
    )
    return "\n".join(lines)


def minors_route(platform: Platform | None, role: str) -> str | None:
    """The platform's own route for minors or their parents, where it has one."""
    if (
        platform is None
        or platform.minors is None
        or role not in {"victime", "parent", "professionnel"}
    ):
        return None
    text, link = platform.minors
    return f"{text} {link.url}"


def evidence_advice(role: str, guide: PlatformGuide) -> str:
    """What to capture before blocking, and the one thing never to keep."""
    keep = _you(role, "Avant de bloquer, garde :", "Avant de bloquer, gardez :")
    items = "\n".join(f"• {item}" for item in guide.evidence)
    return f"{keep}\n{items}\n{guide.never}"


def copies_advice(platform: Platform | None, minor: bool | None, role: str) -> str:
    """Take It Down (images taken before 18) or StopNCII (18 and over), and what they cannot do."""
    if platform is not None and platform.encrypted_messages and platform.take_it_down is False:
        return platform.encrypted_messages
    if minor is False:
        service, site, participates = (
            "StopNCII",
            "stopncii.org",
            platform.stopncii if platform else None,
        )
        scope = "les images intimes de personnes de 18 ans ou plus, deepfakes compris"
    else:
        service, site, participates = (
            "Take It Down",
            "takeitdown.ncmec.org",
            platform.take_it_down if platform else None,
        )
        scope = "les images sexuelles prises avant 18 ans"
    where = _you(role, "ton", "votre")
    how = (
        f"{service} ({site}) fait bloquer {scope} : une empreinte est calculée sur {where} "
        "appareil, l'image n'est jamais envoyée."
    )
    if platform is not None and participates:
        reach = f" {platform.name} y participe."
    elif platform is not None:
        reach = f" Il ne marche que sur les plateformes qui y participent : {site} dit si {platform.name} en fait partie."
    else:
        reach = " Il ne marche que sur les plateformes qui y participent."
    limits = (
        " Il ne peut rien dans une messagerie chiffrée de bout en bout, et une copie modifiée "
        "peut passer."
    )
    return how + reach + limits


def next_resources(minor: bool | None, role: str) -> str:
    """Beyond the platform: the 3018 for a minor, PHAROS for public content, the complaint."""
    if minor is False:
        return _you(
            role,
            "Si la plateforme ne retire rien : PHAROS (internet-signalement.gouv.fr) pour un "
            "contenu public, et la plainte. Je peux aussi te préparer une demande de retrait à "
            "envoyer à la plateforme.",
            "Si la plateforme ne retire rien : PHAROS (internet-signalement.gouv.fr) pour un "
            "contenu public, et la plainte. Je peux aussi vous préparer une demande de retrait à "
            "envoyer à la plateforme.",
        )
    return _you(
        role,
        "Si la plateforme ne retire rien : le 3018 (gratuit, 7j/7) est signaleur de confiance, "
        "il peut faire retirer un contenu très vite ; PHAROS (internet-signalement.gouv.fr) pour "
        "un contenu public ; et la plainte. Je peux aussi te préparer une demande de retrait à "
        "envoyer à la plateforme.",
        "Si la plateforme ne retire rien : le 3018 (gratuit, 7j/7) est signaleur de confiance, "
        "il peut faire retirer un contenu très vite ; PHAROS (internet-signalement.gouv.fr) pour "
        "un contenu public ; et la plainte. Je peux aussi vous préparer une demande de retrait à "
        "envoyer à la plateforme.",
    )


def platform_help(
    platform_name: str | None, role: str, minor: bool | None, guide: PlatformGuide | None = None
) -> Sequence[str]:
    """The chat's messages for "comment je signale sur snap", in order."""
    guide = guide or load_platforms()
    platform = guide.platform(platform_name)
    minors = minors_route(platform, role)
    return (
        report_route(platform, role, guide, named=platform_name),
        *((minors,) if minors else ()),
        evidence_advice(role, guide),
        copies_advice(platform, minor, role),
        next_resources(minor, role),
    )
