"""Money accounts: every yuan of public money by instrument, private money by payer kind.

Public instruments (spec §5, issue: public money per additional transfer): PoC milestone
grants, insurance premium subsidies, guidance-fund investments, loan guarantees paid on
default, shared-platform operating subsidies, local CDMO build subsidies, research-hospital
construction, insurance payments for listed products outside DRG/DIP and the city's share of
building an enclave park's lines. Amounts in M RMB.
"""

from __future__ import annotations

from collections import Counter

from ecosystem.vocabulary import INSURER_CLAIMS, PRIVATE_PAYERS, PUBLIC_INSTRUMENTS

__all__ = ["PRIVATE_PAYERS", "PUBLIC_INSTRUMENTS", "Ledger"]


class Ledger:
    """Cumulative spending, split public (by instrument) and private (by payer kind)."""

    def __init__(self) -> None:
        self.public: Counter[str] = Counter({k: 0.0 for k in PUBLIC_INSTRUMENTS})
        self.private: Counter[str] = Counter({k: 0.0 for k in PRIVATE_PAYERS})
        self.premiums = 0.0  # insurance premiums collected (firm + subsidy)
        self.claims = 0.0  # insurance claims paid
        self.recoveries = 0.0  # public money back: the guidance fund's exit proceeds
        self.net_public_pv = 0.0  # net public cost discounted to month 0
        self._net_booked = 0.0  # net public cost already discounted

    def recover(self, amount: float) -> None:
        """Record public money coming back (a public fund's share of an exit)."""
        self.recoveries += amount

    @property
    def net_public(self) -> float:
        """Public money spent minus public money recovered (undiscounted)."""
        return self.public_total - self.recoveries

    def close_month(self, month: int, rate: float) -> None:
        """Discount this month's net public cost to month 0 at the public ``rate``."""
        net = self.net_public
        self.net_public_pv += (net - self._net_booked) * (1.0 + rate) ** (-month / 12.0)
        self._net_booked = net

    def pay_public(self, instrument: str, amount: float) -> None:
        """Record public money spent through ``instrument``."""
        if instrument not in self.public:
            raise KeyError(f"unknown public instrument {instrument!r}")
        self.public[instrument] += amount

    def pay_private(self, payer: str, amount: float) -> None:
        """Record private money spent by a payer kind."""
        if payer not in self.private:
            raise KeyError(f"unknown private payer {payer!r}")
        self.private[payer] += amount

    @property
    def public_total(self) -> float:
        """All public money spent so far."""
        return float(sum(self.public.values()))

    @property
    def private_total(self) -> float:
        """All private money spent so far (insurer's claims are a transfer, not counted)."""
        return float(sum(v for k, v in self.private.items() if k != INSURER_CLAIMS))
