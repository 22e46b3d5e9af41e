"""Draws of a scenario's uncertain inputs, and the scenario each draw gives.

Sample ``i`` of seed ``s`` draws from its own generator, ``numpy.random.default_rng([s, i])``,
so a sample's values depend on neither the number of samples nor the worker that computes it:
the first 100 of 1,000 samples are the 100 samples of a shorter run, and any split of the
samples across workers gives the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from kazree.errors import KazreeError
from kazree.model.inputs import build_inputs
from kazree.risk.fields import Leaf, dumped, is_integer_field, locate, number_at, rebuilt
from kazree.scenario.dataset import scenario_dataset
from kazree.scenario.schema import Scenario
from kazree.scenario.uncertain import (
    Discrete,
    Distribution,
    Integers,
    Lognormal,
    Normal,
    Triangular,
    UncertainInput,
    UncertainSpec,
    Uniform,
    expected,
    probes,
)

ASSUMPTION = "assumption"
"""The source of a law that no publication gives."""
Draw = Mapping[str, float | str]
"""Input name -> drawn number; regime name -> option label."""


def spec_of(scenario: Scenario) -> UncertainSpec:
    """The scenario's ``uncertain:`` block; an error when it declares nothing."""
    spec = scenario.uncertain
    if not spec.names:
        msg = (
            f"{scenario.origin}: uncertain: nothing declared"
            " (allowed: inputs with a dist, factor or shift, or regimes; docs/uncertainty.md)"
        )
        raise KazreeError(msg)
    return spec


def _one(rng: np.random.Generator, law: Distribution) -> float:
    if isinstance(law, Uniform):
        return float(rng.uniform(law.low, law.high))
    if isinstance(law, Integers):
        return float(rng.integers(law.low, law.high + 1))
    if isinstance(law, Normal):
        return float(rng.normal(law.mean, law.sd))
    if isinstance(law, Lognormal):
        return float(rng.lognormal(math.log(law.median), law.sigma))
    if isinstance(law, Triangular):
        if law.low == law.high:
            return law.low
        return float(rng.triangular(law.low, law.mode, law.high))
    assert isinstance(law, Discrete)
    return float(law.values[int(rng.choice(len(law.values), p=law.probabilities))])


def draw(spec: UncertainSpec, seed: int, sample: int) -> dict[str, float | str]:
    """The values of sample ``sample`` (inputs in order, then regimes)."""
    rng = np.random.default_rng([seed, sample])
    out: dict[str, float | str] = {i.name: _one(rng, i.law) for i in spec.inputs}
    for regime in spec.regimes:
        chosen = int(rng.choice(len(regime.options), p=[o.probability for o in regime.options]))
        out[regime.name] = regime.options[chosen].label
    return out


def draws(spec: UncertainSpec, seed: int, samples: int) -> pd.DataFrame:
    """One row per sample (index ``sample``), one column per input and regime."""
    rows = [draw(spec, seed, i) for i in range(samples)]
    return pd.DataFrame(rows, index=pd.RangeIndex(samples, name="sample"), columns=spec.names)


def expected_draw(spec: UncertainSpec) -> dict[str, float | str]:
    """The expected future: each input at its mean, each regime in its most likely option."""
    out: dict[str, float | str] = {i.name: expected(i.law) for i in spec.inputs}
    out.update({r.name: r.most_likely().label for r in spec.regimes})
    return out


def _where(scenario: Scenario, kind: str, index: int, name: str) -> str:
    return f"{scenario.origin}: uncertain.{kind}[{index}] ({name})"


@cache
def _integer(annotation: Any) -> bool:
    return is_integer_field(annotation)


def _value(item: UncertainInput, leaf: Leaf, drawn: float, where: str) -> float | int:
    if item.factor is not None:
        value = number_at(leaf, item.field, where, "scale") * drawn
    elif item.shift is not None:
        value = number_at(leaf, item.field, where, "shift") + drawn
    else:
        value = drawn
    try:
        integral = _integer(leaf.annotation)
    except TypeError:  # an annotation pydantic cannot hash or adapt
        integral = False
    return round(value) if integral else value


def apply(scenario: Scenario, values: Draw) -> Scenario:
    """``scenario`` with the drawn values set (inputs first, then regimes' options)."""
    spec = scenario.uncertain
    data = dumped(scenario)
    for index, item in enumerate(spec.inputs):
        where = _where(scenario, "inputs", index, item.name)
        leaf = locate(data, item.field, where)
        leaf.parent[leaf.key] = _value(item, leaf, float(values[item.name]), where)
    for index, regime in enumerate(spec.regimes):
        where = _where(scenario, "regimes", index, regime.name)
        label = values[regime.name]
        option = next((o for o in regime.options if o.label == label), None)
        if option is None:
            allowed = ", ".join(o.label for o in regime.options)
            msg = f"{where}: option {label!r} is unknown (allowed: {allowed})"
            raise KazreeError(msg)
        for path, value in option.set.items():
            leaf = locate(data, path, f"{where}.{option.label}")
            leaf.parent[leaf.key] = value
    return rebuilt(scenario, data, f"{scenario.origin}: uncertain")


def _check_sources(scenario: Scenario, spec: UncertainSpec) -> None:
    known = set(scenario_dataset(scenario).table("sources")["id"])
    named = [("inputs", i, item.name, item.source) for i, item in enumerate(spec.inputs)]
    named += [("regimes", i, r.name, r.source) for i, r in enumerate(spec.regimes)]
    for kind, index, name, source in named:
        if source not in known | {ASSUMPTION}:
            msg = (
                f"{_where(scenario, kind, index, name)}: source {source!r} is unknown"
                f" (allowed: an id of sources.csv or {ASSUMPTION!r})"
            )
            raise KazreeError(msg)


def check(scenario: Scenario) -> UncertainSpec:
    """The scenario's uncertain block, checked: every path exists, every law's range and every
    regime option gives a valid scenario, every source is known. One-line errors name the
    file, input and value."""
    spec = spec_of(scenario)
    _check_sources(scenario, spec)
    base = expected_draw(spec)
    for index, item in enumerate(spec.inputs):
        where = _where(scenario, "inputs", index, item.name)
        for probe in probes(item.law):
            trial = {**base, item.name: probe}
            try:
                apply(scenario, trial)
            except KazreeError as exc:
                text = str(exc)
                if text.startswith(f"{scenario.origin}: uncertain:"):
                    detail = text.removeprefix(f"{scenario.origin}: uncertain: ")
                    msg = f"{where}: the draw {probe:g} {detail}"
                    raise KazreeError(msg) from None
                raise
    for regime in spec.regimes:
        for option in regime.options:
            future = apply(scenario, {**base, regime.name: option.label})
            build_inputs(future, scenario_dataset(future))
    return spec
