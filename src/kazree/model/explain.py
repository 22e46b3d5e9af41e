"""Infeasible hard targets, explained in plain words from HiGHS's irreducible infeasible set."""

from __future__ import annotations

from collections import defaultdict

import linopy

from kazree.model.inputs import Inputs

PLAIN = {
    "capacity": "facility capacity",
    "balance_concentrate": "concentrate balance",
    "balance_intermediate": "intermediate balance",
    "balance_oxide": "oxide balance",
    "balance_metal": "metal balance",
    "balance_magnet": "magnet balance",
    "cracking_capacity": "cracking capacity",
    "separation_feed": "separation feed",
    "metal_output": "metal output",
    "magnet_output": "magnet output",
    "demand_magnet": "magnet demand",
}


def explain_infeasibility(m: linopy.Model, inputs: Inputs, origin: str) -> str:
    """One paragraph naming the conflicting targets, their years and the facilities involved."""
    labels = m.compute_infeasibilities()
    groups: dict[str, set[str]] = defaultdict(set)
    for label in labels:
        position = m.constraints.get_label_position(int(label))
        if not isinstance(position, tuple) or not isinstance(position[0], str):
            continue
        name, coords = position
        groups[name].add(", ".join(str(v) for v in dict(coords or {}).values()))
    targets = {n: sorted(c) for n, c in groups.items() if n.startswith("target_")}
    facilities = sorted({c.split(",")[0] for c in groups.get("capacity", set())})
    parts = []
    for name, years in targets.items():
        target = next(t for t in inputs.targets if f"target_{t.name}" == name)
        parts.append(
            f"target {target.name!r} ({target.region} {target.stage.value} output >= "
            f"{target.share:.0%} of its use + {target.min_t:,.0f} t) cannot be met in"
            f" {', '.join(years)}"
        )
    others = [PLAIN.get(n, n) for n in groups if not n.startswith("target_") and n != "capacity"]
    text = "; ".join(parts) or "the hard targets conflict"
    if facilities:
        text += f"; limited by the capacity of {', '.join(facilities)}"
    if others:
        text += f" (with the {', '.join(sorted(set(others)))})"
    return f"{origin}: infeasible: {text}"
