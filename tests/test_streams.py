import numpy as np

from ecosystem.streams import Streams


def test_same_seed_same_draws():
    a, b = Streams(5), Streams(5)
    assert np.array_equal(a.stream("x").random(5), b.stream("x").random(5))


def test_streams_are_independent():
    """Drawing from one stream does not shift another (common random numbers)."""
    a, b = Streams(5), Streams(5)
    a.stream("noise").random(1000)
    assert np.array_equal(a.stream("discovery").random(5), b.stream("discovery").random(5))


def test_keyed_streams_differ_by_key_and_seed():
    s = Streams(5)
    x = s.keyed("project", 1, 2).random()
    assert x == Streams(5).keyed("project", 1, 2).random()
    assert x != s.keyed("project", 1, 3).random()
    assert x != Streams(6).keyed("project", 1, 2).random()
