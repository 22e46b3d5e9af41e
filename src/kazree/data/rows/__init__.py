"""Row models of the dataset tables, one module per family of tables."""

from kazree.data.rows.composition import ElementShare, MagnetRecipe, SectorElement
from kazree.data.rows.demand import (
    Demand,
    DemandCaseGrowth,
    DemandGrowth,
    MagnetGradeUse,
    MagnetIntensity,
    MagnetOutput,
    MagnetProduct,
)
from kazree.data.rows.economics import (
    CapexBenchmark,
    ChinaQuota,
    Currency,
    Environment,
    FinancingInstrument,
    LeadTime,
    Market,
    Price,
    QuotaOreType,
)
from kazree.data.rows.geography import OTHER_COUNTRIES, Bloc, Country, WorldMetric, WorldTotal
from kazree.data.rows.outlooks import Outlook, OutlookMetric
from kazree.data.rows.production import MineProduction, Reserve
from kazree.data.rows.supply import (
    CapacityBasis,
    CapacityMeasure,
    ClaimBasis,
    Deposit,
    Facility,
    ResourceClass,
    ShareCoverage,
    ShareMeasure,
    StageShare,
    Status,
)

__all__ = [
    "OTHER_COUNTRIES",
    "Bloc",
    "CapacityBasis",
    "CapacityMeasure",
    "CapexBenchmark",
    "ChinaQuota",
    "ClaimBasis",
    "Country",
    "Currency",
    "Demand",
    "DemandCaseGrowth",
    "DemandGrowth",
    "Deposit",
    "ElementShare",
    "Environment",
    "Facility",
    "FinancingInstrument",
    "LeadTime",
    "MagnetGradeUse",
    "MagnetIntensity",
    "MagnetOutput",
    "MagnetProduct",
    "MagnetRecipe",
    "Market",
    "MineProduction",
    "Outlook",
    "OutlookMetric",
    "Price",
    "QuotaOreType",
    "Reserve",
    "ResourceClass",
    "SectorElement",
    "ShareCoverage",
    "ShareMeasure",
    "StageShare",
    "Status",
    "WorldMetric",
    "WorldTotal",
]
