"""Non-profit intermediaries for industry–university–research matching (S4 §3–§4).

S4 §3: only 9.31% of Suzhou Industrial Park's biomedical patent applications (70 of 752,
2018–2021) were joint applications; an information platform should end the information
asymmetry between firms, universities and institutes. S4 §4: non-profit intermediaries as
liaison, with product fairs and matching events. The policy changes how a PoC result looks
for a licensee (``chain.licensing.find_licensee``): the intermediary offers it to more firms a
month, and closes part of the distance gap in whether a firm finds and trusts the lab.
"""

from ecosystem.policies.base import Policy


class Intermediaries(Policy):
    """Matching services between labs and firms."""

    name = "intermediaries"
    label = "Intermediaries"
    source = "S4 §3–§4"

    def apply(self, rules, model) -> None:  # noqa: D102
        rules.extra_licensee_candidates = self.params.extra_candidates
        rules.match_acceptance_gain = self.params.reach_gain
