"""Pages of the evaluations app. Every read goes through parcours' access policy and is audited."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import audit
from accounts.scope import role_required
from audit.models import Action
from parcours.access import ensure_can_write, get_visible_person_or_404
from parcours.enums import ResidentialStatus
from parcours.models import Person

from . import services
from .cohort import figures as cohort_figures
from .comparison import compare, display
from .enums import BarrierStatus, BarrierTheme, DistanceLevel, Section
from .forms import BarriersForm, section_form_class
from .models import Evaluation, FinalisedEvaluationError
from .sections import FORM_SECTIONS, HEALTH_FIELDS, fields_of

# Recommended orientation -> the follow-up kind of the referral the "Orienter" button pre-fills.
ORIENTATION_REFERRAL_KIND = {
    "EMPLOYMENT": "EMPLOYMENT",
    "IAE": "EMPLOYMENT",
    "TRAINING": "EMPLOYMENT",
    "SOCIAL_FIRST": "SOCIAL",
}
COHORT_PAGE_SIZE = 50


# --- fetching through the access policy ---------------------------------------------------------------
def _get_evaluation(request: HttpRequest, pk: int) -> tuple[Evaluation, Person]:
    """The evaluation and its person, or 404: person not visible, draft of another structure, or a
    limited REFERRAL view asking for anything but the last finalised version (privacy.md R2, R8)."""
    evaluation = (
        Evaluation.objects.visible_to(request.user)
        .select_related("structure", "author", "finalised_by")
        .filter(pk=pk)
        .first()
    )
    if evaluation is None:
        raise Http404(_("Évaluation introuvable."))
    person = get_visible_person_or_404(request.user, evaluation.person_id, allow_referral_view=True)
    evaluation.person = person
    return evaluation, person


def _show_health(person: Person) -> bool:
    return person.access.health


def _show_rqth(person: Person) -> bool:
    """RQTH is shown with health access, or to employment referents under a HEALTH_TO_EMPLOYMENT consent."""
    return person.access.health or person.access.rqth_aah


def _sections_nav(evaluation: Evaluation, barriers, current: str) -> list[dict]:
    """The steps of the form with their state, for the progress indicator."""
    items = []
    for index, code in enumerate(FORM_SECTIONS, start=1):
        if code == Section.K:
            filled = any(b.status != BarrierStatus.NOT_DISCUSSED for b in barriers)
        else:
            filled = any(getattr(evaluation, spec.name) not in (None, "", [], False) for spec in fields_of(code))
        items.append(
            {
                "code": code,
                "number": index,
                "label": Section(code).label,
                "url": reverse("evaluations:evaluation_edit", args=[evaluation.pk, code]),
                "filled": filled,
                "current": code == current,
            }
        )
    return items


# --- a person's evaluations -----------------------------------------------------------------------------
@require_GET
def person_evaluations(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, person_id)
    versions = list(
        Evaluation.objects.finalised()
        .filter(person=person)
        .select_related("structure", "finalised_by")
        .order_by("-version_no")
    )
    draft = (
        Evaluation.objects.visible_to(request.user)
        .drafts()
        .filter(person=person)
        .select_related("structure", "author")
        .first()
    )
    audit.record(user=request.user, action=Action.VIEW, person=person, detail="evaluation_list", request=request)
    return render(
        request,
        "evaluations/person_evaluations.html",
        {"person": person, "versions": versions, "draft": draft, "can_write": person.access.can_write},
    )


@require_POST
def evaluation_start(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, person_id)
    ensure_can_write(request.user, person)
    try:
        evaluation = services.evaluation_start(person=person, by=request.user, structure=_active_structure(request))
    except services.EvaluationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("evaluations:person_evaluations", person.pk)
    return redirect("evaluations:evaluation_edit", evaluation.pk, Section.A)


def _active_structure(request: HttpRequest):
    membership = getattr(request, "membership", None)
    return membership.structure if membership else None


# --- editing a draft -------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def evaluation_edit(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    if section not in FORM_SECTIONS:
        raise Http404(_("Section introuvable."))
    evaluation, person = _get_evaluation(request, pk)
    if not evaluation.is_draft:
        if request.method == "POST":
            return _refuse_final(request, evaluation)
        return redirect("evaluations:evaluation_detail", evaluation.pk)
    ensure_can_write(request.user, person)
    show_health = _show_health(person)
    barriers = list(evaluation.barriers.all())
    data = request.POST if request.method == "POST" else None
    if section == Section.K:
        form = BarriersForm(data, evaluation=evaluation, show_health=show_health, barriers=barriers)
    else:
        shows = _show_rqth(person) if section == Section.F else show_health
        form = section_form_class(section, show_health=shows)(data, instance=evaluation)
        if section == Section.M and data is None and not evaluation.recommended_orientation:
            facts = services.person_facts(person)
            suggestion = services.synthesis_for(evaluation, person, facts, sees_health=True, barriers=barriers)
            form.initial["recommended_orientation"] = suggestion.suggested_orientation or ""
    conflict = ""
    saved = False
    valid = request.method == "POST" and form.is_valid()
    if request.method == "POST" and not valid and _lock_version_missing(form):
        conflict = _("Cette page a expiré : rechargez-la avant d'enregistrer.")
    if valid:
        try:
            if section == Section.K:
                evaluation = services.evaluation_save_barriers(
                    evaluation=evaluation,
                    person=person,
                    by=request.user,
                    lock_version=form.lock_version,
                    themes=form.cleaned_data,
                )
            else:
                evaluation = services.evaluation_save_section(
                    evaluation=evaluation, person=person, by=request.user, cleaned_data=form.cleaned_data
                )
            saved = True
        except services.EditConflictError as error:
            conflict = " ".join(error.messages)
        except FinalisedEvaluationError as error:
            return _refuse_final(request, evaluation, " ".join(error.messages))
    # After a refused save the page keeps the copy's version, so that saving again still conflicts.
    lock_version = evaluation.lock_version if saved or data is None else _posted_lock_version(request)
    if request.htmx:
        return render(
            request,
            "evaluations/includes/autosave_status.html",
            {
                "saved": saved,
                "conflict": conflict,
                "has_errors": bool(data) and not saved and not conflict,
                "lock_version": lock_version,
                "at": timezone.localtime(),
            },
        )
    if saved:
        position = FORM_SECTIONS.index(section)
        if request.POST.get("next") and position + 1 < len(FORM_SECTIONS):
            return redirect("evaluations:evaluation_edit", evaluation.pk, FORM_SECTIONS[position + 1])
        if request.POST.get("next"):
            return redirect("evaluations:evaluation_finalise", evaluation.pk)
        messages.success(request, _("Brouillon enregistré."))
        return redirect("evaluations:evaluation_edit", evaluation.pk, section)
    audit.record(user=request.user, action=Action.VIEW, person=person, obj=evaluation, detail="evaluation_edit")
    nav = _sections_nav(evaluation, barriers, section)
    position = FORM_SECTIONS.index(section)
    return render(
        request,
        "evaluations/evaluation_edit.html",
        {
            "evaluation": evaluation,
            "person": person,
            "form": form,
            "is_barriers": section == Section.K,
            "section": section,
            "section_label": Section(section).label,
            "nav": nav,
            "step": position + 1,
            "steps": len(FORM_SECTIONS),
            "previous_url": nav[position - 1]["url"] if position else "",
            "is_last": position + 1 == len(FORM_SECTIONS),
            "conflict": conflict,
            "health_hidden": not show_health,
            "lock_version": lock_version,
        },
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


def _lock_version_missing(form) -> bool:
    lock_form = getattr(form, "lock_form", form)
    return "lock_version" in lock_form.errors


def _posted_lock_version(request: HttpRequest) -> int:
    try:
        return max(0, int(request.POST.get("lock_version", "")))
    except ValueError:
        return 0


def _refuse_final(request: HttpRequest, evaluation: Evaluation, message: str = "") -> HttpResponse:
    """A POST on a finalised version (forged or from a stale page): nothing saved, a clear message."""
    messages.error(request, message or _("Cette version est finalisée : elle ne peut plus être modifiée."))
    if request.htmx:
        return render(
            request,
            "evaluations/includes/autosave_status.html",
            {
                "saved": False,
                "conflict": message or _("Cette version est finalisée : elle ne peut plus être modifiée."),
                "has_errors": False,
                "lock_version": evaluation.lock_version,
                "at": timezone.localtime(),
            },
            status=409,
        )
    return redirect("evaluations:evaluation_detail", evaluation.pk)


@require_http_methods(["GET", "POST"])
def evaluation_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation, person = _get_evaluation(request, pk)
    if not evaluation.is_draft:
        if request.method == "POST":
            return _refuse_final(request, evaluation)
        return redirect("evaluations:evaluation_detail", evaluation.pk)
    ensure_can_write(request.user, person)
    barriers = list(evaluation.barriers.all())
    if request.method == "POST":
        lock_version = _posted_lock_version(request)
        try:
            evaluation = services.evaluation_finalise(
                evaluation=evaluation, person=person, by=request.user, lock_version=lock_version
            )
        except FinalisedEvaluationError as error:
            return _refuse_final(request, evaluation, " ".join(error.messages))
        except services.EvaluationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("evaluations:evaluation_finalise", evaluation.pk)
        messages.success(request, _("Évaluation finalisée : version %(n)s.") % {"n": evaluation.version_no})
        return redirect("evaluations:evaluation_detail", evaluation.pk)
    return render(
        request,
        "evaluations/evaluation_finalise.html",
        {
            "evaluation": evaluation,
            "person": person,
            "missing": [
                (message, reverse("evaluations:evaluation_edit", args=[evaluation.pk, section]))
                for message, section in services.missing_by_section(evaluation, barriers)
            ],
            "nav": _sections_nav(evaluation, barriers, ""),
        },
    )


# --- reading --------------------------------------------------------------------------------------------
def _synthesis_context(evaluation: Evaluation, person: Person) -> dict:
    show_health = _show_health(person)
    barriers = list(evaluation.barriers.all())
    facts = services.person_facts(person)
    show_rqth = _show_rqth(person)
    synthesis = services.synthesis_for(evaluation, person, facts, sees_health=show_rqth, barriers=barriers)
    sections = []
    for code in FORM_SECTIONS:
        if code in (Section.K, Section.M):
            continue
        rows = [
            (spec.label, display(spec.name, getattr(evaluation, spec.name)))
            for spec in fields_of(code)
            if show_rqth or spec.name not in HEALTH_FIELDS
        ]
        if rows:
            sections.append({"code": code, "title": Section(code).label, "rows": rows})
    visible_barriers = [b for b in barriers if show_health or b.theme != BarrierTheme.HEALTH]
    synthesis_rows = [
        (spec.label, display(spec.name, getattr(evaluation, spec.name)))
        for spec in fields_of(Section.M)
        if spec.name not in ("distance_override", "distance_override_reason")
    ]
    return {
        "evaluation": evaluation,
        "person": person,
        "distance": synthesis.distance,
        "hints": synthesis.hints,
        "suggested_orientation": synthesis.suggested_orientation,
        "retained_label": DistanceLevel(evaluation.distance_level).label if evaluation.distance_level else "",
        "override_label": DistanceLevel(evaluation.distance_override).label if evaluation.distance_override else "",
        "sections": sections,
        "active_barriers": [b for b in visible_barriers if b.status == BarrierStatus.ACTIVE],
        "other_barriers": [b for b in visible_barriers if b.status != BarrierStatus.ACTIVE],
        "synthesis_rows": synthesis_rows,
        "health_hidden": not show_health,
        "limited": person.access.is_referral_only,
        "housing": facts.housing,
        "employment": facts.employment,
        "resources": [r for r in facts.resources if person.access.shows_resource_kind(r.kind)],
    }


@require_GET
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation, person = _get_evaluation(request, pk)
    context = _synthesis_context(evaluation, person)
    previous = (
        Evaluation.objects.finalised()
        .filter(person=person, version_no__lt=evaluation.version_no or 10**6)
        .exclude(pk=evaluation.pk)
        .order_by("-version_no")
        .values_list("pk", flat=True)
        .first()
    )
    audit.record(user=request.user, action=Action.VIEW, person=person, obj=evaluation, detail="evaluation_detail")
    context |= {
        "previous_id": previous if not person.access.is_referral_only else None,
        "can_write": person.access.can_write,
        # "Orienter" pre-fills a referral of the kind the recommended orientation calls for.
        "orient_kind": ORIENTATION_REFERRAL_KIND.get(evaluation.recommended_orientation, "EMPLOYMENT"),
    }
    return render(request, "evaluations/evaluation_detail.html", context)


@require_GET
def evaluation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from weasyprint import HTML  # heavy (Pango, fonts): loaded by the PDF page only

    evaluation, person = _get_evaluation(request, pk)
    context = _synthesis_context(evaluation, person) | {"generated_at": timezone.localtime()}
    html = render_to_string("evaluations/pdf/evaluation.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    audit.record(user=request.user, action=Action.DOWNLOAD, person=person, obj=evaluation, detail="evaluation_pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    # No name in the file name (privacy.md §8): ids only.
    response["Content-Disposition"] = f'attachment; filename="synthese-evaluation-{evaluation.pk}.pdf"'
    return response


@require_GET
def evaluation_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Compare this version with another one of the same person (default: the previous finalised one)."""
    evaluation, person = _get_evaluation(request, pk)
    if person.access.is_referral_only:
        raise Http404(_("Évaluation introuvable."))
    versions = Evaluation.objects.visible_to(request.user).filter(person=person)
    versions = list(versions.select_related("structure").order_by("-status", "-version_no"))
    other_id = request.GET.get("avec", "")
    others = [v for v in versions if v.pk != evaluation.pk]
    if other_id:
        other = next((v for v in others if str(v.pk) == other_id), None)
        if other is None:
            raise Http404(_("Version introuvable."))
    else:
        older = [v for v in others if v.is_final and (evaluation.is_draft or v.version_no < evaluation.version_no)]
        other = older[0] if older else None
    comparison = None
    if other is not None:
        old, new = (other, evaluation) if _is_older(other, evaluation) else (evaluation, other)
        comparison = compare(
            old.as_data(), new.as_data(), show_health=_show_health(person), show_rqth=_show_rqth(person)
        )
    else:
        old = new = None
    audit.record(user=request.user, action=Action.VIEW, person=person, obj=evaluation, detail="evaluation_compare")
    return render(
        request,
        "evaluations/evaluation_compare.html",
        {
            "evaluation": evaluation,
            "person": person,
            "others": others,
            "other": other,
            "old": old,
            "new": new,
            "comparison": comparison,
        },
    )


