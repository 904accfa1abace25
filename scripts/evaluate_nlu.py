"""Held-out NLU evaluation: per-intent precision, recall, F1 and the confusions.

Runs the trained model's whole NLU pipeline, crisis net included, on a
held-out file written separately from data/ and never trained on:
tests/nlu_heldout.yml (the default), tests/nlu_test_final.yml,
tests/nlu_test_blind.yml or tests/nlu_test_blind2.yml, each written later
than the one before by someone who had seen neither data/ nor the other
files (README, "Held-out NLU evaluation", says which were read to tune).
Prints a report; `--json` also writes the figures to a file.

    .venv/bin/python scripts/evaluate_nlu.py --model models/refuge-….tar.gz
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "tests" / "nlu_heldout.yml"
FIXED_INTENTS = (
    "signaler_sextorsion",
    "signaler_deepfake",
    "signaler_grooming",
    "signaler_contenu_pedocriminel",
    "signaler_diffusion_non_consentie",
    "signaler_cyberharcelement",
    "crise_detresse",
    "question_prevention",
    "question_signalement",
    "question_loi",
)
CRISIS = "crise_detresse"


def per_intent_scores(pairs: list[tuple[str, str]], intents: tuple[str, ...]) -> dict[str, dict]:
    """Precision, recall, F1 and support for each intent, from (expected, predicted) pairs."""
    scores = {}
    for intent in intents:
        true_positive = sum(1 for expected, got in pairs if expected == intent and got == intent)
        predicted = sum(1 for _, got in pairs if got == intent)
        support = sum(1 for expected, _ in pairs if expected == intent)
        precision = true_positive / predicted if predicted else 0.0
        recall = true_positive / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[intent] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    return scores


def quiet_rasa() -> None:
    """Rasa logs every parsed message at debug level by default in a library: not here."""
    import logging

    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)


Entity = tuple[str, str, str]  # (entity, role, value), the value as the slot would get it


def entity_set(entities: list[dict]) -> set[Entity]:
    # A set: two extractors finding the same platform count once.
    return {
        (e["entity"], e.get("role") or "", str(e.get("value", "")).strip().lower())
        for e in entities
    }


def per_entity_scores(results: list[tuple[set[Entity], set[Entity]]]) -> dict[str, dict]:
    """Precision, recall and F1 per entity type: right type, role and value."""
    scores = {}
    names = sorted({e[0] for expected, got in results for e in expected | got})
    for name in names:
        expected = [{e for e in exp if e[0] == name} for exp, _ in results]
        got = [{e for e in g if e[0] == name} for _, g in results]
        true_positive = sum(len(x & y) for x, y in zip(expected, got, strict=True))
        predicted, support = sum(map(len, got)), sum(map(len, expected))
        precision = true_positive / predicted if predicted else 0.0
        recall = true_positive / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[name] = {
            "precision": precision, "recall": recall, "f1": f1, "support": support,
            "predicted": predicted,
        }  # fmt: skip
    return scores


async def predict(model: Path, examples: list[tuple[str, str, set[Entity]]]) -> list[tuple]:
    from rasa.core.agent import Agent

    quiet_rasa()
    agent = Agent.load(str(model))
    results = []
    for text, expected, entities in examples:
        parsed = await agent.parse_message(text)
        intent = (parsed.get("intent") or {}).get("name") or "None"
        results.append((text, expected, intent, entities, entity_set(parsed.get("entities") or [])))
    return results


def load_examples(path: Path) -> list[tuple[str, str, set[Entity]]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [
        (message.get("text"), message.get("intent"), entity_set(message.get("entities") or []))
        for message in data.intent_examples
    ]


def evaluate(model: Path, held_out: Path = HELD_OUT) -> dict:
    examples = load_examples(held_out)
    results = asyncio.run(predict(model, examples))
    pairs = [(expected, got) for _, expected, got, _, _ in results]
    scores = per_intent_scores(pairs, FIXED_INTENTS)
    entity_results = [(expected, got) for _, _, _, expected, got in results]
    return {
        "examples": len(results),
        "accuracy": sum(1 for e, g in pairs if e == g) / len(pairs),
        "macro_f1": sum(s["f1"] for s in scores.values()) / len(scores),
        "crisis_recall": scores[CRISIS]["recall"],
        "per_intent": scores,
        "confusions": Counter((e, g) for e, g in pairs if e != g).most_common(),
        "errors": [(text, e, g) for text, e, g, _, _ in results if e != g],
        "per_entity": per_entity_scores(entity_results),
    }


def print_report(report: dict) -> None:
    print(f"Held-out NLU evaluation: {report['examples']} messages, never trained on\n")
    print(f"{'intent':34} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}")
    for intent, s in report["per_intent"].items():
        print(
            f"{intent:34} {s['precision']:9.3f} {s['recall']:7.3f} {s['f1']:6.3f} {s['support']:8d}"
        )
    print(f"\naccuracy (all intents)     {report['accuracy']:.3f}")
    print(f"macro-F1 (fixed intents)   {report['macro_f1']:.3f}   (target >= 0.95)")
    print(f"crisis recall (net incl.)  {report['crisis_recall']:.3f}   (target 1.0)")
    print(
        f"\n{'entity (type, role, value)':34} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}"
    )
    for name, s in report["per_entity"].items():
        print(
            f"{name:34} {s['precision']:9.3f} {s['recall']:7.3f} {s['f1']:6.3f} {s['support']:8d}"
        )
    print("\nconfusions (expected -> predicted: count)")
    for (expected, got), count in report["confusions"]:
        print(f"  {expected} -> {got}: {count}")
    print("\nmisclassified messages")
    for text, expected, got in report["errors"]:
        print(f"  [{expected} -> {got}] {text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, type=Path)
    parser.add_argument("--held-out", type=Path, default=HELD_OUT)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    report = evaluate(args.model, args.held_out)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
