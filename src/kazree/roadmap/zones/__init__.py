"""Priority zones: Kazakh deposits and processing sites ranked by sourced criteria (pymcdm)."""

from kazree.roadmap.zones.criteria import CRITERIA, Criterion, Direction, SiteKind
from kazree.roadmap.zones.ranking import ZoneRanking, rank_zones, top_sites
from kazree.roadmap.zones.weights import ZoneWeights, default_weights, load_weights

__all__ = [
    "CRITERIA",
    "Criterion",
    "Direction",
    "SiteKind",
    "ZoneRanking",
    "ZoneWeights",
    "default_weights",
    "load_weights",
    "rank_zones",
    "top_sites",
]
