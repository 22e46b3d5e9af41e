"""The value-chain vocabulary: elements, product forms, stages and end-use sectors."""

from kazree.chain.elements import ELEMENTS, Element, ElementGroup, element, symbols
from kazree.chain.forms import MAGNET_TYPES, SECTORS, STAGES, Form, MagnetType, Sector, Stage

__all__ = [
    "ELEMENTS",
    "MAGNET_TYPES",
    "SECTORS",
    "STAGES",
    "Element",
    "ElementGroup",
    "Form",
    "MagnetType",
    "Sector",
    "Stage",
    "element",
    "symbols",
]
