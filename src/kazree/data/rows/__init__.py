"""Row models of the dataset tables, one module per family of tables."""

from kazree.data.rows.composition import ElementShare, MagnetRecipe, SectorElement
from kazree.data.rows.demand import Demand, DemandGrowth, MagnetIntensity
from kazree.data.rows.economics import (
    CapexBenchmark,
    ChinaQuota,
    Currency,
    Environment,
    FinancingInstrument,
    LeadTime,
    Market,
    Price,
)
from kazree.data.rows.geography import OTHER_COUNTRIES, Bloc, Country, WorldMetric, WorldTotal
from kazree.data.rows.production import MineProduction, Reserve
from kazree.data.rows.roadmap import (
    FiscalTerm,
    InstrumentKind,
    InstrumentTerm,
    OpexBenchmark,
    ZoneCriterion,
    ZoneCriterionName,
)
from kazree.data.rows.supply import (
    CapacityBasis,
    ClaimBasis,
    Deposit,
    Facility,
    ResourceClass,
    ShareScope,
    StageShare,
    Status,
)

__all__ = [
    "OTHER_COUNTRIES",
    "Bloc",
    "CapacityBasis",
    "CapexBenchmark",
    "ChinaQuota",
    "ClaimBasis",
    "Country",
    "Currency",
    "Demand",
    "DemandGrowth",
    "Deposit",
    "ElementShare",
    "Environment",
    "Facility",
    "FinancingInstrument",
    "FiscalTerm",
    "InstrumentKind",
    "InstrumentTerm",
    "LeadTime",
    "MagnetIntensity",
    "MagnetRecipe",
    "Market",
    "MineProduction",
    "OpexBenchmark",
    "Price",
    "Reserve",
    "ResourceClass",
    "SectorElement",
    "ShareScope",
    "StageShare",
    "Status",
    "WorldMetric",
    "WorldTotal",
    "ZoneCriterion",
    "ZoneCriterionName",
]
