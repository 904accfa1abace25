"""Benchmark of the public web service: people typing, then saturation next to Rasa alone.

Phase 1 (people): many conversations start within a few seconds of each other
and are played through the public API as people type (2 to 5 s between turns),
with the service's default rate limits. Prints the latency of every message,
the errors by status, the empty replies, the lost requests and the CPU time per
turn of each server (read from /proc, so Linux only).

Phase 2 (saturation): closed-loop load without think time, alternately on
Rasa's REST channel and on the public API (Rasa, API, Rasa, API: drift in the
machine's load shows), same model, same texts. Prints turns/s for each run and
the web layer's overhead.

    .venv/bin/python scripts/bench_web.py --web-url http://127.0.0.1:8200 \
        --rasa-url http://127.0.0.1:5205 --pids web=PID rasa=PID actions=PID
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from bench import CONVERSATIONS, cpu_seconds, percentile

REQUEST_TIMEOUT_SECONDS = 30
WARM_UP_TURNS = 10
# The targets the figures are printed beside.
TARGET_P50_MS = 150
TARGET_P99_MS = 600
TARGET_OVERHEAD = 0.10
# Pids named like this one are the saturation phase's web service (started with
# high rate limits); every other name is measured in phase 1.
SATURATION_WEB = "web-saturation"


@dataclass
class Tally:
    """What happened to the message requests of one phase or one run."""

    attempted: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds, answered with 200
    errors: Counter[str] = field(default_factory=Counter)  # status code -> count
    empty: int = 0
    lost: Counter[str] = field(default_factory=Counter)  # exception -> count
    conversations: int = 0
    conversation_errors: Counter[str] = field(default_factory=Counter)
    in_time: int = 0  # answered before the end of a timed run

    def ms(self, share: float) -> float:
        return percentile(self.latencies, share) * 1000 if self.latencies else float("nan")

    def failures(self) -> str:
        parts = [f"{code}: {count}" for code, count in sorted(self.errors.items())]
        return ", ".join(parts) or "none"


@dataclass
class Outcome:
    status: int | None  # None: the request raised (timeout, connection refused or reset)
    body: Any
    seconds: float


async def post(session: aiohttp.ClientSession, url: str, payload: dict) -> Outcome:
    started = time.perf_counter()
    try:
        async with session.post(url, json=payload) as response:
            raw = await response.read()
            seconds = time.perf_counter() - started
            try:
                body = json.loads(raw)
            except ValueError:  # an HTML error page from a proxy, or a cut body
                body = None
            return Outcome(response.status, body, seconds)
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        return Outcome(None, type(error).__name__, time.perf_counter() - started)


def has_text(messages: Any) -> bool:
    """Something to show, and no message without text (an empty bubble in the chat)."""
    return (
        isinstance(messages, list)
        and bool(messages)
        and all(isinstance(message, dict) and message.get("text") for message in messages)
    )


class Api:
    """The public API: a conversation is created by the service, then written to."""

    name = "API"

    def __init__(self, url: str) -> None:
        self.url = url

    async def open(self, session: aiohttp.ClientSession, tally: Tally) -> str | None:
        outcome = await post(session, f"{self.url}/api/conversations", {})
        identifier = outcome.body.get("id") if isinstance(outcome.body, dict) else None
        if outcome.status == 201 and isinstance(identifier, str):
            tally.conversations += 1
            return identifier
        tally.conversation_errors[str(outcome.status or outcome.body)] += 1
        return None

    async def send(self, session: aiohttp.ClientSession, conversation: str, text: str) -> Outcome:
        return await post(
            session, f"{self.url}/api/conversations/{conversation}/messages", {"text": text}
        )

    @staticmethod
    def is_empty(body: Any) -> bool:
        return not (isinstance(body, dict) and has_text(body.get("messages")))


class Rasa:
    """Rasa's REST channel: the client names the conversation; an empty list is a failed turn."""

    name = "Rasa"

    def __init__(self, url: str) -> None:
        self.url = url

    async def open(self, session: aiohttp.ClientSession, tally: Tally) -> str | None:
        tally.conversations += 1
        return f"bench-{uuid.uuid4().hex}"

    async def send(self, session: aiohttp.ClientSession, conversation: str, text: str) -> Outcome:
        return await post(
            session, f"{self.url}/webhooks/rest/webhook", {"sender": conversation, "message": text}
        )

    @staticmethod
    def is_empty(body: Any) -> bool:
        # Rasa sends text and custom payloads as separate items: one text is enough.
        return not (
            isinstance(body, list) and any(isinstance(m, dict) and m.get("text") for m in body)
        )


