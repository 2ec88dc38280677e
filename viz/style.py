"""Colours, markers and labels of the map and charts: one place, so map and legend agree.

Markers are Vega-Lite shape names (or an SVG path for the star). Every kind of agent has its own
colour *and* marker, so the map stays readable in greyscale and for colour-blind students.
Project stages use bright colours that no agent kind uses.
"""

from __future__ import annotations

from dataclasses import dataclass

STAR = (
    "M0,-1L0.24,-0.33L0.95,-0.31L0.38,0.12L0.59,0.81L0,0.4L-0.59,0.81L-0.38,0.12"
    "L-0.95,-0.31L-0.24,-0.33Z"
)


@dataclass(frozen=True)
class Kind:
    """How one kind of agent looks on the map."""

    label: str
    color: str
    shape: str
    size: int = 90


#: Agent kinds in legend order. Keys are produced by :func:`agent_kind`.
AGENT_KINDS: dict[str, Kind] = {
    "institution": Kind("University / institute", "#3949ab", "square", 110),
    "hospital": Kind("Hospital", "#c62828", "cross", 110),
    "lead_firm": Kind("Lead firm", "#ef6c00", "diamond", 110),
    "sme": Kind("SME / start-up", "#8d6e63", "circle", 45),
    "cdmo": Kind("CDMO", "#4e342e", "triangle-down", 100),
    "vc": Kind("Venture capital", "#8e24aa", "triangle-up", 80),
    "guidance_fund": Kind("Guidance fund", "#d81b60", "triangle-up", 130),
    "bank": Kind("Bank", "#546e7a", "triangle-up", 80),
    "platform_1": Kind("Pilot platform, tier 1 (university)", "#2e7d32", STAR, 170),
    "platform_2": Kind("Pilot platform, tier 2 (firm)", "#00897b", STAR, 170),
    "platform_3": Kind("Pilot platform, tier 3 (CDMO)", "#827717", STAR, 170),
}

#: Project stages in chain order: (data column, stage name in the model, label, colour).
STAGES: tuple[tuple[str, str, str, str], ...] = (
    ("stage_poc", "proof_of_concept", "Proof of concept", "#fdd835"),
    ("stage_pilot", "pilot", "Pilot", "#29b6f6"),
    ("stage_industrialisation", "industrialisation", "Industrialisation", "#c6ff00"),
)
STAGE_LABEL = {name: label for _, name, label, _ in STAGES}
STAGE_COLOR = {label: color for _, _, label, color in STAGES}

#: Exit causes: (data column, label, colour).
EXITS: tuple[tuple[str, str, str], ...] = (
    ("exit_technical_poc", "Failed at proof of concept", "#fbc02d"),
    ("exit_technical_pilot", "Failed in pilot", "#0288d1"),
    ("exit_technical_clinical", "Failed in clinical trials", "#7b1fa2"),
    ("exit_no_funding", "No funding found", "#616161"),
    ("exit_investor_withdrawal", "Investor pulled out", "#e64a19"),
    ("exit_compliance_abandoned", "Gave up on compliance", "#795548"),
    ("exit_transferred_out", "Moved out of the region", "#e53935"),
    ("exit_screened_out", "Screened out early (feasibility check)", "#9e9e9e"),
)

RING_COLOR = "#1565c0"
OUT_OF_REGION_COLOR = "#e53935"
PUBLIC_COLOR = "#c62828"
PRIVATE_COLOR = "#1565c0"
TRANSFER_COLOR = "#2e7d32"


def agent_kind(agent: object) -> str | None:
    """Return the :data:`AGENT_KINDS` key of an agent, or ``None`` if it is not drawn.

    Scientists and the government are not drawn (scientists sit at their institution).
    """
    names = {cls.__name__ for cls in type(agent).__mro__}
    if "Institution" in names:
        return "institution"
    if "Hospital" in names:
        return "hospital"
    if names & {"Enterprise", "Investor"}:
        kind = getattr(agent, "kind", None)
        return kind if kind in AGENT_KINDS else None
    if "PilotPlatform" in names:
        key = f"platform_{getattr(agent, 'tier', 0)}"
        return key if key in AGENT_KINDS else None
    return None
