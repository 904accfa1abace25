"""The qualification engine: which offences, checklists and resources fit the facts of a situation."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace

from refuge.facts import DERIVED_FACTS, FACT_NAMES, Facts, voice_of
from refuge.knowledge_base import (
    AnyOf,
    Checklist,
    Condition,
    FactTest,
    KnowledgeBase,
    Not,
    Offence,
    Penalty,
    Resource,
    load_knowledge_base,
)

PROBABLE, POSSIBLE = "probable", "possible"


@dataclass(frozen=True)
class RetainedAggravation:
    """An aggravation that applies (probable) or may apply (possible)."""

    description: str
    peine: Penalty
    certitude: str
    manque: tuple[str, ...]
    article: str | None = None


@dataclass(frozen=True)
class RetainedOffence:
    """An offence that the facts point to, with why, and what is still missing to be sure."""

    article: str
    code: str
    titre: str
    certitude: str  # "probable" or "possible"
    peine: Penalty
    aggravations: tuple[RetainedAggravation, ...]
    pourquoi: str  # "Parce que …", empty when no known fact supports it yet
    precisions: tuple[str, ...]
    manque: tuple[str, ...]  # unknown facts that would decide it, in the order of facts.md
    source: str
    loi: str | None = None
    # For a possible offence: what would make it apply, in a few words ("si l'auteur est
    # majeur"); empty when one or two facts cannot settle it.
    condition: str = ""


@dataclass(frozen=True)
class Qualification:
    """The engine's answer for one set of facts."""

    faits: Facts
    role: str  # whom the texts speak to: victime (also when unknown), victime_majeure, parent, temoin, professionnel
    infractions: tuple[RetainedOffence, ...]
    manque: tuple[str, ...]  # every unknown fact that would change the answer
    questions: Mapping[str, str]  # those facts as questions, in the role's voice
    checklists: tuple[Checklist, ...]  # only the advice that fits the facts
    ressources: tuple[Resource, ...]
    droit_en_vigueur_au: str
    avertissement: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form: texts in the role's voice, conditions left out."""
        return {
            "droit_en_vigueur_au": self.droit_en_vigueur_au,
            "avertissement": self.avertissement,
            "role": self.role,
            "faits": self.faits.to_dict(),
            "infractions": [_json_ready(asdict(offence)) for offence in self.infractions],
            "manque": list(self.manque),
            "questions": dict(self.questions),
            "checklists": [
                {
                    "id": checklist.id,
                    "titre": checklist.title_for(self.role),
                    "source": checklist.source,
                    "elements": [item.text_for(self.role) for item in checklist.elements],
                }
                for checklist in self.checklists
            ],
            "ressources": [
                {
                    "id": r.id,
                    "nom": r.nom,
                    "ce_quil_fait": r.ce_quil_fait,
                    "pour_qui": r.pour_qui,
                    "horaires": r.horaires,
                    "acces": list(r.acces),
                    "garanties": r.garanties,
                    "limites": r.limites,
                    "source": r.source,
                }
                for r in self.ressources
            ],
        }


def qualify(
    facts: Facts, kb: KnowledgeBase | None = None, voice: str | None = None
) -> Qualification:
    """Qualifies the facts; unknown facts make offences "possible", never an error.

    `voice`: whom the texts speak to, when the conversation knows more than the facts
    (an adult's life said before the age); by default, from the role and the age.
    """
    kb = kb or load_knowledge_base()
    role = voice or voice_of(facts.role, facts.age_victime)
    evaluator = _Evaluator(facts, kb, kb.voix[role])
    relevant = kb.situations.get(facts.situation or "", ())

    retained = []
    for offence in kb.infractions:
        result = _retain(offence, evaluator, relevant)
        if result is not None:
            retained.append(result)
    # Most relevant to the situation first, then in the order of the Code.
    retained.sort(
        key=lambda o: (
            relevant.index(o.article) if o.article in relevant else len(relevant),
            article_sort_key(o.article),
        )
    )

    missing = _in_fact_order(
        fact
        for offence in retained
        for fact in (*offence.manque, *(m for a in offence.aggravations for m in a.manque))
    )
    resources = tuple(r for r in kb.ressources if evaluator.shown(r.si, r.sauf_si))
    shown_ids = {r.id for r in resources}
    checklists = tuple(
        checklist
        for checklist in (
            _fitting_checklist(kb.checklist(checklist_id), evaluator, shown_ids)
            for checklist_id in kb.checklists_par_role[role]
        )
        if checklist is not None
    )
    return Qualification(
        faits=facts,
        role=role,
        infractions=tuple(retained),
        manque=missing,
        questions={fact: evaluator.voiced(kb.faits[fact].question or fact) for fact in missing},
        checklists=checklists,
        ressources=resources,
        droit_en_vigueur_au=kb.droit_en_vigueur_au,
        avertissement=kb.avertissement,
    )


