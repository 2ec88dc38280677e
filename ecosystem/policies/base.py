"""What every policy object is: a named set of rule changes, maybe with facilities or agents.

After Covasim's interventions: one class per policy, its own parameters, applied by the model
at the start of each month. ``apply`` edits the month's rules; ``on_enable``/``on_disable``
build or close what the policy brings into being (an insurer's book, local CDMO lines).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from ecosystem.rules import Rules


class Policy:
    """Base class; subclasses set ``name``, ``label``, ``source`` and override what they change."""

    name: ClassVar[str]
    label: ClassVar[str]  # plain-language name for the page and the figures
    source: ClassVar[str]

    def __init__(self, params: Any) -> None:
        self.params = params

    def status_quo(self, rules: Rules) -> None:
        """State how things stand without the policy (called every month, on or off)."""

    def apply(self, rules: Rules, model) -> None:
        """Change this month's rules (called every month while enabled)."""

    def on_enable(self, model) -> None:
        """Build what the policy brings (called when it becomes active)."""

    def on_disable(self, model) -> None:
        """Close what the policy brought (called when it is switched off)."""

    def monthly(self, model) -> None:
        """Spend what the policy spends each month while enabled."""
