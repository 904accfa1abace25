"""The knowledge base: its content matches the legal reference, and a broken copy fails loudly."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from refuge.facts import SITUATIONS
from refuge.knowledge_base import (
    KNOWLEDGE_DIR,
    KnowledgeBaseError,
    Penalty,
    load_knowledge_base,
)


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


# Article -> base penalty, as the reference (droit-penal.md) states it.
REFERENCE_PENALTIES = {
    "312-10": (5, 75_000),
    "312-1": (7, 100_000),
    "227-22": (5, 75_000),
    "227-22-1": (2, 30_000),
    "227-22-2": (7, 100_000),
    "227-23": (5, 75_000),
    "227-23-1": (7, 100_000),
    "227-24": (3, 75_000),
    "226-1 et 226-2": (1, 45_000),
    "226-2-1": (2, 60_000),
    "226-3-1": (1, 15_000),
    "226-4-1": (1, 15_000),
    "226-8": (1, 15_000),
    "226-8-1": (2, 60_000),
    "222-33-2-2": (1, 15_000),
}

# Article -> aggravated penalties the reference gives for it.
REFERENCE_AGGRAVATIONS = {
    "312-10": {(7, 100_000)},  # third paragraph and 312-11
    "312-1": {(10, 150_000)},
    "227-22": {(7, 100_000), (10, 150_000), (10, 1_000_000)},
    "227-22-1": {(5, 75_000)},
    "227-22-2": {(10, 150_000), (10, 1_000_000)},
    "227-23": {(7, 100_000), (10, 500_000)},
    "227-23-1": {(10, 150_000), (10, 1_000_000)},
    "226-3-1": {(2, 30_000)},
    "226-8": {(2, 45_000)},
    "226-8-1": {(3, 75_000)},
    "222-33-2-2": {(2, 30_000), (3, 45_000)},
}


def test_the_law_is_stated_as_of_22_november_2026(kb):
    assert kb.droit_en_vigueur_au == "2026-11-22"


def test_every_offence_of_the_reference_is_there_with_its_base_penalty(kb):
    penalties = {o.article: (o.peine.annees, o.peine.euros) for o in kb.infractions}
    assert penalties == REFERENCE_PENALTIES


def test_every_aggravation_carries_the_penalty_of_the_reference(kb):
    for offence in kb.infractions:
        found = {(a.peine.annees, a.peine.euros) for a in offence.aggravations}
        assert found == REFERENCE_AGGRAVATIONS.get(offence.article, set()), offence.article


def test_online_sexual_chantage_is_the_third_paragraph_of_312_10_and_312_11_the_executed_threat(kb):
    chantage = kb.offence("312-10")
    articles = {a.article: a.peine for a in chantage.aggravations}
    assert articles == {"312-10 alinéa 3": Penalty(7, 100_000), "312-11": Penalty(7, 100_000)}
    assert any("312-12" in p.texte for p in chantage.precisions)


def test_laws_are_cited_where_the_reference_names_them(kb):
    assert "2021-478" in kb.offence("227-23-1").loi
    assert "2021-478" in kb.offence("227-22-2").loi
    assert "2024-449" in kb.offence("226-8-1").loi
    assert "2016-1321" in kb.offence("226-2-1").loi
    assert "2020-936" in kb.offence("227-23").loi
    assert kb.offence("312-10").loi is None  # the reference did not identify it


def test_representations_including_generated_images_are_covered_by_227_23(kb):
    offence = kb.offence("227-23")
    assert "générées par IA" in offence.reprime
    assert "06-86.763" in offence.source


def test_the_unverified_lcen_penalty_and_the_platform_offence_are_not_stated(kb):
    texts = " ".join(o.reprime + o.source for o in kb.infractions)
    assert "LCEN" not in texts and "323-3-2" not in {o.article for o in kb.infractions}


def test_every_situation_lists_only_known_offences(kb):
    articles = {o.article for o in kb.infractions}
    assert set(kb.situations) == set(SITUATIONS)
    for listed in kb.situations.values():
        assert set(listed) <= articles


def test_resources_of_the_reference_are_all_there(kb):
    ids = [r.id for r in kb.ressources]
    for expected in (
        "3018", "119", "3114", "17_112", "114", "17cyber", "espace_mineurs", "pharos",
        "point_de_contact", "plainte", "thesee", "cybermalveillance", "take_it_down",
        "stopncii", "coffre_fort_3018",
    ):  # fmt: skip
        assert expected in ids


def test_resource_details_are_those_of_the_reference(kb):
    assert kb.resource("3018").horaires == "7 jours sur 7, de 9 h à 23 h"
    assert "3018.fr" in " ".join(kb.resource("3018").acces)
    assert kb.resource("119").horaires == "24 h/24, 7 jours sur 7"
    assert "21 ans" in kb.resource("119").pour_qui
    assert "publics" in kb.resource("pharos").limites
    assert "mineur" in kb.resource("plainte").limites  # no online complaint for a minor
    assert "FranceConnect" in " ".join(kb.resource("thesee").acces)
    assert "e-mail" in " ".join(kb.resource("thesee").acces)
    assert "avant 18 ans" in kb.resource("take_it_down").pour_qui
    assert "18 ans ou plus" in kb.resource("stopncii").pour_qui
    assert kb.resource("17_112").horaires is None  # the reference gives no hours


def test_every_resource_and_checklist_names_its_source(kb):
    assert all(r.source for r in kb.ressources)
    assert all(c.source for c in kb.checklists)


def test_the_checklists_exist_for_their_roles(kb):
    assert {c.id for c in kb.checklists} == {
        "prevention_mineurs",
        "prevention_parents",
        "prevention_professionnels",
        "que_faire_professionnels",
        "si_ca_arrive",
        "prevention_majeurs",
    }
    assert kb.checklists_par_role["victime_majeure"] == ("si_ca_arrive", "prevention_majeurs")
    assert kb.checklists_par_role["parent"] == ("si_ca_arrive", "prevention_parents")
    assert kb.checklists_par_role["professionnel"] == (
        "que_faire_professionnels",
        "prevention_professionnels",
    )
    assert "prevention_mineurs" in kb.checklists_par_role["victime"]


def test_checklist_items_speak_tu_to_the_victim_and_vous_to_a_parent(kb):
    item = kb.checklist("si_ca_arrive").elements[0]
    assert item.text_for("victime").startswith("Ne paie rien")
    assert item.text_for(None) == item.text_for("victime")
    assert item.text_for("parent").startswith("Ne payez rien")
    assert item.text_for("victime_majeure").startswith("Ne payez rien")
    assert item.text_for("temoin").startswith("Conseille-lui")


def test_a_professional_never_gets_the_parents_words_about_votre_enfant(kb):
    for checklist_id in kb.checklists_par_role["professionnel"]:
        checklist = kb.checklist(checklist_id)
        texts = [checklist.title_for("professionnel")]
        texts += [item.text_for("professionnel") for item in checklist.elements]
        for text in texts:
            assert "votre enfant" not in text and not re.search(r"\b(tu|ton|ta|tes)\b", text)


def test_the_professionals_resources_cite_the_law_and_the_date_they_were_read(kb):
    crip = kb.resource("information_preoccupante")
    procureur = kb.resource("procureur")
    assert "L. 226-2-1" in crip.source and "1er décembre 2026" in crip.source
    assert "art. 40" in procureur.source and "1er décembre 2026" in procureur.source
    assert "article 40 du Code de procédure pénale" in procureur.ce_quil_fait
    assert "professionnels compris" in kb.resource("119").pour_qui


def test_the_law_speaks_of_the_young_person_to_a_professional(kb):
    assert kb.voix["professionnel"] == {
        "victime": "le ou la jeune",
        "de_victime": "du ou de la jeune",
        "victime_a": "le ou la jeune a",
        "victime_avait": "le ou la jeune avait",
    }


def test_loading_twice_returns_the_cached_knowledge_base():
    assert load_knowledge_base() is load_knowledge_base(KNOWLEDGE_DIR)


# ---------------------------------------------------------------------------- broken copies


def _broken_copy(tmp_path: Path, file: str, change: Callable[[dict], None]) -> Path:
    """Copies the knowledge base to tmp_path and applies `change` to one file's data."""
    directory = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, directory)
    data = yaml.safe_load((directory / file).read_text(encoding="utf-8"))
    change(data)
    (directory / file).write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return directory


