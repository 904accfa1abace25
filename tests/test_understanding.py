"""Reading facts from messages and answers (refuge.understanding), without Rasa."""

from __future__ import annotations

import pytest

from refuge.summary import render_understanding
from refuge.understanding import (
    Answer,
    facts_from_answer,
    facts_from_message,
    interpret_answer,
    questions_to_ask,
)


def test_a_sextortion_message_gives_its_implied_facts_age_amount_and_platform() -> None:
    facts = facts_from_message(
        "signaler_sextorsion",
        [{"entity": "plateforme", "value": "Snapchat"}],
        "jai 14 ans un mec menace de publier mes nudes si je lui donne pas 200 balles",
        known={},
    )
    assert facts == {
        "situation": "sextorsion",
        "menace_diffusion": True,
        "contenu_sexuel": True,
        "contenu": "reel",
        "role": "victime",
        "age_victime": 14,
        "demande": ["argent"],
        "montant": "200 €",
        "plateforme": "Snapchat",
    }


def test_a_parent_is_recognised_from_my_daughter_and_her_age_is_the_victims() -> None:
    facts = facts_from_message(
        "signaler_grooming",
        [],
        "ma fille de 13 ans parle avec un homme qui veut la voir en vrai samedi",
        {},
    )
    assert facts["role"] == "parent"
    assert facts["age_victime"] == 13
    assert facts["demande"] == ["rencontre"]


def test_the_authors_age_is_never_taken_for_the_victims() -> None:
    entities = [{"entity": "age", "role": "auteur", "value": "25"}]
    facts = facts_from_message(
        "signaler_grooming", entities, "un mec de 25 ans me demande des photos", {}
    )
    assert "age_victime" not in facts


def test_a_witness_is_recognised_unless_the_images_are_the_writers() -> None:
    witness = facts_from_message(
        "signaler_diffusion_non_consentie", [], "ma pote a ses nudes qui tournent", {}
    )
    victim = facts_from_message(
        "signaler_diffusion_non_consentie", [], "mon pote a balancé mes nudes", {}
    )
    assert witness["role"] == "temoin"
    assert victim["role"] == "victime"


def test_a_crisis_message_yields_no_fact_so_that_nothing_hides_it() -> None:
    assert (
        facts_from_message(
            "crise_detresse", [{"entity": "age", "value": "14"}], "jai 14 ans je veux mourir", {}
        )
        == {}
    )


def test_known_values_are_not_set_again() -> None:
    known = {"situation": "sextorsion", "role": "victime", "menace_diffusion": True,
             "contenu_sexuel": True}  # fmt: skip
    assert facts_from_message("signaler_sextorsion", [], "il menace encore", known) == {}


@pytest.mark.parametrize(
    ("fact", "intent", "entities", "text", "expected"),
    [
        ("age_victime", "informer", [], "14", Answer(14)),
        ("age_victime", "informer", [], "quatorze", Answer(14)),
        (
            "age_victime",
            "informer",
            [{"entity": "age", "value": "13"}],
            "elle a 13 ans",
            Answer(13),
        ),
        ("age_victime", "refus_repondre", [], "je préfère ne pas dire", Answer(skipped=True)),
        ("auteur_majeur", "affirmer", [], "oui", Answer(True)),
        ("auteur_majeur", "informer", [], "il a genre 30 ans", Answer(True)),
        ("auteur_majeur", "informer", [], "il a 16 ans je crois", Answer(False)),
        # A claimed age is a lie, not the author's age: the rest of the answer tells it.
        (
            "auteur_majeur",
            "informer",
            [],
            "elle disait qu elle avait 16 ans mais dans un vocal c t une voix d homme, un adulte grave",
            Answer(True),
        ),
        ("auteur_majeur", "ne_sait_pas", [], "jsp", Answer(skipped=True)),
        # "Inconnu.": nobody knows who he is.
        ("auteur_majeur", "nlu_fallback", [], "Inconnu.", Answer(skipped=True)),
        # An answer telling what he said is a yes.
        (
            "propositions_sexuelles",
            "informer",
            [],
            "il dit qu il veut me faire des calins et des bisous partout",
            Answer(True),
        ),
        (
            "demande_obtenue",
            "nlu_fallback",
            [],
            "Elle l'a bloqué. Non, pardon. Mais elle n'a rien envoyé d'autre.",
            Answer(False),
        ),
        ("diffuse", "nier", [], "non", Answer(False)),
        ("diffuse", "nlu_fallback", [], "nan pas encore", Answer(False)),
        (
            "diffuse",
            "informer",
            [],
            "Pas à notre connaissance, ses amis ne lui ont rien dit.",
            Answer(False),
        ),
        ("diffuse", "informer", [], "je crois pas non", Answer(False)),
        (
            "demande",
            "informer",
            [{"entity": "demande", "value": "images"}],
            "d'autres photos",
            Answer(["images"]),
        ),
        ("demande", "informer", [], "il veut 150€", Answer(["argent"])),
        ("demande", "nier", [], "rien", Answer([])),
        ("contenu", "informer", [], "c'est un montage avec une ia", Answer("genere")),
        (
            "contenu",
            "informer",
            [],
            "ca avait l air de vraies videos, pas des dessins ou de l ia",
            Answer("reel"),
        ),
        (
            "contenu",
            "informer",
            [{"entity": "contenu", "value": "reel"}],
            "une vraie photo",
            Answer("reel"),
        ),
        (
            "plateforme",
            "informer",
            [{"entity": "plateforme", "value": "Discord"}],
            "sur discord",
            Answer("Discord"),
        ),
        ("plateforme", "informer", [], "un site de rencontre", Answer("un site de rencontre")),
    ],
)
def test_answers_to_a_question_are_read_from_intent_entities_and_words(
    fact: str, intent: str, entities: list, text: str, expected: Answer
) -> None:
    assert interpret_answer(fact, intent, entities, text) == expected


