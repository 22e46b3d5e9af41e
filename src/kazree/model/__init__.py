"""The supply-chain model: inputs, linopy build, HiGHS solve, results and explanations."""

from kazree.model.results import Results, check_mass_balance
from kazree.model.solve import InfeasibleError, Solution, SolveStatus, solve, solve_scenario

__all__ = [
    "InfeasibleError",
    "Results",
    "Solution",
    "SolveStatus",
    "check_mass_balance",
    "solve",
    "solve_scenario",
]
