"""How the capital stack and the offtakes move a project's returns and debt cover."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from kazree.data.rows import InstrumentKind, InstrumentTerm
from kazree.roadmap.finance.cashflow import FinanceCase, cash_flows
from kazree.roadmap.finance.offtake import OfftakeBook
from kazree.roadmap.finance.stack import Debt, ResolvedStack

COLUMNS = ("case", "offtakes", "equity_irr", "min_dscr", "min_llcr", "npv_musd")


def all_equity(stack: ResolvedStack) -> ResolvedStack:
    """The project paid for by its sponsors alone."""
    return ResolvedStack("all equity", (), 0.0, 0.0, ())


def commercial_only(stack: ResolvedStack, commercial: InstrumentTerm) -> ResolvedStack:
    """The same gearing as ``stack`` but every debt on commercial terms, repaid as its first
    debt is, and no grant."""
    share = sum(d.share for d in stack.debts)
    if share == 0:
        return replace(stack, name="commercial debt only", grant_share=0.0)
    debt = Debt(
        commercial.institution,
        share,
        (commercial.rate_pct or 0.0) / 100,
        int(commercial.tenor_years or 1),
        int(commercial.grace_years or 0),
        stack.debts[0].repayment,
    )
    return replace(
        stack,
        name="commercial debt only",
        debts=(debt,),
        grant_share=0.0,
        sources=tuple(commercial.source_ids),
    )


def bankability(
    case: FinanceCase, terms: dict[InstrumentKind, list[InstrumentTerm]]
) -> pd.DataFrame:
    """Equity IRR, minimum DSCR and LLCR of the stack against all-equity and commercial-only
    financing, each with and without the offtakes."""
    stacks = [all_equity(case.stack)]
    commercial = terms.get(InstrumentKind.COMMERCIAL_DEBT, [])
    if commercial and case.stack.debts:
        benchmark = commercial_only(case.stack, commercial[0])
        if (benchmark.debts, benchmark.grant_share) != (case.stack.debts, case.stack.grant_share):
            stacks.append(benchmark)
    stacks.append(case.stack)
    books = [("none", OfftakeBook())]
    if case.offtakes.offtakes:
        books.append(("as given", case.offtakes))
    rows = []
    for stack in stacks:
        for label, book in books:
            summary = cash_flows(replace(case, stack=stack, offtakes=book)).summary
            rows.append(
                {
                    "case": "given stack" if stack is case.stack else stack.name,
                    "offtakes": label,
                    **{c: summary[c] for c in COLUMNS[2:]},
                }
            )
    return pd.DataFrame(rows, columns=list(COLUMNS))
