"""The flagship comparison: what each scenario means for supply outside China, by year.

:func:`flagship_data` picks the headline figures out of each scenario's metrics frame;
:func:`flagship_table` renders them as one rich table (indicators down, scenarios across).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
from rich import box
from rich.table import Table

from kazree.i18n import _
from kazree.metrics.groups import ALL, WORLD
from kazree.metrics.inputs import CHINA

FLAGSHIP_YEARS: tuple[int, ...] = (2027, 2030, 2035)
FLAGSHIP_SCENARIOS: tuple[str, ...] = (
    "baseline",
    "china-controls-2025",
    "deposit-only",
    "kazrareearth-2030",
)
ROADMAP_SCENARIO = "kazrareearth-2030"
"""The flagship roadmap scenario: the demo's roadmap lines and least-cost plan, the report's
roadmap sections."""
ANNOUNCED_SCENARIO = "kazrareearth-2030-as-announced"
"""The flagship roadmap with its announced plants fixed: the demo plans it beside the
least-cost plan of :data:`ROADMAP_SCENARIO` for the same targets."""
KAZAKHSTAN = "KZ"
SHORTFALL_REGIONS: tuple[str, ...] = ("US", "EU", "JP", "KR")


@dataclass(frozen=True)
class Indicator:
    """One line of the flagship table: a metric row, optionally less China's value of it."""

    label: str
    metric: str
    stage: str
    region: str
    element: str
    less_china: bool = False
    digits: int = 0


def shortfall_labels() -> tuple[str, ...]:
    """Labels of the unmet demand lines, one per region of :data:`SHORTFALL_REGIONS`."""
    return (
        _("Unmet magnet REE US, t"),
        _("Unmet magnet REE EU, t"),
        _("Unmet magnet REE JP, t"),
        _("Unmet magnet REE KR, t"),
    )


def china_share_labels() -> dict[str, str]:
    """Stage -> label of its China share line."""
    return {
        "mining": _("China share mining, %"),
        "separation": _("China share separation, %"),
        "metal": _("China share metal, %"),
        "magnet": _("China share magnet, %"),
    }


def indicators() -> tuple[Indicator, ...]:
    """The lines of the flagship table in the current language, in display order (magnet REE =
    Nd, Pr, Dy, Tb)."""
    return (
        Indicator(
            _("Magnet REE oxide ex-China, t"), "output_t", "separation", WORLD, "magnet", True
        ),
        Indicator(_("Magnets ex-China, t REE"), "output_t", "magnet", WORLD, ALL, True),
        *(
            Indicator(label, "unmet_demand_t", "end_use", region, "magnet")
            for region, label in zip(SHORTFALL_REGIONS, shortfall_labels(), strict=True)
        ),
        *(
            Indicator(label, "china_share", stage, WORLD, ALL, digits=1)
            for stage, label in china_share_labels().items()
        ),
        Indicator(_("EU magnets via China, %"), "exposure", ALL, "EU", ALL, digits=1),
        Indicator(_("Kazakhstan mine output, t"), "output_t", "mining", KAZAKHSTAN, ALL),
        Indicator(
            _("Kazakhstan value added, MUSD"), "value_added_musd", ALL, KAZAKHSTAN, ALL, False, 1
        ),
        Indicator(_("Kazakhstan export HHI"), "export_partner_hhi", ALL, KAZAKHSTAN, ALL),
    )


def metric_lookup(frame: pd.DataFrame) -> Mapping[tuple[str, str, str, str, int], float]:
    """``(metric, stage, region, element, year) -> value`` of a metrics frame."""
    keys = zip(
        frame["metric"],
        frame["stage"],
        frame["region"],
        frame["element"],
        frame["year"],
        strict=True,
    )
    return dict(zip(keys, frame["value"].astype(float), strict=True))


def _value(
    table: Mapping[tuple[str, str, str, str, int], float], line: Indicator, year: int
) -> float:
    value = table.get((line.metric, line.stage, line.region, line.element, year), math.nan)
    if line.less_china:
        value -= table.get((line.metric, line.stage, CHINA, line.element, year), 0.0)
    return value


def difference_label(name: str, counterfactual: str) -> str:
    """Column of ``name``'s difference to its counterfactual."""
    return f"{name} minus {counterfactual}"


def flagship_data(
    frames: Mapping[str, pd.DataFrame],
    years: Iterable[int] = FLAGSHIP_YEARS,
    against: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Headline figures: one row per (indicator, year), one column per scenario; NaN if absent.

    ``against`` maps a scenario to its counterfactual (the same controls without its roadmap);
    each pair present in ``frames`` adds a column of the difference the scenario makes.
    """
    tables = {name: metric_lookup(frame) for name, frame in frames.items()}
    pairs = {
        difference_label(name, other): (name, other)
        for name, other in (against or {}).items()
        if name in tables and other in tables and other != name
    }
    rows = []
    for line in indicators():
        for year in years:
            values = {name: _value(table, line, year) for name, table in tables.items()}
            diffs = {label: values[a] - values[b] for label, (a, b) in pairs.items()}
            rows.append({"indicator": line.label, "year": year} | values | diffs)
    return pd.DataFrame(rows, columns=["indicator", "year", *frames, *pairs])


def flagship_table(
    frames: Mapping[str, pd.DataFrame],
    years: Iterable[int] = FLAGSHIP_YEARS,
    against: Mapping[str, str] | None = None,
) -> Table:
    """The flagship comparison of ``frames`` (scenario name -> metrics frame) as a rich table,
    with each roadmap's difference to its counterfactual (``against``)."""
    years = tuple(years)
    digits = {line.label: line.digits for line in indicators()}
    data = flagship_data(frames, years, against)
    table = Table(title="Scenario comparison: supply outside China", box=box.SIMPLE_HEAD)
    table.add_column("indicator")
    table.add_column("year", justify="right")
    for name in data.columns[2:]:
        header = name.replace("-", "-\n")
        table.add_column(header, justify="right", min_width=max(map(len, header.split())))
    for position, row in enumerate(data.itertuples(index=False)):
        label, year, *values = row
        last_year = position % len(years) == len(years) - 1
        table.add_row(
            str(label) if year == years[0] else "",
            str(year),
            *(_format(float(v), digits[str(label)]) for v in values),
            end_section=last_year,
        )
    return table


def _format(value: float, digits: int) -> str:
    return "-" if math.isnan(value) else f"{value:,.{digits}f}"
