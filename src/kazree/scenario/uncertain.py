"""The ``uncertain:`` block of a scenario: distributions over its numeric fields and discrete
regimes (sets of field values with probabilities), read by ``kazree risk`` and
``kazree plan --stochastic`` (docs/uncertainty.md).

A field is named by its path in the scenario: dotted names, and ``[id]`` for the item of a list
with that ``id`` (or ``name``), e.g. ``plan.candidates[kz-mine].lead_years``,
``costs.stage_usd_per_t.separation``, ``controls.licence_share``. An input either sets the field
to the draw (``dist``), multiplies its value by the draw (``factor``: overruns) or adds the draw
to it (``shift``: delays in years).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

PROBABILITY_TOLERANCE = 1e-6
"""How far probabilities may sum from 1 (rounding in a YAML file)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _ordered(low: float, high: float, names: str) -> None:
    if high < low:
        msg = f"{names}: high {high} is below low {low} (allowed: low <= high)"
        raise ValueError(msg)


def _sums_to_one(probabilities: list[float]) -> None:
    total = sum(probabilities)
    if abs(total - 1.0) > PROBABILITY_TOLERANCE:
        msg = f"probabilities sum to {total:.6g} (allowed: a sum of 1)"
        raise ValueError(msg)


class Uniform(_Strict):
    """Any value in ``low..high``, equally likely."""

    kind: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _check(self) -> Uniform:
        _ordered(self.low, self.high, "uniform")
        return self


class Integers(_Strict):
    """A whole number in ``low..high`` (both included), equally likely."""

    kind: Literal["integers"]
    low: int
    high: int

    @model_validator(mode="after")
    def _check(self) -> Integers:
        _ordered(self.low, self.high, "integers")
        return self


class Normal(_Strict):
    """Normal with ``mean`` and standard deviation ``sd``."""

    kind: Literal["normal"]
    mean: float
    sd: Annotated[float, Field(ge=0.0)]


class Lognormal(_Strict):
    """Lognormal with ``median`` (the draw's median) and ``sigma`` (of its logarithm): the usual
    law of cost overrun factors."""

    kind: Literal["lognormal"]
    median: Annotated[float, Field(gt=0.0)]
    sigma: Annotated[float, Field(ge=0.0)]


class Triangular(_Strict):
    """Triangular on ``low..high`` with its peak at ``mode``."""

    kind: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _check(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            msg = (
                f"triangular: mode {self.mode} is outside {self.low}..{self.high}"
                " (allowed: low <= mode <= high)"
            )
            raise ValueError(msg)
        return self


class Discrete(_Strict):
    """One of ``values`` with the matching ``probabilities`` (summing to 1)."""

    kind: Literal["discrete"]
    values: Annotated[list[float], Field(min_length=1)]
    probabilities: Annotated[list[Annotated[float, Field(ge=0.0, le=1.0)]], Field(min_length=1)]

    @model_validator(mode="after")
    def _check(self) -> Discrete:
        if len(self.values) != len(self.probabilities):
            msg = (
                f"{len(self.values)} values but {len(self.probabilities)} probabilities"
                " (allowed: one probability per value)"
            )
            raise ValueError(msg)
        _sums_to_one(self.probabilities)
        return self


Distribution = Annotated[
    Uniform | Integers | Normal | Lognormal | Triangular | Discrete, Field(discriminator="kind")
]


def is_integral(dist: Distribution) -> bool:
    """Whether every draw of ``dist`` is a whole number."""
    if isinstance(dist, Integers):
        return True
    return isinstance(dist, Discrete) and all(float(v).is_integer() for v in dist.values)


def expected(dist: Distribution) -> float:
    """The mean of ``dist``."""
    if isinstance(dist, Uniform):
        return (dist.low + dist.high) / 2.0
    if isinstance(dist, Integers):
        return (dist.low + dist.high) / 2.0
    if isinstance(dist, Normal):
        return dist.mean
    if isinstance(dist, Lognormal):
        return dist.median * math.exp(dist.sigma**2 / 2.0)
    if isinstance(dist, Triangular):
        return (dist.low + dist.mode + dist.high) / 3.0
    return sum(v * p for v, p in zip(dist.values, dist.probabilities, strict=True))


def probes(dist: Distribution) -> list[float]:
    """Values that stand for the range of ``dist`` when checking that the field takes them."""
    if isinstance(dist, Uniform | Integers):
        return [dist.low, dist.high]
    if isinstance(dist, Triangular):
        return [dist.low, dist.mode, dist.high]
    if isinstance(dist, Discrete):
        return list(dist.values)
    return [expected(dist)]


class UncertainInput(_Strict):
    """One uncertain number: a field of the scenario and its law."""

    field: str = Field(min_length=1, max_length=200)
    """Path of the field (see the module docstring)."""
    dist: Distribution | None = None
    """The field takes the draw."""
    factor: Distribution | None = None
    """The field's value is multiplied by the draw (e.g. a capex overrun)."""
    shift: Distribution | None = None
    """The draw is added to the field's value (e.g. a delay in years)."""
    label: str | None = None
    """Short name in tables and charts (default: the field)."""
    source: str = "assumption"
    """Where the law comes from: an id of ``sources.csv``, or ``assumption``."""

    @model_validator(mode="after")
    def _one_law(self) -> UncertainInput:
        given = [n for n in ("dist", "factor", "shift") if getattr(self, n) is not None]
        if len(given) != 1:
            msg = (
                f"{self.field}: {' and '.join(given) or 'no law'} given"
                " (allowed: exactly one of dist, factor, shift)"
            )
            raise ValueError(msg)
        return self

    @property
    def law(self) -> Distribution:
        """The distribution, whichever way it applies."""
        law = self.dist or self.factor or self.shift
        assert law is not None  # the validator guarantees one
        return law

    @property
    def name(self) -> str:
        """The input's name in outputs."""
        return self.label or self.field


class RegimeOption(_Strict):
    """One state of a regime: field values that hold together, with a probability."""

    label: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    probability: Annotated[float, Field(ge=0.0, le=1.0)]
    set: dict[str, Any] = {}
    """Field path -> value (any YAML value: a number, a list of rules, ...)."""


class Regime(_Strict):
    """A discrete uncertainty: exactly one option holds in each future."""

    name: str = Field(pattern=r"^[a-z0-9_]+$")
    options: Annotated[list[RegimeOption], Field(min_length=1)]
    source: str = "assumption"
    """Where the probabilities come from: an id of ``sources.csv``, or ``assumption``."""

    @model_validator(mode="after")
    def _check(self) -> Regime:
        _sums_to_one([o.probability for o in self.options])
        labels = [o.label for o in self.options]
        if len(set(labels)) != len(labels):
            msg = f"option labels repeat: {labels} (allowed: distinct labels)"
            raise ValueError(msg)
        return self

    def most_likely(self) -> RegimeOption:
        """The most probable option (the first of equals)."""
        return max(self.options, key=lambda o: o.probability)


class UncertainSpec(_Strict):
    """Every uncertain input and regime of a scenario."""

    inputs: list[UncertainInput] = []
    regimes: list[Regime] = []

    @model_validator(mode="after")
    def _distinct(self) -> UncertainSpec:
        names = [i.name for i in self.inputs] + [r.name for r in self.regimes]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            msg = f"{repeated[0]!r} names two inputs (allowed: distinct labels)"
            raise ValueError(msg)
        return self

    @property
    def names(self) -> list[str]:
        """Input and regime names, in the order they are drawn."""
        return [i.name for i in self.inputs] + [r.name for r in self.regimes]
