"""Experiments: configs, runner, sweeps, analysis and the command line."""
