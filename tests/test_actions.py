"""Every custom action, run with rasa-sdk's Tracker and CollectingDispatcher (no server)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionAccuseReception, ActionPasCompris
from actions.forms import ValidateFormSituation
from actions.session import ActionSessionStart
from actions.slot_mappings import ValidateSlotMappings
from actions.summary import ActionRecapituler
from actions.tracker_facts import CONTEXT_SLOTS, FACT_SLOTS

DOMAIN = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "domain.yml").read_text(encoding="utf-8")
)


def tracker(
    text: str = "",
    intent: str | None = None,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    form: str | None = None,
    situation: str | None = None,
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    all_slots = {
        name: None
        for name in (
            *FACT_SLOTS,
            *CONTEXT_SLOTS,
            "faits_ignores",
            "requested_slot",
            "victime_majeure",
        )
    }
    all_slots.update(slots or {})
    if situation:
        all_slots["situation"] = situation
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities or [],
    }
    return Tracker(
        sender_id="test",
        slots=all_slots,
        latest_message=message,
        events=events or [{"event": "user", "text": text, "parse_data": message}],
        paused=False,
        followup_action=None,
        active_loop={"name": form} if form else {},
        latest_action_name="action_listen",
    )


def run(action, current: Tracker) -> tuple[list[dict], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, current, DOMAIN))
    return events, dispatcher


def slot_events(events: list[dict]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def test_session_start_presents_the_assistant_then_listens() -> None:
    events, dispatcher = run(ActionSessionStart(), tracker())
    assert [m["response"] for m in dispatcher.messages] == ["utter_presentation"]
    assert [e["event"] for e in events] == ["session_started", "action"]


def test_slot_mappings_fill_the_facts_of_a_first_message() -> None:
    events, _ = run(
        ValidateSlotMappings(),
        tracker("mon fils de 15 ans se fait menacer, ils veulent 100 euros", "signaler_sextorsion"),
    )
    assert slot_events(events) == {
        "situation": "sextorsion",
        "menace_diffusion": True,
        "contenu_sexuel": True,
        "role": "parent",
        "age_victime": 15,
        "demande": ["argent"],
        "montant": "100 €",
    }


def test_slot_mappings_leave_answers_inside_a_form_to_the_form() -> None:
    events, _ = run(
        ValidateSlotMappings(),
        tracker("il a 30 ans", "informer", form="form_situation", situation="grooming"),
    )
    assert events == []


def test_the_form_reads_the_answer_and_asks_the_next_unknown_fact() -> None:
    current = tracker(
        "14",
        "informer",
        slots={"requested_slot": "age_victime"},
        form="form_situation",
        situation="sextorsion",
    )
    events, _ = run(ValidateFormSituation(), current)
    assert slot_events(events) == {"age_victime": 14, "requested_slot": "demande"}


def test_the_form_does_not_ask_what_the_first_message_said() -> None:
    current = tracker(
        "oui", "affirmer",
        slots={"requested_slot": "auteur_majeur", "age_victime": 14, "demande": ["argent"]},
        form="form_situation", situation="grooming",
    )  # fmt: skip
    events, _ = run(ValidateFormSituation(), current)
    assert slot_events(events) == {
        "auteur_majeur": True,
        "requested_slot": "propositions_sexuelles",
    }


def test_a_skipped_question_is_remembered_and_not_asked_again() -> None:
    current = tracker(
        "jsp",
        "ne_sait_pas",
        slots={"requested_slot": "age_victime"},
        form="form_situation",
        situation="sextorsion",
    )
    events, _ = run(ValidateFormSituation(), current)
    assert slot_events(events) == {
        "age_victime": None,
        "faits_ignores": ["age_victime"],
        "requested_slot": "demande",
    }


def test_a_crisis_message_sets_no_fact_so_that_the_form_steps_aside() -> None:
    current = tracker(
        "je veux mourir",
        "crise_detresse",
        slots={"requested_slot": "diffuse"},
        form="form_situation",
        situation="deepfake",
    )
    events, _ = run(ValidateFormSituation(), current)
    assert set(slot_events(events)) <= {"requested_slot"}


def test_an_answer_to_another_question_is_kept_and_the_question_asked_again() -> None:
    current = tracker(
        "whatsapp",
        "informer",
        entities=[{"entity": "plateforme", "value": "WhatsApp"}],
        slots={"requested_slot": "auteur_majeur", "age_victime": 16},
        form="form_situation",
        situation="diffusion_non_consentie",
    )
    events, dispatcher = run(ValidateFormSituation(), current)
    assert [m["response"] for m in dispatcher.messages] == ["utter_precision_notee"]
    assert slot_events(events) == {
        "auteur_majeur": None,
        "plateforme": "WhatsApp",
        "requested_slot": "diffusion_en_ligne",
    }


def test_a_conditional_question_is_skipped_when_it_cannot_matter() -> None:
    current = tracker(
        "non",
        "nier",
        slots={"requested_slot": "diffuse", "age_victime": 15},
        form="form_situation",
        situation="deepfake",
    )
    events, _ = run(ValidateFormSituation(), current)
    assert slot_events(events) == {"diffuse": False, "requested_slot": "menace_diffusion"}


def test_the_form_ends_when_every_fact_is_known_or_skipped() -> None:
    known = {"age_victime": 15, "demande": ["argent"], "demande_obtenue": False, "contenu": "reel",
             "diffuse": False, "auteur_majeur": None, "requested_slot": "plateforme"}  # fmt: skip
    current = tracker(
        "jsp",
        "ne_sait_pas",
        slots={**known, "faits_ignores": ["auteur_majeur"]},
        form="form_situation",
        situation="sextorsion",
    )
    events, _ = run(ValidateFormSituation(), current)
    assert slot_events(events)["requested_slot"] is None


def test_the_summary_lists_what_was_understood_then_the_next_steps() -> None:
    current = tracker(slots={"situation": "sextorsion", "role": "victime", "age_victime": 14.0,
                             "plateforme": "Snapchat", "faits_ignores": ["auteur_majeur"]})  # fmt: skip
    _, dispatcher = run(ActionRecapituler(), current)
    intro, summary, steps = dispatcher.messages
    assert intro["response"] == "utter_recapitulatif_intro"
    assert "Ton âge : 14 ans" in summary["text"]
    assert "Où : Snapchat" in summary["text"]
    assert "l'âge de l'auteur" in summary["text"]
    assert steps["response"] == "utter_prochaines_etapes"


def fallback_event(text: str) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": "nlu_fallback"}}}


def test_a_fact_given_before_any_situation_is_thanked_for() -> None:
    current = tracker("jai 14 ans", "informer", entities=[{"entity": "age", "value": "14"}])
    _, dispatcher = run(ActionPasCompris(), current)
    assert [m["response"] for m in dispatcher.messages] == ["utter_demander_situation"]


def informer_without_entity(text: str) -> dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"intent": {"name": "informer"}, "entities": []},
    }


@pytest.mark.parametrize(
    ("text", "history", "response"),
    [
        ("", [], "utter_message_vide"),
        (
            "qsdlkj",
            [fallback_event("blorp"), informer_without_entity("qsdlkj")],
            "utter_pas_compris_encore",
        ),
        ("   ", [], "utter_message_vide"),
        ("blorp", [fallback_event("blorp")], "utter_pas_compris"),
        (
            "zzz",
            [fallback_event("blorp"), {"event": "bot"}, fallback_event("zzz")],
            "utter_pas_compris_encore",
        ),
        # Who writes, and nothing else yet: asked what happens, in their voice.
        ("Bonjour. Principal d'un collège de 600 élèves.", [], "utter_demander_situation"),
        ("Bonjour, éducatrice spécialisée en foyer de l'enfance.", [], "utter_demander_situation"),
        ("jcris pour mon pote il ose pas", [], "utter_demander_situation"),
        ("Salut, je m'inquiète pour mon petit frère de 12 ans.", [], "utter_demander_situation"),
        # The writer's own words say nothing of a role: not understood.
        ("jsuis modo sur une chaine", [], "utter_pas_compris"),
    ],
)
def test_a_misunderstood_message_gets_a_kind_answer_then_a_human(
    text: str, history: list, response: str
) -> None:
    _, dispatcher = run(ActionPasCompris(), tracker(text, "nlu_fallback", events=history))
    assert [m["response"] for m in dispatcher.messages] == [response]


# ----- The answers from the legal knowledge base (issue: legal qualification).

from actions.law import (  # noqa: E402
    ActionConseilsPrevention,
    ActionQualifier,
    ActionQueFaire,
    ActionRecapitulatifPlainte,
    ActionRessources,
)

SEXTORTION_OF_A_14_YEAR_OLD = {
    "situation": "sextorsion", "role": "victime", "age_victime": 14.0, "menace_diffusion": True,
    "contenu": "reel", "contenu_sexuel": True, "demande": ["argent"], "montant": "200 €",
    "demande_obtenue": False, "plateforme": "Snapchat",
}  # fmt: skip


def texts(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


def test_the_law_names_the_offence_with_its_article_penalty_and_why() -> None:
    _, dispatcher = run(ActionQualifier(), tracker(slots=SEXTORTION_OF_A_14_YEAR_OLD))
    said = texts(dispatcher)
    assert "Ce n'est pas ta faute" in said
    assert "« Chantage » (article 312-10 du Code pénal)" in said
    assert "Parce qu'il menace de publier" in said
    assert "jusqu'à 7 ans de prison et 100 000 € d'amende" in said
    assert "Droit en vigueur au 22 novembre 2026" in said
    assert "pas un conseil juridique" in said
    assert all(len(m.get("text") or "") <= 450 for m in dispatcher.messages)
    assert dispatcher.messages[-1]["response"] == "utter_suite"


def test_the_law_for_a_parent_speaks_of_votre_enfant() -> None:
    slots = {"situation": "grooming", "role": "parent", "age_victime": 12.0, "auteur_majeur": True,
             "demande": ["images"]}  # fmt: skip
    _, dispatcher = run(ActionQualifier(), tracker(slots=slots))
    said = texts(dispatcher)
    assert "article 227-23-1" in said
    assert "votre enfant a moins de 15 ans" in said
    assert not re.search(r"\b(tu|toi|ton|ta)\b", said)


def test_the_law_before_any_situation_invites_to_describe_it() -> None:
    _, dispatcher = run(ActionQualifier(), tracker("c'est illégal ?", "question_loi"))
    assert [m["response"] for m in dispatcher.messages] == ["utter_question_loi"]


def test_what_to_do_gives_the_steps_without_prevention() -> None:
    _, dispatcher = run(ActionQueFaire(), tracker(slots=SEXTORTION_OF_A_14_YEAR_OLD))
    said = texts(dispatcher)
    assert "Ne paie rien" in said
    assert "3018" in said
    assert "cache sur la caméra" not in said


def test_the_what_to_do_button_gives_every_step_even_when_a_platform_is_known() -> None:
    # Its payload "/question_signalement" holds the word "signalement": it is still not a
    # question about the platform's report route, and "do not pay" must not be lost.
    slots = {**SEXTORTION_OF_A_14_YEAR_OLD, "plateforme": "Instagram"}
    for text, wanted, unwanted in (
        ("/question_signalement", "Ne paie rien", "Pour signaler sur Instagram"),
        ("comment je signale son compte", "Pour signaler sur Instagram", None),
    ):
        _, dispatcher = run(ActionQueFaire(), tracker(text, "question_signalement", slots=slots))
        said = texts(dispatcher)
        assert wanted in said, text
        assert unwanted is None or unwanted not in said, text


def test_prevention_advice_follows_the_role() -> None:
    _, minor = run(ActionConseilsPrevention(), tracker(slots={"role": "victime"}))
    _, parent = run(ActionConseilsPrevention(), tracker(slots={"role": "parent"}))
    _, professional = run(ActionConseilsPrevention(), tracker(slots={"role": "professionnel"}))
    assert "caméra" in texts(minor)
    assert "contrôle parental" in texts(parent)
    assert "avec les jeunes" in texts(professional)


def test_the_law_for_a_professional_speaks_of_the_young_person_in_vous() -> None:
    slots = {"situation": "grooming", "role": "professionnel", "age_victime": 12.0,
             "auteur_majeur": True, "demande": ["images"]}  # fmt: skip
    _, dispatcher = run(ActionQualifier(), tracker(slots=slots))
    said = texts(dispatcher)
    assert "article 227-23-1" in said
    assert "le ou la jeune a moins de 15 ans" in said
    assert "votre enfant" not in said and not re.search(r"\b(tu|toi|ton|ta)\b", said)


def test_what_to_do_for_a_professional_gives_the_crip_the_procureur_and_the_119() -> None:
    slots = {**SEXTORTION_OF_A_14_YEAR_OLD, "role": "professionnel"}
    _, dispatcher = run(ActionQueFaire(), tracker(slots=slots))
    said = texts(dispatcher)
    for needed in ("CRIP", "procureur de la République", "article 40", "119", "3018"):
        assert needed in said, needed
    _, dispatcher = run(ActionRessources(), tracker(slots=slots))
    assert "Information préoccupante à la CRIP" in texts(dispatcher)


def test_people_who_can_help_are_listed_with_hours_and_how() -> None:
    _, dispatcher = run(ActionRessources(), tracker(slots={"role": "victime"}))
    said = texts(dispatcher)
    for contact in ("3018", "119", "3114", "112", "114"):
        assert contact in said
    assert "9 h à 23 h" in said


def test_the_complaint_summary_holds_only_what_was_said() -> None:
    _, dispatcher = run(ActionRecapitulatifPlainte(), tracker(slots=SEXTORTION_OF_A_14_YEAR_OLD))
    summary = dispatcher.messages[0]["text"]
    assert summary.startswith("RÉCAPITULATIF POUR LA PLAINTE")
    assert "Âge de la victime : 14 ans" in summary
    assert "Snapchat" in summary and "de l'argent (200 €)" in summary
    assert "article 312-10 (Chantage)" in summary
    # Nothing was said about the author's age, so nothing about it is written.
    assert "auteur" not in summary.split("Preuves")[0].lower()
    assert "preuves de paiement" not in summary  # nothing was paid
    assert dispatcher.messages[0]["custom"] == {"recapitulatif_plainte": summary}


def test_no_complaint_summary_before_anything_was_said() -> None:
    _, dispatcher = run(ActionRecapitulatifPlainte(), tracker("un recap", "demander_recapitulatif"))
    assert [m["response"] for m in dispatcher.messages] == ["utter_recapitulatif_sans_situation"]


def test_a_side_question_asked_after_the_law_is_answered_not_the_checklist() -> None:
    from actions.law import ActionQueFaire

    current = tracker(
        "on peut faire supprimer la photo ?",
        "question_signalement",
        slots={"situation": "diffusion_non_consentie", "role": "victime"},
    )
    _, dispatcher = run(ActionQueFaire(), current)
    texts = [m.get("text") or "" for m in dispatcher.messages]
    assert "3018" in texts[0] and "•" not in texts[0]
    assert dispatcher.messages[-1]["response"] == "utter_suite"


def test_after_a_crisis_a_story_told_takes_the_story_up() -> None:
    from actions.crisis import ValidateFormApresCrise

    current = tracker(
        "il menace de tout publier si je paie pas",
        "signaler_sextorsion",
        slots={"requested_slot": "reprise", "suivi_crise": "explicite"},
        form="form_apres_crise",
    )
    events, dispatcher = run(ValidateFormApresCrise(), current)
    assert [m["response"] for m in dispatcher.messages] == ["utter_reprise"]
    assert slot_events(events)["reprise"] is True


def test_after_a_crisis_a_classifiers_doubt_on_an_answer_is_that_answer() -> None:
    from actions.crisis import ValidateFormApresCrise

    current = tracker(
        "oui jsuis chez moi ma mere est la",
        "crise_detresse",
        entities=[{"entity": "signal_crise", "value": "ambigu"}],
        slots={"requested_slot": "reprise", "suivi_crise": "explicite"},
        form="form_apres_crise",
    )
    _, dispatcher = run(ValidateFormApresCrise(), current)
    assert [m["response"] for m in dispatcher.messages] == ["utter_crise_en_securite"]


def test_an_answer_without_a_no_first_is_read_from_its_words() -> None:
    current = tracker(
        "elle menace pas elle veut juste se moquer",
        "signaler_deepfake",
        slots={"requested_slot": "menace_diffusion", "age_victime": 14, "diffuse": True},
        form="form_situation",
        situation="deepfake",
    )
    events, _ = run(ValidateFormSituation(), current)
    assert slot_events(events)["menace_diffusion"] is False


def test_a_story_turning_into_a_sextortion_in_the_questions_keeps_what_was_said() -> None:
    # "mes nudes", first: shared images, real. Then, while asked their age, a threat and a
    # demand: a sextortion now, whose threat is set, and whose images stay real.
    first = "mon ex il a tjr mes nudes de qd on sortait ensemble"
    then = "la il m ecrit que si jlui en renvoie pas des nouvelles il les balance dans le groupe"
    current = tracker(
        then,
        "signaler_sextorsion",
        slots={"requested_slot": "age_victime", "role": "victime", "contenu": "reel",
               "contenu_sexuel": True, "diffuse": True, "menace_diffusion": False},
        form="form_situation",
        situation="diffusion_non_consentie",
        events=[{"event": "user", "text": first}, {"event": "bot", "text": "tu as quel âge ?"},
                {"event": "user", "text": then}],
    )  # fmt: skip
    events, dispatcher = run(ValidateFormSituation(), current)
    slots = slot_events(events)
    assert [m["response"] for m in dispatcher.messages] == ["utter_premiers_secours_sextorsion"]
    assert slots["situation"] == "sextorsion"
    assert slots["menace_diffusion"] is True  # said now, against what sharing implied
    assert slots["demande"] == ["images"]
    assert slots["diffuse"] is None  # only implied by the shared images: asked now
    assert "contenu" not in slots  # said in the first message: still real
    assert slots["requested_slot"] == "age_victime"


def test_a_new_story_that_tells_the_fact_asked_answers_it() -> None:
    # Asked their age after a grooming story, a child goes on: a blackmail now, and
    # "jai 14 ans" at the end. The age is read, not asked again after the new first help.
    first = "un mec qui dit etre photographe ma demandé des photos toute nue et jlai fait"
    then = (
        "la il veut que jlui envoie d autres photos sinon il montre tout a mes parents. jai 14 ans"
    )
    current = tracker(
        then,
        "signaler_sextorsion",
        slots={"requested_slot": "age_victime", "role": "victime", "auteur_majeur": True,
               "demande": ["images"], "demande_obtenue": True},
        form="form_situation",
        situation="grooming",
        events=[{"event": "user", "text": first}, {"event": "bot", "text": "tu as quel âge ?"},
                {"event": "user", "text": then}],
    )  # fmt: skip
    events, dispatcher = run(ValidateFormSituation(), current)
    slots = slot_events(events)
    assert [m["response"] for m in dispatcher.messages] == ["utter_premiers_secours_sextorsion"]
    assert slots["situation"] == "sextorsion"
    assert slots["age_victime"] == 14
    assert slots["requested_slot"] != "age_victime"


@pytest.mark.parametrize(
    ("text", "intent", "response"),
    [
        # More of the story, nothing new in it: heard, and the question asked again.
        ("tout le lycee l a vue elle pleure depuis hier soir", "signaler_deepfake",
         "utter_precision_notee"),
        ("bof", "nlu_fallback", "utter_reponse_pas_comprise"),
        # A question we cannot place is not "noted" as if it told us something.
        ("et ca se passe comment apres pour elle au lycee ?", "signaler_deepfake",
         "utter_reponse_pas_comprise"),
    ],
)  # fmt: skip
def test_more_of_the_story_in_the_questions_is_heard(text, intent, response) -> None:
    current = tracker(
        text, intent,
        slots={"requested_slot": "diffusion_en_ligne", "diffuse": True, "role": "temoin"},
        form="form_situation", situation="deepfake",
    )  # fmt: skip
    events, dispatcher = run(ValidateFormSituation(), current)
    assert [m["response"] for m in dispatcher.messages] == [response]
    assert slot_events(events)["diffusion_en_ligne"] is None


def test_a_victim_of_18_or_more_is_marked_for_vouvoiement_from_their_first_message() -> None:
    events, _ = run(
        ValidateSlotMappings(),
        tracker("j'ai 34 ans, une femme me fait chanter avec une vidéo, elle veut 500 euros",
                "signaler_sextorsion"),
    )  # fmt: skip
    slots = slot_events(events)
    assert slots["age_victime"] == 34 and slots["victime_majeure"] is True


@pytest.mark.parametrize(("answer", "adult"), [("22", True), ("16", None)])
def test_the_age_answered_in_the_questions_sets_the_voice(answer: str, adult) -> None:
    current = tracker(
        answer, "informer",
        slots={"requested_slot": "age_victime", "role": "victime"},
        form="form_situation", situation="sextorsion",
    )  # fmt: skip
    events, _ = run(ValidateFormSituation(), current)
    assert slot_events(events).get("victime_majeure") == adult


def test_an_adult_victim_gets_the_side_answer_in_vous() -> None:
    current = tracker(
        "c grave si g deja payé ?", "question_loi",
        slots={"requested_slot": "demande_obtenue", "role": "victime", "age_victime": 27,
               "victime_majeure": True},
        form="form_situation", situation="sextorsion",
    )  # fmt: skip
    _, dispatcher = run(ValidateFormSituation(), current)
    said = dispatcher.messages[0]["text"]
    assert "Ne payez plus" in said and "3018" not in said


@pytest.mark.parametrize(
    ("text", "intent", "answered"),
    [
        # After the law, "nn" makes it a no; its question is answered all the same.
        ("mais c ma faute en vrai nn ?", "nier", "ce n'est pas ta faute"),
        ("oui", "affirmer", None),
    ],
)
def test_a_yes_or_no_outside_the_questions_answers_its_own_question_first(
    text, intent, answered
) -> None:
    events, dispatcher = run(
        ActionAccuseReception(), tracker(text, intent, slots={"situation": "sextorsion"})
    )
    if answered:
        assert answered in dispatcher.messages[0]["text"]
        assert dispatcher.messages[-1]["response"] == "utter_suite"
    else:
        assert [m["response"] for m in dispatcher.messages] == ["utter_accuse_reception"]


def test_the_action_server_registers_every_action_of_the_domain() -> None:
    # What `rasa_sdk --actions actions` does at start-up: a class it cannot register
    # (an abstract base without a name) stops the whole action server.
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    custom = [a for a in DOMAIN["actions"] if a.startswith(("action_", "validate_"))]
    assert set(custom) <= set(executor.actions)


def test_after_a_crisis_who_is_there_does_not_change_who_writes() -> None:
    # "ma soeur" names who is at their side, not a witness telling someone else's story.
    slots = {"role": "victime", "situation": "cyberharcelement", "requested_slot": "reprise"}
    beside = tracker("ok ma soeur est a cote elle appelle", "signaler_cyberharcelement",
                     slots=slots, form="form_apres_crise")  # fmt: skip
    events, _ = run(ValidateSlotMappings(), beside)
    assert slot_events(events) == {}
    # A story told there is still read as one.
    story = tracker("il menace de tout publier si je paie pas", "signaler_sextorsion",
                    slots=slots, form="form_apres_crise")  # fmt: skip
    events, _ = run(ValidateSlotMappings(), story)
    assert slot_events(events).get("menace_diffusion") is True


def test_a_fear_said_as_a_figure_gets_its_answer_then_the_direct_question() -> None:
    from actions.crisis import ActionCrise

    ambiguous = [{"entity": "signal_crise", "value": "ambigu"}]
    current = tracker("si mes parents voient ca jsuis mort", "crise_detresse", ambiguous,
                      slots={"role": "victime", "requested_slot": "demande_obtenue"},
                      form="form_situation", situation="sextorsion")  # fmt: skip
    events, dispatcher = run(ActionCrise(), current)
    assert "peur de leur réaction" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[1]["response"] == "utter_question_crise"
    assert slot_events(events)["suivi_crise"] == "ambigu"


REPLY = "il dit que je suis beau et il demande si jai deja fait des trucs avec une fille"


def _said(what: str) -> list[dict[str, Any]]:
    if not what.startswith("utter_"):
        return [{"event": "user", "text": what}]
    # What the form says follows the form's action; the first help follows its own.
    speaker = "action_premiers_secours" if "secours" in what else "form_situation"
    return [{"event": "action", "name": speaker},
            {"event": "bot", "text": "…", "metadata": {"utter_action": what}}]  # fmt: skip


ASK = "utter_ask_propositions_sexuelles"
NOTED = "utter_precision_notee"


@pytest.mark.parametrize(("before", "response"), [
    # Asked once: noted, and asked again.
    ([ASK], NOTED),
    # More of the story came first (its first help): that reply was not a failed answer.
    ([ASK, "il me parle sur snap", "utter_premiers_secours_grooming", ASK], NOTED),
    # One reply not read: the story often comes in two or three messages.
    ([ASK, "on parle depuis 2 semaines", NOTED, ASK], NOTED),
    # Two replies not read: left aside, the next question comes.
    ([ASK, "on parle depuis 2 semaines", NOTED, ASK, "il est gentil", NOTED, ASK],
     "utter_question_passee"),
    # The same reply said again: they think they answered.
    ([ASK, REPLY, NOTED, ASK], "utter_question_passee"),
    # A reply not read to another question does not count for this one.
    (["utter_ask_age_victime", "bof", "utter_reponse_pas_comprise", "utter_ask_age_victime",
      "14", ASK], NOTED),
])  # fmt: skip
def test_a_question_is_not_asked_again_and_again_when_its_replies_are_not_read(
    before: list[str], response: str
) -> None:
    events = [event for what in before for event in _said(what)] + _said(REPLY)
    current = tracker(REPLY, "signaler_grooming",
                      slots={"role": "victime", "requested_slot": "propositions_sexuelles"},
                      form="form_situation", situation="grooming", events=events)  # fmt: skip
    result, dispatcher = run(ValidateFormSituation(), current)
    assert [m["response"] for m in dispatcher.messages] == [response]
    skipped = slot_events(result).get("faits_ignores") or []
    assert ("propositions_sexuelles" in skipped) == (response == "utter_question_passee")


def test_the_summary_names_every_platform_the_story_named() -> None:
    from actions.summary import ActionRecapituler

    def said(text: str, platform: str) -> dict[str, Any]:
        entity = {"entity": "plateforme", "value": platform}
        return {"event": "user", "text": text, "parse_data": {"entities": [entity]}}

    events = [said("un gars sur fortnite", "Fortnite"), said("on parle sur whatsapp", "WhatsApp")]
    slots = {"situation": "grooming", "role": "victime", "plateforme": "Fortnite"}
    _, dispatcher = run(ActionRecapituler(), tracker(slots=slots, events=events))
    assert "Où : Fortnite, WhatsApp" in texts(dispatcher)
    # One platform named: said once.
    _, dispatcher = run(ActionRecapituler(), tracker(slots=slots, events=events[:1]))
    assert "Où : Fortnite\n" in texts(dispatcher) + "\n"


def test_a_reply_read_as_off_topic_inside_the_questions_is_a_reply_not_a_refusal() -> None:
    current = tracker("c quoi ton film prefere", "hors_sujet",
                      slots={"role": "victime", "requested_slot": "age_victime"},
                      form="form_situation", situation="sextorsion")  # fmt: skip
    _, dispatcher = run(ValidateFormSituation(), current)
    assert [m["response"] for m in dispatcher.messages] == ["utter_reponse_pas_comprise"]


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("Bonjour, je suis la mère d'un garçon de 12 ans.", "utter_demander_situation"),
        ("jsp quoi faire", "utter_pas_compris"),
    ],
)
def test_a_story_intent_with_no_situation_asks_what_happens_and_asks_nothing_else(
    text: str, response: str
) -> None:
    from actions.first_aid import ActionPremiersSecours

    events, dispatcher = run(
        ActionPremiersSecours(), tracker(text, "signaler_contenu_pedocriminel")
    )
    assert [m["response"] for m in dispatcher.messages] == [response]
    # The questions would have nothing to ask and go straight to a summary of nothing.
    assert events == [{"event": "followup", "timestamp": None, "name": "action_listen"}]


def test_the_summary_tells_back_what_was_said_not_what_the_situation_implied() -> None:
    from actions.summary import ActionRecapituler

    # Shared images imply "no threat" for the law; nobody said so, the summary does not.
    story = "mon ex a envoyé mes nudes a ses potes sur whatsapp"
    slots = {"situation": "diffusion_non_consentie", "role": "victime", "contenu": "reel",
             "contenu_sexuel": True, "diffuse": True, "menace_diffusion": False}  # fmt: skip
    events = [{"event": "user", "text": story}]
    _, dispatcher = run(ActionRecapituler(), tracker(slots=slots, events=events))
    assert "Menace de diffuser" not in texts(dispatcher)
    assert "Images déjà diffusées : oui" in texts(dispatcher)
    # Said in an answer to its question, it is told back.
    answered = [*events, {"event": "slot", "name": "requested_slot", "value": "menace_diffusion"},
                {"event": "user", "text": "non"},
                {"event": "slot", "name": "menace_diffusion", "value": False}]  # fmt: skip
    _, dispatcher = run(ActionRecapituler(), tracker(slots=slots, events=answered))
    assert "Menace de diffuser les images : non" in texts(dispatcher)


def test_a_dont_know_taken_for_distress_is_left_aside_so_it_is_not_asked_again() -> None:
    from actions.crisis import ActionCrise

    # The classifier's doubt on "je n'en ai aucune idée…": the direct question, and the
    # form's question set aside, or the same reply would raise the same question again.
    ambiguous = [{"entity": "signal_crise", "value": "ambigu"}]
    current = tracker("Je n'en ai aucune idée. Peut-être mon ex, mais je n'ai aucune preuve.",
                      "crise_detresse", ambiguous,
                      slots={"role": "victime", "requested_slot": "auteur_majeur"},
                      form="form_situation", situation="deepfake")  # fmt: skip
    events, dispatcher = run(ActionCrise(), current)
    assert dispatcher.messages[-1]["response"] == "utter_question_crise"
    assert slot_events(events)["faits_ignores"] == ["auteur_majeur"]


def test_what_the_person_does_not_know_stays_unknown_when_another_answer_implies_it() -> None:
    # "je ne sais pas" to the threat; then "aucune demande" to the demand: still not known.
    current = tracker(
        "Non, aucune demande, il semble avoir fait cela pour se vanter.",
        "nier",
        slots={"requested_slot": "demande", "role": "professionnel", "age_victime": 16,
               "diffuse": True, "faits_ignores": ["menace_diffusion"]},
        form="form_situation",
        situation="deepfake",
    )  # fmt: skip
    events, _ = run(ValidateFormSituation(), current)
    slots = slot_events(events)
    assert slots["demande"] == []
    assert "menace_diffusion" not in slots
