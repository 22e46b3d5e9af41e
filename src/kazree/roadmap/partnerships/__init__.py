"""Partnership terms: consortia with equity, offtake and local-content commitments."""

from kazree.roadmap.partnerships.attribution import (
    attribution,
    contracted_offtake,
    export_concentration,
)
from kazree.roadmap.partnerships.offtake import offtake_concentration, offtake_shares
from kazree.roadmap.partnerships.schema import Commitment, Consortium, Partner, load_consortium

__all__ = [
    "Commitment",
    "Consortium",
    "Partner",
    "attribution",
    "contracted_offtake",
    "export_concentration",
    "load_consortium",
    "offtake_concentration",
    "offtake_shares",
]
