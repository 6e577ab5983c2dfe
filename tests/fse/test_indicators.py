"""Each indicator on hand-built participants (issue 7 §9), and the aggregate validation rules."""

import datetime

import pytest

from fse import indicators
from fse.enums import Answer, Eeco16Scope, Housing, LabourStatusExit, Nationality, Programme
from tests.fse.factories import OperationFactory, ParticipantFactory

ENTRY = datetime.date(2025, 3, 1)
pytestmark = pytest.mark.django_db


def born(years: int, days: int = 0) -> datetime.date:
    """A birth date making the participant exactly `years` old on ENTRY (minus `days` days)."""
    return ENTRY.replace(year=ENTRY.year - years) + datetime.timedelta(days=days)


def total(operation, code, scope=indicators.PERIOD, column="total"):
    return indicators.compute(operation).value(code, scope, column)


@pytest.fixture
def op():
    return OperationFactory()


def test_age_bands_on_the_entry_date(op):
    for years in (17, 18, 29, 30, 54, 55):
        ParticipantFactory(operation=op, birth_date=born(years), entry_on=ENTRY)
    ParticipantFactory(operation=op, birth_date=born(18, days=1), entry_on=ENTRY)  # 18 tomorrow: still 17
    figures = indicators.compute(op)
    assert figures.value("EECO01") == 7
    assert figures.value("EECO06") == 2  # 17 and almost 18
    assert figures.value("EECO07") == 2  # exactly 18 and exactly 29
    assert figures.value("EECO08") == 1  # exactly 55
    assert figures.value("CO06", indicators.PERIOD) == 3  # legacy: under 25
    assert figures.value("CO07") == 1  # legacy: above 54


@pytest.mark.parametrize(
    ("age", "since", "expected"),
    [
        (40, datetime.date(2024, 2, 28), 1),  # 12 months end 2025-02-28, strictly before entry
        (40, datetime.date(2024, 3, 1), 0),  # 12 months end on the entry date: not yet
        (24, datetime.date(2024, 8, 31), 1),  # under 25: 6 months end 2025-02-28
        (24, datetime.date(2024, 9, 1), 0),  # under 25: 6 months end on the entry date
        (25, datetime.date(2024, 8, 31), 0),  # 25 and over: 12 months needed
    ],
)
def test_long_term_unemployment_threshold(op, age, since, expected):
    ParticipantFactory(operation=op, birth_date=born(age), entry_on=ENTRY, unemployed_since=since)
    assert total(op, "EECO02") == 1
    assert total(op, "EECO03") == expected
    assert total(op, "CO02") == expected


def test_long_term_unemployment_inclusive_setting(op):
    op.ltu_inclusive = True
    op.save()
    ParticipantFactory(operation=op, birth_date=born(40), entry_on=ENTRY, unemployed_since=datetime.date(2024, 3, 1))
    assert total(op, "EECO03") == 1


def test_entry_status_and_education(op):
    ParticipantFactory(operation=op, isced_entry=0)
    ParticipantFactory(operation=op, inactive=True, isced_entry=2, in_education_or_training_entry=True)
    ParticipantFactory(operation=op, inactive=True, isced_entry=4)
    ParticipantFactory(operation=op, employed=True, isced_entry=5, man=True)
    ParticipantFactory(operation=op, employed=True, isced_entry=8, non_binary=True)
    figures = indicators.compute(op)
    assert figures.as_json()["EECO01"] == {"women": 3, "men": 1, "non_binary": 1, "total": 5}
    assert figures.value("EECO02") == 1
    assert figures.value("EECO04") == 2
    assert figures.value("EECO05") == 2
    assert figures.value("EECO05", column="men") == 1
    assert (figures.value("EECO09"), figures.value("EECO10"), figures.value("EECO11")) == (2, 1, 2)
    assert figures.value("CO09") == 1  # the 2014-2020 band starts at ISCED 1
    assert figures.value("CO04") == 1  # inactive, not in education


