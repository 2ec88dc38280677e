"""How long a product sells after approval: the patent term, with compensation for new drugs.

A patent is filed when the PoC starts and runs ``years`` (20). Since the Patent Law of the PRC
(2020 amendment, in force 1 June 2021), Art. 42(3), a new drug's patent is compensated for the
time its marketing review took: at most 5 years, and the effective term after approval at most
14 years; the Implementing Regulations (2023 revision) set the compensation to the time from
filing to approval minus 5 years, for a patent still in force at the approval. Without it a
drug approved 17–18 years after filing (this model's median) would sell for 2–3 years; with
it, for 6–7 (production set-up after the approval uses part of the term).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PatentTerm:
    """A patent's term and its compensation rule (years); hashable, so valuations can cache it."""

    years: float = 20.0
    compensation_max_years: float = 5.0
    compensation_after_years: float = 5.0
    max_years_after_approval: float = 14.0

    def sales_years(self, years_to_approval: float) -> float:
        """Years the patent runs after an approval ``years_to_approval`` after filing.

        Compensation never shortens a term: a drug approved early keeps its whole term even
        beyond 14 years after approval. Only a patent still in force can be compensated: one
        that expired before the approval gives nothing.
        """
        left = self.years - years_to_approval
        if left <= 0:
            return 0.0
        compensation = min(
            self.compensation_max_years,
            max(0.0, years_to_approval - self.compensation_after_years),
        )
        compensated = min(left + compensation, self.max_years_after_approval)
        return max(0.0, left, compensated)


def patent_term(economics) -> PatentTerm:
    """The term the economics parameters describe."""
    return PatentTerm(
        economics.patent_years,
        economics.patent_compensation_max_years,
        economics.patent_compensation_after_years,
        economics.patent_max_years_after_approval,
    )
