"""The Facts contract: names, allowed values, derived facts and French errors (facts.md)."""

from __future__ import annotations

import dataclasses

import pytest

from refuge.facts import (
    BOOLEAN_FACTS,
    DEMANDES,
    FACT_NAMES,
    SITUATIONS,
    FactError,
    Facts,
    voice_of,
)

# The table of facts.md, in its order.
FACTS_MD_NAMES = (
    "situation", "role", "age_victime", "auteur_majeur", "contenu", "contenu_sexuel",
    "menace_diffusion", "diffuse", "diffusion_en_ligne", "demande", "demande_obtenue",
    "propositions_sexuelles", "contenu_sexuel_recu", "rencontre_proposee", "rencontre_eue_lieu",
    "usurpation_identite", "bande_organisee", "contenu_mineurs_tiers",
)  # fmt: skip


def test_facts_have_exactly_the_names_of_facts_md():
    assert FACT_NAMES == FACTS_MD_NAMES


def test_every_fact_is_unknown_by_default():
    facts = Facts()
    assert all(getattr(facts, name) is None for name in FACT_NAMES)
    assert facts.mineur is None and facts.mineur_de_15_ans is None


def test_facts_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Facts().situation = "sextorsion"  # type: ignore[misc]


def test_a_complete_mapping_is_read_and_written_back_unchanged():
    data = {
        "situation": "sextorsion",
        "role": "parent",
        "age_victime": 14,
        "auteur_majeur": True,
        "contenu": "reel",
        "contenu_sexuel": True,
        "menace_diffusion": True,
        "diffuse": False,
        "diffusion_en_ligne": None,
        "demande": ["argent", "images"],
        "demande_obtenue": False,
        "propositions_sexuelles": None,
        "contenu_sexuel_recu": True,
        "rencontre_proposee": False,
        "rencontre_eue_lieu": None,
        "usurpation_identite": False,
        "bande_organisee": True,
        "contenu_mineurs_tiers": None,
    }
    facts = Facts.from_mapping(data)
    assert facts.demande == ("argent", "images")
    assert facts.to_dict() == data


def test_null_means_unknown():
    assert Facts.from_mapping({"situation": None, "demande": None}) == Facts()


@pytest.mark.parametrize(
    ("age", "mineur", "mineur_de_15_ans"),
    [
        (5, True, True),
        (14, True, True),
        (15, True, False),
        (17, True, False),
        (18, False, False),
        (99, False, False),
    ],
)
def test_minority_is_derived_from_the_age(age, mineur, mineur_de_15_ans):
    facts = Facts(age_victime=age)
    assert (facts.mineur, facts.mineur_de_15_ans) == (mineur, mineur_de_15_ans)


def test_an_integral_float_age_from_a_rasa_float_slot_is_accepted():
    assert Facts.from_mapping({"age_victime": 14.0}).age_victime == 14


def test_an_empty_demande_means_nothing_was_demanded_not_unknown():
    assert Facts.from_mapping({"demande": []}).demande == ()


def test_repeated_demandes_are_kept_once_in_order():
    assert Facts.from_mapping({"demande": ["images", "argent", "images"]}).demande == (
        "images",
        "argent",
    )


@pytest.mark.parametrize(
    ("data", "expected_in_message"),
    [
        pytest.param({"age": 14}, "Fait inconnu : age", id="unknown-fact-name"),
        pytest.param({"mineur": True}, "Fait inconnu : mineur", id="derived-fact-is-not-an-input"),
        pytest.param({"age_victime": 4}, "entre 5 et 99", id="age-below-5"),
        pytest.param({"age_victime": 100}, "entre 5 et 99", id="age-above-99"),
        pytest.param({"age_victime": 14.5}, "nombre entier", id="age-not-integral"),
        pytest.param({"age_victime": "14"}, "nombre entier", id="age-as-text"),
        pytest.param({"age_victime": True}, "nombre entier", id="age-as-bool"),
        pytest.param({"auteur_majeur": "true"}, "true ou false", id="bool-as-text"),
        pytest.param({"diffuse": 1}, "true ou false", id="bool-as-number"),
        pytest.param(
            {"situation": "chantage"}, "« situation » doit valoir", id="unknown-situation"
        ),
        pytest.param({"role": "mere"}, "« role » doit valoir", id="unknown-role"),
        pytest.param({"contenu": "photo"}, "« contenu » doit valoir", id="unknown-contenu"),
        pytest.param({"demande": "argent"}, "doit être une liste", id="demande-not-a-list"),
        pytest.param({"demande": ["argent", "bitcoin"]}, "'bitcoin'", id="unknown-demande"),
    ],
)
def test_invalid_facts_raise_a_french_fact_error(data, expected_in_message):
    with pytest.raises(FactError) as error:
        Facts.from_mapping(data)
    assert expected_in_message in str(error.value)


def test_building_facts_directly_is_validated_too():
    with pytest.raises(FactError):
        Facts(situation="inconnue")


def test_every_situation_and_demande_value_of_facts_md_is_accepted():
    for situation in SITUATIONS:
        assert Facts.from_mapping({"situation": situation}).situation == situation
    assert Facts.from_mapping({"demande": list(DEMANDES)}).demande == DEMANDES


def test_every_boolean_fact_accepts_true_and_false():
    for name in BOOLEAN_FACTS:
        assert getattr(Facts.from_mapping({name: False}), name) is False
        assert getattr(Facts.from_mapping({name: True}), name) is True


@pytest.mark.parametrize(
    ("role", "age", "adult_life", "voice"),
    [
        ("victime", None, False, "victime"),
        ("victime", None, True, "victime_majeure"),  # "ma femme", "au boulot": vous
        ("victime", 15, True, "victime"),  # the age, once known, decides
        ("victime", 22, False, "victime_majeure"),
        ("parent", None, True, "parent"),
        (None, None, True, "victime_majeure"),
    ],
)
def test_the_voice_follows_the_age_then_an_adults_life(role, age, adult_life, voice):
    assert voice_of(role, age, adult_life) == voice
