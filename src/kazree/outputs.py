"""The files ``kazree run`` and ``kazree plan`` write into an output directory, by name, for the
commands that write them and the report and service that read them back."""

RESULTS_FILE = "results.nc"
SOLVE_FILE = "solve.json"
METRICS_FILE = "metrics.csv"
PLAN_FILE = "plan.csv"
TARGETS_FILE = "targets.csv"
SUMMARY_FILE = "plan.json"
SWEEP_FILE = "sweep.csv"
