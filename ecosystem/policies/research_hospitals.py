"""Research hospitals: trial capacity where the clinic is the bottleneck (S4 §1(三), S3, S0 §1).

S4 §1(三): of China's 1,075 clinical-trial institutions fewer than half can really run trials;
the city should build research hospitals able to run phase I. S3 ("强化临床资源赋能"): move
leading hospitals towards research hospitals. S0 §1.3.4: 83% of hospitals cannot assess
biotherapies. Switching the policy on upgrades ``hospitals`` hospitals — first those lacking
phase I or biotherapy capability, in the order they were placed — with extra trial slots,
phase I capability and a biotherapy assessment system. Each hospital's construction subsidy is
booked once (``ecosystem.policies.amortisation``): in equal monthly parts over its amortisation
period from the month its upgrade opens, the rest at once if the policy is switched off
earlier. Switching off takes the added capacity back (trials under way finish); switching on
again re-opens the wards already built at no further cost, and builds (and books) only wards in
hospitals not upgraded before.
"""

from ecosystem.policies.amortisation import Amortisation
from ecosystem.policies.base import Policy


class ResearchHospitals(Policy):
    """Upgraded hospitals with more trial slots, phase I and biotherapy assessment."""

    name = "research_hospitals"
    label = "Research hospitals"
    source = "S4 §1(三), S3, S0 §1.3.4"

    def __init__(self, params) -> None:
        super().__init__(params)
        self.upgraded: list[tuple[object, int, bool, bool]] = []  # hospital, slots, phase I, bio
        self.built: set[int] = set()  # hospitals (unique ids) whose research ward was built
        self.builds: list[Amortisation] = []  # construction subsidies, one per batch built

    def on_enable(self, model) -> None:  # noqa: D102
        hospitals = list(model.hospitals)
        lacking = [h for h in hospitals if not (h.runs_phase1 and h.assesses_biotherapy)]
        chosen = (lacking + [h for h in hospitals if h not in lacking])[: self.params.hospitals]
        for h in chosen:
            self.upgraded.append((h, h.trial_slots, h.runs_phase1, h.assesses_biotherapy))
            h.trial_slots += self.params.extra_trial_slots
            h.runs_phase1 = True
            h.assesses_biotherapy = True
        new = [h for h in chosen if h.unique_id not in self.built]
        if new:
            self.built.update(h.unique_id for h in new)
            cost = self.params.build_cost_mrmb_per_hospital * len(new)
            months = self.params.amortisation_years * 12.0
            self.builds.append(Amortisation("hospital_build", cost, months))

    def monthly(self, model) -> None:  # noqa: D102
        for build in self.builds:
            build.book_month(model.government)

    def on_disable(self, model) -> None:  # noqa: D102
        for h, slots, phase1, bio in self.upgraded:
            h.trial_slots, h.runs_phase1, h.assesses_biotherapy = slots, phase1, bio
        self.upgraded = []
        for build in self.builds:
            build.write_off(model.government)