async def turn(
    session: aiohttp.ClientSession,
    target: Api | Rasa,
    conversation: str,
    text: str,
    tally: Tally,
    deadline: float = math.inf,
) -> None:
    tally.attempted += 1
    outcome = await target.send(session, conversation, text)
    if outcome.status is None:
        tally.lost[outcome.body] += 1
    elif outcome.status != 200:  # 429 included: a person would have seen a refusal
        tally.errors[str(outcome.status)] += 1
    else:
        tally.latencies.append(outcome.seconds)
        empty = target.is_empty(outcome.body)
        tally.empty += empty
        tally.in_time += not empty and time.perf_counter() <= deadline


async def warm_up(session: aiohttp.ClientSession, target: Api | Rasa) -> None:
    """A few turns not counted: the first calls of TensorFlow graphs and of connection pools."""
    tally, played = Tally(), 0
    for script in CONVERSATIONS:
        conversation = await target.open(session, tally)
        if conversation is None:
            break
        for text in script:
            await turn(session, target, conversation, text, tally)
            played += 1
            if played == WARM_UP_TURNS:
                return


def machine_busy_seconds() -> float:
    """CPU seconds every process of the machine used since boot (all cores)."""
    with open("/proc/stat", encoding="ascii") as stat:
        user, nice, system, _idle, _iowait, irq, softirq, steal = (
            int(value) for value in stat.readline().split()[1:9]
        )
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


@dataclass
class CpuUse:
    servers: dict[str, float | None]  # name -> CPU seconds, None when the process is gone
    client: float  # this benchmark
    machine: float  # every process

    @property
    def others(self) -> float:
        """What neither the servers nor this client used: other people's work on the machine."""
        return self.machine - self.client - sum(v for v in self.servers.values() if v is not None)


