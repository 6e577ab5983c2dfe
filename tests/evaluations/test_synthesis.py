"""The synthesis rule of domain.md §3 M, table-driven, with every boundary."""

from datetime import date

import pytest

from evaluations.enums import DistanceLevel, JobReadiness, Orientation, ResidenceRight
from evaluations.synthesis import (
    IaeFacts,
    SynthesisFacts,
    compute_distance,
    iae_hints,
    months_between,
    recommended_orientation,
)

TODAY = date(2026, 11, 28)
R = JobReadiness


def facts(readiness, barriers=0, working=False, last_job=None):
    return SynthesisFacts(
        job_readiness=readiness,
        active_barriers=barriers,
        has_open_work_period=working,
        last_job_ended_on=last_job,
        today=TODAY,
    )


@pytest.mark.parametrize(
    ("readiness", "expected"),
    [
        (R.IMMEDIATE, 0),
        (R.PART_TIME, 0),
        (R.WITH_SUPPORT, 1),
        (R.SELECTIVE, 1),
        (R.UNKNOWN, 1),
        (R.NOT_READY, 2),
    ],
)
def test_readiness_points(readiness, expected):
    assert compute_distance(facts(readiness, working=True)).readiness_points == expected


@pytest.mark.parametrize(
    ("barriers", "expected"),
    [(0, 0), (1, 0), (2, 1), (3, 1), (4, 2), (5, 2), (8, 2)],
)
def test_barrier_points_boundaries(barriers, expected):
    assert compute_distance(facts(R.IMMEDIATE, barriers, working=True)).barrier_points == expected


@pytest.mark.parametrize(
    ("working", "last_job", "expected_points"),
    [
        (True, None, 0),  # an open work period
        (True, date(2010, 1, 1), 0),
        (False, None, 1),  # never worked / unknown
        (False, date(2026, 11, 1), 0),  # this month
        (False, date(2024, 11, 30), 0),  # exactly 24 months ago (month precision): still recent
        (False, date(2024, 10, 31), 1),  # 25 months ago: not recent
        (False, date(2020, 1, 1), 1),
    ],
)
def test_experience_points_boundaries(working, last_job, expected_points):
    assert compute_distance(facts(R.IMMEDIATE, 0, working, last_job)).experience_points == expected_points


@pytest.mark.parametrize(
    ("readiness", "barriers", "working", "score", "level"),
    [
        (R.IMMEDIATE, 0, True, 0, DistanceLevel.CLOSE),
        (R.IMMEDIATE, 1, False, 1, DistanceLevel.CLOSE),  # upper bound of CLOSE
        (R.WITH_SUPPORT, 1, False, 2, DistanceLevel.INTERMEDIATE),  # lower bound of INTERMEDIATE
        (R.IMMEDIATE, 2, False, 2, DistanceLevel.INTERMEDIATE),
        (R.NOT_READY, 0, False, 3, DistanceLevel.INTERMEDIATE),  # upper bound of INTERMEDIATE
        (R.NOT_READY, 2, False, 4, DistanceLevel.FAR),  # lower bound of FAR
        (R.NOT_READY, 4, True, 4, DistanceLevel.FAR),
        (R.NOT_READY, 4, False, 5, DistanceLevel.FAR),  # maximum
        (R.UNKNOWN, 3, True, 2, DistanceLevel.INTERMEDIATE),
    ],
)
def test_score_and_level(readiness, barriers, working, score, level):
    distance = compute_distance(facts(readiness, barriers, working))
    assert (distance.score, distance.level) == (score, level)


@pytest.mark.parametrize("readiness", [None, ""])
def test_no_readiness_means_not_computed(readiness):
    distance = compute_distance(facts(readiness, 5))
    assert distance.level is None
    assert distance.score is None
    assert distance.level_label == "Non calculée"
    assert "disponibilité pour un emploi n'est pas renseignée" in distance.formula


def test_negative_barrier_count_is_refused():
    with pytest.raises(ValueError, match="active_barriers"):
        compute_distance(facts(R.IMMEDIATE, -1))


