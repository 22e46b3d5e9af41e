"""Resource consistency: ore tonnage x grade must match the contained rare earths claimed."""

from __future__ import annotations

from kazree.data.checks.base import Records, file_of, rows_of
from kazree.data.problems import Problem, Severity
from kazree.data.rows import ClaimBasis, Deposit, ResourceClass
from kazree.data.schema import Confidence

CONSISTENCY_FACTOR = 2.0
"""Claimed and computed contained tonnage may differ by this factor (oxide vs metal basis,
rounding, cut-off) before the claim is called inconsistent."""

WEAK = frozenset({Confidence.LOW, Confidence.NONE})
"""Confidence levels at which an inconsistent claim is kept as a visible warning, not an error."""


def grade_fraction(deposit: Deposit) -> float | None:
    """Grade as a mass fraction of ore (``grade_g_per_t`` wins over ``grade_pct_treo``)."""
    if deposit.grade_g_per_t is not None:
        return deposit.grade_g_per_t / 1e6
    if deposit.grade_pct_treo is not None:
        return deposit.grade_pct_treo / 100.0
    return None


def implied_contained_t(deposit: Deposit) -> float | None:
    """``ore_t`` x grade, t; ``None`` unless both are given."""
    grade = grade_fraction(deposit)
    if deposit.ore_t is None or grade is None:
        return None
    return deposit.ore_t * grade


def _consistency(line: int, deposit: Deposit) -> list[Problem]:
    implied = implied_contained_t(deposit)
    claimed = deposit.contained_reo_t
    if implied is None or claimed is None:
        return []
    ratio = max(implied, claimed) / max(min(implied, claimed), 1e-9)
    if ratio <= CONSISTENCY_FACTOR:
        return []
    grade = grade_fraction(deposit) or 0.0
    message = (
        f"{deposit.id}: ore_t x grade = {deposit.ore_t:,.0f} t x {grade * 1e6:,.0f} g/t "
        f"= {implied:,.0f} t, but contained_reo_t claims {claimed:,.0f} t ({ratio:,.0f}x apart; "
        f"allowed: within a factor {CONSISTENCY_FACTOR:g})"
    )
    severity = Severity.WARNING if deposit.confidence in WEAK else Severity.ERROR
    return [Problem(file_of("deposits"), line, "contained_reo_t", message, severity)]


def _unreported(line: int, deposit: Deposit) -> list[Problem]:
    if deposit.claim_basis is not ClaimBasis.NONE or deposit.contained_reo_t is None:
        return []
    message = (
        f"{deposit.id}: {deposit.contained_reo_t:,.0f} t claimed without a reporting code "
        "(allowed without warning: JORC, NI 43-101 or GKZ)"
    )
    return [Problem(file_of("deposits"), line, "claim_basis", message, Severity.WARNING)]


CODED_CLASSES = frozenset(
    {ResourceClass.RESERVE, ResourceClass.MEASURED_INDICATED, ResourceClass.INFERRED}
)
"""Resource classes that exist only under a reporting code (JORC, NI 43-101, GKZ)."""


def _uncoded_class(line: int, deposit: Deposit) -> list[Problem]:
    if deposit.claim_basis is not ClaimBasis.NONE or deposit.resource_class not in CODED_CLASSES:
        return []
    message = (
        f"{deposit.id}: {deposit.resource_class.value!r} needs a reporting code but claim_basis "
        "is 'none' (allowed: prognostic, historic or unknown without a code)"
    )
    return [Problem(file_of("deposits"), line, "resource_class", message)]


def check_resources(records: Records) -> list[Problem]:
    """Inconsistent tonnage x grade claims, contained tonnages reported under no code, and
    reserve or resource classes claimed without one.

    An inconsistent claim is an error, unless its row is already marked ``low`` or ``none``
    confidence: then it is a warning, so that a known-weak claim stays visible in the data.
    """
    problems = []
    for line, deposit in rows_of(records, "deposits", Deposit):
        problems += _consistency(line, deposit) + _unreported(line, deposit)
        problems += _uncoded_class(line, deposit)
    return problems
