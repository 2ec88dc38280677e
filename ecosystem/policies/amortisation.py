"""A policy's one-off build cost, booked as public money exactly once.

A policy that builds something (a CDMO, an enclave base, research wards) pays for it once. The
cost is booked in equal monthly parts over its amortisation period, counted from the month the
build comes into force, so a policy introduced late in a run counts the share of its cost that
falls in the run; the parts stop when they add up to the cost. A build closed before it is paid
off books the rest in the month it closes: it was built, and closing it returns no money. A
policy switched on again reuses what it built and books nothing more for it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class Amortisation:
    """The schedule of one build: ``cost`` (M RMB) booked through ``instrument`` over ``months``.

    Cost and period are fixed when the build is made, so later parameter changes do not
    re-price what already stands.
    """

    instrument: str
    cost: float
    months: float
    months_booked: int = 0

    @property
    def per_month(self) -> float:
        """One month's part of the cost."""
        return self.cost / self.months

    @property
    def paid_off(self) -> bool:
        """Whether the whole cost is booked."""
        return self.months_booked >= self.months

    def book_month(self, government) -> None:
        """Book this month's part; the last part of a fractional period is that fraction."""
        if self.paid_off:
            return
        left = self.months - self.months_booked
        amount = self.per_month if left >= 1.0 else self.per_month * left
        government.pay_subsidy(self.instrument, amount)
        self.months_booked += 1

    def write_off(self, government) -> None:
        """Book at once what is not yet booked (the build closes before it is paid off)."""
        if self.paid_off:
            return
        government.pay_subsidy(self.instrument, self.per_month * (self.months - self.months_booked))
        self.months_booked = math.ceil(self.months)
