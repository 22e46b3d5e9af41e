"""Hash-linked chains of custody: build, verify and check against an origin basket."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from kazree.exchange.core.domain import CustodyStage, ProvenanceStep

GENESIS = "0" * 64
"""The ``prev_hash`` of a chain's first step."""


def step_hash(
    stage: CustodyStage, country: str, facility: str, date: str, certifier: str, prev_hash: str
) -> str:
    """sha256 over the step's fields and the previous step's hash, lowercase hex."""
    text = "\n".join((stage.value, country, facility, date, certifier, prev_hash))
    return hashlib.sha256(text.encode()).hexdigest()


def build_chain(
    steps: Iterable[tuple[CustodyStage, str, str, str, str]],
) -> tuple[ProvenanceStep, ...]:
    """Link ``(stage, country, facility, date, certifier)`` steps into a hashed chain."""
    chain: list[ProvenanceStep] = []
    prev = GENESIS
    for stage, country, facility, date, certifier in steps:
        digest = step_hash(stage, country, facility, date, certifier, prev)
        chain.append(ProvenanceStep(stage, country, facility, date, certifier, prev, digest))
        prev = digest
    return tuple(chain)


def verify_provenance(chain: Sequence[ProvenanceStep]) -> str | None:
    """``None`` when every step's hash and link is intact, else what is wrong and where."""
    if not chain:
        return "provenance chain is empty"
    prev = GENESIS
    for i, s in enumerate(chain):
        if s.prev_hash != prev:
            return f"provenance step {i} ({s.stage.value}) does not link to step {i - 1}"
        if s.hash != step_hash(s.stage, s.country, s.facility, s.date, s.certifier, prev):
            return f"provenance step {i} ({s.stage.value}) was altered: hash mismatch"
        prev = s.hash
    return None


def origin_countries(chain: Sequence[ProvenanceStep]) -> frozenset[str]:
    """The countries the chain passes through."""
    return frozenset(s.country for s in chain)