def article_sort_key(article: str) -> tuple[int, ...]:
    """Numeric order of articles: 226-8 < 226-8-1 < 227-22; "226-1 et 226-2" sorts as 226-1."""
    first = re.split(r"\s|/", article.strip())[0]
    return tuple(int(number) for number in re.findall(r"\d+", first))


def _retain(
    offence: Offence, evaluator: _Evaluator, relevant: tuple[str, ...]
) -> RetainedOffence | None:
    outcome = evaluator.evaluate(offence.si)
    if outcome.value is False:
        return None
    certainty = _weakest(PROBABLE if outcome.value else POSSIBLE, offence.au_plus)
    # Outside its situations an offence is only worth showing when the facts establish it.
    if certainty != PROBABLE and offence.article not in relevant:
        return None
    aggravations = []
    for aggravation in offence.aggravations:
        found = evaluator.evaluate(aggravation.si)
        if found.value is False:
            continue
        aggravations.append(
            RetainedAggravation(
                description=evaluator.voiced(aggravation.description),
                peine=aggravation.peine,
                certitude=_weakest(
                    certainty, PROBABLE if found.value else POSSIBLE, aggravation.au_plus
                ),
                manque=_in_fact_order(found.manque),
                article=aggravation.article,
            )
        )
    precisions = tuple(
        evaluator.voiced(p.texte)
        for p in offence.precisions
        if p.si is None or evaluator.holds(p.si)
    )
    return RetainedOffence(
        article=offence.article,
        code=offence.code,
        titre=offence.titre,
        certitude=certainty,
        peine=offence.peine,
        aggravations=tuple(aggravations),
        pourquoi=because([evaluator.voiced(reason) for reason in outcome.reasons]),
        precisions=precisions,
        manque=_in_fact_order(outcome.manque),
        source=offence.source,
        loi=offence.loi,
        condition=_condition(offence, evaluator, outcome) if outcome.value is None else "",
    )


# The values tried for an unknown fact, to say what would make a possible offence apply.
_HYPOTHESES: dict[str, tuple[object, ...]] = {
    "age_victime": (12, 16, 30),
    "contenu": ("reel", "genere"),
    "demande": (("argent",), ("images",), ("actes_sexuels",), ("rencontre",)),
}
MAX_CONDITION_FACTS = 2


def _condition(offence: Offence, evaluator: _Evaluator, outcome: _Outcome) -> str:
    """ "si l'auteur est majeur": the fewest unknown facts whose values make the offence apply."""
    missing = _in_fact_order(outcome.manque)
    if not missing or len(missing) > MAX_CONDITION_FACTS:
        return ""
    known_reasons = set(outcome.reasons)
    for size in range(1, len(missing) + 1):
        for facts in itertools.combinations(missing, size):
            choices = [_HYPOTHESES.get(fact, (True, False)) for fact in facts]
            for values in itertools.product(*choices):
                supposed = replace(evaluator.facts, **dict(zip(facts, values, strict=True)))
                trial = _Evaluator(supposed, evaluator.kb, evaluator.voice).evaluate(offence.si)
                if trial.value is True:
                    clauses = [evaluator.voiced(r) for r in trial.reasons if r not in known_reasons]
                    if clauses:
                        parts = [elide("si", clauses[0])] + [elide("que", c) for c in clauses[1:]]
                        return " et ".join(parts)
    return ""


def _fitting_checklist(
    checklist: Checklist, evaluator: _Evaluator, shown_ids: set[str]
) -> Checklist | None:
    if not evaluator.shown(checklist.si, checklist.sauf_si):
        return None
    items = tuple(
        item
        for item in checklist.elements
        if evaluator.shown(item.si, item.sauf_si)
        and (item.ressource is None or item.ressource in shown_ids)
    )
    return replace(checklist, elements=items) if items else None


# ---------------------------------------------------------------------------- three-valued logic


@dataclass(frozen=True)
class _Outcome:
    value: bool | None  # None: unknown
    manque: frozenset[str] = frozenset()  # asked facts that would decide an unknown outcome
    reasons: tuple[str, ...] = ()  # sentence templates of the facts that support it


