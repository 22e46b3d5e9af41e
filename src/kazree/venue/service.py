"""The running service's parts, created at start-up and shared by every request."""

from __future__ import annotations

from dataclasses import dataclass

from kazree.venue.ratelimit import TokenBuckets
from kazree.venue.readmodel import Projector
from kazree.venue.sequencer import Sequencer
from kazree.venue.settings import Settings
from kazree.venue.store import ServiceStore


@dataclass
class Service:
    """Settings, the service tables, the writer and the history of one running app."""

    settings: Settings
    store: ServiceStore
    sequencer: Sequencer
    buckets: TokenBuckets
    history: Projector