@pytest.mark.parametrize(
    ("fact", "intent", "text"),
    [
        ("age_victime", "crise_detresse", "jai 14 ans et je veux mourir"),
        ("diffuse", "question_signalement", "c'est quoi pharos"),
        ("age_victime", "nlu_fallback", "euh"),
        (
            "plateforme",
            "question_loi",
            "est-ce que c'est illégal de faire ça à quelqu'un de mon âge ?",
        ),
    ],
)
def test_a_message_that_does_not_answer_lets_the_form_step_aside(
    fact: str, intent: str, text: str
) -> None:
    assert interpret_answer(fact, intent, [], text) is None


def test_conditional_questions_are_asked_only_when_they_can_matter() -> None:
    form = [
        "age_victime",
        "diffuse",
        "diffusion_en_ligne",
        "rencontre_proposee",
        "rencontre_eue_lieu",
    ]
    assert questions_to_ask(form, {"diffuse": False, "rencontre_proposee": False}, []) == [
        "age_victime",
        "diffuse",
        "rencontre_proposee",
    ]
    # Unknown facts never prevent a question.
    assert questions_to_ask(form, {}, []) == form


def test_skipped_questions_are_not_asked_again() -> None:
    assert questions_to_ask(["age_victime", "plateforme"], {}, ["age_victime"]) == ["plateforme"]


def test_the_summary_says_only_what_is_known_in_the_writers_voice() -> None:
    summary = render_understanding(
        {"situation": "sextorsion", "role": "parent", "age_victime": 14, "demande": ["argent"],
         "montant": "200 €", "demande_obtenue": False, "diffuse": None},
        skipped=["auteur_majeur"],
    )  # fmt: skip
    assert "L'âge de votre enfant : 14 ans" in summary
    assert "de l'argent (200 €)" in summary
    assert "Déjà payé ou envoyé : non" in summary
    assert "diffusées" not in summary
    assert "Pas précisé (ce n'est pas grave) : l'âge de l'auteur" in summary