class _Evaluator:
    """Evaluates conditions on one set of facts, in one voice."""

    def __init__(self, facts: Facts, kb: KnowledgeBase, voice: Mapping[str, str]):
        self.facts = facts
        self.kb = kb
        self.voice = voice

    def voiced(self, template: str) -> str:
        return template.format_map(self.voice)

    def holds(self, condition: Condition) -> bool:
        return self.evaluate(condition).value is True

    def shown(self, si: Condition | None, sauf_si: Condition | None) -> bool:
        """`si` must be true; `sauf_si` hides only when true (an unknown fact does not hide)."""
        return (si is None or self.holds(si)) and (sauf_si is None or not self.holds(sauf_si))

    def evaluate(self, condition: Condition) -> _Outcome:
        if isinstance(condition, FactTest):
            return self._test(condition)
        if isinstance(condition, Not):
            inner = self.evaluate(condition.condition)
            return _Outcome(None if inner.value is None else not inner.value, inner.manque)
        outcomes = [self.evaluate(part) for part in condition.conditions]
        # One false part settles `tous`; one true part settles `un_de`.
        decisive = isinstance(condition, AnyOf)
        if any(o.value is decisive for o in outcomes):
            supporting = [o for o in outcomes if o.value is True] if decisive else []
            return _Outcome(decisive, frozenset(), _merged(o.reasons for o in supporting))
        unknown = [o for o in outcomes if o.value is None]
        if unknown:
            supporting = [o for o in outcomes if o.value is not False]
            return _Outcome(
                None,
                frozenset().union(*(o.manque for o in unknown)),
                _merged(o.reasons for o in supporting),
            )
        if decisive:  # `un_de` with every part false
            return _Outcome(False)
        return _Outcome(True, frozenset(), _merged(o.reasons for o in outcomes))

    def _test(self, test: FactTest) -> _Outcome:
        value = getattr(self.facts, test.fait)
        if test.operator == "inconnu":
            return _Outcome((value is None) is test.value)
        if value is None:
            return _Outcome(None, frozenset({DERIVED_FACTS.get(test.fait, test.fait)}))
        if test.operator == "est":
            matched = (value,) if value == test.value else ()
        elif test.operator == "dans":
            matched = (value,) if value in test.value else ()
        elif test.operator == "contient":
            matched = (test.value,) if test.value in value else ()
        else:  # contient_un_de
            matched = tuple(v for v in test.value if v in value)
        if not matched:
            return _Outcome(False)
        return _Outcome(True, frozenset(), self._reasons(test.fait, matched))

    def _reasons(self, fact: str, matched: tuple[object, ...]) -> tuple[str, ...]:
        wording = self.kb.faits[fact]
        sentences = []
        for value in matched:
            if value is True or value is False:
                sentence = wording.vrai if value else wording.faux
            else:
                sentence = wording.valeurs.get(str(value))
            if sentence:  # resource and checklist rules need no sentence
                sentences.append(sentence)
        return tuple(sentences)


def _merged(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(reason for group in groups for reason in group))


def _weakest(*certainties: str | None) -> str:
    return POSSIBLE if POSSIBLE in certainties else PROBABLE


def _in_fact_order(facts: Iterable[str]) -> tuple[str, ...]:
    wanted = set(facts)
    return tuple(name for name in FACT_NAMES if name in wanted)


# ---------------------------------------------------------------------------- French sentences

_VOWEL_START = re.compile(r"^[aeiouyéèêàâîôûAEIOUYÉÈÊÀÂÎÔÛ]")


def elide(word: str, following: str) -> str:
    """French elision: "que" + "il …" gives "qu'il …", "si" + "il …" gives "s'il …"."""
    if word.endswith("que") and _VOWEL_START.match(following):
        return f"{word[:-1]}'{following}"
    if word.endswith("si") and re.match(r"^ils?\b", following):
        return f"{word[:-1]}'{following}"
    return f"{word} {following}"


def because(clauses: list[str]) -> str:
    """["il menace …", "tu as moins de 18 ans"] -> "Parce qu'il menace … et que tu as moins de 18 ans."."""
    if not clauses:
        return ""
    parts = [elide("parce que", clauses[0])] + [elide("que", clause) for clause in clauses[1:]]
    sentence = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]
    return sentence[0].upper() + sentence[1:] + "."


def _json_ready(value: object) -> object:
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    return value
