"""Market entry: the exit decision, the payout, and sales that flow back (ODD §7.12).

At launch hospitals adopt (cell and gene therapies only where they can assess biotherapies,
S0 §1.3.4) and the exit price is the asset's value scaled by the uptake (S3, last mile). The
exit is a decision, not a label: a lead firm holder buys out its co-investors and sells the
product itself; a small firm is bought by a lead firm that can pay, lists if the price clears
the listing bar, or licenses the product out of region. The payer (the buyer, or the outside
market) pays the bank first, then equity. A product kept in the region earns sales on a ramp
to its peak, eroded by competition and ending at patent expiry; the holder pays royalties to
the inventor's institution, which passes a share to the inventor.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecosystem.funding import pay_out
from ecosystem.project import MARKET, Project

#: Counters of the exit routes.
EXIT_ROUTES: tuple[str, ...] = ("lead_firm_launches", "sme_acquired", "ipos", "licensed_out")


@dataclass
class Product:
    """A product on the market in the region: who sells it and until when."""

    holder: object
    institution: object
    inventor: object
    peak_per_month: float  # M RMB of sales per month at peak
    launched: int  # month of launch
    expires: int  # month the patent ends and generics take the market


def launch(chain, p: Project) -> None:
    """Hospitals adopt, the exit route is chosen, funders are paid, the product sells."""
    model = chain.model
    market = chain.params.market
    hospitals = model.hospitals
    adopters = 0
    for h in hospitals:
        if h.adopts(p.modality, market.hospital_adoption_prob, p.luck.random()):
            adopters += 1
    chain.counts["hospital_adoptions"] += adopters
    uptake = adopters / len(hospitals) / max(market.hospital_adoption_prob, 1e-9)
    years = max(0.0, (model.month - p.pilot_started) / 12.0)
    price = p.asset_value * uptake
    route, payer = exit_route(chain, p, price)
    chain.counts[route] += 1
    if route == "sme_acquired":
        p.holder.let_go()
        p.holder = payer
        payer.take_on()
    pay_out(p, price, years, payer)
    if route != "licensed_out":
        chain.products.append(product(chain, p, uptake))
    chain.exit(p, MARKET)


def exit_route(chain, p: Project, price: float) -> tuple[str, object]:
    """Who pays the exit price: the holder, an acquirer, the stock market or a licensee."""
    model = chain.model
    holder = p.holder
    if holder.kind == "lead_firm" and holder.capital >= price:
        return "lead_firm_launches", holder
    if holder.kind != "lead_firm" and model.lead_firms:
        buyer = model.lead_firms[int(p.luck.integers(len(model.lead_firms)))]
        if buyer.capital >= price and buyer.accepts_acquisition(holder, 1.0, p.luck.random()):
            return "sme_acquired", buyer
    if price >= chain.params.economics.listing_min_mrmb:
        return "ipos", model.book.outside
    return "licensed_out", model.book.outside


def product(chain, p: Project, uptake: float) -> Product:
    """The product's sales: peak from its value and uptake, life to the patent's end."""
    eco = chain.params.economics
    peak = eco.peak_sales_per_value * p.asset_value * uptake / 12.0
    expires = p.discovered + int(eco.patent_years * 12)
    return Product(
        p.holder, p.scientist.institution, p.scientist, peak, chain.model.month, expires
    )


def monthly_sales(months_on_market: float, peak: float, ramp_years: float, hazard: float) -> float:
    """Sales this month: a linear ramp to the peak, eroded by the yearly competition hazard."""
    years = months_on_market / 12.0
    return peak * min(1.0, years / ramp_years) * (1.0 - hazard) ** years


def sell(chain) -> None:
    """A month of sales for every product in the region; royalties flow back to the lab."""
    model = chain.model
    book = model.book
    eco = chain.params.economics
    keep = []
    for prod in chain.products:
        if model.month >= prod.expires:
            continue
        keep.append(prod)
        sales = monthly_sales(
            model.month - prod.launched, prod.peak_per_month, eco.sales_ramp_years,
            eco.competition_hazard,
        )
        book.transfer(book.outside, prod.holder, sales, "product_sales")
        royalty = min(sales * eco.royalty_rate, max(0.0, prod.holder.capital))
        book.transfer(prod.holder, prod.institution, royalty, "royalties")
        book.transfer(
            prod.institution, prod.inventor, royalty * eco.inventor_share_of_royalty,
            "inventor_royalties",
        )
    chain.products = keep