def _offence(data: dict, article: str) -> dict:
    return next(o for o in data["infractions"] if str(o["article"]) == article)


def test_an_unchanged_copy_loads(tmp_path):
    directory = _broken_copy(tmp_path, "offences.yml", lambda data: None)
    assert len(load_knowledge_base(directory).infractions) == len(REFERENCE_PENALTIES)


def test_an_offence_without_a_penalty_is_refused_naming_file_entry_and_field(tmp_path):
    directory = _broken_copy(tmp_path, "offences.yml", lambda d: _offence(d, "312-10").pop("peine"))
    with pytest.raises(
        KnowledgeBaseError, match=r"offences\.yml, infraction 312-10 : champ manquant « peine »"
    ):
        load_knowledge_base(directory)


def test_an_offence_without_a_source_is_refused(tmp_path):
    directory = _broken_copy(
        tmp_path, "offences.yml", lambda d: _offence(d, "227-23").pop("source")
    )
    with pytest.raises(KnowledgeBaseError, match=r"infraction 227-23 : champ manquant « source »"):
        load_knowledge_base(directory)


def test_a_rule_on_an_unknown_fact_is_refused(tmp_path):
    def change(data):
        _offence(data, "226-4-1")["si"] = {"fait": "faux_profil", "est": True}

    directory = _broken_copy(tmp_path, "offences.yml", change)
    with pytest.raises(
        KnowledgeBaseError, match=r"infraction 226-4-1, si : fait inconnu « faux_profil »"
    ):
        load_knowledge_base(directory)


