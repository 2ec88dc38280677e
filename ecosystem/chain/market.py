"""Market entry and the payout (ODD §7.12)."""

from __future__ import annotations

from ecosystem.funding import pay_out
from ecosystem.project import MARKET, Project


def launch(chain, p: Project) -> None:
    """Market entry: hospitals adopt, investors exit and recycle proceeds (spec §4.5).

    Each hospital adopts the product with the adoption probability; cell and gene
    therapies only where the hospital can assess biotherapies (S0 §1.3.4). The asset's
    value scales with the uptake (S3, last mile); the bank is repaid first, then equity
    shares the rest pro rata — except a return-capped guidance fund, which takes its stake
    plus the cap and cedes the rest to the private funders.
    """
    market = chain.params.market
    hospitals = chain.model.hospitals
    adopters = 0
    for h in hospitals:
        if h.adopts(p.modality, market.hospital_adoption_prob, p.luck.random()):
            adopters += 1
    chain.counts["hospital_adoptions"] += adopters
    uptake = adopters / len(hospitals) / max(market.hospital_adoption_prob, 1e-9)
    years = max(0.0, (chain.model.month - p.pilot_started) / 12.0)
    pay_out(p, p.asset_value * uptake, years)
    chain.counts["ipos" if p.holder.kind == "sme" else "lead_firm_launches"] += 1
    chain.exit(p, MARKET)