@pytest.mark.parametrize(
    ("current", "intent", "confidence", "facts", "text", "expected"),
    [
        # Decided from the story, then kept: a later answer read as another situation
        # does not change it.
        (None, "signaler_deepfake", 0.9, {}, "un montage de moi", "deepfake"),
        ("deepfake", "signaler_sextorsion", 0.95, {"menace_diffusion": False}, "non il menace pas",
         "deepfake"),
        ("deepfake", "signaler_sextorsion", 0.5, {"menace_diffusion": True, "demande": ["argent"]},
         "il veut de l'argent", "deepfake"),
        # Changed only when the person clearly tells something new.
        ("cyberharcelement", "signaler_sextorsion", 0.95,
         {"menace_diffusion": True, "demande": ["argent"], "contenu": "reel"},
         "maintenant il menace de publier mes nudes si je paie pas", "sextorsion"),
        # A fake account in someone's name is harassment, not a fake image.
        (None, "signaler_deepfake", 0.8, {"usurpation_identite": True},
         "un faux compte a mon nom", "cyberharcelement"),
        # Images shared with no threat are not a sextortion.
        (None, "signaler_sextorsion", 0.8, {"menace_diffusion": False, "diffuse": True},
         "il menace pas il a juste tout balance", "diffusion_non_consentie"),
        # A long story the classifier could not place, but whose facts are clear.
        (None, "nlu_fallback", 0.3,
         {"auteur_majeur": True, "propositions_sexuelles": True, "rencontre_proposee": True},
         "un homme de 24 ans me parle de sexe et veut me voir samedi en vrai", "grooming"),
        (None, "nlu_fallback", 0.3, {"auteur_majeur": True}, "bonjour", None),
        # A child named, no image: no child abuse material, whatever the classifier says.
        (None, "signaler_contenu_pedocriminel", 0.8, {"age_victime": 12},
         "Bonjour, je suis la mère d'un garçon de 12 ans.", None),
        (None, "signaler_contenu_pedocriminel", 0.8, {},
         "on m'a envoyé des vidéos d'enfants", "contenu_pedocriminel"),
        # Who writes, nothing of what happens yet: no situation, whatever the classifier says.
        (None, "signaler_cyberharcelement", 0.9, {}, "bonjour principal d un college de 600 eleves",
         None),
        (None, "signaler_cyberharcelement", 0.9, {}, "ma fille se fait harceler sur insta",
         "cyberharcelement"),
        # Something sent, however vague, is the classifier's to place.
        (None, "signaler_contenu_pedocriminel", 0.8, {},
         "un gars sur fortnite m envoie des trucs chelou", "contenu_pedocriminel"),
    ],
)  # fmt: skip
def test_the_situation_is_chosen_from_the_story_and_kept(
    current, intent, confidence, facts, text, expected
) -> None:
    from refuge.text import normalise
    from refuge.understanding import decide_situation

    assert decide_situation(current, intent, confidence, facts, normalise(text)) == expected


@pytest.mark.parametrize(
    ("text", "known", "expected"),
    [
        ("il a 30 ans", {"role": "victime"}, Answer(True)),
        ("il a 16 ans", {"role": "victime"}, Answer(False)),
        # A parent giving the child's age again is not telling the author's.
        ("elle a 13 ans", {"role": "parent", "age_victime": 13}, None),
        ("Elle a 13 ans.", {"role": "parent"}, None),
        ("oui, un homme de 40 ans", {"role": "parent", "age_victime": 13}, Answer(True)),
    ],
)
def test_an_age_in_the_answer_about_the_author_is_his_only_when_it_is(
    text, known, expected
) -> None:
    assert interpret_answer("auteur_majeur", "informer", [], text, known) == expected


def test_the_story_behind_a_figure_of_speech_is_read_by_the_classifiers_next_guess() -> None:
    from refuge.understanding import story_intent

    ranking = [
        {"name": "crise_detresse", "confidence": 1.0},
        {"name": "signaler_diffusion_non_consentie", "confidence": 0.6},
    ]
    ambiguous = {"intent": ranking[0], "intent_ranking": ranking,
                 "entities": [{"entity": "signal_crise", "value": "ambigu"}]}  # fmt: skip
    explicit = {**ambiguous, "entities": [{"entity": "signal_crise", "value": "explicite"}]}
    assert story_intent(ambiguous) == ("signaler_diffusion_non_consentie", 0.6)
    assert story_intent(explicit) == ("crise_detresse", 1.0)


