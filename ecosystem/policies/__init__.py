"""The policy levers (spec §5), one module each, and the registry that knows them.

The sixteen policies of the source documents are registered here in config order. Adding a
policy is one module (a ``Policy`` subclass with its ``Params`` config block), a call to
``register`` and an ODD section: the model, its scenarios, its config validation and
``set_policy`` take registered policies from here (``policy_names()``).
"""

from __future__ import annotations

from pydantic.fields import FieldInfo

from ecosystem.policies.base import Policy
from ecosystem.policies.data_platform import DataPlatform
from ecosystem.policies.enclave_parks import EnclaveParks
from ecosystem.policies.guidance_fund import GuidanceFund
from ecosystem.policies.hospital_listing import HospitalListing
from ecosystem.policies.intermediaries import Intermediaries
from ecosystem.policies.local_cdmo import LocalCdmo
from ecosystem.policies.milestone_grants import MilestoneGrants
from ecosystem.policies.one_hour_circle import OneHourCircle
from ecosystem.policies.params import POLICY_NAMES, PoliciesParams, PolicyParams
from ecosystem.policies.pilot_insurance import Insurer, PilotInsurance
from ecosystem.policies.pilot_loans import PilotLoans
from ecosystem.policies.professor_ceo import ProfessorCeo
from ecosystem.policies.research_hospitals import ResearchHospitals
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
        ResearchHospitals,
        HospitalListing,
        Intermediaries,
        EnclaveParks,
    )
}
assert tuple(POLICY_CLASSES) == POLICY_NAMES, "policy classes and config blocks must match"

#: Plain-language names of the policies, in config order.
POLICY_LABELS: dict[str, str] = {name: cls.label for name, cls in POLICY_CLASSES.items()}

#: The scenarios of the source policies: status quo, each policy alone, all of them.
SCENARIOS: tuple[str, ...] = ("status_quo", *POLICY_NAMES, "full_chain")


#: Named policy packages (issue 17, demand-pull experiment): pushing at the lab and pilot end
#: with money, or pulling at the clinic and market end. Scenarios of experiments, not of the page.
PACKAGES: dict[str, tuple[str, ...]] = {
    "supply_side": ("milestone_grants", "pilot_insurance", "pilot_loans", "shared_platforms"),
    "demand_side": ("reverse_commissioning", "research_hospitals", "hospital_listing"),
}
#: Every scenario an experiment may sweep: the scenarios and the packages.
SWEEP_SCENARIOS: tuple[str, ...] = (*SCENARIOS, *PACKAGES)


def policy_names() -> tuple[str, ...]:
    """Every registered policy, in config order (the sixteen, then any added by ``register``)."""
    return tuple(POLICY_CLASSES)


def scenarios() -> tuple[str, ...]:
    """Every scenario: status quo, each registered policy alone, and all of them."""
    return ("status_quo", *policy_names(), "full_chain")


def scenario_overrides(name: str) -> dict[str, bool]:
    """Dotted ``enabled`` switches of a named scenario: status quo, one policy, a package, all."""
    names = policy_names()
    if name in PACKAGES:
        return {f"policies.{p}.enabled": True for p in PACKAGES[name]}
    if name not in scenarios():
        allowed = ", ".join((*scenarios(), *PACKAGES))
        raise ValueError(f"unknown scenario {name!r}; allowed: {allowed}")
    on = set(names) if name == "full_chain" else ({name} - {"status_quo"})
    return {f"policies.{p}.enabled": p in on for p in names if p in on}


def register(cls: type[Policy]) -> type[Policy]:
    """Add a policy: its class, with ``name``, ``label``, ``source`` and ``Params``.

    ``Params`` (a ``PolicyParams`` subclass) becomes the config block ``policies.<name>``, so
    configs, overrides and ``set_policy`` validate it like the sixteen. Usable as a decorator.
    """
    name = getattr(cls, "name", "")
    params = getattr(cls, "Params", None)
    if not name.isidentifier() or name in POLICY_CLASSES or name in ("status_quo", "full_chain"):
        raise ValueError(f"policy name {name!r}: must be a new identifier")
    if not (isinstance(params, type) and issubclass(params, PolicyParams)):
        raise ValueError(f"policy {name!r}: Params must be a PolicyParams subclass")
    PoliciesParams.model_fields[name] = FieldInfo(annotation=params, default_factory=params)
    POLICY_CLASSES[name] = cls
    POLICY_LABELS[name] = cls.label
    _rebuild_schema()
    return cls


def unregister(name: str) -> None:
    """Remove a policy added by ``register`` (the sixteen stay)."""
    if name in POLICY_NAMES or name not in POLICY_CLASSES:
        raise ValueError(f"{name!r} is not an added policy")
    del PoliciesParams.model_fields[name]
    del POLICY_CLASSES[name]
    del POLICY_LABELS[name]
    _rebuild_schema()


def _rebuild_schema() -> None:
    from ecosystem.params import ModelParams  # the schema holds the policy blocks

    PoliciesParams.model_rebuild(force=True)
    ModelParams.model_rebuild(force=True)


__all__ = [
    "POLICY_CLASSES",
    "POLICY_LABELS",
    "PACKAGES",
    "POLICY_NAMES",
    "SCENARIOS",
    "SWEEP_SCENARIOS",
    "Insurer",
    "PoliciesParams",
    "Policy",
    "PolicyParams",
    "policy_names",
    "register",
    "scenario_overrides",
    "scenarios",
    "unregister",
]
