"""Drafts, versions, immutability, pre-fill and conflicts."""

import datetime as dt

import pytest
from django.db import IntegrityError, InternalError, transaction

from evaluations import services
from evaluations.enums import BarrierStatus, EvaluationStatus
from evaluations.models import Barrier, Evaluation, FinalisedEvaluationError
from parcours.access import get_visible_person_or_404
from tests.evaluations.factories import EvaluationFactory
from tests.parcours.factories import EmploymentSituationFactory


def visible(user, person):
    return get_visible_person_or_404(user, person.pk)


def fill(evaluation, person, user, **fields):
    data = {"lock_version": evaluation.lock_version, **fields}
    return services.evaluation_save_section(evaluation=evaluation, person=person, by=user, cleaned_data=data)


COMPLETE = {
    "nationality_category": "FRENCH",
    "residence_right": "NOT_APPLICABLE",
    "work_allowed": "YES",
    "education_level": "NV4",
    "employment_situation": "JOB_SEEKING",
    "job_readiness": "WITH_SUPPORT",
}


def set_barriers(evaluation, person, user, **themes):
    data = {theme: {"status": "NONE", "situations": []} for theme in ("MOBILITY", "FAMILY", "HEALTH", "LANGUAGE")}
    data |= {t: {"status": "NONE", "situations": []} for t in ("HOUSING", "FINANCIAL", "ADMINISTRATIVE", "DIGITAL")}
    for theme, situations in themes.items():
        data[theme] = {"status": "ACTIVE", "situations": situations}
    return services.evaluation_save_barriers(
        evaluation=evaluation, person=person, by=user, lock_version=evaluation.lock_version, themes=data
    )


def test_start_creates_one_draft_with_eight_barriers_and_person_facts(worker, person, structure):
    person.nationality_category = "EU"
    person.save()
    EmploymentSituationFactory(person=person, employed=True)
    evaluation = services.evaluation_start(person=visible(worker, person), by=worker)
    assert evaluation.status == EvaluationStatus.DRAFT
    assert evaluation.structure == structure
    assert evaluation.nationality_category == "EU"
    assert (evaluation.employment_situation, evaluation.contract_type) == ("EMPLOYED", "CDD")
    assert evaluation.barriers.count() == 8
    assert services.evaluation_start(person=visible(worker, person), by=worker) == evaluation


def test_finalise_then_new_version_is_prefilled(worker, person):
    p = visible(worker, person)
    draft = services.evaluation_start(person=p, by=worker)
    draft = fill(draft, p, worker, **COMPLETE, target_jobs=[{"rome_code": "K2204", "label": "Agent d'entretien"}])
    draft = set_barriers(draft, p, worker, MOBILITY=["NO_LICENCE"], HOUSING=["COLLECTIVE"])
    first = services.evaluation_finalise(evaluation=draft, person=p, by=worker, lock_version=draft.lock_version)
    assert (first.status, first.version_no, first.is_current) == ("FINAL", 1, True)
    assert first.finalised_by == worker
    assert first.finalised_at is not None
    assert first.snapshot["administrative"]["nationality_category"] == "FRENCH"
    person.refresh_from_db()
    assert person.work_allowed == "YES"  # section A is written back to the person

    second = services.evaluation_start(person=visible(worker, person), by=worker)
    assert second.based_on == first
    assert second.education_level == "NV4"
    assert second.target_jobs == [{"rome_code": "K2204", "label": "Agent d'entretien"}]
    statuses = dict(second.barriers.values_list("theme", "status"))
    assert statuses["MOBILITY"] == BarrierStatus.ACTIVE
    assert statuses["DIGITAL"] == BarrierStatus.NONE
    second = fill(second, p, worker, job_readiness="IMMEDIATE")
    second = services.evaluation_finalise(evaluation=second, person=p, by=worker, lock_version=second.lock_version)
    first.refresh_from_db()
    assert (second.version_no, second.is_current, first.is_current) == (2, True, False)


