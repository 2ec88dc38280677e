"""What the hospitals' market will buy: products, their cost to a hospital, the outlook (ODD §7.12).

Funders anticipate the market: the value they see in a project is its asset value times the
outlook — the share of the region's hospitals that would list its product under this month's
rules and budgets, set against the reference share the asset value assumes, times the price
the reimbursement rules allow. Used at the pilot's financing (``funding.pilot_terms``) and for
the exit price at launch (``chain.market.launch``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ecosystem.project import Project


@dataclass(eq=False)
class Product:
    """A product on the market in the region: who sells it, how good it is, until when."""

    holder: object
    institution: object
    inventor: object
    modality: str
    benefit: float  # clinical benefit hospitals weigh against its price (latent quality)
    peak_per_month: float  # M RMB a month at peak, with the reference share of hospitals listing
    launched: int  # month of launch
    expires: int  # month the patent ends and generics take the market
    listed_by: int = 0  # hospitals listing it now


def peak_per_month(eco, asset_value: float) -> float:
    """Monthly sales at peak with the reference share of hospitals listing."""
    return eco.peak_sales_per_value * asset_value / 12.0


def yearly_cost_per_hospital(model, prod: Product) -> float:
    """A listed product's yearly cost at one hospital at peak, at the negotiated price."""
    listing = model.params.market.reference_listing_share * len(model.hospitals)
    return 12.0 * prod.peak_per_month / max(listing, 1e-9)


def outlook(model, modality: str, benefit: float, peak: float) -> float:
    """Sales expected ÷ sales the asset value assumes: hospitals that would list it, and price.

    Every hospital is asked now, under this month's rules and its budget left; the share that
    would list the product is set against ``market.reference_listing_share``.
    """
    hospitals = model.hospitals
    rules = model.rules
    index = rules.price_index
    probe = Product(None, None, None, modality, benefit, peak, model.month, model.month)
    cost = yearly_cost_per_hospital(model, probe)

    def cost_of(prod: Product) -> float:
        return yearly_cost_per_hospital(model, prod)

    willing = sum(
        h.would_list(modality, benefit, cost, index, h.budget_left(index, cost_of))
        for h in hospitals
    )
    share = willing / len(hospitals)
    return share / model.params.market.reference_listing_share * (1.0 + rules.price_uplift)


def project_outlook(model, p: Project, proven: bool = False) -> float:
    """The market outlook of a project's product today.

    Before its trials (``proven`` False) funders see the benefit they expect of any product,
    ``market.expected_benefit``; at launch the trials have shown its own (latent quality).
    """
    eco = model.params.economics
    benefit = p.quality if proven else model.params.market.expected_benefit
    return outlook(model, p.modality, benefit, peak_per_month(eco, p.asset_value))
