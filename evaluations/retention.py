"""The evaluations part of anonymisation and of the DPO's rectification (privacy.md §6, §7).

Finalised versions are immutable by database triggers; the DPO's services are the sanctioned exception and run
under `pgtrigger.ignore` of exactly these triggers, inside the caller's transaction.
"""

import pgtrigger
from django.apps import apps

from .models import Barrier, Evaluation

FINAL_TRIGGERS = (
    "evaluations.Evaluation:evaluations_final_immutable",
    "evaluations.Barrier:evaluations_barrier_frozen_old",
)


def _purge_history(model_name: str, obj_ids) -> None:
    history = apps.get_model("evaluations", model_name)
    history.objects.filter(pgh_obj_id__in=list(obj_ids)).delete()


def clear_free_text(person_ids) -> int:
    """Free text of every evaluation of `person_ids` (drafts and finalised versions) and its history."""
    person_ids = list(person_ids)
    evaluation_ids = list(Evaluation.objects.filter(person_id__in=person_ids).values_list("pk", flat=True))
    if not evaluation_ids:
        return 0
    with pgtrigger.ignore(*FINAL_TRIGGERS):
        Evaluation.objects.filter(pk__in=evaluation_ids).update(worker_synthesis="", distance_override_reason="")
        Barrier.objects.filter(evaluation_id__in=evaluation_ids).exclude(comment="").update(comment="")
    _purge_history("EvaluationHistory", evaluation_ids)
    _purge_history(
        "BarrierHistory", Barrier.objects.filter(evaluation_id__in=evaluation_ids).values_list("pk", flat=True)
    )
    return len(evaluation_ids)


def rectify_finalised(evaluation: Evaluation, field_name: str, value) -> None:
    """Set one field of a finalised version (and its snapshot); the wrong value is not kept, history included."""
    with pgtrigger.ignore(*FINAL_TRIGGERS):
        Evaluation.objects.filter(pk=evaluation.pk).update(**{field_name: value})
        evaluation.refresh_from_db()
        if evaluation.snapshot:
            Evaluation.objects.filter(pk=evaluation.pk).update(snapshot=evaluation.as_data())
    history = apps.get_model("evaluations", "EvaluationHistory")
    history.objects.filter(pgh_obj_id=evaluation.pk).update(**{field_name: value})
