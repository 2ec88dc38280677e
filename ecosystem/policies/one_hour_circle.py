"""The one-hour circle around the science city (S0 §2.3.3).

Inside a circle of ``circle_minutes`` travel time, transport improvements raise travel speed
and matchmaking services widen the reach of collaboration: hand-offs cost days, not months,
and partners inside the circle find each other more often.
"""

from ecosystem.policies.base import Policy


class OneHourCircle(Policy):
    """Faster transit and denser collaboration inside the circle."""

    name = "one_hour_circle"
    label = "One-hour circle"
    source = "S0 §2.3.3"

    def apply(self, rules, model) -> None:  # noqa: D102
        rules.circle_minutes = self.params.circle_minutes
        rules.circle_transit_speed_kmh = self.params.transit_speed_kmh
        rules.circle_tau_minutes = self.params.circle_tau_minutes
        rules.circle_handoff_base_months = self.params.handoff_base_months
