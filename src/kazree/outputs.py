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
EMPTY_BASE_STATUSES = ("no_ore_mined", "no_exports", "no_consumption")
"""``targets.csv`` statuses of a share target in a year its base is zero (processing share,
partner share, CRMA share): it holds whatever the share, so it is met vacuously."""