def test_a_rule_with_an_impossible_value_is_refused(tmp_path):
    def change(data):
        _offence(data, "227-23-1")["si"]["tous"][2] = {"fait": "demande", "contient": "nudes"}

    directory = _broken_copy(tmp_path, "offences.yml", change)
    with pytest.raises(
        KnowledgeBaseError, match=r"infraction 227-23-1, si, tous : « demande contient »"
    ):
        load_knowledge_base(directory)


def test_a_rule_with_an_unknown_operator_is_refused(tmp_path):
    def change(data):
        _offence(data, "227-24")["si"] = {"fait": "mineur", "vaut": True}

    directory = _broken_copy(tmp_path, "offences.yml", change)
    with pytest.raises(
        KnowledgeBaseError,
        match=r"infraction 227-24, si : le fait « mineur » attend un seul opérateur",
    ):
        load_knowledge_base(directory)


def test_an_aggravation_on_an_unknown_fact_is_refused(tmp_path):
    def change(data):
        _offence(data, "227-23")["aggravations"][1]["si"] = {"fait": "reseau", "est": True}

    directory = _broken_copy(tmp_path, "offences.yml", change)
    with pytest.raises(
        KnowledgeBaseError, match=r"infraction 227-23, aggravation 2, si : fait inconnu « reseau »"
    ):
        load_knowledge_base(directory)


def test_a_situation_listing_an_unknown_article_is_refused(tmp_path):
    directory = _broken_copy(
        tmp_path, "offences.yml", lambda d: d["situations"]["sextorsion"].append("312-99")
    )
    with pytest.raises(
        KnowledgeBaseError, match=r"situations, sextorsion : article inconnu « 312-99 »"
    ):
        load_knowledge_base(directory)


def test_a_rule_whose_reason_cannot_be_said_is_refused(tmp_path):
    directory = _broken_copy(
        tmp_path, "offences.yml", lambda d: d["faits"]["auteur_majeur"].pop("vrai")
    )
    with pytest.raises(
        KnowledgeBaseError, match=r"pas de phrase « vrai » pour le fait « auteur_majeur »"
    ):
        load_knowledge_base(directory)