def test_declined_sensitive_answers_count_only_in_the_total(op):
    ParticipantFactory(
        operation=op,
        disability=Answer.DECLINED,
        nationality=Nationality.DECLINED,
        born_abroad=Answer.DECLINED,
        parent_born_abroad=Answer.DECLINED,
        housing_entry=Housing.DECLINED,
    )
    ParticipantFactory(
        operation=op,
        disability=Answer.YES,
        nationality=Nationality.STATELESS,
        born_abroad=Answer.NO,
        parent_born_abroad=Answer.YES,
        housing_entry=Housing.HOSTED,
        is_rural=True,
    )
    ParticipantFactory(operation=op, nationality=Nationality.EU, born_abroad=Answer.YES, housing_entry=Housing.STREET)
    ParticipantFactory(operation=op, nationality=Nationality.UNDETERMINED)
    figures = indicators.compute(op)
    assert figures.value("EECO01") == 4
    assert figures.value("EECO12") == 1
    assert figures.value("EECO13") == 2  # stateless, undetermined; not the EU citizen nor the decline
    assert figures.value("EECO14") == 2  # a parent born abroad; born abroad
    assert figures.value("EECO16") == 2  # hosted by a third party, street
    assert figures.value("EECO17") == 1
    assert figures.value("EECO15") is None  # minority not collected by default
    assert figures.rows["EECO15"].collected is False


def test_eeco16_narrow_scope_and_target_group_flag(op):
    ParticipantFactory(operation=op, housing_entry=Housing.HOSTED)
    ParticipantFactory(operation=op, housing_entry=Housing.SHELTER)
    ParticipantFactory(operation=op, housing_entry=Housing.ORDINARY)
    op.eeco16_scope = Eeco16Scope.ROOFLESS_HOUSELESS
    op.save()
    assert total(op, "EECO16") == 1
    op.target_group_flags = {"EECO16": True}
    op.save()
    assert total(op, "EECO16") == 3


@pytest.mark.parametrize(("days", "expected"), [(0, 1), (28, 1), (29, 0)])
def test_results_count_exits_observed_within_28_days(op, days, expected):
    exit_on = datetime.date(2025, 9, 30)
    ParticipantFactory(
        operation=op,
        inactive=True,
        exit_on=exit_on,
        exit_observed_on=exit_on + datetime.timedelta(days=days),
        lm_status_exit=LabourStatusExit.EMPLOYED,
        qualification_gained=True,
    )
    figures = indicators.compute(op)
    assert figures.value("EECR04") == expected
    assert figures.value("EECR03") == expected
    assert figures.value(indicators.LEAVERS_ALL) == 1


def test_change_of_status_filters(op):
    exit_fields = {"exit_on": datetime.date(2025, 6, 30), "exit_observed_on": datetime.date(2025, 7, 1)}
    ParticipantFactory(operation=op, inactive=True, lm_status_exit=LabourStatusExit.JOB_SEEKING, **exit_fields)
    ParticipantFactory(operation=op, lm_status_exit=LabourStatusExit.JOB_SEEKING, **exit_fields)  # unemployed
    ParticipantFactory(operation=op, employed=True, lm_status_exit=LabourStatusExit.EMPLOYED, **exit_fields)
    ParticipantFactory(
        operation=op, lm_status_exit=LabourStatusExit.EMPLOYED, in_education_or_training_exit=True, **exit_fields
    )
    figures = indicators.compute(op)
    assert figures.value("EECR01") == 1
    assert figures.value("EECR04") == 1
    assert figures.value("EECR02") == 1
    assert figures.value("CR01") == 1
    op.eecr01_inactive_at_entry_only = False
    op.eecr04_not_employed_at_entry_only = False
    op.save()
    figures = indicators.compute(op)
    assert figures.value("EECR01") == 2
    assert figures.value("EECR04") == 2


