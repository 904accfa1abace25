"""The platform guide (knowledge/platforms.yml) and the takedown request, as tables of cases."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from refuge.facts import Facts
from refuge.platforms import asks_how_to_report, load_platforms, platform_help
from refuge.takedown import BLANK_ACCOUNT, BLANK_LINK, legal_basis, render_takedown_request

ROOT = Path(__file__).resolve().parent.parent
GUIDE = load_platforms()
REQUIRED = ["Snapchat", "Instagram", "TikTok", "Discord", "Roblox", "Fortnite", "WhatsApp",
            "Telegram", "X", "YouTube", "Twitch"]  # fmt: skip
ISO_DATE = re.compile(r"^20\d\d-\d\d-\d\d$")


def test_every_platform_the_issue_names_has_an_entry():
    assert {p.name for p in GUIDE.platforms} >= set(REQUIRED)


@pytest.mark.parametrize("platform", GUIDE.platforms, ids=lambda p: p.name)
def test_every_entry_has_an_https_help_page_sources_with_dates_and_steps(platform):
    assert platform.help.url.startswith("https://")
    assert platform.steps and all(isinstance(step, str) and step for step in platform.steps)
    assert platform.sources
    for source in platform.sources:
        assert source.url.startswith(("https://", "http://"))
        assert ISO_DATE.match(source.read_on)
    if platform.minors:
        assert platform.minors[1].url.startswith("https://")
    assert ISO_DATE.match(GUIDE.checked_on)


def test_every_platform_entry_is_one_the_entity_can_name():
    lookups = yaml.safe_load((ROOT / "data" / "nlu_lookups.yml").read_text(encoding="utf-8"))
    synonyms = {entry["synonym"] for entry in lookups["nlu"] if "synonym" in entry}
    assert {p.name for p in GUIDE.platforms} <= synonyms


@pytest.mark.parametrize("value", ["Snapchat", "snapchat", " TikTok "])
def test_the_entity_value_selects_the_entry_whatever_its_case(value):
    assert GUIDE.platform(value).name == value.strip().capitalize().replace("Tiktok", "TikTok")


@pytest.mark.parametrize(
    "platform, role, minor, expected, absent",
    [
        ("Snapchat", "victime", True, ["values.snap.com", "Take It Down", "Snapchat y participe",
                                        "3018", "garde :"], ["StopNCII", "gardez"]),
        ("Snapchat", "parent", True, ["Centre parental", "gardez :", "votre appareil"], ["garde :"]),
        ("TikTok", "victime", True, ["tiktok.com/safety", "takeitdown.ncmec.org dit si TikTok"],
         ["TikTok y participe"]),
        ("Instagram", "victime_majeure", False, ["help.instagram.com", "StopNCII", "Instagram y participe"],
         ["Take It Down (", "3018"]),
        ("WhatsApp", "victime", True, ["faq.whatsapp.com", "chiffrés de bout en bout"],
         ["WhatsApp y participe"]),
        ("Roblox", "professionnel", True, ["en.help.roblox.com", "contrôle parental"], []),
        ("Yubo", "victime", True, ["Je n'ai pas le chemin exact pour Yubo", "Signaler"], ["https://"]),
        (None, "parent", None, ["Dites-moi sur quelle application"], []),
    ],
)  # fmt: skip
def test_platform_help_gives_that_platforms_route_in_the_persons_voice(
    platform, role, minor, expected, absent
):
    text = "\n".join(platform_help(platform, role, minor))
    for fragment in expected:
        assert fragment in text
    for fragment in absent:
        assert fragment not in text


@pytest.mark.parametrize("platform", [p.name for p in GUIDE.platforms])
def test_no_platform_is_said_to_take_part_in_a_service_without_a_source_saying_so(platform):
    entry = GUIDE.platform(platform)
    for minor, service, flag in (
        (True, "Take It Down", entry.take_it_down),
        (False, "StopNCII", entry.stopncii),
    ):
        text = "\n".join(platform_help(platform, "victime", minor))
        said = f"{platform} y participe" in text
        assert said == bool(flag), service
        if flag:
            assert any(source.says for source in entry.sources)


def test_the_evidence_advice_never_suggests_keeping_a_minors_sexual_image():
    for role in ("victime", "parent", "temoin", "professionnel", "victime_majeure"):
        advice = platform_help("Snapchat", role, True)
        evidence = next(message for message in advice if "Avant de bloquer" in message)
        assert "Ne jamais faire de capture" in evidence and "même de soi" in evidence
        assert "image" not in evidence.split("Ne jamais")[0]  # what is kept: no image


def test_every_first_help_that_says_screenshot_says_never_of_the_image():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    for name, variations in domain["responses"].items():
        if not name.startswith("utter_premiers_secours_") or "cyberharcelement" in name:
            continue
        for variation in variations:
            if "captur" in variation["text"]:
                assert "Pas de capture de l'image intime elle-même" in variation["text"], name


def test_the_checklists_screenshot_advice_says_never_of_a_sexual_image():
    checklists = yaml.safe_load(
        (ROOT / "refuge" / "knowledge" / "checklists.yml").read_text(encoding="utf-8")
    )
    texts = [
        text
        for checklist in checklists["checklists"]
        for item in checklist["elements"]
        for key, text in item.items()
        if key in ("tu", "vous", "temoin", "majeur") and "captures d'écran" in text
    ]
    assert texts
    for text in texts:
        assert "Jamais d'une image sexuelle" in text or "l'image intime elle-même" in text


@pytest.mark.parametrize(
    "text, asks",
    [
        ("comment je signale sur snap", True),
        ("tiktok veut pas supprimer la vidéo", True),
        ("comment faire retirer la photo d'insta", True),
        ("jveux le report", True),
        ("tik tok refuse denlever la video", True),
        ("comment demander son retrait ?", True),
        ("comment obtenir sa fermeture ?", True),
        ("g bloqué le mec sur snap", True),
        ("il est sur snap", False),
        ("j'ai 14 ans", False),
        ("comment porter plainte", False),
    ],
)
def test_a_question_about_reporting_or_removing_is_recognised(text, asks):
    assert asks_how_to_report(text) is asks


# ------------------------------------------------------------------ the takedown request

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    "facts, articles",
    [
        (Facts(situation="deepfake", age_victime=14, contenu="genere", diffuse=True), ["226-8-1", "227-23"]),
        (Facts(situation="deepfake", age_victime=19, contenu="genere", diffuse=True), ["226-8-1"]),
        (Facts(situation="diffusion_non_consentie", age_victime=16, contenu="reel"), ["226-2-1", "227-23"]),
        (Facts(situation="diffusion_non_consentie", age_victime=25), ["226-2-1"]),
        (Facts(situation="sextorsion", age_victime=15, diffuse=True), ["226-2-1", "227-23"]),
        (Facts(situation="contenu_pedocriminel"), ["227-23"]),
        (Facts(situation="cyberharcelement", age_victime=13), ["222-33-2-2", "227-23"]),
        (Facts(), []),
    ],
)  # fmt: skip
def test_the_legal_basis_follows_what_was_said(facts, articles):
    assert legal_basis(facts) == articles


@pytest.mark.parametrize(
    "role", ["victime", "victime_majeure", "parent", "professionnel", "temoin"]
)
@pytest.mark.parametrize(
    "facts",
    [
        Facts(situation="deepfake", age_victime=14, contenu="genere", diffuse=True),
        Facts(situation="diffusion_non_consentie", age_victime=25, contenu="reel", diffuse=True),
        Facts(),
    ],
    ids=["deepfake-mineur", "diffusion-majeur", "rien"],
)
def test_the_takedown_request_carries_what_article_16_asks_and_leaves_the_blanks(role, facts):
    letter = render_takedown_request(facts, role, "TikTok", TODAY)
    assert "article 16 du règlement (UE) 2022/2065" in letter
    assert BLANK_LINK in letter and BLANK_ACCOUNT in letter  # never filled by the assistant
    assert "de bonne foi" in letter and "exactes et complètes" in letter
    assert "À l'équipe de modération de TikTok" in letter
    assert "Fait le 2 décembre 2026." in letter
    assert "\n\n" not in letter  # one message, to copy whole
    assert "http" not in letter
    for article in legal_basis(facts):
        assert f"article {article} du Code pénal" in letter
    minor = bool(facts.mineur)
    assert ("mineure (moins de 18 ans)" in letter) is minor
    assert ("facultatifs pour un contenu d'abus sexuel sur mineur" in letter) is minor
    if not legal_basis(facts):
        assert "[à compléter : ce que montre le contenu" in letter


def test_the_takedown_request_gives_the_penalties_of_the_reference():
    letter = render_takedown_request(
        Facts(situation="deepfake", age_victime=14, contenu="genere", diffuse=True),
        "parent",
        None,
        TODAY,
    )
    assert (
        "article 226-8-1 du Code pénal (Deepfake à caractère sexuel) : jusqu'à 2 ans de prison et 60 000 € d'amende"
        in letter
    )
    assert (
        "article 227-23 du Code pénal (Image ou représentation pornographique d'un mineur) : jusqu'à 5 ans de prison et 75 000 € d'amende"
        in letter
    )
    assert "[à compléter : la plateforme]" in letter
    assert "mon enfant" in letter
