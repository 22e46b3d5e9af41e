"""Comparison tables as text: display cells, markdown tables and the ``docs/validation.md`` page."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from kazree.validation.explain import SHARE_TOLERANCE_PP, TONNAGE_TOLERANCE_PCT

DISPLAY_COLUMNS: tuple[str, ...] = (
    "year",
    "stage",
    "group",
    "measure",
    "model",
    "reference",
    "gap",
    "source",
    "explanation",
)
REGENERATE = ".venv/bin/kazree validate --doc docs/validation.md"


def value_text(value: float, unit: str) -> str:
    """``69.2 %`` for a share, ``390.0 kt`` for a tonnage, blank when missing."""
    if math.isnan(value):
        return ""
    return f"{value:.1f} %" if unit == "%" else f"{value / 1e3:,.1f} kt"


def gap_text(gap: float, gap_pct: float, unit: str) -> str:
    """``+1.0 pp`` for a share, ``-17.9 kt (-17 %)`` for a tonnage."""
    if math.isnan(gap):
        return ""
    if unit == "%":
        return f"{gap:+.1f} pp"
    return f"{gap / 1e3:+,.1f} kt ({gap_pct:+.0f} %)"


def display(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison as text cells (:data:`DISPLAY_COLUMNS`), in the table's order."""
    rows = [
        {
            "year": str(row["year"]),
            "stage": str(row["stage"]),
            "group": str(row["group"]),
            "measure": str(row["measure"]),
            "model": value_text(float(row["model"]), str(row["unit"])),
            "reference": value_text(float(row["reference"]), str(row["unit"])),
            "gap": gap_text(float(row["gap"]), float(row["gap_pct"]), str(row["unit"])),
            "source": f"{row['publication']} ({row['case']}; {row['confidence']})",
            "explanation": str(row["explanation"]),
        }
        for row in table.to_dict("records")
    ]
    return pd.DataFrame(rows, columns=list(DISPLAY_COLUMNS))


def markdown_table(frame: pd.DataFrame) -> str:
    """``frame`` (text cells) as a GitHub markdown table."""

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    head = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def _summary(tables: Mapping[str, pd.DataFrame], base_years: Mapping[str, int]) -> str:
    lines = ["| scenario | base year: agree / compared | later years: agree / compared |"]
    lines.append("|---|---|---|")
    for name, table in tables.items():
        base = table["year"] == base_years[name]
        agree = table["status"] == "agrees"
        lines.append(
            f"| {name} | {int((base & agree).sum())} / {int(base.sum())} | "
            f"{int((~base & agree).sum())} / {int((~base).sum())} |"
        )
    return "\n".join(lines)


EXPECTED: tuple[tuple[str, str, str], ...] = tuple(
    (stage, group, measure)
    for stage in ("mining", "separation")
    for group in ("all", "magnet")
    for measure in ("China share", "world output")
)
"""The base-year figures a validation looks for."""


def _unreferenced(table: pd.DataFrame, base_year: int) -> str:
    base = table[table["year"] == base_year]
    held = set(zip(base["stage"], base["group"], base["measure"], strict=True))
    missing = [f"{m} ({s}, {g})" for s, g, m in EXPECTED if (s, g, m) not in held]
    if not missing:
        return ""
    return f"No published figure to compare in {base_year}: {', '.join(missing)}.\n"


def _sources(tables: Mapping[str, pd.DataFrame], sources: pd.DataFrame) -> str:
    rows = pd.concat(list(tables.values()), ignore_index=True)
    by_id = sources.set_index("id")
    lines = []
    for sid, shown in rows.groupby("source"):
        if sid not in by_id.index:
            continue
        title, url = str(by_id.at[sid, "title"]).rstrip("."), by_id.at[sid, "url"]
        names = "; ".join(sorted({str(name) for name in shown["publication"]}))
        link = f" <{url}>" if isinstance(url, str) and url else ""
        lines.append(f"- `{sid}` ({names}): {title}.{link}")
    return "\n".join(lines)


INTRO = f"""# Validation

`kazree validate` sets a solved scenario against published figures, per element group (`all`
rare earths, and the `magnet` rare earths Nd, Pr, Dy, Tb: a figure's `coverage` in the
dataset): China's share of mining and of separation, and world tonnage (mine output, separated
output, demand). The base year is set against USGS (`mine_production`, `world_totals`) and the
stage-share sources (`stage_shares`); the outlook years (2030, 2035, 2040) against published
outlooks that count announced projects (`outlooks`; see [data.md](data.md)). Every row gives
the model value, the reference, the gap (model minus reference: percentage points for shares,
kt and % for tonnages) and a stated reason built from known causes. A share agrees within
{SHARE_TOLERANCE_PP:g} pp of its reference, a tonnage within {TONNAGE_TOLERANCE_PCT:g} %.

```console
$ kazree validate                                   # baseline, solved now
$ kazree validate kazrareearth-2030 --year 2030 --format csv
$ kazree validate --results out/baseline            # a directory kazree run wrote
$ {REGENERATE.removeprefix(".venv/bin/")}          # this page, every shipped scenario
```

From Python: `kazree.validation.validate(results)` returns the table (columns `scenario, year,
stage, group, measure, model, reference, gap, gap_pct, unit, status, explanation, publication,
case, basis, source, confidence`).

## Reading the explanations

- *Project list*: for an outlook year, what the model makes outside China in the base year and
  in that year, against what the reference's own figures imply outside China (its share of its
  world tonnage) or the other countries it names. A flat model line means the scenario's
  facilities add nothing by that year; the reference counts operating and announced projects.
  Where the status risk weights (operating 1, construction 0.9, feasibility 0.5, announced
  0.25 in the shipped scenarios) hold back ex-China capacity, the sentence gives that capacity
  (all REEs, t REO) counted and unweighted.
- *Growth*: the model's world output or demand growth from its base year against the
  reference's own growth from its base year.
- *Element mix*: China's magnet-REE share of mining follows from the element mixes of the ores
  the model gives each country, not from a published magnet-REE split. Where an observed
  all-REE share of the same year exists, the sentence also gives the ratio of China's
  magnet-REE ore content to the rest of the world's that the two published shares imply.
- *Secondary oxide*: separation output leaves out oxide from recycling, stocks or unreported
  output; the sentence gives China's share with it counted in.
- *Basis*: the reference counts capacity where the model counts output, or tonnes that may be
  metal where the model counts oxide (REO).
- *Unused capacity*: plants of the stage that produce below their capacity that year (no buyer,
  export controls, or dearer than others): how many tonnes of the country's capacity stood
  idle, the largest three.
- *Sources differ*: another source of the same figure agrees with the model.
- *Unmet demand*: magnet-REE demand the model leaves unmet that year (supply binds).

This page is generated: after a change to the model or the dataset,

    {REGENERATE}

rewrites it (it solves every shipped scenario). Do not edit it by hand.
"""


def validation_page(
    tables: Mapping[str, pd.DataFrame], base_years: Mapping[str, int], sources: pd.DataFrame
) -> str:
    """The whole ``docs/validation.md``: method, summary, one table per scenario, sources."""
    parts = [INTRO, "## Summary\n", _summary(tables, base_years), ""]
    for name, table in tables.items():
        parts += [f"## `{name}`\n", markdown_table(display(table)), ""]
        parts += [_unreferenced(table, base_years[name])]
    parts += ["## Sources\n", _sources(tables, sources), ""]
    return "\n".join(parts)