def test_period_and_cumulated_figures(op):
    ParticipantFactory(operation=op, entry_on=datetime.date(2024, 5, 1))
    ParticipantFactory(operation=op, entry_on=datetime.date(2025, 2, 1), man=True)
    ParticipantFactory(operation=op, entry_on=datetime.date(2025, 8, 1))  # after the period
    figures = indicators.compute(op, datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
    assert figures.as_json(indicators.PERIOD)["EECO01"] == {"women": 0, "men": 1, "non_binary": 0, "total": 1}
    assert figures.as_json(indicators.CUMULATED)["EECO01"] == {"women": 1, "men": 1, "non_binary": 0, "total": 2}


def test_drafts_and_very_short_support_are_not_counted(op):
    ParticipantFactory(operation=op, draft=True)
    ParticipantFactory(operation=op, exit_on=ENTRY)  # one day of support
    ParticipantFactory(operation=op, exit_on=ENTRY + datetime.timedelta(days=1))  # two days: counted
    ParticipantFactory(operation=op)
    assert total(op, "EECO01") == 2
    quality = indicators.quality(op)
    assert quality.total == 4
    assert quality.not_validated == 1
    assert quality.short_support == 1


def test_indicators_are_two_queries_whatever_the_size(op, django_assert_num_queries):
    ParticipantFactory(operation=op)
    with django_assert_num_queries(2):  # entrants by gender, leavers by gender
        indicators.compute(op)
    ParticipantFactory.create_batch(50, operation=op, left=True)
    with django_assert_num_queries(2):
        figures = indicators.compute(op)
    assert figures.value("EECO01") == 51


def test_drill_down_lists_the_participants_behind_a_cell(op):
    ltu = ParticipantFactory(operation=op, man=True, unemployed_since=datetime.date(2020, 1, 1))
    ParticipantFactory(operation=op, unemployed_since=datetime.date(2020, 1, 1))
    ParticipantFactory(operation=op, man=True)
    qs = indicators.cell_participants(op, "EECO03", indicators.PERIOD, "men", op.start_on, op.end_on)
    assert list(qs) == [ltu]


def test_aggregate_rules_hold_on_consistent_data(op):
    ParticipantFactory(operation=op, left=True)
    ParticipantFactory(operation=op, inactive=True, man=True)
    checks = indicators.aggregate_checks(indicators.compute(op))
    assert checks
    assert all(check.ok for check in checks), [c for c in checks if not c.ok]


def test_aggregate_rules_report_an_inconsistency(op):
    ParticipantFactory(operation=op, left=True)
    figures = indicators.compute(op)
    figures.rows["EECO03"].values[indicators.PERIOD]["women"] = 5  # more long-term unemployed than unemployed
    figures.rows["EECR04"].values[indicators.CUMULATED]["total"] = 9
    failed = {check.label for check in indicators.aggregate_checks(figures) if not check.ok}
    assert "Chômeurs de longue durée ≤ chômeurs" in failed
    assert "EECR04 ≤ sa sortie de référence cumulée" in failed


def test_legacy_programme_uses_the_2014_set():
    op = OperationFactory(programme=Programme.FSE_2014)
    ParticipantFactory(operation=op)
    figures = indicators.compute(op)
    assert list(figures.as_json())[:2] == ["TOTAL", "CO01"]
    assert all(check.ok for check in indicators.aggregate_checks(figures))


def test_six_month_results_only_when_collected(op):
    exit_on = datetime.date(2025, 4, 30)
    ParticipantFactory(
        operation=op,
        employed=True,
        exit_on=exit_on,
        exit_observed_on=exit_on,
        lm_status_exit=LabourStatusExit.EMPLOYED,
        six_month_observed_on=datetime.date(2025, 11, 5),
        six_month_employed=True,
        six_month_improvement="PROMOTION",
    )
    assert total(op, "EECR05") is None
    op.collects_six_month = True
    op.save()
    assert total(op, "EECR05") == 1
    assert total(op, "EECR06") == 1


def test_legacy_result_indicators_count_like_their_fse_plus_twins(op):
    exit_fields = {"exit_on": datetime.date(2025, 6, 30), "exit_observed_on": datetime.date(2025, 7, 1)}
    ParticipantFactory(operation=op, lm_status_exit=LabourStatusExit.EMPLOYED, **exit_fields)
    ParticipantFactory(operation=op, employed=True, lm_status_exit=LabourStatusExit.EMPLOYED, **exit_fields)
    ParticipantFactory(
        operation=op,
        lm_status_exit=LabourStatusExit.JOB_SEEKING,
        in_education_or_training_exit=True,
        qualification_gained=True,
        **exit_fields,
    )
    figures = indicators.compute(op)
    assert figures.value("EECR02") == figures.value("CR02") == 1
    assert figures.value("EECR03") == figures.value("CR03") == 1
    assert figures.value("EECR04") == figures.value("CR04") == 1
    assert indicators.REGISTRY["CR04"].label == indicators.REGISTRY["EECR04"].label