def _is_older(a: Evaluation, b: Evaluation) -> bool:
    if a.is_draft != b.is_draft:
        return b.is_draft
    return (a.version_no or 0) < (b.version_no or 0)


# --- cohort ---------------------------------------------------------------------------------------------
def _page_number(raw: str | None) -> int:
    try:
        return int(raw or 1)
    except ValueError:
        return 1


@require_GET
@role_required(
    "coordinator",
    "manager",
    message=gettext_lazy("Cette page est réservée aux coordinateur·rices et aux responsables de structure."),
)
def cohort(request: HttpRequest) -> HttpResponse:
    """Counts by distance to employment and by barrier theme, and the people close to employment who are
    in emergency shelter, at the hotel or on the street: within what the viewer may see."""
    result, number = cohort_figures(request.user, _page_number(request.GET.get("page")), COHORT_PAGE_SIZE)
    by_distance, by_theme, key_total = result.counts["distance"], result.counts["theme"], result.key_total
    people = [
        {"person": evaluation.person, "evaluation": evaluation, "housing": ResidentialStatus(status).label}
        for evaluation, status in result.rows
    ]
    # The page names people: one VIEW entry per person shown, in one statement.
    audit.record_many(
        user=request.user, action=Action.VIEW, person_ids=[row["person"].pk for row in people], detail="cohort"
    )
    distance_rows = [(label, by_distance.get(code, 0)) for code, label in DistanceLevel.choices]
    distance_rows.append((_("Non calculée"), by_distance.get("", 0)))
    # The health theme is left out of the counts: they are shown to viewers without health access.
    theme_rows = [
        (label, by_theme.get(code, 0)) for code, label in BarrierTheme.choices if code != BarrierTheme.HEALTH
    ]
    return render(
        request,
        "evaluations/cohort.html",
        {
            "distance_rows": distance_rows,
            "theme_rows": theme_rows,
            "total": sum(by_distance.values()),
            "people": people,
            "key_total": key_total,
            "refreshed_at": result.refreshed_at,
            # A Page over the row numbers: the one pagination include needs no more (the rows come from SQL).
            "page": Paginator(range(key_total), COHORT_PAGE_SIZE).get_page(number),
        },
    )
