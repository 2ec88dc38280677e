"""Principal investigators and their groups (spec §3.1).

A scientist's month: maybe discover something, then decide whether to push it into proof of
concept. The push propensity falls with academic orientation because promotion counts papers,
not transfer (S0 §1.1.1); the professor-CEO scheme weakens that career penalty (S0 §2.3.1).
"""

from __future__ import annotations

from mesa.discrete_space import CellAgent


class Scientist(CellAgent):
    """A PI at an institution, with an academic orientation in [0, 1]."""

    def __init__(self, model, index: int, institution, discovery_rate: float, orientation: float):
        super().__init__(model)
        self.index = index  # stable position: keys this scientist's random streams
        self.institution = institution
        self.cell = institution.cell
        self.discovery_rate = discovery_rate
        self.academic_orientation = orientation
        self.capital = 0.0  # the inventor's royalty income (M RMB)
        self.founded_firm = False
        self.projects_pushed = 0

    def push_propensity(self) -> float:
        """Chance of taking a promising discovery to PoC rather than only publishing it."""
        rules = self.model.rules
        return rules.push_base * (1.0 - self.academic_orientation * rules.career_penalty)

    def discover(self, push_draw: float, quality: float, screen_draw: float) -> None:
        """A discovery this month: push it into proof of concept or only publish (spec §4.2).

        The scientist pushes with their propensity, and only what looks viable to them: the
        latent quality seen with noise (less with a business partner in the team).
        """
        if push_draw >= self.push_propensity():
            return
        rules = self.model.rules
        if quality + rules.screen_noise * screen_draw < self.model.params.scientists.push_threshold:
            return
        self.model.chain.consider_discovery(self, quality)

    def start_poc(self) -> None:
        """One of its discoveries entered proof of concept."""
        self.projects_pushed += 1

    def considers_founding(self, search_months: float, draw: float):
        """Without a licensee, it may found a firm this month (S0 §2.3.1); returns the firm.

        The founding probability over the whole licence search becomes a monthly hazard.
        """
        prob = self.model.rules.startup_founding_prob
        hazard = 1.0 - (1.0 - prob) ** (1.0 / search_months)
        if draw >= hazard:
            return None
        firm = self.model.found_startup(self)
        firm.founder = self
        self.founded_firm = True
        return firm
