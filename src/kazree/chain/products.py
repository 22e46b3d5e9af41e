"""Exchange product names, read in the chain's vocabulary: which elements, in which form.

A product name is ``<elements>-<form>``: the element symbols run together (``Dy``, ``NdPr``)
and one of the form words of :data:`FORM_WORDS` (``Dy-oxide`` is dysprosium separated oxide,
``NdPr-metal`` NdPr alloy); or a magnet family and its grade (``NdFeB-N52``, ``SmCo-YXG32``),
whose rare earths :data:`MAGNET_FAMILIES` names. Every product an instrument is listed in must
read this way, so the export-control rules (written for elements and forms) always apply to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kazree.chain.elements import element
from kazree.chain.forms import Form

FORM_WORDS: dict[str, Form] = {
    "concentrate": Form.ORE_CONCENTRATE,
    "carbonate": Form.MIXED_INTERMEDIATE,
    "oxide": Form.SEPARATED_OXIDE,
    "metal": Form.METAL_ALLOY,
}
"""The word a product name ends in -> the chain form it is traded in."""

MAGNET_FAMILIES: dict[str, tuple[str, ...]] = {
    "NdFeB": ("Nd", "Pr"),
    "SmCo": ("Sm",),
}
"""Magnet family -> the rare earths it is made of (grades differ in other ways)."""

_SYMBOLS = re.compile(r"[A-Z][a-z]?")
_GRADE = re.compile(r"^[A-Z0-9]{1,16}$")


@dataclass(frozen=True, slots=True)
class Product:
    """A product's rare-earth elements and the chain form it is traded in."""

    name: str
    elements: tuple[str, ...]
    form: Form


class UnknownProduct(ValueError):
    """A product name that does not read as elements and a form."""


@cache
def product(name: str) -> Product:
    """The product ``name`` stands for; :class:`UnknownProduct` says how to write one."""
    head, sep, tail = name.partition("-")
    if sep and head in MAGNET_FAMILIES and _GRADE.match(tail):
        return Product(name, MAGNET_FAMILIES[head], Form.MAGNET)
    form = FORM_WORDS.get(tail) if sep else None
    symbols = _SYMBOLS.findall(head)
    if form is not None and symbols and "".join(symbols) == head:
        try:
            elements = tuple(element(s).symbol for s in symbols)
        except ValueError:
            elements = ()
        if elements and len(set(elements)) == len(elements):
            return Product(name, elements, form)
    msg = (
        f"product {name!r}: write <elements>-<form> with rare-earth symbols and one of "
        f"{', '.join(FORM_WORDS)} (e.g. Dy-oxide, NdPr-metal), or a magnet family and grade "
        f"({', '.join(f'{m}-<grade>' for m in MAGNET_FAMILIES)}, e.g. NdFeB-N52)"
    )
    raise UnknownProduct(msg)
