"""The first answer to a story: the first help of the situation decided from it, then its questions."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import SITUATION_FORM
from actions.tracker_facts import FIRST_AID_GIVEN_SLOT as GIVEN_SLOT
from actions.tracker_facts import engine_facts, latest_message, platform_named
from refuge.platforms import asks_how_to_report, load_platforms, report_route
from refuge.qualification import qualify
from refuge.story import read_story

FIRST_AID_ACTION = "action_premiers_secours"


def names_who_writes(text: str) -> bool:
    """The message says who writes, someone other than the one it happens to."""
    return read_story(text).get("role") in {"parent", "professionnel", "temoin"}


class ActionPremiersSecours(Action):
    """Sends the first help of the `situation` slot, which the story decided, not the intent.

    The first help of a situation is given once: a later message that adds to the story
    is thanked for, and the questions go on.
    """

    def name(self) -> str:
        return FIRST_AID_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        situation = tracker.get_slot("situation")
        if not situation:
            # A story intent whose words tell no situation yet ("je suis la mère d'un garçon
            # de 12 ans"): ask what happens, and wait; the questions have nothing to ask.
            _, _, text = latest_message(tracker)
            asked = "utter_demander_situation" if names_who_writes(text) else "utter_pas_compris"
            dispatcher.utter_message(response=asked)
            return [FollowupAction("action_listen")]
        if tracker.get_slot(GIVEN_SLOT) == situation:
            dispatcher.utter_message(response="utter_precision_notee")
        else:
            dispatcher.utter_message(response=f"utter_premiers_secours_{situation}")
        # A story that also asks how to report it there ("cmt je signal un compte sur snap
        # qui menace...") gets that platform's route too: the question asked is answered.
        _, _, text = latest_message(tracker)
        named = platform_named(tracker)
        if named and asks_how_to_report(text):
            role = qualify(engine_facts(tracker)).role
            dispatcher.utter_message(
                text=report_route(load_platforms().platform(named), role, load_platforms(), named)
            )
        # The questions follow, whoever called: the rule after a story's intent, or the
        # fallback and the aftercare for a story the classifier could not place.
        return [SlotSet(GIVEN_SLOT, situation), FollowupAction(SITUATION_FORM)]
