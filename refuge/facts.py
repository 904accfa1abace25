"""The facts of a situation: the contract between the dialogue and the qualification engine."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields

SITUATIONS = (
    "sextorsion",
    "deepfake",
    "grooming",
    "contenu_pedocriminel",
    "diffusion_non_consentie",
    "cyberharcelement",
    "autre",
)
ROLES = ("victime", "parent", "temoin", "professionnel")
# Whom the texts speak to: the role, except a victim of 18 or more, who is vouvoyé and
# pointed to adults' help (no "adulte de confiance", no 3018, which is for minors).
ADULT_VICTIM_VOICE = "victime_majeure"
VOICES = (*ROLES, ADULT_VICTIM_VOICE)
ADULT_AGE = 18


def voice_of(role: str | None, age_victime: float | None, adult_life: bool = False) -> str:
    """The voice of the texts for who writes: "victime_majeure" for a victim of 18 or more.

    `adult_life`: a victim whose age is unknown spoke of an adult's life ("ma femme", "au
    boulot"): addressed as an adult until the age says otherwise.
    """
    role = role or "victime"
    if role == "victime" and age_victime is not None:
        return ADULT_VICTIM_VOICE if age_victime >= ADULT_AGE else role
    if role == "victime" and adult_life:
        return ADULT_VICTIM_VOICE
    return role


CONTENUS = ("reel", "genere", "aucun")
DEMANDES = ("argent", "images", "actes_sexuels", "rencontre", "autre")
AGE_MIN, AGE_MAX = 5, 99

# Facts taking one value out of a list, and the one fact taking several.
ENUM_FACTS: dict[str, tuple[str, ...]] = {
    "situation": SITUATIONS,
    "role": ROLES,
    "contenu": CONTENUS,
}
LIST_FACTS: dict[str, tuple[str, ...]] = {"demande": DEMANDES}
INTEGER_FACTS = ("age_victime",)
BOOLEAN_FACTS = (
    "auteur_majeur",
    "contenu_sexuel",
    "menace_diffusion",
    "diffuse",
    "diffusion_en_ligne",
    "demande_obtenue",
    "propositions_sexuelles",
    "contenu_sexuel_recu",
    "rencontre_proposee",
    "rencontre_eue_lieu",
    "usurpation_identite",
    "bande_organisee",
    "contenu_mineurs_tiers",
)
# Derived from age_victime by the engine, never asked.
DERIVED_FACTS: dict[str, str] = {"mineur": "age_victime", "mineur_de_15_ans": "age_victime"}


class FactError(ValueError):
    """A fact name or value the engine does not accept; the message is French, for the user."""


@dataclass(frozen=True)
class Facts:
    """What is known of the situation; None means unknown (not asked, not known or not said)."""

    situation: str | None = None
    role: str | None = None
    age_victime: int | None = None
    auteur_majeur: bool | None = None
    contenu: str | None = None
    contenu_sexuel: bool | None = None
    menace_diffusion: bool | None = None
    diffuse: bool | None = None
    diffusion_en_ligne: bool | None = None
    demande: tuple[str, ...] | None = None
    demande_obtenue: bool | None = None
    propositions_sexuelles: bool | None = None
    contenu_sexuel_recu: bool | None = None
    rencontre_proposee: bool | None = None
    rencontre_eue_lieu: bool | None = None
    usurpation_identite: bool | None = None
    bande_organisee: bool | None = None
    contenu_mineurs_tiers: bool | None = None

    def __post_init__(self) -> None:
        # Validating here keeps every Facts valid, however it was built.
        for name in FACT_NAMES:
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _checked(name, value))

    @property
    def mineur(self) -> bool | None:
        """The victim was under 18 at the time of the facts (None when the age is unknown)."""
        return None if self.age_victime is None else self.age_victime < 18

    @property
    def mineur_de_15_ans(self) -> bool | None:
        """The victim was under 15 at the time of the facts (None when the age is unknown)."""
        return None if self.age_victime is None else self.age_victime < 15

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Facts:
        """Builds Facts from JSON-like data (Rasa slots, CLI input); raises FactError on bad input."""
        unknown = sorted(str(name) for name in data if name not in FACT_NAMES)
        if unknown:
            raise FactError(
                f"Fait inconnu : {', '.join(unknown)}. Faits possibles : {', '.join(FACT_NAMES)}."
            )
        return cls(**data)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready facts: every fact, None when unknown, `demande` as a list."""
        data = asdict(self)
        if self.demande is not None:
            data["demande"] = list(self.demande)
        return data


FACT_NAMES: tuple[str, ...] = tuple(field.name for field in fields(Facts))


def _checked(name: str, value: object) -> object:
    if name in BOOLEAN_FACTS:
        # 0/1 or "true" would be silently truthy; the dialogue must send real booleans.
        if not isinstance(value, bool):
            raise FactError(f"« {name} » doit valoir true ou false (reçu : {value!r}).")
        return value
    if name in INTEGER_FACTS:
        return _checked_age(name, value)
    if name in ENUM_FACTS:
        allowed = ENUM_FACTS[name]
        if not isinstance(value, str) or value not in allowed:
            raise FactError(f"« {name} » doit valoir {', '.join(allowed)} (reçu : {value!r}).")
        return value
    allowed = LIST_FACTS[name]
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise FactError(
            f"« {name} » doit être une liste parmi {', '.join(allowed)} (reçu : {value!r})."
        )
    bad = [item for item in value if not isinstance(item, str) or item not in allowed]
    if bad:
        raise FactError(
            f"« {name} » : valeur inconnue {bad[0]!r} (valeurs possibles : {', '.join(allowed)})."
        )
    return tuple(dict.fromkeys(value))  # duplicates removed, order kept


def _checked_age(name: str, value: object) -> int:
    # Rasa float slots hold 14.0: an integral float is an integer age, 14.5 is not.
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise FactError(f"« {name} » doit être un nombre entier d'années (reçu : {value!r}).")
    if not AGE_MIN <= value <= AGE_MAX:
        raise FactError(
            f"« {name} » doit être compris entre {AGE_MIN} et {AGE_MAX} (reçu : {value})."
        )
    return value
