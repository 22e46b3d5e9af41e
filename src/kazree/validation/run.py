"""One call from results to the comparison table."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from kazree.data import Dataset
from kazree.metrics.inputs import ResultsLike
from kazree.scenario.dataset import embedded_dataset
from kazree.validation.compare import compare
from kazree.validation.figures import model_figures
from kazree.validation.references import references


def validate(
    results: ResultsLike, years: Collection[int] | None = None, dataset: Dataset | None = None
) -> pd.DataFrame:
    """The comparison of ``results`` with the references of ``dataset`` (default: embedded)."""
    return compare(model_figures(results), references(dataset or embedded_dataset()), years)
