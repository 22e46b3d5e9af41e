"""Hand-made results Datasets in the shape of the model's results contract (for tests)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from kazree.chain import STAGES


def blank_results(
    countries: Sequence[str] = ("CN", "US", "DE"),
    elements: Sequence[str] = ("La", "Nd"),
    years: Sequence[int] = (2024, 2025),
    sectors: Sequence[str] = ("ev_traction", "catalysts"),
) -> xr.Dataset:
    """Results with every flow zero and every shadow price NaN."""
    stages = [str(s) for s in STAGES]
    coords = {
        "stage": stages,
        "country": list(countries),
        "exporter": list(countries),
        "importer": list(countries),
        "element": list(elements),
        "year": np.array(years, dtype=np.int64),
        "sector": list(sectors),
    }

    def zeros(*dims: str, fill: float = 0.0) -> tuple[tuple[str, ...], np.ndarray]:
        return dims, np.full([len(coords[d]) for d in dims], fill)

    return xr.Dataset(
        {
            "stage_output": zeros("stage", "country", "element", "year"),
            "trade": zeros("stage", "exporter", "importer", "element", "year"),
            "demand": zeros("sector", "country", "element", "year"),
            "unmet_demand": zeros("sector", "country", "element", "year"),
            "surplus": zeros("country", "element", "year"),
            "shadow_price": zeros("stage", "country", "element", "year", fill=np.nan),
        },
        coords=coords,
        attrs={"scenario": "test", "objective": 0.0, "status": "ok", "base_year": 2024},
    )
