"""AI + full-chain feedback data platform (S0 §2.1, spec §4.6).

Failures at pilot and industrialisation are recorded; the platform feeds them back to PoC
design, so the scale-up retention and compliance readiness of projects designed later improve
with the knowledge recorded, up to a ceiling.
"""

from ecosystem.policies.base import Policy


class DataPlatform(Policy):
    """Learning from recorded failures."""

    name = "data_platform"
    label = "Data platform"
    source = "S0 §2.1"

    def apply(self, rules, model) -> None:  # noqa: D102
        rules.feedback_platform = True
        rules.learning_per_failure = self.params.learning_per_failure
        rules.max_learning_gain = self.params.max_gain