@pytest.mark.parametrize(
    ("said", "facts", "expected"),
    [
        ("sextorsion", {"auteur_majeur": True, "propositions_sexuelles": True}, "grooming"),
        ("sextorsion", {"diffuse": True}, "diffusion_non_consentie"),
        # A groomer threatening to show the images unless more are sent: a sextortion.
        ("grooming", {"menace_diffusion": True, "demande": ["images"]}, "sextorsion"),
        ("grooming", {"demande": ["images"], "auteur_majeur": True}, "grooming"),
        ("diffusion_non_consentie", {"contenu": "genere"}, "deepfake"),
        ("diffusion_non_consentie", {"contenu_mineurs_tiers": True}, "contenu_pedocriminel"),
        ("deepfake", {"contenu": "reel", "diffuse": True}, "diffusion_non_consentie"),
        ("sextorsion", {"menace_diffusion": True, "demande": ["argent"]}, "sextorsion"),
        # Shared after a demand of money: the threat carried out.
        ("diffusion_non_consentie", {"diffuse": True, "demande": ["argent"]}, "sextorsion"),
        (
            "sextorsion",
            {"diffuse": True, "demande": ["argent"], "demande_obtenue": False},
            "sextorsion",
        ),
        ("sextorsion", {"diffuse": True}, "diffusion_non_consentie"),
        # A pupil's own video, money demanded, then sent to classmates: a blackmail.
        (
            "contenu_pedocriminel",
            {"age_victime": 15, "contenu": "reel", "diffuse": True, "demande": ["argent"]},
            "sextorsion",
        ),
    ],
)
def test_the_classifiers_situation_gives_way_to_the_storys_clear_facts(
    said, facts, expected
) -> None:
    from refuge.text import normalise
    from refuge.understanding import decide_situation

    intent = f"signaler_{said}"
    assert decide_situation(None, intent, 0.9, facts, normalise("x")) == expected


@pytest.mark.parametrize(
    ("fact", "text", "known", "expected"),
    [
        ("auteur_majeur", "Nous ne savons pas qui gère ce compte.", {}, Answer(skipped=True)),
        ("auteur_majeur", "Je ne sais pas. Sur son profil il dit avoir 17 ans.", {"role": "parent"},
         Answer(skipped=True)),
        ("auteur_majeur", "sur son profil il dit 17 ans", {"role": "parent"}, None),
        ("auteur_majeur", "Je l'ignore. Le numéro est celui d'un élève.", {"role": "parent"},
         Answer(skipped=True)),
        ("contenu", "difficile à dire, c'est flou", {}, Answer(skipped=True)),
        ("diffuse", "g aucune idée", {}, Answer(skipped=True)),
        ("age_victime", "en fait il a 27 ans", {"role": "victime"}, None),
        ("auteur_majeur", "On soupçonne un ex à elle, mais rien de sûr.", {"role": "temoin"},
         Answer(skipped=True)),
        # No images, only those messages: half a yes, left aside rather than asked again.
        ("contenu_sexuel_recu", "Il ne lui a pas envoyé d'images, seulement ces messages.",
         {"role": "parent"}, Answer(skipped=True)),
        # What the author's profile claims, told by a grandmother, is no one's age.
        ("age_victime", "Sur son profil il dit avoir 14 ans mais on voit un homme avec une barbe.",
         {"role": "parent"}, None),
        ("demande_obtenue", "si cette vidéo sort je ne pourrai pas", {}, None),
        # Money is no age; a claimed age said with a doubt is not known; nor is the child's doubt.
        ("age_victime", "g deja mis 50 en carte paysafe hier ptn elle lache pas", {}, None),
        ("auteur_majeur", "il dit quil a 16 ans mais jsp jlai jamais vu", {"role": "victime"},
         Answer(skipped=True)),
        ("auteur_majeur", "Il ne sait pas, le profil est celui d'une fille de son âge.",
         {"role": "professionnel"}, Answer(skipped=True)),
        ("auteur_majeur", "Nous n'en avons aucune idée, le profil est sûrement faux.",
         {"role": "parent"}, Answer(skipped=True)),
        ("diffusion_en_ligne", "jcrois c que le groupe mais jsp si ca a tourné apres", {},
         Answer(skipped=True)),
    ],
)  # fmt: skip
def test_what_is_not_known_or_not_about_the_question_is_not_taken_as_its_answer(
    fact, text, known, expected
) -> None:
    assert interpret_answer(fact, "informer", [], text, known) == expected


def test_a_new_situation_drops_what_the_old_one_only_implied() -> None:
    known = {"situation": "diffusion_non_consentie", "role": "victime", "contenu": "reel",
             "contenu_sexuel": True, "diffuse": True, "menace_diffusion": False}  # fmt: skip
    facts = facts_from_message(
        "signaler_sextorsion",
        [],
        "la il m ecrit que si jlui en renvoie pas des nouvelles il les balance a toute la classe",
        known,
        0.9,
    )
    assert facts["situation"] == "sextorsion"
    assert facts["menace_diffusion"] is True
    assert facts["diffuse"] is None  # only implied by the old situation: asked now
    assert facts["demande"] == ["images"]