class Cpu:
    """CPU seconds used by named processes, this client and the whole machine between two readings."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.before = {name: self._read(pid) for name, pid in pids.items()}
        self.client = time.process_time()
        self.machine = machine_busy_seconds()

    @staticmethod
    def _read(pid: int) -> float | None:
        try:
            return cpu_seconds(pid)
        except OSError:  # the process is gone: say so rather than crash
            return None

    def used(self) -> CpuUse:
        servers: dict[str, float | None] = {}
        for name, pid in self.pids.items():
            before, after = self.before[name], self._read(pid)
            servers[name] = None if before is None or after is None else after - before
        return CpuUse(
            servers, time.process_time() - self.client, machine_busy_seconds() - self.machine
        )


def cpu_line(used: CpuUse, turns: int, seconds: float) -> str:
    parts = []
    for name, value in used.servers.items():
        if value is None:
            parts.append(f"{name} ?")
        else:
            per_turn = value * 1000 / turns if turns else float("nan")
            parts.append(f"{name} {per_turn:.1f} ms ({value / seconds:.2f} cores)")
    # The servers share the cores with this client and whatever else runs here.
    parts.append(f"client {used.client / seconds:.2f} cores, others {used.others / seconds:.2f}")
    return ", ".join(parts)


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min), {os.cpu_count()} cores"


@dataclass
class PeopleResult:
    tally: Tally
    seconds: float
    cpu: CpuUse


async def people(args: argparse.Namespace, pids: dict[str, int]) -> PeopleResult:
    rng = random.Random(args.seed)
    # Everything random is drawn up front, so a seed gives the same load whatever
    # order the replies come back in.
    plans = []
    for _ in range(args.conversations):
        script = rng.choice(CONVERSATIONS)
        pauses = [rng.uniform(2, 5) for _ in script[1:]] + [0.0]
        plans.append((rng.uniform(0, 3), script, pauses))

    api, tally = Api(args.web_url), Tally()
    # Latencies by turn number: the first turns all arrive within 3 s, the later ones spread out.
    by_turn: dict[int, list[float]] = {}
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    connector = aiohttp.TCPConnector(limit=0)  # one connection per person, as browsers have
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await warm_up(session, api)

        async def person(offset: float, script: list[str], pauses: list[float]) -> None:
            await asyncio.sleep(offset)
            conversation = await api.open(session, tally)
            if conversation is None:
                return
            for number, (text, pause) in enumerate(zip(script, pauses, strict=True), start=1):
                answered = len(tally.latencies)
                await turn(session, api, conversation, text, tally)
                if len(tally.latencies) > answered:
                    by_turn.setdefault(number, []).append(tally.latencies[-1])
                await asyncio.sleep(pause)  # reading the answer, typing the next one

        names = {name: pid for name, pid in pids.items() if name != SATURATION_WEB}
        print(
            f"\n== Phase 1: people typing ({args.conversations} conversations, after"
            f" {WARM_UP_TURNS} warm-up turns), {load()}"
        )
        cpu = Cpu(names)
        started = time.perf_counter()
        await asyncio.gather(*(person(*plan) for plan in plans))
        seconds = time.perf_counter() - started
        used = cpu.used()

    turns = tally.attempted
    lost = sum(tally.lost.values())
    print(
        f"conversations        {tally.conversations}/{args.conversations} created"
        f" (refused: {dict(tally.conversation_errors) or 'none'}), default rate limits"
    )
    print(f"turns                {turns} in {seconds:.1f} s, {turns / seconds:.1f} turns/s")
    print(
        f"latency p50          {tally.ms(0.50):7.1f} ms   target <= {TARGET_P50_MS} ms: "
        f"{verdict(tally.ms(0.50) <= TARGET_P50_MS)}"
    )
    print(f"latency p95          {tally.ms(0.95):7.1f} ms")
    print(
        f"latency p99          {tally.ms(0.99):7.1f} ms   target <= {TARGET_P99_MS} ms: "
        f"{verdict(tally.ms(0.99) <= TARGET_P99_MS)}"
    )
    print(f"latency max          {tally.ms(1.0):7.1f} ms")
    print(
        "p50/p95 by turn      "
        + ", ".join(
            f"{number}: {percentile(values, 0.5) * 1000:.0f}/{percentile(values, 0.95) * 1000:.0f}"
            for number, values in sorted(by_turn.items())
        )
        + " ms"
    )
    print(f"errors (not 200)     {sum(tally.errors.values())} ({tally.failures()})")
    print(f"empty replies        {tally.empty}   target 0: {verdict(tally.empty == 0)}")
    print(f"lost (raised)        {lost} {dict(tally.lost) or ''}  target 0: {verdict(lost == 0)}")
    print(f"CPU per turn         {cpu_line(used, turns, seconds)}")
    return PeopleResult(tally, seconds, used)


@dataclass
class Run:
    path: str
    tally: Tally
    seconds: float  # the run's set duration
    elapsed: float  # with the turns in flight at the end
    cpu: CpuUse

    @property
    def throughput(self) -> float:
        return self.tally.in_time / self.seconds


async def closed_loop(
    session: aiohttp.ClientSession, target: Api | Rasa, clients: int, seconds: float, seed: int
) -> tuple[Tally, float]:
    """`clients` clients send turn after turn, no pause, until the time is up."""
    tally = Tally()
    started = time.perf_counter()
    deadline = started + seconds

    async def client(index: int) -> None:
        # The same seed on both paths: Rasa and the API get the same texts.
        position = random.Random(f"{seed}-{index}").randrange(len(CONVERSATIONS))
        while time.perf_counter() < deadline:
            script = CONVERSATIONS[position % len(CONVERSATIONS)]
            position += 1
            conversation = await target.open(session, tally)
            if conversation is None:
                await asyncio.sleep(0.1)  # refused: do not spin on the error
                continue
            for text in script:
                if time.perf_counter() >= deadline:
                    return
                await turn(session, target, conversation, text, tally, deadline)

    await asyncio.gather(*(client(index) for index in range(clients)))
    # Turns still in flight at the deadline are waited for (the next run starts on
    # an idle server) but not counted: a request that hangs costs its client's time.
    return tally, time.perf_counter() - started


async def saturation(args: argparse.Namespace, pids: dict[str, int]) -> list[Run]:
    web_url = args.saturation_web_url or args.web_url
    targets = {"Rasa": Rasa(args.rasa_url), "API": Api(web_url)}
    web_name = SATURATION_WEB if SATURATION_WEB in pids else "web"
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    connector = aiohttp.TCPConnector(limit=0)
    runs: list[Run] = []
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        for target in targets.values():
            await warm_up(session, target)
        print(
            f"\n== Phase 2: saturation, {args.clients} clients without pause,"
            f" {args.saturation_seconds:g} s per run, {load()}"
        )
        if args.saturation_web_url:
            print(f"API runs on {web_url}: a web service started with raised rate limits")
        print(
            f"{'run':<4}{'path':<6}{'turns/s':>9}{'turns':>7}{'p50':>9}{'p99':>9}  "
            "errors / empty / lost   CPU per turn"
        )
        for number, path in enumerate(("Rasa", "API", "Rasa", "API"), start=1):
            names = ["rasa", "actions"] + ([web_name] if path == "API" else [])
            cpu = Cpu({name: pids[name] for name in names if name in pids})
            tally, elapsed = await closed_loop(
                session, targets[path], args.clients, args.saturation_seconds, args.seed
            )
            run = Run(path, tally, args.saturation_seconds, elapsed, cpu.used())
            runs.append(run)
            lost = sum(tally.lost.values())
            print(
                f"{number:<4}{path:<6}{run.throughput:9.1f}{tally.in_time:7}"
                f"{tally.ms(0.50):7.0f}ms{tally.ms(0.99):7.0f}ms"
                f"  {tally.failures()} / {tally.empty} / {lost}"
                f"   {cpu_line(run.cpu, tally.attempted, elapsed)}"
            )
            if tally.conversation_errors:
                print(f"    conversations refused: {dict(tally.conversation_errors)}")
    rasa, api = overhead_figures(runs)
    print(
        f"throughput           Rasa {rasa:.1f} turns/s, API {api:.1f} turns/s (means of two runs)"
    )
    for pair in (0, 2):
        print(f"overhead, runs {pair + 1}-{pair + 2}   {overhead(runs[pair], runs[pair + 1]):6.1%}")
    total = 1 - api / rasa if rasa else float("nan")
    print(
        f"overhead of the web  {total:6.1%}   target <= {TARGET_OVERHEAD:.0%}: "
        f"{verdict(total <= TARGET_OVERHEAD)}"
    )
    return runs


def overhead(rasa: Run, api: Run) -> float:
    return 1 - api.throughput / rasa.throughput if rasa.throughput else float("nan")


def overhead_figures(runs: list[Run]) -> tuple[float, float]:
    rasa = statistics.mean(run.throughput for run in runs if run.path == "Rasa")
    api = statistics.mean(run.throughput for run in runs if run.path == "API")
    return rasa, api


def summary(args: argparse.Namespace, phase1: PeopleResult | None, runs: list[Run]) -> None:
    """A block to paste into the README's Figures section."""
    print("\n== Summary (for the README)\n")
    if phase1:
        tally, cpu = phase1.tally, phase1.cpu.servers
        turns = tally.attempted
        cpu_ms = " + ".join(
            f"{value * 1000 / turns:.0f}" if value is not None and turns else "?"
            for value in cpu.values()
        )
        errors = sum(tally.errors.values())
        print(
            f"**People typing** (`make bench-web`: {args.conversations} conversations through the"
            f" public API starting within 3 s, 2-5 s between turns, default rate limits,"
            f" seed {args.seed}):\n"
        )
        print(
            f"| turns | p50 | p95 | p99 | max | errors | empty | lost | CPU per turn ({' + '.join(cpu)}) |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        print(
            f"| {turns} | {tally.ms(0.5):.0f} ms | {tally.ms(0.95):.0f} ms | {tally.ms(0.99):.0f} ms"
            f" | {tally.ms(1.0):.0f} ms | {errors} | {tally.empty} | {sum(tally.lost.values())}"
            f" | {cpu_ms} ms |\n"
        )
        met = (
            tally.ms(0.5) <= TARGET_P50_MS
            and tally.ms(0.99) <= TARGET_P99_MS
            and not tally.lost
            and not tally.empty
        )
        print(
            f"Targets p50 <= {TARGET_P50_MS} ms, p99 <= {TARGET_P99_MS} ms, 0 lost, 0 empty:"
            f" {verdict(met)}. {turns} turns in {phase1.seconds:.0f} s,"
            f" {turns / phase1.seconds:.1f} turns/s; other processes on the machine used"
            f" {phase1.cpu.others / phase1.seconds:.2f} of its {os.cpu_count()} cores meanwhile.\n"
        )
    if runs:
        print(
            f"**Saturation** ({args.clients} clients without pause, {args.saturation_seconds:g} s"
            f" per run, alternately on Rasa's REST channel and on the public API):\n"
        )
        print("| run | path | turns/s | p50 | p99 | failed (errors, empty, lost) | other load |")
        print("|---|---|---|---|---|---|---|")
        for number, run in enumerate(runs, start=1):
            errors = sum(run.tally.errors.values()) + run.tally.empty + sum(run.tally.lost.values())
            print(
                f"| {number} | {run.path} | {run.throughput:.1f} | {run.tally.ms(0.5):.0f} ms"
                f" | {run.tally.ms(0.99):.0f} ms | {errors}"
                f" | {run.cpu.others / run.elapsed:.2f} cores |"
            )
        rasa, api = overhead_figures(runs)
        share = 1 - api / rasa if rasa else float("nan")
        print(
            f"\nOverhead of the web layer: {share:.1%} (target <= {TARGET_OVERHEAD:.0%}:"
            f" {verdict(share <= TARGET_OVERHEAD)}):"
            f" {api:.1f} turns/s through the API, {rasa:.1f} turns/s on Rasa directly."
        )


