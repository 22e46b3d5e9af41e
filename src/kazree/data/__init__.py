"""The embedded, sourced rare-earth dataset: files, schema, loader and validators.

>>> from kazree.data import load_dataset
>>> ds = load_dataset()
>>> ds.table("mine_production").columns[0]
'country'
"""

from kazree.data.loader import Dataset, check_dataset, load_dataset
from kazree.data.problems import DatasetError, Problem, Severity

__all__ = ["Dataset", "DatasetError", "Problem", "Severity", "check_dataset", "load_dataset"]
