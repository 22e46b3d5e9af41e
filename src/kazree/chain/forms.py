"""Stages of the chain, product forms, magnet types and end-use sectors."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """Stages from mine to end use, in chain order."""

    MINING = "mining"
    CRACKING = "cracking"
    SEPARATION = "separation"
    METAL = "metal"
    MAGNET = "magnet"
    END_USE = "end_use"


class Form(StrEnum):
    """Traded product forms; each is the output of one stage.

    ``separated_oxide`` and ``metal_alloy`` are element-resolved (one product per element);
    ``ore_concentrate`` and ``mixed_intermediate`` carry a mix of elements in their deposit's
    proportions.
    """

    ORE_CONCENTRATE = "ore_concentrate"
    MIXED_INTERMEDIATE = "mixed_intermediate"
    SEPARATED_OXIDE = "separated_oxide"
    METAL_ALLOY = "metal_alloy"
    MAGNET = "magnet"

    @property
    def stage(self) -> Stage:
        """The stage whose output this form is."""
        return _FORM_STAGE[self]


_FORM_STAGE = {
    Form.ORE_CONCENTRATE: Stage.MINING,
    Form.MIXED_INTERMEDIATE: Stage.CRACKING,
    Form.SEPARATED_OXIDE: Stage.SEPARATION,
    Form.METAL_ALLOY: Stage.METAL,
    Form.MAGNET: Stage.MAGNET,
}


class MagnetType(StrEnum):
    """Rare-earth permanent magnet families."""

    SINTERED_NDFEB = "sintered_ndfeb"
    BONDED_NDFEB = "bonded_ndfeb"
    SMCO = "smco"


class Sector(StrEnum):
    """End-use sectors."""

    EV_TRACTION = "ev_traction"
    WIND = "wind"
    INDUSTRIAL_MOTORS = "industrial_motors"
    ELECTRONICS = "electronics"
    DEFENCE = "defence"
    CATALYSTS = "catalysts"
    GLASS_POLISHING = "glass_polishing"
    PHOSPHORS = "phosphors"
    METALLURGY = "metallurgy"
    OTHER = "other"


MAGNET_SECTORS: tuple[Sector, ...] = (
    Sector.EV_TRACTION,
    Sector.WIND,
    Sector.INDUSTRIAL_MOTORS,
    Sector.ELECTRONICS,
    Sector.DEFENCE,
)
"""Sectors whose demand is for NdFeB magnets (t of rare-earth content, REO basis)."""

STAGES: tuple[Stage, ...] = tuple(Stage)
MAGNET_TYPES: tuple[MagnetType, ...] = tuple(MagnetType)
SECTORS: tuple[Sector, ...] = tuple(Sector)