def test_what_an_earlier_message_said_outlives_a_change_of_situation() -> None:
    known = {"situation": "diffusion_non_consentie", "role": "victime", "contenu": "reel",
             "contenu_sexuel": True, "diffuse": True, "menace_diffusion": False}  # fmt: skip
    message = "la il m ecrit que si jlui en renvoie pas des nouvelles il les balance a la classe"
    implied_only = facts_from_message("signaler_sextorsion", [], message, known, 0.9)
    assert implied_only["contenu"] is None  # only implied by sharing: asked
    said_first = facts_from_message(
        "signaler_sextorsion", [], message, known, 0.9, ["mon ex a tjr mes nudes"]
    )
    assert "contenu" not in said_first  # "mes nudes": said, kept
    assert said_first["situation"] == "sextorsion" and said_first["diffuse"] is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An answer to "real or AI?", classified as shared images: an answer, not a new story.
        ("ce sont de vraies photos", "sextorsion"),
        # A story told, that the classifier and the words both place elsewhere.
        ("en fait il m a jamais menacé, il a juste envoyé la video a toute la classe",
         "diffusion_non_consentie"),
    ],
)  # fmt: skip
def test_a_few_words_in_the_questions_never_change_the_situation(text, expected) -> None:
    from refuge.text import normalise
    from refuge.understanding import decide_situation

    facts = {"contenu": "reel", "diffuse": True, "menace_diffusion": False}
    situation = decide_situation(
        "sextorsion", "signaler_diffusion_non_consentie", 0.95, facts, normalise(text)
    )
    assert situation == expected


@pytest.mark.parametrize(
    ("fact", "text", "known", "expected"),
    [
        ("age_victime", "jai payé 40 et jai 14 ans", {}, Answer(14)),
        ("auteur_majeur", "Il s'agirait de son ancien petit ami, un élève de seconde.",
         {"role": "professionnel"}, Answer(False)),
        # The story's reader reads the demands in an answer: "sous-vêtements" is no money.
        ("demande", "Il lui a demandé des photos en sous-vêtements, puis nu, et lui propose un "
         "rendez-vous samedi.", {"role": "professionnel"}, Answer(["images", "rencontre"])),
        ("demande", "lui a demandé des photos de lui nu et veut le rencontrer", {"role": "parent"},
         Answer(["images", "rencontre"])),
        ("plateforme", "X.", {}, Answer("X")),
        ("plateforme", "Sur un site pornographique, je ne connais pas le nom exact.", {},
         Answer("site pornographique")),
        # Nobody's age in an answer to "how old are you?": claimed, or children's in images.
        ("age_victime", "il disait quil avait 13 ans mais il a avoué quil a 26 ans", {"role": "victime"}, None),
        ("age_victime", "il ma envoyé des videos de petits enfants genre 8 ans", {"role": "victime"}, None),
        ("age_victime", "il a 16 ans comme moi", {"role": "victime"}, Answer(16)),
        ("age_victime", "Il a 11 ans.", {"role": "parent"}, Answer(11)),
        ("age_victime", "Il m'a dit avoir 13 ans en vocal, je n'ai aucun moyen de le vérifier.",
         {"role": "temoin"}, Answer(13)),
    ],
)  # fmt: skip
def test_answers_are_read_as_a_careful_listener_would(fact, text, known, expected) -> None:
    assert interpret_answer(fact, "informer", [], text, known) == expected


@pytest.mark.parametrize(
    ("said", "facts", "expected"),
    [
        # Fake images used to blackmail: a sextortion.
        ("deepfake", {"contenu": "genere", "menace_diffusion": True, "demande": ["argent"]},
         "sextorsion"),
        ("deepfake", {"contenu": "genere", "diffuse": True}, "deepfake"),
        ("grooming", {"contenu": "genere", "auteur_majeur": True, "diffuse": True}, "deepfake"),
        ("grooming", {"contenu": "genere", "auteur_majeur": True, "propositions_sexuelles": True},
         "grooming"),
        # The pupil's own image, told by her CPE: her situation, not images of other children.
        ("contenu_pedocriminel", {"contenu": "genere", "age_victime": 16, "diffuse": True}, "deepfake"),
        ("contenu_pedocriminel", {"contenu": "reel", "age_victime": 15, "diffuse": True},
         "diffusion_non_consentie"),
        ("contenu_pedocriminel", {"contenu": "genere", "age_victime": 15, "contenu_mineurs_tiers": True},
         "contenu_pedocriminel"),
    ],
)  # fmt: skip
def test_the_situation_follows_whose_images_and_what_is_demanded(said, facts, expected) -> None:
    from refuge.text import normalise
    from refuge.understanding import decide_situation

    assert decide_situation(None, f"signaler_{said}", 0.9, facts, normalise("x")) == expected


