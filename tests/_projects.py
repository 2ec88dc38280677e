"""Helpers for the submodel tests: a project built from the model's own draws, put in a phase."""

from __future__ import annotations

from ecosystem.project import draw_project


def make_project(model, *, modality="antibody", holder=None, **attrs):
    """A project of the model's first scientist, with attributes overridden."""
    sci = model.scientists[0]
    p = draw_project(0, 0, sci, False, model.streams.keyed("test", 0), model.params, 0.0)
    p.modality = modality
    p.holder = holder
    for k, v in attrs.items():
        setattr(p, k, v)
    return p


def start(model, p, phase):
    """Put a project into the chain at a phase."""
    p.phase = phase
    model.chain.active.append(p)
    return p
