"""Loads and checks the legal knowledge base (offences, resources, checklists) from its YAML files."""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from refuge.facts import (
    ADULT_VICTIM_VOICE,
    BOOLEAN_FACTS,
    DERIVED_FACTS,
    ENUM_FACTS,
    FACT_NAMES,
    LIST_FACTS,
    SITUATIONS,
    VOICES,
)

KNOWLEDGE_DIR = Path(__file__).parent / "knowledge"
OFFENCES_FILE = "offences.yml"
RESOURCES_FILE = "resources.yml"
CHECKLISTS_FILE = "checklists.yml"
CERTAINTIES = ("probable", "possible")


class KnowledgeBaseError(ValueError):
    """The knowledge base is broken; the message names the file, the entry and the problem."""


# ---------------------------------------------------------------------------- conditions


@dataclass(frozen=True)
class FactTest:
    """One test on one fact: `operator` is est, dans, contient, contient_un_de or inconnu."""

    fait: str
    operator: str
    value: Any


@dataclass(frozen=True)
class AllOf:
    """`tous`: every condition holds."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """`un_de`: at least one condition holds."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """`non`: the condition does not hold."""

    condition: Condition


Condition = FactTest | AllOf | AnyOf | Not


# ---------------------------------------------------------------------------- entries


@dataclass(frozen=True)
class Penalty:
    """A maximum penalty: years of prison and a fine in euros."""

    annees: int
    euros: int


@dataclass(frozen=True)
class Aggravation:
    """A circumstance that raises the penalty, and the rule that says when it applies."""

    description: str  # a template with voice placeholders, read after "si" or "car"
    peine: Penalty
    si: Condition
    article: str | None = None
    au_plus: str | None = None


@dataclass(frozen=True)
class Precision:
    """A sentence added to an offence's explanation, when its condition holds (always without one)."""

    texte: str
    si: Condition | None = None


@dataclass(frozen=True)
class Offence:
    """One offence of the reference, with its applicability rule."""

    article: str
    code: str
    titre: str
    reprime: str
    victimes: str
    peine: Penalty
    source: str
    si: Condition
    loi: str | None = None
    au_plus: str | None = None
    aggravations: tuple[Aggravation, ...] = ()
    precisions: tuple[Precision, ...] = ()
    prescription: str | None = None
    peine_complementaire: str | None = None


@dataclass(frozen=True)
class FactWording:
    """How a fact is asked about (`question`) and how it explains an offence (`vrai`, `faux`, `valeurs`)."""

    question: str | None = None
    vrai: str | None = None
    faux: str | None = None
    valeurs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Resource:
    """Where to get help, and when to show it."""

    id: str
    nom: str
    ce_quil_fait: str
    pour_qui: str
    acces: tuple[str, ...]
    source: str
    horaires: str | None = None
    garanties: str | None = None
    limites: str | None = None
    si: Condition | None = None
    sauf_si: Condition | None = None


# Which written variant speaks to whom: a witness is tutoyé like the victim; a professional
# is vouvoyé but never falls back on the parent's "vous" (it speaks of "votre enfant").
_VARIANTS_BY_ROLE: dict[str, tuple[str, ...]] = {
    "victime": ("tu", "texte"),
    "parent": ("vous", "texte"),
    "temoin": ("temoin", "tu", "texte"),
    "professionnel": ("professionnel", "texte"),
    # A victim of 18 or more: vouvoyé, told of adults' help; never the parent's "vous".
    ADULT_VICTIM_VOICE: ("majeur", "texte"),
}
_VARIANT_KEYS = ("texte", "tu", "vous", "temoin", "professionnel", "majeur")


def _variant_for(variants: Mapping[str, str], role: str | None) -> str | None:
    for key in _VARIANTS_BY_ROLE[role or "victime"]:
        if key in variants:
            return variants[key]
    return None


