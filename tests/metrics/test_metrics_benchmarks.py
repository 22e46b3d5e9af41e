import numpy as np
import pytest

from kazree.metrics.benchmarks import crma
from kazree.metrics.diversification import export_partner_hhi

Y = 2024
COUNTRIES = ("CN", "US", "DE", "FR", "KZ", "JP")


def _out(ds, stage, country, tonnes, element="Nd"):
    ds["stage_output"].loc[{"stage": stage, "country": country, "element": element, "year": Y}] = (
        tonnes
    )


def _ship(ds, stage, src, dst, tonnes, element="Nd"):
    ds["trade"].loc[
        {"stage": stage, "exporter": src, "importer": dst, "element": element, "year": Y}
    ] = tonnes


def test_export_partner_hhi_by_hand(blank):
    ds = blank(countries=COUNTRIES)
    _ship(ds, "mining", "KZ", "CN", 60.0)
    _ship(ds, "separation", "KZ", "DE", 20.0)
    _ship(ds, "separation", "KZ", "JP", 20.0, element="La")
    _ship(ds, "magnet", "US", "JP", 5.0)
    got = export_partner_hhi(ds).sel(year=Y)
    assert float(got.sel(stage="all", exporter="KZ")) == pytest.approx(60**2 + 20**2 + 20**2)
    assert float(got.sel(stage="separation", exporter="KZ")) == pytest.approx(5_000.0)
    assert float(got.sel(stage="mining", exporter="KZ")) == pytest.approx(10_000.0)
    assert float(got.sel(stage="all", exporter="US")) == pytest.approx(10_000.0)
    assert np.isnan(float(got.sel(stage="all", exporter="FR")))


def test_crma_pass_and_fail(blank, blocs):
    ds = blank(countries=COUNTRIES)
    # EU (DE + FR) consumes 100 t Nd, mines 12 t, separates 30 t; the rest of its oxide is
    # Chinese (50 t) and Kazakh (20 t).
    _out(ds, "end_use", "DE", 60.0)
    _out(ds, "end_use", "FR", 40.0)
    _out(ds, "mining", "FR", 12.0)
    _out(ds, "separation", "DE", 30.0)
    _out(ds, "separation", "CN", 200.0)
    _out(ds, "separation", "KZ", 20.0)
    _ship(ds, "separation", "CN", "DE", 50.0)
    _ship(ds, "separation", "KZ", "FR", 20.0)
    got = crma(ds, blocs).sel(year=Y, element="Nd")
    assert float(got["crma_extraction_pct"]) == pytest.approx(12.0)
    assert float(got["crma_extraction_pass"]) == 1.0
    assert float(got["crma_processing_pct"]) == pytest.approx(30.0)
    assert float(got["crma_processing_pass"]) == 0.0
    sep = got.sel(stage="separation")
    assert float(sep["crma_max_single_country_pct"]) == pytest.approx(50.0)
    assert float(sep["crma_max_single_country_pass"]) == 1.0
    assert np.isnan(float(got["crma_max_single_country_pass"].sel(stage="magnet")))


def test_crma_single_country_traces_origin_through_a_third_country(blank, blocs):
    # 80 t of Chinese metal reach the EU through Japan, 20 t come from the US: 80 % > 65 %.
    ds = blank(countries=COUNTRIES)
    _out(ds, "metal", "CN", 80.0)
    _out(ds, "metal", "US", 20.0)
    _ship(ds, "metal", "CN", "JP", 80.0)
    _ship(ds, "metal", "JP", "DE", 80.0)
    _ship(ds, "metal", "US", "DE", 20.0)
    got = crma(ds, blocs).sel(year=Y, element="Nd")
    assert float(got["crma_max_single_country_pct"].sel(stage="metal")) == pytest.approx(80.0)
    assert float(got["crma_max_single_country_pass"].sel(stage="all")) == 0.0
    assert np.isnan(float(got["crma_extraction_pct"]))
