"""Assemble a finance case from what a user names: project, stack, offtakes, prices."""

from __future__ import annotations

from pathlib import Path

from kazree.data.loader import Dataset
from kazree.roadmap.finance.cashflow import DEFAULT_DISCOUNT_RATE, FinanceCase
from kazree.roadmap.finance.offtake import OfftakeBook, load_offtakes
from kazree.roadmap.finance.prices import price_path
from kazree.roadmap.finance.project import load_project
from kazree.roadmap.finance.stack import CapitalStack, load_stack, resolve
from kazree.roadmap.finance.terms import fiscal_regime, instrument_terms

DEFAULT_PRICES = "market"
"""Default price path: the latest producer or market-wide price of the product, held flat."""


def build_case(
    dataset: Dataset,
    project: str,
    stack: Path | None = None,
    offtakes: Path | None = None,
    prices: str = DEFAULT_PRICES,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
) -> FinanceCase:
    """The case for ``project`` (a YAML path or facility id) with the named inputs."""
    chosen = load_project(project, dataset)
    given = CapitalStack(name="all equity") if stack is None else load_stack(stack)
    origin = "all equity" if stack is None else str(stack)
    return FinanceCase(
        project=chosen,
        regime=fiscal_regime(dataset),
        prices=price_path(prices, dataset, chosen),
        stack=resolve(given, instrument_terms(dataset), origin),
        offtakes=OfftakeBook() if offtakes is None else load_offtakes(offtakes),
        discount_rate=discount_rate,
    )
