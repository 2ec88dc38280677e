"""Colours, markers and labels of the map and charts: one place, so map and legend agree.

Markers are Vega-Lite shape names (or an SVG path for the star). Every kind of agent has its own
colour *and* marker, so the map stays readable in greyscale and for colour-blind students.
Project stages use bright colours that no agent kind uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecosystem import vocabulary

STAR = (  # a five-pointed star in the unit square, as Vega-Lite wants custom shapes
    "M0,-1L0.29,-0.4L0.95,-0.31L0.48,0.15L0.59,0.81L0,0.5L-0.59,0.81L-0.48,0.15"
    "L-0.95,-0.31L-0.29,-0.4Z"
)
STAR4 = "M0,-1L0.25,-0.25L1,0L0.25,0.25L0,1L-0.25,0.25L-1,0L-0.25,-0.25Z"
HEXAGON = "M-0.5,-0.87L0.5,-0.87L1,0L0.5,0.87L-0.5,0.87L-1,0Z"
PENTAGON = "M0,-1L0.95,-0.31L0.59,0.81L-0.59,0.81L-0.95,-0.31Z"
BAR = "M-1,-0.45L1,-0.45L1,0.45L-1,0.45Z"  # a wide bar: a bank's counter


@dataclass(frozen=True)
class Kind:
    """How one kind of agent looks on the map."""

    label: str
    color: str
    shape: str
    size: int = 260


#: Agent kinds in legend order. Keys are produced by :func:`agent_kind`. Sizes are marker areas
#: in px² for a projector (a 260 px² marker is ~16 px across); no two kinds share a shape.
AGENT_KINDS: dict[str, Kind] = {
    "institution": Kind("University", "#1a237e", "square", 300),
    "hospital": Kind("Hospital", "#d50000", "cross", 320),
    "lead_firm": Kind("Lead firm", "#ff6d00", "diamond", 320),
    "sme": Kind("SME / start-up", "#8d6e63", "circle", 110),
    "cdmo": Kind("CDMO", "#4e342e", "triangle-down", 260),
    "vc": Kind("Venture capital", "#aa00ff", "triangle-up", 220),
    "guidance_fund": Kind("Guidance fund", "#f50057", PENTAGON, 340),
    "bank": Kind("Bank", "#455a64", BAR, 260),
    "platform_1": Kind("Pilot plant (univ.)", "#2e7d32", STAR, 520),
    "platform_2": Kind("Pilot plant (firm)", "#0091ea", STAR4, 520),
    "platform_3": Kind("Pilot plant (CDMO)", "#827717", HEXAGON, 380),
    "enclave": Kind("Enclave park", "#00695c", "triangle-right", 420),
}

#: Colours of the page; names and labels come from ``ecosystem.vocabulary`` (declared once).
STAGE_COLORS: dict[str, str] = {
    vocabulary.STAGE_POC: "#fdd835",
    vocabulary.STAGE_PILOT: "#29b6f6",
    vocabulary.STAGE_INDUSTRIALISATION: "#c6ff00",
}
EXIT_COLORS: dict[str, str] = {
    "technical_poc": "#fbc02d",
    "technical_pilot": "#0288d1",
    "technical_clinical": "#7b1fa2",
    "no_funding": "#616161",
    "investor_withdrawal": "#e64a19",
    "compliance_abandoned": "#795548",
    "transferred_out": "#e53935",
    "screened_out": "#9e9e9e",
}
INSTRUMENT_COLORS: dict[str, str] = {
    "milestone_grants": "#fbc02d",
    "insurance_subsidy": "#29b6f6",
    "guidance_fund": "#d81b60",
    "loan_guarantees": "#546e7a",
    "platform_subsidy": "#2e7d32",
    "cdmo_build": "#4e342e",
    "hospital_build": "#6a1b9a",
    "reimbursement_support": "#00897b",
    "enclave_build": "#00695c",
    "programme_costs": "#8d6e63",
}
_STAGE_COLUMN = {
    vocabulary.STAGE_POC: "stage_poc",
    vocabulary.STAGE_PILOT: "stage_pilot",
    vocabulary.STAGE_INDUSTRIALISATION: "stage_industrialisation",
}

#: Project stages in chain order: (data column, stage name in the model, label, colour).
STAGES: tuple[tuple[str, str, str, str], ...] = tuple(
    (_STAGE_COLUMN[s], s, vocabulary.STAGE_LABELS[s], STAGE_COLORS[s]) for s in vocabulary.STAGES
)
STAGE_LABEL = {name: label for _, name, label, _ in STAGES}
STAGE_COLOR = {label: color for _, _, label, color in STAGES}

#: Exit causes: (data column, label, colour).
EXITS: tuple[tuple[str, str, str], ...] = tuple(
    (f"exit_{c}", vocabulary.EXIT_LABELS[c], EXIT_COLORS[c]) for c in vocabulary.EXIT_CAUSES
)

#: Public money by instrument: (data column, label, colour).
PUBLIC_INSTRUMENTS: tuple[tuple[str, str, str], ...] = tuple(
    (f"public_{k}", vocabulary.PUBLIC_INSTRUMENT_LABELS[k], INSTRUMENT_COLORS[k])
    for k in vocabulary.PUBLIC_INSTRUMENTS
)

RING_COLOR = "#1565c0"
OUT_OF_REGION_COLOR = "#e53935"
PUBLIC_COLOR = "#c62828"
PRIVATE_COLOR = "#1565c0"
TRANSFER_COLOR = "#2e7d32"
WORLD_QUO_COLOR = "#78909c"

#: The two worlds of a lesson, as every part of the page names them.
WORLD_LABELS: dict[str, str] = {"policy": "Chosen policies", "quo": "Status quo"}


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
        if getattr(agent, "enclave", False):
            return "enclave"
        key = f"platform_{getattr(agent, 'tier', 0)}"
        return key if key in AGENT_KINDS else None
    return None
