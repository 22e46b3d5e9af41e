"""The roadmap's instruments: priority zones (MCDA) and project finance (cash flows, capital
stacks, offtakes), built on the sourced dataset and meant as inputs of the roadmap planner."""
