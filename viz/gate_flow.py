"""The flow through the gates: the lesson's headline, and a ticker of what just happened.

Market entries are rare in a running ecosystem (discovery to market takes over a decade and most
projects fail on the way), so a lesson that only watched them would watch nothing for long
stretches. What does happen every few months is a project passing a gate on its way
(:data:`ecosystem.vocabulary.GATES`, recorded by ``Chain.passes``): a proof of concept done, a
licence or a start-up, a pilot passed, an entry into the clinic, an approval, a market entry.
The page counts them per gate in both worlds since the lesson's start, and the ticker names the
latest ones in the chosen-policies world (the world of the map): "month 3 · antibody project
licensed to 3SBio".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import solara

from ecosystem.vocabulary import GATE_COUNTERS, GATE_LABELS, GATES, MARKET, MODALITY_LABELS
from viz.reading import reading
from viz.style import WORLD_LABELS

#: Events the ticker shows, newest first.
TICKER_LINES = 3

#: What each gate means, for the counters' tooltips.
GATE_HELP: dict[str, str] = {
    "poc": "Proofs of concept completed: the idea works in the lab.",
    "licence": "Projects taken on by a firm: licensed, or a start-up founded for them.",
    "pilot": "Pilots passed: the product can be made at scale, to medical standards.",
    "clinical": "Projects that entered clinical trials (IND granted).",
    "approval": "Products approved for the market after their trials.",
    MARKET: "Products launched on the market (the transfers).",
}


@dataclass(frozen=True)
class GateEvent:
    """A project passing a gate: in which lesson month, which gate, in words."""

    month: int
    gate: str
    text: str


def gate_counts(world: Any) -> dict[str, int]:
    """Projects that passed each gate so far (the chain's cumulative counters)."""
    return {gate: int(world.chain.counts[GATE_COUNTERS[gate]]) for gate in GATES}


def counts_since(world: Any, start: dict[str, int]) -> dict[str, int]:
    """Projects that passed each gate since ``start`` (a :func:`gate_counts` of earlier)."""
    now = gate_counts(world)
    return {gate: now[gate] - start.get(gate, 0) for gate in GATES}


def _name(agent: Any, fallback: str) -> str:
    return str(getattr(agent, "name", "") or fallback)


def event_text(project: Any, gate: str) -> str:
    """What passing ``gate`` means for ``project``, in a short sentence."""
    what = MODALITY_LABELS.get(project.modality, str(project.modality).replace("_", " "))
    holder = project.holder
    if gate == "poc":
        lab = getattr(getattr(project.scientist, "institution", None), "name", "")
        return f"{what} project: proof of concept done" + (f" at {lab}" if lab else "")
    if gate == "licence":
        if holder is not None and getattr(holder, "founder", None) is project.scientist:
            return f"{what} project taken on by its scientist's start-up"
        return f"{what} project licensed to {_name(holder, 'a firm')}"
    if gate == "pilot":
        return f"{what} project passed its pilot ({_name(holder, 'its holder')})"
    if gate == "clinical":
        return f"{what} project entered clinical trials ({_name(holder, 'its holder')})"
    if gate == "approval":
        return f"{what} approved for the market ({_name(holder, 'its holder')})"
    return f"{what} reached the market ({_name(holder, 'its holder')})"


def gate_events(projects: list[Any], month: int, lesson_month: int) -> list[GateEvent]:
    """Gates the ``projects`` passed in model month ``month``, in gate order.

    ``projects`` must hold every project that may have passed a gate that month: those active
    before the month (a project that reached the market has left the active list since) and
    those active after it.
    """
    seen: set[int] = set()
    events = []
    for project in projects:
        if id(project) in seen:
            continue
        seen.add(id(project))
        for gate in GATES:
            if project.gates.get(gate) == month:
                events.append(GateEvent(lesson_month, gate, event_text(project, gate)))
    events.sort(key=lambda e: GATES.index(e.gate))
    return events


def format_number(value: int) -> str:
    """A count for a card."""
    return f"{value:,d}"


@solara.component
def GateFlow(lesson: Any, tick: int = 0) -> None:
    """One card per gate, in chain order: chosen policies large, status quo below."""
    with reading(lesson):
        policy, quo = lesson.gate_counts(), lesson.gate_counts_quo()
    with solara.Row(
        style={"flex-wrap": "nowrap", "gap": "4px", "align-items": "stretch"},
        classes=["sc-gates"],
    ):
        for i, gate in enumerate(GATES):
            if i:
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML="›",
                    style="align-self: center; color: #90a4ae; font-size: 1.3em;",
                )
            with solara.Card(
                margin=0,
                style={"flex": "1 1 0", "min-width": "0"},
                classes=["sc-gate", f"sc-gate-{gate}"],
            ):
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=GATE_LABELS[gate],
                    attributes={"title": GATE_HELP[gate]},
                    style="font-size: 0.78em; color: #546e7a; white-space: nowrap;"
                    " overflow: hidden; text-overflow: ellipsis;",
                )
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=format_number(policy[gate]),
                    attributes={"title": f"{WORLD_LABELS['policy']}: {GATE_HELP[gate]}"},
                    classes=["sc-gate-count"],
                    style="font-size: 1.35em; font-weight: 600; line-height: 1.1; color: #263238;",
                )
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=f"{WORLD_LABELS['quo']}: {format_number(quo[gate])}",
                    attributes={"title": f"{WORLD_LABELS['quo']}: {GATE_HELP[gate]}"},
                    classes=["sc-gate-quo"],
                    style="font-size: 0.78em; color: #607d8b; white-space: nowrap;",
                )


@solara.component
def EventTicker(lesson: Any, tick: int = 0) -> None:
    """The latest gate events of the chosen-policies world, newest first."""
    with reading(lesson):
        latest = list(lesson.events)[-TICKER_LINES:][::-1]
    lines = [f"<b>month {e.month}</b> · {e.text}" for e in latest] or [
        "Press ▶: each gate a project passes is named here."
    ]
    solara.HTML(
        tag="div",
        unsafe_innerHTML="<br>".join(lines),
        attributes={"title": "What just happened in the chosen-policies world (as on the map)"},
        classes=["sc-ticker"],
        style="font-size: 0.8em; line-height: 1.35; color: #37474f; white-space: nowrap;"
        " overflow: hidden; text-overflow: ellipsis; min-width: 0;",
    )
