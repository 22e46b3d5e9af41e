"""Element make-up: by deposit type (of TREO), of magnets (by grade) and of sector demand."""

from __future__ import annotations

from pydantic import Field

from kazree.chain.forms import MagnetType, Sector
from kazree.data.schema import ElementSymbol, Percent, SourcedRow


class ElementShare(SourcedRow):
    """Share of one element in the total rare-earth oxide of a deposit type, % of TREO."""

    deposit_type: str = Field(pattern=r"^[a-z0-9_]+$")
    reference_deposit: str = Field(min_length=1)
    """The deposit whose assay stands for the type."""
    element: ElementSymbol
    share_pct: Percent
    trace: bool = False
    """True where the source gives only "trace" (kept as 0 %)."""


class MagnetRecipe(SourcedRow):
    """Rare-earth content of one magnet grade, wt % of the magnet (metal basis)."""

    magnet_type: MagnetType
    grade: str = Field(min_length=1)
    element: ElementSymbol
    content_wt_pct: Percent


class SectorElement(SourcedRow):
    """Share of one element in a sector's rare-earth demand, % of the sector's t REO."""

    sector: Sector
    element: ElementSymbol
    share_pct: Percent
