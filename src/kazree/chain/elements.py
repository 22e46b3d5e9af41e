"""The 16 traded rare earths, their grouping, oxides and oxide-to-metal mass factors.

Atomic masses are IUPAC standard atomic weights (abridged, 2021). The light/heavy split follows
the common trade convention (light: La to Sm; heavy: Eu to Lu and Y); Sc is listed with the heavy
group because export-control lists (MOFCOM No. 18) treat it with the medium and heavy rare earths.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

OXYGEN_U = 15.999


class ElementGroup(StrEnum):
    """Light or heavy rare earth."""

    LIGHT = "light"
    HEAVY = "heavy"


@dataclass(frozen=True)
class Element:
    """One rare-earth element and its usual traded oxide.

    Attributes
    ----------
    symbol : chemical symbol, e.g. ``"Nd"``.
    name : English name.
    atomic_mass_u : standard atomic weight (u).
    group : light or heavy.
    oxide : formula of the traded oxide, e.g. ``"Nd2O3"``.
    oxide_metal_atoms, oxide_oxygen_atoms : the oxide's stoichiometry (``M_a O_b``).
    """

    symbol: str
    name: str
    atomic_mass_u: float
    group: ElementGroup
    oxide: str
    oxide_metal_atoms: int
    oxide_oxygen_atoms: int

    @property
    def oxide_mass_u(self) -> float:
        """Formula mass of the oxide (u)."""
        return self.oxide_metal_atoms * self.atomic_mass_u + self.oxide_oxygen_atoms * OXYGEN_U

    @property
    def metal_per_oxide(self) -> float:
        """Tonnes of metal in one tonne of oxide (e.g. 0.857 for Nd2O3)."""
        return self.oxide_metal_atoms * self.atomic_mass_u / self.oxide_mass_u

    @property
    def oxide_per_metal(self) -> float:
        """Tonnes of oxide that hold one tonne of metal."""
        return 1.0 / self.metal_per_oxide


_L, _H = ElementGroup.LIGHT, ElementGroup.HEAVY

ELEMENTS: tuple[Element, ...] = (
    Element("La", "lanthanum", 138.905, _L, "La2O3", 2, 3),
    Element("Ce", "cerium", 140.116, _L, "CeO2", 1, 2),
    Element("Pr", "praseodymium", 140.908, _L, "Pr6O11", 6, 11),
    Element("Nd", "neodymium", 144.242, _L, "Nd2O3", 2, 3),
    Element("Sm", "samarium", 150.36, _L, "Sm2O3", 2, 3),
    Element("Eu", "europium", 151.964, _H, "Eu2O3", 2, 3),
    Element("Gd", "gadolinium", 157.25, _H, "Gd2O3", 2, 3),
    Element("Tb", "terbium", 158.925, _H, "Tb4O7", 4, 7),
    Element("Dy", "dysprosium", 162.500, _H, "Dy2O3", 2, 3),
    Element("Ho", "holmium", 164.930, _H, "Ho2O3", 2, 3),
    Element("Er", "erbium", 167.259, _H, "Er2O3", 2, 3),
    Element("Tm", "thulium", 168.934, _H, "Tm2O3", 2, 3),
    Element("Yb", "ytterbium", 173.045, _H, "Yb2O3", 2, 3),
    Element("Lu", "lutetium", 174.967, _H, "Lu2O3", 2, 3),
    Element("Y", "yttrium", 88.906, _H, "Y2O3", 2, 3),
    Element("Sc", "scandium", 44.956, _H, "Sc2O3", 2, 3),
)

_BY_SYMBOL = {e.symbol: e for e in ELEMENTS}

MAGNET_ELEMENTS: tuple[str, ...] = ("Pr", "Nd", "Sm", "Tb", "Dy")
"""Elements whose supply limits permanent-magnet output."""


def symbols(group: ElementGroup | None = None) -> tuple[str, ...]:
    """Element symbols in canonical order, optionally of one group only."""
    return tuple(e.symbol for e in ELEMENTS if group is None or e.group is group)


def element(symbol: str) -> Element:
    """Look an element up by symbol (case-insensitive); ``ValueError`` names the allowed ones."""
    for sym, el in _BY_SYMBOL.items():
        if sym.lower() == symbol.strip().lower():
            return el
    msg = f"unknown element {symbol!r} (allowed: {', '.join(_BY_SYMBOL)})"
    raise ValueError(msg)
