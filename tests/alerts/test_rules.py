"""Each rule on hand-built cases: fires, does not fire, boundary day, severity, automatic resolution."""

import datetime as dt

import pgtrigger
import pytest
from django.utils import timezone

from alerts.enums import AlertStatus, Resolution, Severity
from alerts.models import Alert, AlertSettings
from evaluations.models import Evaluation
from parcours.enums import EmploymentStatus, EventStatus, ReferralStatus
from tests.alerts.conftest import days, local_noon, open_alerts, run
from tests.alerts.factories import AlertFactory
from tests.evaluations.factories import EvaluationFactory
from tests.parcours.factories import (
    EmploymentSituationFactory,
    EventFactory,
    FollowUpFactory,
    HousingRequestFactory,
    HousingSituationFactory,
    PassIaeFactory,
    PersonFactory,
    ReferralFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db


class TestStayEnd:
    def test_fires_within_60_days_with_severity_by_threshold(self, followed, worker, structure):
        stay = HousingSituationFactory(person=followed, ending_in_days=45, structure=structure)
        run("STAY_END")
        (alert,) = open_alerts("STAY_END")
        assert (alert.person, alert.subject_key, alert.severity) == (
            followed,
            f"housingsituation:{stay.pk}",
            "WARNING",
        )
        assert alert.owner == worker
        assert alert.structure == structure
        assert alert.due_on == days(45)
        assert alert.facts["structure"] == structure.name

    def test_boundary_days(self, followed):
        stay = HousingSituationFactory(person=followed, ending_in_days=61)
        run("STAY_END")
        assert open_alerts() == []
        stay.planned_end_on = days(60)
        stay.save()
        run("STAY_END")
        assert open_alerts("STAY_END")[0].severity == Severity.WARNING
        stay.planned_end_on = days(30)
        stay.save()
        run("STAY_END")
        (alert,) = open_alerts("STAY_END")
        assert alert.severity == Severity.URGENT  # crossing the second threshold raises the open alert

    def test_does_not_fire_with_a_next_step_or_pension_de_famille_or_unfollowed(self, followed, structure):
        HousingSituationFactory(person=followed, ending_in_days=10)
        ReferralFactory(person=followed, from_structure=structure, kind="HOUSING")
        HousingSituationFactory(person=PersonFactory(followed_by=structure), residential_status="PENSION_DE_FAMILLE",
                                ending_in_days=10)  # fmt: skip
        HousingSituationFactory(person=PersonFactory(), ending_in_days=10)  # nobody follows: no alert
        run("STAY_END")
        assert open_alerts() == []

    def test_an_old_accepted_referral_is_no_next_step(self, followed, structure):
        HousingSituationFactory(person=followed, ending_in_days=10)
        referral = ReferralFactory(person=followed, from_structure=structure, kind="HOUSING", accepted=True)
        referral.answered_at = local_noon(61)
        referral.save()
        run("STAY_END")
        assert len(open_alerts("STAY_END")) == 1

    def test_resolves_automatically_when_a_new_housing_solution_is_recorded(self, followed):
        stay = HousingSituationFactory(person=followed, ending_in_days=20)
        run("STAY_END")
        stay.ended_on, stay.end_reason = timezone.localdate(), "MOVED_ON"
        stay.save()
        HousingSituationFactory(person=followed, residential_status="SOCIAL_RENTAL", started_on=timezone.localdate())
        run("STAY_END")
        alert = Alert.objects.get(rule="STAY_END")
        assert (alert.status, alert.resolution) == (AlertStatus.RESOLVED, Resolution.AUTO)
        assert alert.transitions.last().to_status == AlertStatus.RESOLVED


class TestContractEnd:
    def test_fires_and_boundary(self, followed):
        job = EmploymentSituationFactory(person=followed, employed=True, ending_in_days=61)
        run("CONTRACT_END")
        assert open_alerts() == []
        job.planned_end_on = days(60)
        job.save()
        run("CONTRACT_END")
        assert open_alerts("CONTRACT_END")[0].severity == Severity.WARNING
        job.planned_end_on = days(30)
        job.save()
        run("CONTRACT_END")
        assert open_alerts("CONTRACT_END")[0].severity == Severity.URGENT

    def test_a_signed_next_contract_or_employment_referral_is_a_next_step(self, followed, structure):
        job = EmploymentSituationFactory(person=followed, employed=True, ending_in_days=20)
        run("CONTRACT_END")
        EmploymentSituationFactory(person=followed, situation=EmploymentStatus.TRAINING, started_on=days(21))
        run("CONTRACT_END")
        assert Alert.objects.get(rule="CONTRACT_END").resolution == Resolution.AUTO
        other = PersonFactory(followed_by=structure)
        EmploymentSituationFactory(person=other, employed=True, ending_in_days=20)
        ReferralFactory(person=other, from_structure=structure, kind="EMPLOYMENT")
        run("CONTRACT_END")
        assert open_alerts() == []
        assert job.pk


class TestResourceEnd:
    def test_fires_unless_a_resource_takes_over(self, followed):
        rsa = ResourceFactory(person=followed, ending_in_days=60)
        run("RESOURCE_END")
        assert open_alerts("RESOURCE_END")[0].severity == Severity.WARNING
        ResourceFactory(person=followed, are=True, started_on=rsa.expected_end_on)
        run("RESOURCE_END")
        assert open_alerts() == []

    def test_boundary(self, followed):
        ResourceFactory(person=followed, ending_in_days=61)
        ResourceFactory(person=followed, ending_in_days=30, kind="ASS")
        run("RESOURCE_END")
        (alert,) = open_alerts("RESOURCE_END")
        assert alert.severity == Severity.URGENT


class TestPermitRenewal:
    def test_thresholds_and_resolution_when_renewal_is_filed(self, followed):
        followed.permit_end_on = days(121)
        followed.save()
        run("PERMIT_RENEWAL")
        assert open_alerts() == []
        followed.permit_end_on = days(120)
        followed.save()
        run("PERMIT_RENEWAL")
        assert open_alerts("PERMIT_RENEWAL")[0].severity == Severity.WARNING
        followed.permit_end_on = days(-3)  # already ended: urgent
        followed.save()
        run("PERMIT_RENEWAL")
        assert open_alerts("PERMIT_RENEWAL")[0].severity == Severity.URGENT
        followed.permit_renewal_filed_on = timezone.localdate()
        followed.save()
        run("PERMIT_RENEWAL")
        assert open_alerts() == []


class TestNoContact:
    def test_never_seen_since_the_follow_up_started(self, structure):
        person = PersonFactory()
        FollowUpFactory(person=person, structure=structure, started_on=days(-44))
        run("NO_CONTACT")
        assert open_alerts() == []
        FollowUpFactory(person=PersonFactory(), structure=structure, started_on=days(-45))
        run("NO_CONTACT")
        assert len(open_alerts("NO_CONTACT")) == 1

    def test_last_contact_boundary_and_resolution_after_a_contact(self, followed, structure):
        from parcours.services import refresh_last_contact

        EventFactory(person=followed, structure=structure, at=local_noon(44))
        refresh_last_contact([followed.pk])
        run("NO_CONTACT")
        assert open_alerts() == []
        followed.events.update(at=local_noon(46))
        refresh_last_contact([followed.pk])
        run("NO_CONTACT")
        assert len(open_alerts("NO_CONTACT")) == 1
        EventFactory(person=followed, structure=structure, call=True, at=timezone.now())
        refresh_last_contact([followed.pk])
        run("NO_CONTACT")
        assert open_alerts() == []

    def test_two_missed_appointments_in_30_days(self, followed, structure):
        from parcours.services import refresh_last_contact

        EventFactory(person=followed, structure=structure, at=timezone.now())
        EventFactory(person=followed, structure=structure, missed=True, at=local_noon(31))
        EventFactory(person=followed, structure=structure, missed=True, at=local_noon(2))
        refresh_last_contact([followed.pk])
        run("NO_CONTACT")
        assert open_alerts() == []
        EventFactory(person=followed, structure=structure, kind="APPOINTMENT", status=EventStatus.MISSED)
        run("NO_CONTACT")
        assert open_alerts("NO_CONTACT")[0].facts["missed"] == 2


class TestReferralStalled:
    def test_fires_past_the_deadline_and_the_sender_owns_it(self, followed, structure, worker):
        referral = ReferralFactory(person=followed, from_structure=structure, sent_by=worker, days_ago=15)
        run("REFERRAL_STALLED")
        assert open_alerts() == []  # due today: not yet late
        referral.response_due_on = days(-1)
        referral.save()
        run("REFERRAL_STALLED")
        (alert,) = open_alerts("REFERRAL_STALLED")
        assert alert.owner == worker
        assert alert.subject_key == f"referral:{referral.pk}"
        referral.status, referral.answered_at = ReferralStatus.ACCEPTED, timezone.now()
        referral.save()
        run("REFERRAL_STALLED")
        assert open_alerts() == []


class TestInstitutionExit:
    def test_prison_exit_thresholds(self, followed):
        stay = HousingSituationFactory(person=followed, residential_status="DETENTION", ending_in_days=91)
        run("INSTITUTION_EXIT")
        assert open_alerts() == []
        stay.planned_end_on = days(90)
        stay.save()
        run("INSTITUTION_EXIT")
        assert open_alerts("INSTITUTION_EXIT")[0].severity == Severity.WARNING
        stay.planned_end_on = days(30)
        stay.save()
        run("INSTITUTION_EXIT")
        assert open_alerts("INSTITUTION_EXIT")[0].severity == Severity.URGENT


class TestAcuteEvent:
    def test_exclusion_in_the_last_7_days_then_it_ages_out(self, followed):
        stay = HousingSituationFactory(
            person=followed, started_on=days(-100), ended_on=days(-7), end_reason="EXCLUSION"
        )
        EmploymentSituationFactory(person=followed, employed=True, ended_on=days(-2), end_reason="CONTRACT_END")
        run("ACUTE_EVENT")
        (alert,) = open_alerts("ACUTE_EVENT")
        assert alert.severity == Severity.URGENT
        assert alert.subject_key == f"housingsituation:{stay.pk}"
        stay.ended_on = days(-8)
        stay.save()
        run("ACUTE_EVENT")
        assert open_alerts() == []

    def test_dismissal(self, followed):
        EmploymentSituationFactory(person=followed, employed=True, ended_on=days(0), end_reason="DISMISSAL")
        run("ACUTE_EVENT")
        assert len(open_alerts("ACUTE_EVENT")) == 1


class TestEmploymentLever:
    def test_in_work_with_a_stay_ending(self, followed):
        HousingSituationFactory(person=followed, ending_in_days=50)
        run("EMPLOYMENT_LEVER")
        assert open_alerts() == []  # not in work
        EmploymentSituationFactory(person=followed, iae=True, workplace_commune_insee="38185")
        run("EMPLOYMENT_LEVER")
        (alert,) = open_alerts("EMPLOYMENT_LEVER")
        assert alert.severity == Severity.URGENT
        assert alert.facts["situation"] == "IAE"

    def test_in_the_street_for_more_than_90_days(self, followed):
        EmploymentSituationFactory(person=followed, employed=True)
        street = HousingSituationFactory(person=followed, street=True, started_on=days(-90))
        run("EMPLOYMENT_LEVER")
        assert open_alerts() == []
        street.started_on = days(-91)
        street.save()
        run("EMPLOYMENT_LEVER")
        assert len(open_alerts("EMPLOYMENT_LEVER")) == 1

    def test_an_active_housing_request_is_a_next_step_for_the_street(self, followed):
        EmploymentSituationFactory(person=followed, employed=True)
        HousingSituationFactory(person=followed, street=True, started_on=days(-120))
        request = HousingRequestFactory(person=followed, to_update=True)
        run("EMPLOYMENT_LEVER")
        assert len(open_alerts("EMPLOYMENT_LEVER")) == 1  # a request to update is not an ACTIVE one
        request.status = "ACTIVE"
        request.save()
        run("EMPLOYMENT_LEVER")
        assert open_alerts("EMPLOYMENT_LEVER") == []

    def test_a_housing_request_does_not_cancel_a_stay_ending(self, followed):
        EmploymentSituationFactory(person=followed, employed=True)
        HousingSituationFactory(person=followed, ending_in_days=30)
        HousingRequestFactory(person=followed)
        run("EMPLOYMENT_LEVER")
        assert len(open_alerts("EMPLOYMENT_LEVER")) == 1


class TestPassIaeEnd:
    def test_thresholds_boundaries_and_grace(self, followed):
        pass_iae = PassIaeFactory(person=followed, ending_in_days=184)
        run("PASS_IAE_END")
        assert open_alerts() == []  # beyond 183 days
        pass_iae.end_on = days(183)
        pass_iae.save()
        run("PASS_IAE_END")
        (alert,) = open_alerts("PASS_IAE_END")
        assert (alert.severity, alert.subject_key) == (Severity.INFO, f"passiae:{pass_iae.pk}")
        pass_iae.end_on = days(92)
        pass_iae.save()
        run("PASS_IAE_END")
        assert open_alerts("PASS_IAE_END")[0].severity == Severity.WARNING
        pass_iae.end_on = days(-183)
        pass_iae.save()
        run("PASS_IAE_END")
        assert len(open_alerts("PASS_IAE_END")) == 1  # still open until 6 months after the end
        pass_iae.end_on = days(-184)
        pass_iae.save()
        run("PASS_IAE_END")
        assert open_alerts() == []

    def test_a_prolongation_resolves_the_alert(self, followed, worker):
        from parcours import services

        pass_iae = PassIaeFactory(person=followed, ending_in_days=60)
        run("PASS_IAE_END")
        assert len(open_alerts("PASS_IAE_END")) == 1
        services.pass_iae_prolong(pass_iae=pass_iae, by=worker, end_on=days(60 + 365))
        run("PASS_IAE_END")
        assert open_alerts() == []

    def test_people_nobody_follows_are_ignored(self):
        PassIaeFactory(ending_in_days=30)
        run("PASS_IAE_END")
        assert open_alerts() == []


class TestComplexCase:
    def test_two_urgent_alerts_in_12_months(self, followed):
        AlertFactory(person=followed, urgent=True, rule="ACUTE_EVENT", subject_key="housingsituation:1")
        run("COMPLEX_CASE")
        assert open_alerts("COMPLEX_CASE") == []
        AlertFactory(person=followed, urgent=True, rule="STAY_END", subject_key="housingsituation:2")
        run("COMPLEX_CASE")
        (alert,) = open_alerts("COMPLEX_CASE")
        assert alert.severity == Severity.INFO
        assert alert.facts["urgent_alerts"] == 2
        Alert.objects.exclude(rule="COMPLEX_CASE").update(created_at=timezone.now() - dt.timedelta(days=366))
        run("COMPLEX_CASE")
        assert open_alerts("COMPLEX_CASE") == []


class TestRuleAvailability:
    def test_every_rule_with_an_optional_model_runs_now_that_the_models_are_installed(self):
        results = run("PASS_IAE_END", "EVALUATION_MISSING_OR_OUTDATED")
        assert {code: r.available for code, r in results.items()} == {
            "PASS_IAE_END": True,
            "EVALUATION_MISSING_OR_OUTDATED": True,
        }


class TestSettings:
    def test_a_coordinator_setting_moves_the_threshold(self, followed):
        HousingSituationFactory(person=followed, ending_in_days=70)
        run("STAY_END")
        assert open_alerts() == []
        AlertSettings.objects.update_or_create(pk=1, defaults={"stay_end_warning_days": 75})
        run("STAY_END")
        assert len(open_alerts("STAY_END")) == 1


def finalised_evaluation(person, days_ago, themes=()):
    """A finalised current evaluation of `person` finalised `days_ago` days ago, with `themes` ACTIVE."""
    evaluation = EvaluationFactory(person=person, final=True, barriers={theme: None for theme in themes} or None)
    # Finalised versions are immutable (a trigger): moving the date back is test set-up only.
    with pgtrigger.ignore("evaluations.Evaluation:evaluations_final_immutable"):
        Evaluation.objects.filter(pk=evaluation.pk).update(finalised_at=local_noon(days_ago))
    return evaluation


class TestEvaluationRules:
    """On the real evaluations tables (they replaced the stand-in tables of the first alerts branch)."""

    def test_evaluation_missing_two_months_after_the_follow_up_start(self, followed):
        followed.followups.update(started_on=timezone.localdate() - dt.timedelta(days=60))
        run("EVALUATION_MISSING_OR_OUTDATED")
        assert open_alerts() == []
        followed.followups.update(started_on=timezone.localdate() - dt.timedelta(days=61))
        run("EVALUATION_MISSING_OR_OUTDATED")
        assert open_alerts("EVALUATION_MISSING_OR_OUTDATED")[0].subject_key == f"person:{followed.pk}"
        finalised_evaluation(followed, days_ago=10)
        run("EVALUATION_MISSING_OR_OUTDATED")
        assert open_alerts() == []

    def test_evaluation_outdated_after_six_months(self, followed):
        evaluation = finalised_evaluation(followed, days_ago=184)
        run("EVALUATION_MISSING_OR_OUTDATED")
        assert open_alerts("EVALUATION_MISSING_OR_OUTDATED")[0].subject_key == f"evaluation:{evaluation.pk}"

    def test_complex_case_from_barriers_and_structures(self, followed, other_structure):
        finalised_evaluation(followed, days_ago=5, themes=["MOBILITY", "FAMILY", "LANGUAGE"])
        run("COMPLEX_CASE")
        assert open_alerts() == []  # one structure only
        FollowUpFactory(person=followed, structure=other_structure, employment=True)
        run("COMPLEX_CASE")
        assert open_alerts("COMPLEX_CASE")[0].facts["active_barriers"] == 3
