"""Benchmark: realistic conversations through Rasa's REST channel, one client.

Prints the median, p95 and p99 latency of a turn and the CPU time per turn of
the Rasa server and the action server (read from /proc, so Linux only).

    .venv/bin/python scripts/bench.py --url http://127.0.0.1:5005 --pids RASA_PID ACTIONS_PID
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import urllib.request
import uuid

# Conversations as people write them: a first message, answers by button or
# in words, a question, sometimes a crisis in the middle.
CONVERSATIONS = [
    ["slt", "jai 14 ans et un mec menace de publier mes nudes si je paie pas 200 balles", "non",
     '/informer{"contenu": "reel"}', "jsp", "oui je crois", "sur snap", "merci"],
    ["Bonjour, ma fille de 13 ans parle sur Roblox avec un adulte qui lui demande des photos",
     "oui", "/informer{\"demande\": \"images\"}", "oui", "non", "oui il veut la voir samedi", "non",
     "comment porter plainte ?"],
    ["ils ont fait un faux nu de moi avec une IA", "15", "oui", "oui sur insta", "non", "/refus_repondre",
     "je veux plus vivre", "/ne_sait_pas", "c'est puni par la loi ?"],
    ["toute la classe m'insulte sur snap tous les jours", "12", "oui", "non", "snapchat",
     "comment je peux me protéger"],
    ["mon ex a balancé mes nudes dans le groupe de la classe", "16", "non", "non", "whatsapp", "merci bcp"],
    ["dans un groupe telegram ils partagent des images d'enfants nus", "oui", "/informer{\"contenu\": \"genere\"}",
     "non", "/refus_repondre", "jsp", "telegram", "c quoi pharos"],
]  # fmt: skip
WARM_UP_TURNS = 10


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


def send(url: str, sender: str, text: str) -> list[dict]:
    body = json.dumps({"sender": sender, "message": text}).encode("utf-8")
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read().decode("utf-8"))


def turns(count: int):
    """(sender, text) pairs, conversation after conversation, each with a new sender."""
    produced = 0
    while True:
        for conversation in CONVERSATIONS:
            sender = f"bench-{uuid.uuid4().hex}"
            for text in conversation:
                if produced == count:
                    return
                produced += 1
                yield sender, text


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument(
        "--pids", type=int, nargs="*", default=[], help="Rasa and action server pids"
    )
    args = parser.parse_args(argv)

    for sender, text in turns(WARM_UP_TURNS):
        send(args.url, sender, text)

    cpu_before = [cpu_seconds(pid) for pid in args.pids]
    latencies, empty = [], 0
    started = time.perf_counter()
    for sender, text in turns(args.turns):
        t0 = time.perf_counter()
        replies = send(args.url, sender, text)
        latencies.append(time.perf_counter() - t0)
        empty += not replies
    elapsed = time.perf_counter() - started
    cpu = [cpu_seconds(pid) - before for pid, before in zip(args.pids, cpu_before, strict=True)]

    ms = [value * 1000 for value in latencies]
    print(
        f"turns                {len(ms)} (one client, {len(CONVERSATIONS)} kinds of conversation)"
    )
    print(f"latency median       {statistics.median(ms):7.1f} ms")
    print(f"latency p95          {percentile(ms, 0.95):7.1f} ms")
    print(f"latency p99          {percentile(ms, 0.99):7.1f} ms")
    print(f"latency max          {max(ms):7.1f} ms")
    print(f"throughput           {len(ms) / elapsed:7.1f} turns/s")
    print(f"empty replies        {empty}")
    for name, seconds in zip(("rasa server", "action server"), cpu, strict=False):
        print(f"CPU per turn, {name:14}{seconds * 1000 / len(ms):6.1f} ms")
    if cpu:
        print(f"CPU per turn, total       {sum(cpu) * 1000 / len(ms):6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
