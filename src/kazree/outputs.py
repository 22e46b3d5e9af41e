"""The files ``kazree run`` and ``kazree plan`` write into an output directory, by name, for the
commands that write them and the report and service that read them back."""

RESULTS_FILE = "results.nc"
SOLVE_FILE = "solve.json"
METRICS_FILE = "metrics.csv"
PLAN_FILE = "plan.csv"
TARGETS_FILE = "targets.csv"
SUMMARY_FILE = "plan.json"
SWEEP_FILE = "sweep.csv"
COMPARE_FILE = "compare.csv"

COST_TOLERANCE = 1e-6
"""Below this a target's cost in ``targets.csv`` (US$ per unit) counts as zero: it does not
bind."""
NO_ORE_MINED = "no_ore_mined"
NO_EXPORTS = "no_exports"
NO_CONSUMPTION = "no_consumption"
NO_COVERED_OUTPUT = "no_covered_output"
EMPTY_BASE_STATUSES = (NO_ORE_MINED, NO_EXPORTS, NO_CONSUMPTION, NO_COVERED_OUTPUT)
"""``targets.csv`` statuses of a share target in a year its base is zero (processing share:
the country mines nothing; partner share: it exports nothing; CRMA share: the bloc consumes
nothing; partner offtake: the consortium's plants run idle): it holds whatever the share, so it
is met vacuously."""
SAMPLES_FILE = "samples.nc"
"""``kazree risk``: every sample's headline metrics, target margins and draws."""
RISK_SUMMARY_FILE = "summary.csv"
SENSITIVITY_FILE = "sensitivity.csv"
RISK_FILE = "risk.json"
STOCHASTIC_FILE = "stochastic.json"
"""``kazree plan --stochastic``: expected cost, VSS, EVPI and timings."""
FUTURES_FILE = "futures.csv"
