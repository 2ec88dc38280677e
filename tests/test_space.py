import math

import pytest

from ecosystem import ScienceCityModel


@pytest.fixture
def region(model):
    return model.region


def test_travel_time_is_distance_times_detour_over_speed(region):
    c = region.center
    east = (c[0] + 10, c[1])  # 10 cells × 2 km = 20 km
    assert region.travel_minutes(c, east) == pytest.approx(20 * 1.3 / 60 * 60)


def test_circle_holds_cells_within_sixty_minutes(region):
    c = region.center
    km_per_hour = 60 / 1.3
    inside = (c[0] + int(km_per_hour / 2 * 0.9), c[1])
    outside = (c[0] + int(km_per_hour / 2 * 1.1) + 1, c[1])
    assert region.in_circle(inside)
    assert not region.in_circle(outside)
    assert not region.in_circle(None)
    assert region.circle_radius_cells() == pytest.approx(km_per_hour / 2)


def test_collaboration_decays_with_travel_time(region):
    c = region.center
    near, far = (c[0] + 1, c[1]), (c[0] + 30, c[1])
    p_near, p_far = region.collaboration_prob(c, near), region.collaboration_prob(c, far)
    assert 0 < p_far < p_near <= 1
    assert p_far == pytest.approx(math.exp(-region.travel_minutes(c, far) / 45.0))


def test_handoff_out_of_region_costs_months(region):
    c = region.center
    local = region.handoff_months(c, (c[0] + 5, c[1]))
    away = region.handoff_months(c, None)
    assert away >= 2.0 + local
    assert local < 1.0


def test_one_hour_circle_policy_cuts_handoffs_and_widens_reach():
    base = ScienceCityModel(seed=1)
    circle = ScienceCityModel(seed=1, policy_scenario="one_hour_circle", warmup_months=0)
    c = base.region.center
    b = (c[0] + 8, c[1] + 3)
    assert circle.region.handoff_months(c, b) < base.region.handoff_months(c, b)
    assert circle.region.travel_minutes(c, b) < base.region.travel_minutes(c, b)
    assert circle.region.collaboration_prob(c, b) > base.region.collaboration_prob(c, b)
    far = (c[0] + 39, c[1])  # outside the circle: unchanged
    assert circle.region.handoff_months(c, far) == base.region.handoff_months(c, far)


def test_circle_radius_follows_parameter():
    m = ScienceCityModel(
        seed=1,
        warmup_months=0,  # the policy in force from month 1
        **{
            "policies.one_hour_circle.enabled": True,
            "policies.one_hour_circle.circle_minutes": 120,
        },
    )
    assert m.region.circle.minutes == 120
    assert m.region.circle_radius_cells() == pytest.approx(2 * (60 / 1.3) / 2)


def test_statistics_measure_the_circle_with_their_own_radius():
    """Sweeping the lever's radius changes the circle's services, not the yardstick."""
    c = ScienceCityModel(seed=1).region.center
    at_90_minutes = (c[0] + round(90 / 60 * 60 / 1.3 / 2), c[1])
    for enabled in (False, True):
        m = ScienceCityModel(
            seed=1,
            warmup_months=0,  # the policy in force from month 1
            **{
                "policies.one_hour_circle.enabled": enabled,
                "policies.one_hour_circle.circle_minutes": 120,
            },
        )
        assert bool(m.region.in_circle(at_90_minutes)) is enabled
        assert not m.region.in_measured_circle(at_90_minutes)
    wide = ScienceCityModel(seed=1, **{"space.circle_measure_minutes": 120})
    assert wide.region.in_measured_circle(at_90_minutes)


def test_status_quo_statistics_do_not_move_with_the_lever():
    counts = []
    for radius in (20, 120):
        lever = {"policies.one_hour_circle.circle_minutes": radius}
        m = ScienceCityModel(seed=3, months=36, **lever)
        last = m.run().timeseries().iloc[-1]
        counts.append((last["links_in_circle"], last["pilot_share_in_circle"]))
    assert counts[0] == counts[1]


def test_grid_grows_with_scale():
    small = ScienceCityModel(seed=1)
    big = ScienceCityModel(seed=1, scale=4)
    assert big.region.half_width == 2 * small.region.half_width
    assert len(big.scientists) == 4 * len(small.scientists)


def test_remembered_travel_and_reach_follow_a_circle_switched_mid_run():
    """Travel minutes and collaboration chances are remembered per pair of places; switching
    the circle on or off mid-run must give the values a fresh region computes."""
    m = ScienceCityModel(seed=1, warmup_months=0)
    c = m.region.center
    b = (c[0] + 8, c[1] + 3)
    before = (m.region.travel_minutes(c, b), m.region.collaboration_prob(c, b))
    m.set_policy("one_hour_circle", True)
    m.step()
    fresh = ScienceCityModel(seed=1, policy_scenario="one_hour_circle", warmup_months=0)
    on = (m.region.travel_minutes(c, b), m.region.collaboration_prob(c, b))
    assert on == (fresh.region.travel_minutes(c, b), fresh.region.collaboration_prob(c, b))
    assert on[0] < before[0] and on[1] > before[1]
    m.set_policy("one_hour_circle", False)
    m.step()
    assert (m.region.travel_minutes(c, b), m.region.collaboration_prob(c, b)) == before
