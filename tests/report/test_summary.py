"""The report's opening sentences: numbers from the metrics, differences to the counterfactual."""

from __future__ import annotations

import math

import pytest
from report_chain import BLOCS, chain_run

from kazree.data import load_dataset
from kazree.i18n import using
from kazree.metrics.flagship import metric_lookup
from kazree.policy.rules import dataset_rules
from kazree.report import ScenarioRun, build_report
from kazree.report.document import Quantity, SummaryBlock
from kazree.report.summary import measures, value


def with_counterfactual(run: ScenarioRun, other: str) -> ScenarioRun:
    """``run`` declaring ``other`` as its counterfactual."""
    results = run.results.copy()
    results.attrs["counterfactual"] = other
    return ScenarioRun(run.name, results, run.metrics, run.assumptions, run.rules)


@pytest.fixture(scope="module")
def pair() -> list[ScenarioRun]:
    """A roadmap run at twice the flows of its counterfactual."""
    return [with_counterfactual(chain_run("roadmap", scale=2.0), "world"), chain_run("world")]


def summaries(runs: list[ScenarioRun]) -> list[SummaryBlock]:
    report = build_report(runs, dataset=load_dataset(), rules=dataset_rules(), blocs=BLOCS)
    return [b for b in report.sections[0].blocks if isinstance(b, SummaryBlock)]


def test_each_number_is_its_metric_and_each_delta_the_difference(pair):
    (block,) = summaries(pair)
    assert block.title == "roadmap against world"
    tables = {r.name: metric_lookup(r.metrics) for r in pair}
    by_name = {m.metric + m.stage + m.element + "".join(m.regions): m for m in measures()}
    numbers = [p for s in block.sentences for p in s.parts() if isinstance(p, Quantity)]
    assert len(numbers) == 2 * len(measures())
    for q in numbers:
        measure = by_name[q.metric + q.stage + q.element + "".join(q.regions)]
        expected = value(tables[q.scenario], measure, q.year)
        if q.minus:
            expected -= value(tables[q.minus], measure, q.year)
        assert q.value == pytest.approx(expected, nan_ok=True)
        assert q.target == "headline-trends"
    output = next(q for q in numbers if q.metric == "output_t" and q.regions == ("KZ",))
    # Kazakhstan mines 40 t in the chain and 80 t at twice the flows.
    assert output.value == pytest.approx(80.0)
    delta = next(q for q in numbers if q.metric == "output_t" and q.regions == ("KZ",) and q.minus)
    assert (delta.value, delta.text) == (pytest.approx(40.0), "+40")
    assert all(not math.isnan(q.value) for q in numbers if q.metric == "output_t")


def test_the_sentences_read_whole_in_every_language(pair):
    with using("ru"):
        (block,) = summaries(pair)
    text = " ".join(s.text() for s in block.sentences)
    assert "Казахстан добывает 80 т оксидов РЗЭ (+40 т)" in text
    assert "{" not in text


def test_without_a_counterfactual_the_summary_says_so():
    (block,) = summaries([chain_run("alpha"), chain_run("beta", scale=2.0)])
    (sentence,) = block.sentences
    assert "kazrareearth-2030" in sentence.text()
    assert not any(isinstance(p, Quantity) for p in sentence.parts())