def parse_pids(values: list[str]) -> dict[str, int]:
    pids = {}
    for value in values:
        name, _, pid = value.partition("=")
        if not pid.isdigit():
            raise SystemExit(f"--pids attend NOM=PID, par exemple rasa=1234 (reçu : {value!r})")
        pids[name] = int(pid)
    return pids


async def run(args: argparse.Namespace) -> int:
    pids = parse_pids(args.pids)
    phase1 = await people(args, pids) if args.phase in ("people", "all") else None
    runs = await saturation(args, pids) if args.phase in ("saturation", "all") else []
    summary(args, phase1, runs)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web-url", default="http://127.0.0.1:8000", help="the public API")
    parser.add_argument(
        "--saturation-web-url",
        help="the public API for phase 2, started with raised rate limits (default: --web-url)",
    )
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005", help="Rasa's REST channel")
    parser.add_argument(
        "--pids",
        nargs="*",
        default=[],
        metavar="NAME=PID",
        help=f"servers whose CPU is measured: web, rasa, actions, {SATURATION_WEB}",
    )
    parser.add_argument("--phase", choices=("people", "saturation", "all"), default="all")
    parser.add_argument("--conversations", type=int, default=50, help="phase 1: conversations")
    parser.add_argument("--clients", type=int, default=8, help="phase 2: concurrent clients")
    parser.add_argument("--saturation-seconds", type=float, default=20, help="phase 2: per run")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    return asyncio.run(run(args))


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C: the caller stops the servers
        sys.exit(130)
