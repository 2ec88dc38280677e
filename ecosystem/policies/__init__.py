"""The twelve policy levers of the source documents (spec §5), one module each."""

from ecosystem.policies.base import Policy
from ecosystem.policies.data_platform import DataPlatform
from ecosystem.policies.guidance_fund import GuidanceFund
from ecosystem.policies.local_cdmo import LocalCdmo
from ecosystem.policies.milestone_grants import MilestoneGrants
from ecosystem.policies.one_hour_circle import OneHourCircle
from ecosystem.policies.params import POLICY_NAMES, PoliciesParams
from ecosystem.policies.pilot_insurance import Insurer, PilotInsurance
from ecosystem.policies.pilot_loans import PilotLoans
from ecosystem.policies.professor_ceo import ProfessorCeo
from ecosystem.policies.reverse_commissioning import ReverseCommissioning
from ecosystem.policies.review_sync import ReviewSync
from ecosystem.policies.shared_platforms import SharedPlatforms
from ecosystem.policies.team_formation import TeamFormation

POLICY_CLASSES: dict[str, type[Policy]] = {
    cls.name: cls
    for cls in (
        ProfessorCeo,
        TeamFormation,
        MilestoneGrants,
        PilotInsurance,
        PilotLoans,
        SharedPlatforms,
        ReverseCommissioning,
        DataPlatform,
        ReviewSync,
        GuidanceFund,
        OneHourCircle,
        LocalCdmo,
    )
}
assert tuple(POLICY_CLASSES) == POLICY_NAMES, "policy classes and config blocks must match"

#: Plain-language names of the policies, in config order.
POLICY_LABELS: dict[str, str] = {name: cls.label for name, cls in POLICY_CLASSES.items()}

SCENARIOS: tuple[str, ...] = ("status_quo", *POLICY_NAMES, "full_chain")


def scenario_overrides(name: str) -> dict[str, bool]:
    """Dotted ``enabled`` switches of a named scenario: status quo, one policy, or all."""
    if name not in SCENARIOS:
        raise ValueError(f"unknown scenario {name!r}; allowed: {', '.join(SCENARIOS)}")
    on = set(POLICY_NAMES) if name == "full_chain" else ({name} - {"status_quo"})
    return {f"policies.{p}.enabled": p in on for p in POLICY_NAMES if p in on}


__all__ = [
    "POLICY_CLASSES",
    "POLICY_LABELS",
    "POLICY_NAMES",
    "SCENARIOS",
    "Insurer",
    "PoliciesParams",
    "Policy",
    "scenario_overrides",
]
