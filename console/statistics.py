"""The supervisors' statistics per week: situations, crises, misunderstandings, length; as a chart and as CSV."""

from __future__ import annotations

import csv
import io
import time
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from database.tables import triage
from refuge.facts import SITUATIONS

WEEK_SECONDS = 7 * 86_400
# 1970-01-05, a Monday: weeks run Monday to Sunday (UTC).
_FIRST_MONDAY = 4 * 86_400
DEFAULT_WEEKS = 12


@dataclass
class Week:
    start: float
    conversations: int = 0
    crises: int = 0
    user_turns: int = 0
    misunderstandings: int = 0
    situations: Counter = field(default_factory=Counter)
    lengths: Counter = field(default_factory=Counter)

    @property
    def label(self) -> str:
        return time.strftime("%Y-%m-%d", time.gmtime(self.start))

    @property
    def misunderstanding_rate(self) -> float:
        return self.misunderstandings / self.user_turns if self.user_turns else 0.0

    @property
    def median_length(self) -> float:
        return _median(self.lengths)


def _median(histogram: Counter) -> float:
    """The median of values given as {value: how many times}, without expanding them."""
    total = sum(histogram.values())
    if not total:
        return 0.0
    wanted = ((total - 1) // 2, total // 2)  # the middle one, or the middle two
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        while len(found) < 2 and wanted[len(found)] < seen:
            found.append(value)
        if len(found) == 2:
            break
    return (found[0] + found[1]) / 2


def week_start(moment: float) -> float:
    return moment - ((moment - _FIRST_MONDAY) % WEEK_SECONDS)


def weekly(
    connection: Connection, weeks: int = DEFAULT_WEEKS, now: float | None = None
) -> list[Week]:
    """The last `weeks` weeks, oldest first (a conversation counts in the week it started)."""
    now = time.time() if now is None else now
    first = week_start(now) - (weeks - 1) * WEEK_SECONDS
    table = {first + i * WEEK_SECONDS: Week(first + i * WEEK_SECONDS) for i in range(weeks)}
    rows = connection.execution_options(stream_results=True, yield_per=1000).execute(
        sa.select(
            triage.c.first_at, triage.c.situation, triage.c.user_turns, triage.c.signals
        ).where(triage.c.first_at >= first)
    )
    for row in rows:  # streamed and summed: never the whole table in memory
        week = table.get(week_start(row.first_at))
        if week is None:
            continue
        signals = row.signals or {}
        week.conversations += 1
        week.situations[row.situation or "inconnue"] += 1
        week.crises += bool(signals.get("crisis") or signals.get("crisis_ambiguous"))
        week.user_turns += row.user_turns
        week.misunderstandings += int(signals.get("misunderstandings") or 0)
        week.lengths[row.user_turns] += 1
    return list(table.values())


def as_csv(weeks: list[Week]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["semaine", "conversations", *SITUATIONS, "inconnue", "crises",
         "taux_incompris", "longueur_mediane_messages"]
    )  # fmt: skip
    for week in weeks:
        writer.writerow(
            [week.label, week.conversations,
             *(week.situations.get(name, 0) for name in (*SITUATIONS, "inconnue")),
             week.crises, f"{week.misunderstanding_rate:.3f}", f"{week.median_length:g}"]
        )  # fmt: skip
    return buffer.getvalue()


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str


def chart_bars(weeks: list[Week], width: int = 720, height: int = 220) -> dict[str, object]:
    """The geometry of a bar chart (conversations, and crises beside them), drawn as SVG by the template."""
    top = max([week.conversations for week in weeks] + [1])
    slot = width / max(len(weeks), 1)
    bars, crises = [], []
    for index, week in enumerate(weeks):
        for series, value, shift in ((bars, week.conversations, 0.1), (crises, week.crises, 0.5)):
            bar_height = (height - 20) * value / top
            series.append(
                Bar(index * slot + slot * shift, height - bar_height, slot * 0.38, bar_height,
                    value, week.label[5:])
            )  # fmt: skip
    return {"width": width, "height": height, "conversations": bars, "crises": crises, "top": top}
