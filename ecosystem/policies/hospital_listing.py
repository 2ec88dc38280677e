"""Hospital listing and reimbursement support (S3, "支持药械入院应用").

S3: entering the medical-insurance list is only the first step; the "last mile" is getting
innovative products into hospitals, listed "应配尽配" (whatever should be listed is listed),
under DRG/DIP payment that discourages expensive new drugs; insurance should pay more for
innovative products. The policy changes the rules hospitals decide under (``Hospital.would_list``,
``chain.market``): every drug committee considers new products every month, insurance pays
a share of a listed innovative product's price outside the DRG/DIP group payment (the
hospital bears less of it; public money per patient), and the list allows a higher price.
"""

from ecosystem.policies.base import Policy


class HospitalListing(Policy):
    """Listing rules and insurance payment support for innovative products."""

    name = "hospital_listing"
    label = "Hospital listing"
    source = "S3"

    def apply(self, rules, model) -> None:  # noqa: D102
        rules.formulary_review_prob = self.params.reviews_per_year / 12.0
        rules.drg_carve_out = self.params.drg_carve_out
        rules.price_uplift = self.params.price_uplift
