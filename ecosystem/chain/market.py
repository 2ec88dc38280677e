"""Market entry: the exit decision, the payout, hospitals' listings and sales (ODD §7.12).

After approval a product sells only through the hospitals that list it (S3: entering the
insurance list is the first step, getting into hospitals the "last mile"). Each month every
hospital whose drug committee meets considers the products it does not list yet and lists
those it can assess (S0 §1.3.4), whose clinical benefit is worth what it bears per patient
under DRG/DIP payment, and whose yearly cost fits the room its budget has left
(``Hospital.would_list``). The reimbursement rules set the price (``Rules.price_uplift``) and
the share insurance pays outside DRG/DIP (``Rules.drg_carve_out``, public money).

Funders anticipate that market: the exit price, and the value funders see when they decide
on a pilot (``ecosystem.funding.pilot_terms``), is the asset's value scaled by the market
outlook — the share of hospitals that would list the product under this month's rules and
budgets, against the reference share the asset value assumes, times the allowed price. The
exit is a decision: a lead firm holder buys out its co-investors and sells the product
itself; a small firm is bought by a lead firm that can pay, lists if the price clears the
listing bar, or licenses the product out of region. A product kept in the region earns sales
on a ramp to its peak, in proportion to the hospitals listing it, eroded by competition and
ending at patent expiry; the holder pays royalties to the inventor's institution.
"""

from __future__ import annotations

from ecosystem.demand import Product, peak_per_month, project_outlook, yearly_cost_per_hospital
from ecosystem.funding import pay_out
from ecosystem.project import MARKET, Project

__all__ = ["EXIT_ROUTES", "Product", "launch", "list_products", "monthly_sales", "sell"]

#: Counters of the exit routes.
EXIT_ROUTES: tuple[str, ...] = ("lead_firm_launches", "sme_acquired", "ipos", "licensed_out")


def launch(chain, p: Project) -> None:
    """The exit route is chosen at the anticipated market, funders are paid, the product sells."""
    model = chain.model
    years = max(0.0, (model.month - p.pilot_started) / 12.0)
    price = p.asset_value * project_outlook(model, p, proven=True)
    route, payer = exit_route(chain, p, price)
    chain.counts[route] += 1
    if route == "sme_acquired":
        p.holder.let_go()
        p.holder = payer
        payer.take_on()
    pay_out(p, price, years, payer)
    if route != "licensed_out":
        chain.products.append(product(chain, p))
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


def product(chain, p: Project) -> Product:
    """The product: its benefit, its peak from its value, its life to the patent's end.

    The patent was filed when the PoC started (the discovery month) and is compensated for
    the marketing review, counted from the approval (:mod:`ecosystem.patents`); production
    set-up after the approval uses up part of the term.
    """
    eco = chain.params.economics
    launched = chain.model.month
    approved = p.approved or launched
    years = chain.model.patent.sales_years((approved - p.discovered) / 12.0)
    expires = approved + round(years * 12)
    return Product(
        p.holder, p.scientist.institution, p.scientist, p.modality, p.quality,
        peak_per_month(eco, p.asset_value), launched, expires,
    )


def monthly_sales(months_on_market: float, peak: float, ramp_years: float, hazard: float) -> float:
    """Sales this month: a linear ramp to the peak, eroded by the yearly competition hazard."""
    years = months_on_market / 12.0
    return peak * min(1.0, years / ramp_years) * (1.0 - hazard) ** years


def list_products(chain) -> None:
    """Hospitals whose drug committee meets this month consider the products they lack.

    One draw per hospital and product on the market, from the ``listing`` stream.
    """
    model = chain.model
    rules = model.rules
    index = rules.price_index
    draws = model.streams.stream("listing")

    def cost_of(prod: Product) -> float:
        return yearly_cost_per_hospital(model, prod)

    for prod in chain.products:
        cost = cost_of(prod)
        meets = draws.random(len(model.hospitals)) < rules.formulary_review_prob
        for h, meeting in zip(model.hospitals, meets, strict=True):
            if not meeting or prod in h.listed:
                continue
            room = h.budget_left(index, cost_of)
            if h.would_list(prod.modality, prod.benefit, cost, index, room):
                h.listed.append(prod)
                prod.listed_by += 1
                chain.counts["hospital_adoptions"] += 1


def sell(chain) -> None:
    """A month of sales through the listing hospitals; royalties flow back to the lab.

    Sales are the product's ramp and erosion × listing hospitals ÷ the reference number ×
    the allowed price; insurance pays ``drg_carve_out`` of them outside DRG/DIP (public
    money, ``reimbursement_support``), buyers outside the accounts the rest.
    """
    model = chain.model
    book = model.book
    eco = chain.params.economics
    rules = model.rules
    listing = chain.params.market.reference_listing_share * len(model.hospitals)
    keep = []
    for prod in chain.products:
        if model.month >= prod.expires:
            for h in model.hospitals:
                h.delist(prod)
            continue
        keep.append(prod)
    chain.products = keep
    list_products(chain)
    for prod in chain.products:
        base = monthly_sales(
            model.month - prod.launched, prod.peak_per_month, eco.sales_ramp_years,
            eco.competition_hazard,
        )
        sales = base * prod.listed_by / max(listing, 1e-9) * (1.0 + rules.price_uplift)
        public = sales * rules.drg_carve_out
        if public > 0:
            model.government.pay_subsidy("reimbursement_support", public, payee=prod.holder)
        book.transfer(book.outside, prod.holder, sales - public, "product_sales")
        royalty = min(sales * eco.royalty_rate, max(0.0, prod.holder.capital))
        book.transfer(prod.holder, prod.institution, royalty, "royalties")
        book.transfer(
            prod.institution, prod.inventor, royalty * eco.inventor_share_of_royalty,
            "inventor_royalties",
        )