def test_finalise_refuses_incomplete_draft_with_french_messages(worker, person):
    p = visible(worker, person)
    draft = services.evaluation_start(person=p, by=worker)
    with pytest.raises(services.EvaluationError) as error:
        services.evaluation_finalise(evaluation=draft, person=p, by=worker, lock_version=draft.lock_version)
    assert "À renseigner : « Niveau de formation »." in str(error.value)
    draft.refresh_from_db()
    assert draft.status == EvaluationStatus.DRAFT


def test_conflicting_saves_are_refused(worker, colleague, person):
    p = visible(worker, person)
    draft = services.evaluation_start(person=p, by=worker)
    stale = Evaluation.objects.get(pk=draft.pk)
    fill(draft, p, worker, education_level="NV3")
    with pytest.raises(services.EditConflictError, match="Quelqu'un a enregistré ce brouillon"):
        fill(stale, visible(colleague, person), colleague, education_level="AFS")
    draft.refresh_from_db()
    assert draft.education_level == "NV3"


def test_finalised_version_refuses_model_and_sql_updates(worker, person):
    evaluation = EvaluationFactory(person=person, complete=True, final=True)
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    evaluation.education_level = "AFS"
    with pytest.raises(FinalisedEvaluationError):
        evaluation.save()
    with pytest.raises(FinalisedEvaluationError):
        evaluation.delete()
    with pytest.raises(InternalError), transaction.atomic():
        Evaluation.objects.filter(pk=evaluation.pk).update(education_level="AFS")
    with pytest.raises(InternalError), transaction.atomic():
        Barrier.objects.filter(evaluation=evaluation).update(status="ACTIVE")
    with pytest.raises(InternalError), transaction.atomic():
        Barrier.objects.create(evaluation=evaluation, theme="MOBILITY")
    with pytest.raises(FinalisedEvaluationError):
        fill(evaluation, visible(worker, person), worker, education_level="AFS")
    assert Evaluation.objects.get(pk=evaluation.pk).education_level == "NV5"


def test_database_refuses_two_drafts_and_override_without_reason(person, structure):
    EvaluationFactory(person=person, structure=structure)
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationFactory(person=person, structure=structure)
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationFactory(distance_override="FAR")


def test_other_structure_cannot_take_over_a_draft(worker, person, employment_worker):
    services.evaluation_start(person=visible(worker, person), by=worker)
    with pytest.raises(services.EvaluationError, match="déjà en cours dans une autre structure"):
        services.evaluation_start(person=visible(employment_worker, person), by=employment_worker)


def test_distance_is_stored_for_the_cohort(worker, person):
    p = visible(worker, person)
    draft = services.evaluation_start(person=p, by=worker)
    draft = fill(draft, p, worker, job_readiness="NOT_READY", last_job_ended_on=dt.date(2015, 1, 1))
    draft = set_barriers(draft, p, worker, MOBILITY=["NO_LICENCE"], HOUSING=["NO_SHELTER"], FAMILY=["CARER"])
    assert (draft.distance_computed, draft.distance_score, draft.distance_level) == ("FAR", 4, "FAR")
    assert draft.recommended_orientation == ""  # the worker chooses; the form pre-selects the rule's
    synthesis = services.synthesis_for(draft, p, services.person_facts(p), sees_health=True)
    assert synthesis.suggested_orientation == "SOCIAL_FIRST"
    draft = fill(draft, p, worker, distance_override="INTERMEDIATE", distance_override_reason="Contrat signé hier")
    assert (draft.distance_computed, draft.distance_level) == ("FAR", "INTERMEDIATE")


def test_settings_row_drives_the_rule_and_refuses_incoherent_thresholds(worker, person):
    from evaluations.models import EvaluationSettings

    settings_row = EvaluationSettings.load()
    settings_row.barriers_one_point_from = 1
    settings_row.save()
    p = visible(worker, person)
    draft = services.evaluation_start(person=p, by=worker)
    draft = fill(draft, p, worker, job_readiness="IMMEDIATE", employment_situation="EMPLOYED", contract_type="CDI")
    draft = set_barriers(draft, p, worker, MOBILITY=["NO_LICENCE"])
    assert (draft.distance_score, draft.distance_computed) == (1, "CLOSE")
    settings_row.barriers_two_points_from = 1
    with pytest.raises(IntegrityError), transaction.atomic():
        settings_row.save()
