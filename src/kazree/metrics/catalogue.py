"""The public metric names with their units: the vocabulary of ``metrics.csv``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """One metric of ``metrics.csv``: its stable name, unit and a one-line definition."""

    name: str
    unit: str
    definition: str


METRICS: tuple[Metric, ...] = (
    Metric("output_t", "t", "stage output (element content, REO-equivalent)"),
    Metric("china_share", "percent", "China's share of world stage output"),
    Metric("hhi", "index", "Herfindahl-Hirschman index of stage output over countries (0..10,000)"),
    Metric("top3_share", "percent", "share of world stage output from the three largest countries"),
    Metric("exposure", "percent", "share of the region's magnet supply that passed through China"),
    Metric("self_sufficiency", "percent", "domestic stage output / domestic use of that product"),
    Metric("demand_t", "t", "end-use demand, all sectors"),
    Metric("unmet_demand_t", "t", "end-use demand not met, all sectors"),
    Metric("surplus_t", "t", "co-product disposed of or stockpiled"),
    Metric("shadow_price_usd_per_kg", "usd_per_kg", "dual price of the stage's balance"),
    Metric("value_added_musd", "musd", "output value minus input value at shadow prices"),
    Metric("export_partner_hhi", "index", "HHI of the exporter's exports over importing countries"),
    Metric("crma_extraction_pct", "percent", "bloc mine output / bloc consumption"),
    Metric("crma_extraction_pass", "flag", "1 if crma_extraction_pct >= 10, else 0"),
    Metric("crma_processing_pct", "percent", "bloc separation output / bloc consumption"),
    Metric("crma_processing_pass", "flag", "1 if crma_processing_pct >= 40, else 0"),
    Metric("crma_max_single_country_pct", "percent", "largest third-country share of bloc use"),
    Metric(
        "crma_max_single_country_pass", "flag", "1 if crma_max_single_country_pct <= 65, else 0"
    ),
    Metric("footprint_water_m3", "m3", "process water discharged by the stage's plants"),
    Metric("footprint_co2e_t", "t_co2e", "greenhouse gases of the stage, cradle to its gate"),
    Metric("footprint_radioactive_residue_t", "t", "thorium- and uranium-bearing residue made"),
    Metric("footprint_waste_gas_m3", "m3", "waste gas (dust, HF, SO2, H2SO4) of the stage"),
    Metric("footprint_water_use_m3", "m3", "fresh water taken in by the stage's plants"),
    Metric("footprint_energy_gj", "gj", "final energy (fuels and electricity) of the stage"),
    Metric("footprint_electricity_mwh", "mwh", "electricity used by the stage"),
    Metric("footprint_tailings_t", "t", "beneficiation tailings made"),
    Metric("footprint_sulphuric_acid_t", "t", "sulphuric acid used (t H2SO4)"),
    Metric("footprint_hcl_t", "t", "hydrochloric acid used (t HCl, 100 % basis)"),
    Metric("footprint_ammonium_bicarbonate_t", "t", "ammonium bicarbonate used (t NH4HCO3)"),
)

UNITS: dict[str, str] = {m.name: m.unit for m in METRICS}
"""Metric name -> unit."""