@dataclass(frozen=True)
class ChecklistItem:
    """One piece of advice, written for each person it may speak to."""

    variantes: Mapping[str, str]
    source: str | None = None
    ressource: str | None = None
    si: Condition | None = None
    sauf_si: Condition | None = None

    def text_for(self, role: str | None) -> str:
        """The wording for this role (None: the victim); the schema check guarantees one exists."""
        text = _variant_for(self.variantes, role)
        if text is None:  # a checklist shown to a role it was not written for
            text = next(iter(self.variantes.values()))
        return text


@dataclass(frozen=True)
class Checklist:
    """A list of advice, with its source."""

    id: str
    titre: Mapping[str, str]
    source: str
    elements: tuple[ChecklistItem, ...]
    si: Condition | None = None
    sauf_si: Condition | None = None

    def title_for(self, role: str | None) -> str:
        """The title for this role (None: the victim)."""
        return _variant_for(self.titre, role) or next(iter(self.titre.values()))


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything the engine knows, checked at load time."""

    droit_en_vigueur_au: str
    source: str
    avertissement: str
    voix: Mapping[str, Mapping[str, str]]
    faits: Mapping[str, FactWording]
    situations: Mapping[str, tuple[str, ...]]
    infractions: tuple[Offence, ...]
    ressources: tuple[Resource, ...]
    checklists: tuple[Checklist, ...]
    checklists_par_role: Mapping[str, tuple[str, ...]]

    def offence(self, article: str) -> Offence:
        """The offence of this article (KeyError when absent)."""
        return _by_key(self.infractions, "article", article)

    def resource(self, resource_id: str) -> Resource:
        """The resource with this id (KeyError when absent)."""
        return _by_key(self.ressources, "id", resource_id)

    def checklist(self, checklist_id: str) -> Checklist:
        """The checklist with this id (KeyError when absent)."""
        return _by_key(self.checklists, "id", checklist_id)


def _by_key(entries: tuple[Any, ...], key: str, value: str) -> Any:
    for entry in entries:
        if getattr(entry, key) == value:
            return entry
    raise KeyError(value)


# ---------------------------------------------------------------------------- loading


def load_knowledge_base(path: str | Path | None = None) -> KnowledgeBase:
    """Loads the three YAML files of `path` (default: the package's own), checked; cached per path."""
    directory = Path(path) if path is not None else KNOWLEDGE_DIR
    return _load(directory.resolve())


@lru_cache(maxsize=8)
def _load(directory: Path) -> KnowledgeBase:
    offences_raw = _read_yaml(directory / OFFENCES_FILE)
    resources_raw = _read_yaml(directory / RESOURCES_FILE)
    checklists_raw = _read_yaml(directory / CHECKLISTS_FILE)

    date = _same_date(
        {
            OFFENCES_FILE: offences_raw,
            RESOURCES_FILE: resources_raw,
            CHECKLISTS_FILE: checklists_raw,
        }
    )
    offences_part = _parse_offences_file(offences_raw)
    resources = _parse_resources(resources_raw)
    checklists, by_role = _parse_checklists(checklists_raw, {r.id for r in resources})
    return KnowledgeBase(
        droit_en_vigueur_au=date,
        source=offences_part["source"],
        avertissement=offences_part["avertissement"],
        voix=offences_part["voix"],
        faits=offences_part["faits"],
        situations=offences_part["situations"],
        infractions=offences_part["infractions"],
        ressources=resources,
        checklists=checklists,
        checklists_par_role=by_role,
    )


def _read_yaml(file: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise KnowledgeBaseError(f"{file.name} : fichier illisible ({error.strerror}).") from error
    except yaml.YAMLError as error:
        raise KnowledgeBaseError(f"{file.name} : YAML invalide ({error}).") from error
    if not isinstance(data, dict):
        raise KnowledgeBaseError(f"{file.name} : le fichier doit contenir un dictionnaire.")
    return data


def _same_date(files: Mapping[str, Mapping[str, Any]]) -> str:
    dates = {}
    for name, raw in files.items():
        value = raw.get("droit_en_vigueur_au")
        if not isinstance(value, str) or not value:
            raise KnowledgeBaseError(
                f"{name} : champ manquant « droit_en_vigueur_au » (une date entre guillemets)."
            )
        dates[name] = value
    if len(set(dates.values())) > 1:
        listed = ", ".join(f"{name} : {value}" for name, value in dates.items())
        raise KnowledgeBaseError(f"Les fichiers ne disent pas la même date du droit ({listed}).")
    return next(iter(dates.values()))


class _Entry:
    """A YAML mapping read with its location, so every error says where it is."""

    def __init__(
        self, raw: object, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ):
        if not isinstance(raw, dict):
            raise KnowledgeBaseError(f"{where} : un dictionnaire est attendu.")
        for key in required:
            if raw.get(key) in (None, "", [], {}):
                raise KnowledgeBaseError(f"{where} : champ manquant « {key} ».")
        unknown = sorted(str(key) for key in raw if key not in required + optional)
        if unknown:
            raise KnowledgeBaseError(f"{where} : champ inconnu « {unknown[0]} ».")
        self.raw = raw
        self.where = where

    def text(self, key: str) -> str:
        value = self.raw[key]
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise KnowledgeBaseError(f"{self.where} : « {key} » doit être un texte.")
        return " ".join(str(value).split())

    def optional_text(self, key: str) -> str | None:
        return self.text(key) if self.raw.get(key) is not None else None

    def penalty(self, key: str = "peine") -> Penalty:
        raw = _Entry(self.raw[key], f"{self.where}, {key}", ("annees", "euros"))
        values = {name: raw.raw[name] for name in ("annees", "euros")}
        for name, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise KnowledgeBaseError(
                    f"{self.where}, {key} : « {name} » doit être un entier positif."
                )
        return Penalty(**values)

    def condition(self, key: str) -> Condition | None:
        if self.raw.get(key) is None:
            return None
        return _parse_condition(self.raw[key], f"{self.where}, {key}")

    def certainty_cap(self) -> str | None:
        value = self.raw.get("au_plus")
        if value is not None and value not in CERTAINTIES:
            raise KnowledgeBaseError(
                f"{self.where} : « au_plus » doit valoir {' ou '.join(CERTAINTIES)}."
            )
        return value

    def list_of(self, key: str) -> list[Any]:
        value = self.raw.get(key) or []
        if not isinstance(value, list):
            raise KnowledgeBaseError(f"{self.where} : « {key} » doit être une liste.")
        return value


# ---------------------------------------------------------------------------- condition parsing

_BOOLEAN_LIKE = frozenset(BOOLEAN_FACTS) | frozenset(DERIVED_FACTS)
_OPERATORS = ("est", "dans", "contient", "contient_un_de", "inconnu")


def _parse_condition(raw: object, where: str) -> Condition:
    if not isinstance(raw, dict) or len(raw) == 0:
        raise KnowledgeBaseError(f"{where} : condition vide ou mal formée ({raw!r}).")
    for combinator in ("tous", "un_de", "non"):
        if combinator in raw:
            if len(raw) != 1:
                raise KnowledgeBaseError(
                    f"{where} : « {combinator} » doit être seul dans sa condition."
                )
            inner = raw[combinator]
            if combinator == "non":
                return Not(_parse_condition(inner, f"{where}, non"))
            if not isinstance(inner, list) or not inner:
                raise KnowledgeBaseError(
                    f"{where} : « {combinator} » attend une liste de conditions."
                )
            parts = tuple(_parse_condition(item, f"{where}, {combinator}") for item in inner)
            return AllOf(parts) if combinator == "tous" else AnyOf(parts)
    if "fait" not in raw:
        raise KnowledgeBaseError(
            f"{where} : condition sans « fait », « tous », « un_de » ou « non » ({raw!r})."
        )
    fact = raw["fait"]
    if fact not in FACT_NAMES and fact not in DERIVED_FACTS:
        raise KnowledgeBaseError(f"{where} : fait inconnu « {fact} ».")
    operators = [key for key in raw if key != "fait"]
    if len(operators) != 1 or operators[0] not in _OPERATORS:
        raise KnowledgeBaseError(
            f"{where} : le fait « {fact} » attend un seul opérateur parmi {', '.join(_OPERATORS)}"
            f" (reçu : {', '.join(map(str, operators)) or 'aucun'})."
        )
    operator = operators[0]
    value = _checked_operand(fact, operator, raw[operator], where)
    return FactTest(fact, operator, value)


def _checked_operand(fact: str, operator: str, value: object, where: str) -> object:
    def fail(expected: str) -> KnowledgeBaseError:
        return KnowledgeBaseError(
            f"{where} : « {fact} {operator} » attend {expected} (reçu : {value!r})."
        )

    def checked_values(values: object, allowed: tuple[str, ...]) -> tuple[str, ...]:
        if not isinstance(values, list) or not values or any(v not in allowed for v in values):
            raise fail(f"une liste parmi {', '.join(allowed)}")
        return tuple(values)

    if operator == "inconnu":
        if not isinstance(value, bool):
            raise fail("true ou false")
        return value
    if fact in _BOOLEAN_LIKE:
        if operator != "est" or not isinstance(value, bool):
            raise fail("« est: true » ou « est: false »")
        return value
    if fact in ENUM_FACTS:
        allowed = ENUM_FACTS[fact]
        if operator == "est":
            if value not in allowed:
                raise fail(f"une valeur parmi {', '.join(allowed)}")
            return value
        if operator == "dans":
            return checked_values(value, allowed)
        raise fail("« est » ou « dans »")
    if fact in LIST_FACTS:
        allowed = LIST_FACTS[fact]
        if operator == "contient":
            if value not in allowed:
                raise fail(f"une valeur parmi {', '.join(allowed)}")
            return value
        if operator == "contient_un_de":
            return checked_values(value, allowed)
        raise fail("« contient » ou « contient_un_de »")
    raise fail("« inconnu » (seul opérateur pour ce fait ; utiliser mineur ou mineur_de_15_ans)")


def _refuse_duplicates(keys: list[str], what: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise KnowledgeBaseError(f"{what} en double « {key} ».")
        seen.add(key)


def iter_tests(condition: Condition, *, skip_negated: bool = False) -> Iterator[FactTest]:
    """Every fact test of a condition (those under `non` left out when skip_negated)."""
    if isinstance(condition, FactTest):
        yield condition
    elif isinstance(condition, Not):
        if not skip_negated:
            yield from iter_tests(condition.condition)
    else:
        for part in condition.conditions:
            yield from iter_tests(part, skip_negated=skip_negated)


# ---------------------------------------------------------------------------- offences.yml


def _parse_offences_file(raw: dict[str, Any]) -> dict[str, Any]:
    top = _Entry(
        raw,
        OFFENCES_FILE,
        (
            "droit_en_vigueur_au",
            "source",
            "avertissement",
            "voix",
            "faits",
            "situations",
            "infractions",
        ),
    )
    voices = _parse_voices(raw["voix"])
    placeholders = set(next(iter(voices.values())))
    wordings = _parse_wordings(raw["faits"], placeholders)
    offences = tuple(
        _parse_offence(item, index, placeholders, wordings)
        for index, item in enumerate(top.list_of("infractions"))
    )
    articles = [o.article for o in offences]
    _refuse_duplicates(articles, f"{OFFENCES_FILE} : infraction")
    return {
        "source": top.text("source"),
        "avertissement": top.text("avertissement"),
        "voix": voices,
        "faits": wordings,
        "situations": _parse_situations(raw["situations"], set(articles)),
        "infractions": offences,
    }


def _parse_voices(raw: object) -> dict[str, dict[str, str]]:
    where = f"{OFFENCES_FILE}, voix"
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{where} : un dictionnaire par rôle est attendu.")
    for role in VOICES:
        if not isinstance(raw.get(role), dict) or not raw[role]:
            raise KnowledgeBaseError(f"{where} : rôle manquant « {role} ».")
    unknown = sorted(set(raw) - set(VOICES))
    if unknown:
        raise KnowledgeBaseError(f"{where} : rôle inconnu « {unknown[0]} ».")
    keys = set(raw[VOICES[0]])
    for role in VOICES:
        if set(raw[role]) != keys:
            missing = sorted(keys.symmetric_difference(raw[role]))
            raise KnowledgeBaseError(
                f"{where}, {role} : les rôles n'ont pas les mêmes mots (« {missing[0]} »)."
            )
    return {role: {key: str(value) for key, value in raw[role].items()} for role in VOICES}


def _check_template(text: str, placeholders: set[str], where: str) -> str:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as error:
        raise KnowledgeBaseError(f"{where} : accolade mal fermée dans « {text} ».") from error
    unknown = sorted(names - placeholders)
    if unknown:
        raise KnowledgeBaseError(
            f"{where} : mot inconnu « {{{unknown[0]}}} » (mots de « voix » : {', '.join(sorted(placeholders))})."
        )
    return text


def _parse_wordings(raw: object, placeholders: set[str]) -> dict[str, FactWording]:
    where = f"{OFFENCES_FILE}, faits"
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{where} : un dictionnaire par fait est attendu.")
    unknown = sorted(
        str(name) for name in raw if name not in FACT_NAMES and name not in DERIVED_FACTS
    )
    if unknown:
        raise KnowledgeBaseError(f"{where} : fait inconnu « {unknown[0]} ».")
    wordings = {}
    for name in (*FACT_NAMES, *DERIVED_FACTS):
        here = f"{where}, {name}"
        # Derived facts are never asked: their question is the age's.
        required = ("question",) if name in FACT_NAMES else ()
        entry = _Entry(raw.get(name, {}), here, required, ("question", "vrai", "faux", "valeurs"))
        values = entry.raw.get("valeurs") or {}
        if not isinstance(values, dict):
            raise KnowledgeBaseError(f"{here} : « valeurs » doit être un dictionnaire.")
        wordings[name] = FactWording(
            question=_optional_template(entry, "question", placeholders),
            vrai=_optional_template(entry, "vrai", placeholders),
            faux=_optional_template(entry, "faux", placeholders),
            valeurs={
                str(k): _check_template(" ".join(str(v).split()), placeholders, f"{here}, {k}")
                for k, v in values.items()
            },
        )
    return wordings


def _optional_template(entry: _Entry, key: str, placeholders: set[str]) -> str | None:
    text = entry.optional_text(key)
    return None if text is None else _check_template(text, placeholders, f"{entry.where}, {key}")


def _parse_offence(
    raw: object, index: int, placeholders: set[str], wordings: Mapping[str, FactWording]
) -> Offence:
    label = raw.get("article", f"n° {index + 1}") if isinstance(raw, dict) else f"n° {index + 1}"
    entry = _Entry(
        raw,
        f"{OFFENCES_FILE}, infraction {label}",
        ("article", "code", "titre", "reprime", "victimes", "peine", "source", "si"),
        ("loi", "au_plus", "aggravations", "precisions", "prescription", "peine_complementaire"),
    )
    condition = entry.condition("si")
    assert condition is not None  # required above
    _check_explanations(condition, wordings, entry.where)
    aggravations = []
    for number, item in enumerate(entry.list_of("aggravations"), start=1):
        sub = _Entry(
            item,
            f"{entry.where}, aggravation {number}",
            ("description", "peine", "si"),
            ("article", "au_plus"),
        )
        aggravations.append(
            Aggravation(
                description=_check_template(sub.text("description"), placeholders, sub.where),
                peine=sub.penalty(),
                si=sub.condition("si"),  # type: ignore[arg-type]
                article=sub.optional_text("article"),
                au_plus=sub.certainty_cap(),
            )
        )
    precisions = []
    for number, item in enumerate(entry.list_of("precisions"), start=1):
        sub = _Entry(item, f"{entry.where}, précision {number}", ("texte",), ("si",))
        precisions.append(
            Precision(
                _check_template(sub.text("texte"), placeholders, sub.where), sub.condition("si")
            )
        )
    return Offence(
        article=entry.text("article"),
        code=entry.text("code"),
        titre=entry.text("titre"),
        reprime=entry.text("reprime"),
        victimes=entry.text("victimes"),
        peine=entry.penalty(),
        source=entry.text("source"),
        si=condition,
        loi=entry.optional_text("loi"),
        au_plus=entry.certainty_cap(),
        aggravations=tuple(aggravations),
        precisions=tuple(precisions),
        prescription=entry.optional_text("prescription"),
        peine_complementaire=entry.optional_text("peine_complementaire"),
    )


def _check_explanations(
    condition: Condition, wordings: Mapping[str, FactWording], where: str
) -> None:
    """Every test that can make an offence apply must have its "parce que" sentence."""
    for test in iter_tests(condition, skip_negated=True):
        wording = wordings[test.fait]
        if test.operator == "inconnu":
            continue
        if test.operator == "est" and isinstance(test.value, bool):
            needed = [
                ("vrai" if test.value else "faux", wording.vrai if test.value else wording.faux)
            ]
        else:
            values = test.value if isinstance(test.value, tuple) else (test.value,)
            needed = [(value, wording.valeurs.get(value)) for value in values]
        for value, sentence in needed:
            if not sentence:
                raise KnowledgeBaseError(
                    f"{where} : pas de phrase « {value} » pour le fait « {test.fait} » dans « faits »."
                )


def _parse_situations(raw: object, articles: set[str]) -> dict[str, tuple[str, ...]]:
    where = f"{OFFENCES_FILE}, situations"
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{where} : un dictionnaire par situation est attendu.")
    situations = {}
    for situation, listed in raw.items():
        if situation not in SITUATIONS:
            raise KnowledgeBaseError(f"{where} : situation inconnue « {situation} ».")
        if not isinstance(listed, list):
            raise KnowledgeBaseError(f"{where}, {situation} : une liste d'articles est attendue.")
        for article in listed:
            if str(article) not in articles:
                raise KnowledgeBaseError(f"{where}, {situation} : article inconnu « {article} ».")
        situations[situation] = tuple(str(article) for article in listed)
    return {situation: situations.get(situation, ()) for situation in SITUATIONS}


# ---------------------------------------------------------------------------- resources.yml


def _parse_resources(raw: dict[str, Any]) -> tuple[Resource, ...]:
    top = _Entry(raw, RESOURCES_FILE, ("droit_en_vigueur_au", "source", "ressources"))
    resources = []
    for index, item in enumerate(top.list_of("ressources")):
        label = item.get("id", f"n° {index + 1}") if isinstance(item, dict) else f"n° {index + 1}"
        entry = _Entry(
            item,
            f"{RESOURCES_FILE}, ressource {label}",
            ("id", "nom", "ce_quil_fait", "pour_qui", "acces", "source"),
            ("horaires", "garanties", "limites", "si", "sauf_si"),
        )
        access = entry.list_of("acces")
        resources.append(
            Resource(
                id=entry.text("id"),
                nom=entry.text("nom"),
                ce_quil_fait=entry.text("ce_quil_fait"),
                pour_qui=entry.text("pour_qui"),
                acces=tuple(" ".join(str(a).split()) for a in access),
                source=entry.text("source"),
                horaires=entry.optional_text("horaires"),
                garanties=entry.optional_text("garanties"),
                limites=entry.optional_text("limites"),
                si=entry.condition("si"),
                sauf_si=entry.condition("sauf_si"),
            )
        )
    _refuse_duplicates([r.id for r in resources], f"{RESOURCES_FILE} : ressource")
    return tuple(resources)


# ---------------------------------------------------------------------------- checklists.yml


def _parse_checklists(
    raw: dict[str, Any], resource_ids: set[str]
) -> tuple[tuple[Checklist, ...], dict[str, tuple[str, ...]]]:
    top = _Entry(raw, CHECKLISTS_FILE, ("droit_en_vigueur_au", "source", "par_role", "checklists"))
    checklists = []
    for index, item in enumerate(top.list_of("checklists")):
        label = item.get("id", f"n° {index + 1}") if isinstance(item, dict) else f"n° {index + 1}"
        entry = _Entry(
            item,
            f"{CHECKLISTS_FILE}, checklist {label}",
            ("id", "titre", "source", "elements"),
            ("si", "sauf_si"),
        )
        elements = tuple(
            _parse_item(element, f"{entry.where}, conseil {number}", resource_ids)
            for number, element in enumerate(entry.list_of("elements"), start=1)
        )
        checklists.append(
            Checklist(
                id=entry.text("id"),
                titre=_variants(entry.raw["titre"], f"{entry.where}, titre"),
                source=entry.text("source"),
                elements=elements,
                si=entry.condition("si"),
                sauf_si=entry.condition("sauf_si"),
            )
        )
    _refuse_duplicates([c.id for c in checklists], f"{CHECKLISTS_FILE} : checklist")
    by_id = {c.id: c for c in checklists}
    by_role = _parse_checklists_by_role(raw["par_role"], by_id)
    return tuple(checklists), by_role


def _variants(raw: object, where: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(
            f"{where} : un dictionnaire tu / vous / temoin / professionnel / texte est attendu."
        )
    unknown = sorted(str(key) for key in raw if key not in _VARIANT_KEYS)
    if unknown:
        raise KnowledgeBaseError(f"{where} : variante inconnue « {unknown[0]} ».")
    variants = {key: " ".join(str(value).split()) for key, value in raw.items() if value}
    if not variants:
        raise KnowledgeBaseError(
            f"{where} : aucun texte (tu, vous, temoin, professionnel ou texte)."
        )
    return variants


def _parse_item(raw: object, where: str, resource_ids: set[str]) -> ChecklistItem:
    entry = _Entry(raw, where, (), (*_VARIANT_KEYS, "source", "ressource", "si", "sauf_si"))
    resource = entry.optional_text("ressource")
    if resource is not None and resource not in resource_ids:
        raise KnowledgeBaseError(
            f"{where} : ressource inconnue « {resource} » (absente de {RESOURCES_FILE})."
        )
    return ChecklistItem(
        variantes=_variants({k: v for k, v in entry.raw.items() if k in _VARIANT_KEYS}, where),
        source=entry.optional_text("source"),
        ressource=resource,
        si=entry.condition("si"),
        sauf_si=entry.condition("sauf_si"),
    )


def _parse_checklists_by_role(
    raw: object, by_id: Mapping[str, Checklist]
) -> dict[str, tuple[str, ...]]:
    where = f"{CHECKLISTS_FILE}, par_role"
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{where} : un dictionnaire par rôle est attendu.")
    unknown = sorted(str(role) for role in raw if role not in VOICES)
    if unknown:
        raise KnowledgeBaseError(f"{where} : rôle inconnu « {unknown[0]} ».")
    by_role = {}
    for role in VOICES:
        listed = raw.get(role) or []
        for checklist_id in listed:
            checklist = by_id.get(checklist_id)
            if checklist is None:
                raise KnowledgeBaseError(
                    f"{where}, {role} : checklist inconnue « {checklist_id} »."
                )
            # A checklist shown to a role must speak to that role in every item.
            for number, item in enumerate(checklist.elements, start=1):
                if _variant_for(item.variantes, role) is None:
                    raise KnowledgeBaseError(
                        f"{CHECKLISTS_FILE}, checklist {checklist_id}, conseil {number} : pas de texte"
                        f" pour le rôle « {role} » (ajouter « {_VARIANTS_BY_ROLE[role][0]} » ou « texte »)."
                    )
            if _variant_for(checklist.titre, role) is None:
                raise KnowledgeBaseError(
                    f"{CHECKLISTS_FILE}, checklist {checklist_id}, titre : pas de texte pour le rôle « {role} »."
                )
        by_role[role] = tuple(listed)
    return by_role
