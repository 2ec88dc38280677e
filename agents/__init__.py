"""The agent kinds of the science-city ecosystem (spec §3), one module each.

Each actor decides with its own state; every funder shares ``Funder``.
"""

from agents.enterprise import Enterprise
from agents.funder import Funder
from agents.government import Government
from agents.hospital import Hospital
from agents.institution import Institution
from agents.investor import Investor
from agents.platform import PilotPlatform
from agents.scientist import Scientist

__all__ = [
    "Enterprise",
    "Funder",
    "Government",
    "Hospital",
    "Institution",
    "Investor",
    "PilotPlatform",
    "Scientist",
]
