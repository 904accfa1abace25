"""The complaint summary (refuge.complaint): what was said, the evidence, the articles."""

from __future__ import annotations

from datetime import date

from refuge.complaint import evidence_to_bring, render_complaint_summary
from refuge.facts import Facts
from refuge.qualification import qualify

TODAY = date(2026, 11, 22)


def summary_for(said: dict, skipped: list[str] | None = None) -> str:
    facts = Facts.from_mapping(
        {k: v for k, v in said.items() if k not in ("plateforme", "montant")}
    )
    return render_complaint_summary(said, qualify(facts), TODAY, skipped)


def test_the_summary_is_dated_and_lists_the_facts_as_said() -> None:
    summary = summary_for(
        {"situation": "deepfake", "role": "parent", "age_victime": 13, "contenu": "genere",
         "contenu_sexuel": True, "diffuse": True, "diffusion_en_ligne": True, "plateforme": "TikTok"}
    )  # fmt: skip
    assert "Préparé le 22 novembre 2026." in summary
    assert "Âge de la victime : 13 ans" in summary
    assert "Où : TikTok" in summary
    assert "article 226-8-1 (Deepfake à caractère sexuel)" in summary
    assert "où et quand les images ont été vues" in summary


def test_payment_receipts_are_asked_only_when_something_was_paid() -> None:
    paid = Facts(situation="sextorsion", demande=("argent",), demande_obtenue=True)
    unpaid = Facts(situation="sextorsion", demande=("argent",), demande_obtenue=False)
    assert any("paiement" in item for item in evidence_to_bring(paid))
    assert not any("paiement" in item for item in evidence_to_bring(unpaid))


def test_child_sexual_content_is_never_to_be_captured_or_kept() -> None:
    items = evidence_to_bring(Facts(situation="contenu_pedocriminel"))
    assert "ne pas faire de capture" in items[0]
    assert not any(item.startswith("captures d'écran") for item in items)


def test_skipped_questions_are_written_as_not_given() -> None:
    summary = summary_for({"situation": "grooming", "role": "victime"}, skipped=["age_victime"])
    assert "Pas précisé (ce n'est pas grave) : l'âge" in summary
    assert "ans" not in summary.split("Preuves")[0]


def test_the_summary_is_one_message_without_blank_lines() -> None:
    # Rasa's REST channel splits a text at blank lines.
    summary = summary_for({"situation": "sextorsion", "role": "victime", "age_victime": 15})
    assert "\n\n" not in summary


def test_a_professionals_summary_says_whose_words_and_keeps_no_image() -> None:
    summary = summary_for(
        {"situation": "diffusion_non_consentie", "role": "professionnel", "age_victime": 15,
         "diffuse": True, "plateforme": "Snapchat"}
    )  # fmt: skip
    assert "d'après ce que j'ai rapporté en tant que professionnel·le" in summary
    assert "Âge de la victime : 15 ans" in summary
    assert "ne copier, ne transférer ni garder aucune image" in summary
    assert "captures d'écran des messages" not in summary
