"""Professor-CEO scheme (S0 §2.3.1, §1.1.1).

Scientists may found firms and keep their post, and promotion counts transfer: the career
penalty that academic orientation puts on pushing a discovery falls, and a scientist without a
licensee founds a startup more often.
"""

from ecosystem.policies.base import Policy


class ProfessorCeo(Policy):
    """Lower career cost of transfer; founders keep their post."""

    name = "professor_ceo"
    label = "Professor-CEO"
    source = "S0 §2.3.1, §1.1.1"

    def apply(self, rules, model) -> None:  # noqa: D102
        rules.career_penalty = self.params.career_penalty
        rules.startup_founding_prob = self.params.startup_founding_prob
        rules.founders_keep_post = True