def test_formula_and_reasons_say_why():
    distance = compute_distance(facts(R.WITH_SUPPORT, 2, False, date(2020, 3, 1)))
    assert distance.formula == "disponibilité 1 + freins 1 + expérience 1 = 3"
    text = " ".join(distance.reasons)
    assert "Prêt·e avec formation ou accompagnement" in text
    assert "2 freins actifs" in text
    assert "Pas d'expérience professionnelle dans les 24 derniers mois" in text
    assert "un score de 2 à 3 donne « Intermédiaire »" in text


@pytest.mark.parametrize(
    ("level", "iae", "expected"),
    [
        (DistanceLevel.CLOSE, False, Orientation.EMPLOYMENT),
        (DistanceLevel.CLOSE, True, Orientation.EMPLOYMENT),
        (DistanceLevel.INTERMEDIATE, True, Orientation.IAE),
        (DistanceLevel.INTERMEDIATE, False, Orientation.TRAINING),
        (DistanceLevel.FAR, True, Orientation.SOCIAL_FIRST),
        (None, True, None),
    ],
)
def test_recommended_orientation(level, iae, expected):
    assert recommended_orientation(level, iae) == expected


def test_months_between():
    assert months_between(date(2024, 11, 30), date(2026, 11, 1)) == 24
    assert months_between(date(2026, 11, 1), date(2026, 11, 30)) == 0


@pytest.mark.parametrize(
    ("iae_facts", "level1", "level2", "ai_etti", "aci"),
    [
        (IaeFacts(), 0, 0, False, False),
        (IaeFacts(open_resource_kinds=["RSA"]), 1, 0, True, True),
        (IaeFacts(ft_registered_since=date(2024, 11, 1), today=TODAY), 1, 0, True, True),  # 24 months
        (IaeFacts(ft_registered_since=date(2024, 12, 1), today=TODAY), 0, 1, False, False),  # 23 months
        (IaeFacts(ft_registered_since=date(2025, 12, 1), today=TODAY), 0, 0, False, False),  # 11 months
        (IaeFacts(age=50, qpv_resident=True), 0, 2, True, False),
        (IaeFacts(age=25, housing_group="EMERGENCY", french_level="BELOW_A1"), 0, 3, True, True),
        (IaeFacts(age=26, residence_right=ResidenceRight.PROTECTION), 0, 1, False, False),
        (IaeFacts(open_resource_kinds=["AAH"], rqth_status="YES", viewer_sees_health=False), 0, 0, False, False),
        (IaeFacts(open_resource_kinds=["AAH"], rqth_status="YES"), 1, 1, True, True),
        (IaeFacts(lone_parent=True, active_mobility_barrier=True, education_level="NV5"), 0, 3, True, True),
        (IaeFacts(education_level="NV4", housing_group="ORDINARY"), 0, 0, False, False),
    ],
)
def test_iae_hints(iae_facts, level1, level2, ai_etti, aci):
    hints = iae_hints(iae_facts)
    assert (len(hints.level1), len(hints.level2)) == (level1, level2)
    assert hints.probable_ai_etti is ai_etti
    assert hints.probable_aci_ei_eiti is aci


def test_a_configured_rule_moves_the_thresholds():
    from evaluations.synthesis import Rule

    rule = Rule.from_thresholds(one_point_from=1, two_points_from=3, recent_months=12, close_max=0, intermediate_max=2)
    distance = compute_distance(facts(R.IMMEDIATE, 1, False, date(2025, 10, 1)), rule)
    assert (distance.barrier_points, distance.experience_points, distance.score) == (1, 1, 2)
    assert distance.level == DistanceLevel.INTERMEDIATE
    assert "barème 0 : 0, 1–2 : 1, 3 et plus : 2" in " ".join(distance.reasons)
    assert "dans les 12 derniers mois" in " ".join(distance.reasons)
    assert compute_distance(facts(R.IMMEDIATE, 0, True), rule).level == DistanceLevel.CLOSE
    assert compute_distance(facts(R.NOT_READY, 3, True), rule).level == DistanceLevel.FAR