def test_a_template_with_an_unknown_word_is_refused(tmp_path):
    def change(data):
        _offence(data, "227-23-1")["precisions"][0]["texte"] = "Ce n'est pas {ta_faute}."

    directory = _broken_copy(tmp_path, "offences.yml", change)
    with pytest.raises(KnowledgeBaseError, match=r"précision 1 : mot inconnu « \{ta_faute\} »"):
        load_knowledge_base(directory)


def test_a_voice_missing_for_a_role_is_refused(tmp_path):
    directory = _broken_copy(tmp_path, "offences.yml", lambda d: d["voix"].pop("temoin"))
    with pytest.raises(KnowledgeBaseError, match=r"voix : rôle manquant « temoin »"):
        load_knowledge_base(directory)


def test_a_resource_without_access_is_refused(tmp_path):
    def change(data):
        next(r for r in data["ressources"] if r["id"] == "pharos").pop("acces")

    directory = _broken_copy(tmp_path, "resources.yml", change)
    with pytest.raises(
        KnowledgeBaseError, match=r"resources\.yml, ressource pharos : champ manquant « acces »"
    ):
        load_knowledge_base(directory)


def test_a_checklist_without_a_source_is_refused(tmp_path):
    def change(data):
        next(c for c in data["checklists"] if c["id"] == "prevention_parents").pop("source")

    directory = _broken_copy(tmp_path, "checklists.yml", change)
    with pytest.raises(
        KnowledgeBaseError,
        match=r"checklists\.yml, checklist prevention_parents : champ manquant « source »",
    ):
        load_knowledge_base(directory)


def test_a_checklist_item_referring_to_an_undefined_resource_is_refused(tmp_path):
    def change(data):
        data["checklists"][0]["elements"][0]["ressource"] = "numero_magique"

    directory = _broken_copy(tmp_path, "checklists.yml", change)
    with pytest.raises(
        KnowledgeBaseError, match=r"conseil 1 : ressource inconnue « numero_magique »"
    ):
        load_knowledge_base(directory)


def test_a_role_referring_to_an_undefined_checklist_is_refused(tmp_path):
    directory = _broken_copy(
        tmp_path, "checklists.yml", lambda d: d["par_role"]["parent"].append("apres_plainte")
    )
    with pytest.raises(
        KnowledgeBaseError, match=r"par_role, parent : checklist inconnue « apres_plainte »"
    ):
        load_knowledge_base(directory)


def test_a_checklist_shown_to_parents_must_have_a_vous_text(tmp_path):
    def change(data):
        next(c for c in data["checklists"] if c["id"] == "si_ca_arrive")["elements"][1].pop("vous")

    directory = _broken_copy(tmp_path, "checklists.yml", change)
    with pytest.raises(
        KnowledgeBaseError, match=r"conseil 2 : pas de texte pour le rôle « parent »"
    ):
        load_knowledge_base(directory)


def test_files_stating_different_dates_are_refused(tmp_path):
    directory = _broken_copy(
        tmp_path, "resources.yml", lambda d: d.update(droit_en_vigueur_au="2025-01-01")
    )
    with pytest.raises(KnowledgeBaseError, match="pas la même date"):
        load_knowledge_base(directory)


def test_a_misspelt_field_is_refused(tmp_path):
    def change(data):
        _offence(data, "226-8")["agravations"] = _offence(data, "226-8").pop("aggravations")

    directory = _broken_copy(tmp_path, "offences.yml", change)
    with pytest.raises(
        KnowledgeBaseError, match=r"infraction 226-8 : champ inconnu « agravations »"
    ):
        load_knowledge_base(directory)


def test_invalid_yaml_is_refused_naming_the_file(tmp_path):
    directory = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, directory)
    (directory / "checklists.yml").write_text("checklists: [", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"checklists\.yml : YAML invalide"):
        load_knowledge_base(directory)


def test_two_resources_with_the_same_id_are_refused(tmp_path):
    directory = _broken_copy(
        tmp_path, "resources.yml", lambda d: d["ressources"].append(d["ressources"][0])
    )
    with pytest.raises(KnowledgeBaseError, match=r"resources\.yml : ressource en double « 3018 »"):
        load_knowledge_base(directory)
