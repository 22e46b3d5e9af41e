"""Validation: a solved scenario set against USGS, published stage shares and outlooks.

>>> from kazree.validation import validate
>>> table = validate(results)  # doctest: +SKIP

Pure functions of the results and the dataset; ``kazree validate`` prints the table and
``docs/validation.md`` records it for the shipped scenarios.
"""

from kazree.validation.compare import COLUMNS, compare
from kazree.validation.figures import ModelFigures, model_figures
from kazree.validation.references import Reference, references
from kazree.validation.run import validate

__all__ = [
    "COLUMNS",
    "ModelFigures",
    "Reference",
    "compare",
    "model_figures",
    "references",
    "validate",
]