def test_a_threat_with_a_demand_told_later_turns_a_deepfake_into_a_sextortion() -> None:
    from refuge.text import normalise
    from refuge.understanding import decide_situation

    text = "il dit que si jlui donne pas 300e il les envoie a tous mes abonnés"
    facts = {"contenu": "genere", "menace_diffusion": True, "demande": ["argent"]}
    assert decide_situation("deepfake", "signaler_sextorsion", 0.9, facts, normalise(text)) == (
        "sextorsion"
    )


def test_a_sum_paid_told_later_does_not_replace_the_sum_demanded() -> None:
    known = {
        "situation": "sextorsion",
        "role": "victime",
        "montant": "300 €",
        "demande": ["argent"],
    }
    found = facts_from_message(
        "signaler_sextorsion", [], "jai deja mis 50e en paysafecard hier", known, 0.9
    )
    assert "montant" not in found and found.get("demande_obtenue") is True


@pytest.mark.parametrize(
    ("fact", "text", "role", "age"),
    [
        # The victim's own age told in more of the story while another question waits.
        ("contenu_mineurs_tiers", "jai cliqué sur un et c etait des images d enfants tout nus. "
         "jai 15 ans jsuis choquée", "victime", 15),
        ("diffusion_en_ligne", "il la mis dans un groupe snap du college avec genre 80 personnes. "
         "elle a 13 ans elle pleure tt le temps", "temoin", 13),
        # Said to "is the author an adult?", an age is the author's business.
        ("auteur_majeur", "Non, il est en seconde avec elle, elle a 16 ans", "parent", None),
        ("auteur_majeur", "il a 15 ans", "victime", None),
        # A bare age in a short reply to another question is not taken.
        ("diffuse", "non 14 ans", "victime", None),
    ],
)  # fmt: skip
def test_an_answer_gives_the_victim_s_age_only_when_the_story_tells_it(fact, text, role, age):
    assert facts_from_answer(fact, text, {"role": role}, role).get("age_victime") == age


def test_what_was_sent_for_a_first_demand_is_forgotten_when_the_blackmail_starts() -> None:
    known = {"role": "victime", "situation": "grooming", "demande": ["images"],
             "demande_obtenue": True}  # fmt: skip
    earlier = ["il ma demandé une photo de moi toute nue et jlai envoyée"]
    found = facts_from_message(
        "sextorsion",
        [],
        "mtn il veut une video sinon il envoie la photo a ma mere",
        known,
        0.9,
        earlier,
    )
    assert "demande_obtenue" in found and found["demande_obtenue"] is None
    # What it asked for first is no longer what is demanded.
    found = facts_from_message(
        "sextorsion",
        [],
        "g envoyé 1 et mtn il veut 100 balles sinn il lenvoi a tt mon college",
        {**known, "demande": ["images"]},
        0.9,
        ["un mec ma demandé des photo de moi toute nu"],
    )
    assert found.get("demande") == ["argent"] and found["demande_obtenue"] is None
    # Paid, then more is demanded: still paid.
    known = {"role": "victime", "situation": "sextorsion", "demande": ["argent"],
             "demande_obtenue": True}  # fmt: skip
    found = facts_from_message(
        "sextorsion",
        [],
        "et mtn il veut 100e de plus sinon il publie",
        known,
        0.9,
        ["il voulait 50e sinon il publie", "oui g payé"],
    )
    assert "demande_obtenue" not in found


def test_a_blackmail_paid_after_a_demand_met_demands_what_it_asks_now() -> None:
    # The video asked first was sent; then money was demanded, and paid too: the money is
    # what is demanded, and "il en redemande" asks for more of it, not of the video.
    known = {"role": "victime", "situation": "grooming", "demande": ["images"],
             "demande_obtenue": True}  # fmt: skip
    found = facts_from_message(
        "signaler_sextorsion",
        [],
        "mtn c un mec il voulait 3 cartes paysafe de 25 sinon il envoie la video a ma classe."
        " jlui ai envoye les codes hier et la il en redemande",
        known,
        0.99,
        ["une meuf ma ajouter sur snap elle ma demander une video de moi tout nu et jlai fait"],
    )
    assert found["demande"] == ["argent"] and found["montant"] == "75 €"
    assert "demande_obtenue" not in found  # paid: still true
