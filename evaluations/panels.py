"""What the evaluations app provides to the people app's pages (`parcours.panels`, registered in `ready`).

parcours may not import this app: its action plan, housing-request page and referral page ask these
functions, through the registry, for the barriers, the « volet insertion professionnelle » and the synthesis
of the latest finalised evaluation. None of them returns a ◆ item unless asked with `health=True`.
"""

from __future__ import annotations

from dataclasses import replace

from django.template.loader import render_to_string

from parcours import panels
from parcours.enums import AccessLevel

from .comparison import display
from .enums import BarrierStatus, BarrierTheme
from .models import Barrier, Evaluation
from .sections import label

# The « volet insertion professionnelle » of a housing request: fields of the synthesis, in this order.
EMPLOYMENT_FIELDS = (
    "distance_level",
    "job_readiness",
    "working_time_wished",
    "hours_constraints",
    "hours_compatibility",
    "housing_near_workplace",
    "workplace_commune_insee",
    "action_logement",
    "recommended_housing_type",
    "recommended_orientation",
)


def latest_evaluation(person_id: int):
    return (
        Evaluation.objects.finalised()
        .filter(person_id=person_id, is_current=True)
        .values_list("pk", "finalised_at")
        .first()
    )


def barriers(person, *, health: bool) -> list[panels.BarrierSuggestion]:
    rows = (
        Barrier.objects.filter(evaluation__person=person, evaluation__is_current=True, status=BarrierStatus.ACTIVE)
        .order_by("theme")
        .only("theme", "situations")
    )
    return [
        panels.BarrierSuggestion(
            theme=b.theme,
            label=str(BarrierTheme(b.theme).label),
            situations=tuple(b.situation_labels) if b.theme != BarrierTheme.HEALTH else (),
            is_health=b.theme == BarrierTheme.HEALTH,
        )
        for b in rows
        if health or b.theme != BarrierTheme.HEALTH
    ]


def _field_label(name: str) -> str:
    if name == "distance_level":
        return str(Evaluation._meta.get_field(name).verbose_name).capitalize()
    return str(label(name))


def employment_section(person, *, evaluation_id: int | None = None) -> panels.EmploymentSection | None:
    evaluations = Evaluation.objects.finalised().filter(person=person).select_related("structure")
    evaluation = (
        evaluations.filter(pk=evaluation_id).first() if evaluation_id else evaluations.filter(is_current=True).first()
    )
    if evaluation is None:
        return None
    rows = []
    for name in EMPLOYMENT_FIELDS:
        value = getattr(evaluation, name)
        if name == "distance_level":
            shown = evaluation.get_distance_level_display() if value else "—"
        else:
            shown = display(name, value)
        rows.append((_field_label(name), shown or "—"))
    return panels.EmploymentSection(
        evaluation_id=evaluation.pk,
        version_no=evaluation.version_no,
        finalised_at=evaluation.finalised_at,
        structure_name=evaluation.structure.name,
        rows=rows,
    )


def referral_synthesis(request, person) -> str:
    """The synthesis of the latest finalised version as the REFERRAL view shows it: never a ◆ item."""
    from .views import _synthesis_context

    evaluation = (
        Evaluation.objects.finalised()
        .filter(person=person, is_current=True)
        .select_related("structure", "finalised_by")
        .first()
    )
    if evaluation is None:
        return ""
    original = person.access
    person.access = replace(original, health=False, rqth_aah=False, level=AccessLevel.REFERRAL)
    try:
        context = _synthesis_context(evaluation, person)
    finally:
        person.access = original
    return render_to_string("evaluations/includes/referral_synthesis.html", context, request=request)


def register_all() -> None:
    panels.register(panels.LATEST_EVALUATION, latest_evaluation)
    panels.register(panels.BARRIERS, barriers)
    panels.register(panels.EMPLOYMENT_SECTION, employment_section)
    panels.register(panels.REFERRAL_SYNTHESIS, referral_synthesis)
