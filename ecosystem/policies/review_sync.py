"""R&D and review in sync (S0 §2.3.1, S3).

GMP inspection from the preclinical stage closes part of the GLP→GMP compliance gap (fewer
major changes, so fewer re-approvals) and shortens the re-approvals that remain
(``reapproval_months_cut``); the pre-review of Phase III starts 6 months early
(``pre_review_months``) and registration runs beside Phase III through a regional NMPA
branch (no regional lag); IND review takes 30 working days.
"""

from ecosystem.policies.base import Policy


class ReviewSync(Policy):
    """Parallel, earlier regulatory review."""

    name = "review_sync"
    label = "Review in sync"
    source = "S0 §2.3.1, S3"

    def apply(self, rules, model) -> None:  # noqa: D102
        rules.readiness_gain = self.params.readiness_gain
        rules.reapproval_months_cut = self.params.reapproval_months_cut
        rules.parallel_review = self.params.parallel_review
        rules.pre_review_months = self.params.pre_review_months
        rules.fast_track_ind = True
