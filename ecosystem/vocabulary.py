"""The model's words, declared once: stages, exit causes, money instruments and payers.

Metrics, the run summary, the analysis figures and the visual page take these names (and their
plain-language labels) from here; colours stay with the page.
"""

from __future__ import annotations

STAGE_POC = "proof_of_concept"
STAGE_PILOT = "pilot"
STAGE_INDUSTRIALISATION = "industrialisation"
#: Stages of the chain in order (spec §4), with their labels.
STAGE_LABELS: dict[str, str] = {
    STAGE_POC: "Proof of concept",
    STAGE_PILOT: "Pilot",
    STAGE_INDUSTRIALISATION: "Industrialisation",
}
STAGES: tuple[str, ...] = tuple(STAGE_LABELS)

#: Modalities (``ecosystem.params.MODALITIES``) in plain words, for the page's event ticker.
MODALITY_LABELS: dict[str, str] = {
    "antibody": "antibody",
    "cell_therapy": "cell therapy",
    "mrna_vaccine": "mRNA vaccine",
    "small_molecule": "small-molecule drug",
    "gene_therapy": "gene therapy",
}

#: The successful end of a project: it reached the market.
MARKET = "market"

#: The gates a project passes on its way to market, in order, with their labels (ODD §7);
#: each has a cumulative counter in the chain (``GATE_COUNTERS``) and a month in
#: ``Project.gates``. A commissioned project has its licence from the start: it passes the
#: licence gate with its PoC.
GATE_LABELS: dict[str, str] = {
    "poc": "PoC completed",
    "licence": "Licensed (or start-up)",
    "pilot": "Pilot passed",
    "clinical": "Clinical entry (IND)",
    "approval": "Market approval",
    MARKET: "Market entry",
}
GATES: tuple[str, ...] = tuple(GATE_LABELS)
GATE_COUNTERS: dict[str, str] = {
    "poc": "successful_pocs",
    "licence": "licences",
    "pilot": "pilots_passed",
    "clinical": "clinical_entries",
    "approval": "approvals",
    MARKET: "transfers",
}

#: Why projects stop before the market (spec §4), with their labels.
EXIT_LABELS: dict[str, str] = {
    "technical_poc": "PoC failed",
    "technical_pilot": "Pilot failed",
    "technical_clinical": "Trials failed",
    "no_funding": "No funding",
    "investor_withdrawal": "Investor left",
    "compliance_abandoned": "Compliance",
    "transferred_out": "Moved away",
    "screened_out": "Screened out",  # stopped by a feasibility pre-assessment (S0 §2.1)
}
EXIT_CAUSES: tuple[str, ...] = tuple(EXIT_LABELS)
#: Exits of the valley of death: projects that died for want of money.
VALLEY_OF_DEATH: tuple[str, ...] = ("no_funding", "investor_withdrawal")

#: Public money by instrument (spec §5), labelled by the policy that spends it, so the page,
#: the figures and the policy switches use the same words.
PUBLIC_INSTRUMENT_LABELS: dict[str, str] = {
    "milestone_grants": "Milestone grants",
    "insurance_subsidy": "Pilot insurance",
    "guidance_fund": "Guidance fund",
    "loan_guarantees": "Pilot loans",
    "platform_subsidy": "Shared platforms",
    "cdmo_build": "Local CDMO",
    "hospital_build": "Research hospitals",
    "reimbursement_support": "Hospital listing",
    "enclave_build": "Enclave parks",
    "programme_costs": "Running costs",
}
PUBLIC_INSTRUMENTS: tuple[str, ...] = tuple(PUBLIC_INSTRUMENT_LABELS)

#: Private money by payer kind; the insurer's claims are a transfer, not new spending.
PRIVATE_PAYERS: tuple[str, ...] = ("firm", "vc", "bank", "institution", "insurer_claims")
INSURER_CLAIMS = "insurer_claims"
