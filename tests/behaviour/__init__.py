"""Behaviour of the whole model over fixed seeds: stylised facts, policy directions, horizon."""
