"""The shared action plan, the « Fil d'activité », the housing request page and the notification preferences
(issue 13). Every person is fetched through the access policy; writes go through `parcours.services`."""

from html import escape

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, Subquery, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import audit
from accounts.scope import user_scope
from audit.models import Action as AuditAction
from partenaires.models import Service, Structure

from .. import activity as activity_text
from .. import panels, services
from ..access import ensure_can_write, file_visible_q, full_q, get_visible_person_or_404
from ..enums import (
    DEFAULT_DELIVERY,
    PLAN_THEME_BY_BARRIER,
    ActionStatus,
    ObjectiveStatus,
    PlanTheme,
)
from ..forms import (
    ActionEditForm,
    ActionForm,
    HouseholdMemberForm,
    NotificationPreferencesForm,
    ObjectiveEditForm,
    ObjectiveForm,
    ReferralStartForm,
)
from ..models import Action, Activity, HouseholdMember, HousingRequest, NotificationPreference, Objective, Person
from .common import add_service_errors

ACTIVITY_PAGE_SIZE = 50


# --- helpers ----------------------------------------------------------------------------------------------
def _acting_structure(request, person):
    membership = getattr(request, "membership", None)
    return membership.structure_id if membership else None


def _plan_structures(person, *also):
    """Structures that may own an action: following the person now, or invited through a referral (and `also`,
    e.g. the current owner of an action being edited)."""
    ids = services._invited_structure_ids(person.pk) | {pk for pk in also if pk}
    return Structure.objects.filter(pk__in=sorted(ids)).order_by("name", "id")


def _current_household(person):
    member = HouseholdMember.objects.current().filter(person=person).select_related("household").order_by("id").first()
    return member.household if member else None


_ACTION_COLUMNS = ("id", "objective_id", "title", "owner_structure__name", "referent_id", "referent__first_name",
                   "referent__last_name", "due_on", "status", "not_done_reason", "outcome")  # fmt: skip
_OBJECTIVE_COLUMNS = ("id", "person_id", "household_id", "theme", "barrier_theme", "statement", "target_on", "status",
                      "abandon_reason")  # fmt: skip


def _objectives(user, person):
    """The person's objectives and those of the other current members of their household that concern the
    household (`Objective.household`), in one query.

    The page is the person's, which the user sees (the caller checked it through the access policy). An
    objective of another member is told with its owner's name and a link only when the user sees that member's
    file (`file_visible_q`); otherwise neither is shown. ◆ objectives need health access to the person and, for
    another member's, to that member too (`full_q`)."""
    # One current household per person (a unique constraint): a scalar subquery, so that both halves of the OR
    # below are index scans (person, household) rather than a scan of every objective.
    household = HouseholdMember.objects.current().filter(person_id=person.pk).values("household_id")[:1]
    own = Q(person_id=person.pk)
    if not person.access.health:
        own &= ~Q(theme=PlanTheme.HEALTH)
    theirs = Q(household_id=Subquery(household)) & ~Q(person_id=person.pk)
    if person.access.health:
        theirs &= ~Q(theme=PlanTheme.HEALTH) | Q(Exists(Person.objects.filter(full_q(user), pk=OuterRef("person_id"))))
    else:
        theirs &= ~Q(theme=PlanTheme.HEALTH)
    owner_visible = Person.objects.filter(file_visible_q(user), pk=OuterRef("person_id"))
    objectives = list(
        Objective.objects.filter(own | theirs)
        .annotate(
            owner_visible=Case(When(person_id=person.pk, then=Value(True)), default=Exists(owner_visible)),
        )
        .select_related("person")
        .only(*_OBJECTIVE_COLUMNS, "person__first_name", "person__last_name")
        .prefetch_related(Prefetch("structures", queryset=Structure.objects.only("id", "name").order_by("name", "id")))
        .order_by("status", "target_on", "id")
    )
    # Their actions in one query of plain values (as a prefetch would, and none without an objective): 200 rows
    # become 200 small dicts, not 600 model instances.
    by_objective = {objective.pk: [] for objective in objectives}
    if by_objective:
        for action in (
            Action.objects.filter(objective_id__in=list(by_objective))
            .order_by("due_on", "id")
            .values(*_ACTION_COLUMNS)
        ):
            by_objective[action["objective_id"]].append(action)
    for objective in objectives:
        objective.action_list = by_objective[objective.pk]
    return objectives


def _coverage(objectives, barriers):
    """For each active barrier of the latest evaluation, the open or reached objectives addressing it."""
    rows = []
    for barrier in barriers:
        plan_theme = PLAN_THEME_BY_BARRIER.get(barrier.theme)
        addressing = [
            o
            for o in objectives
            if o.status != ObjectiveStatus.ABANDONED
            and (o.barrier_theme == barrier.theme or (not o.barrier_theme and o.theme == plan_theme))
        ]
        rows.append({"barrier": barrier, "plan_theme": plan_theme, "objectives": addressing})
    return rows


def _action_rows(objective, *, edit_base, status_labels, today, labels, editable, dates) -> None:
    """Each action's table row as HTML, built here rather than in a template loop: a plan of 200 actions
    renders in a few milliseconds instead of tens. Every value goes through `escape` (the standard library's,
    which Django's `escape` wraps, without its lazy-string machinery)."""
    objective.overdue = 0
    rows = []
    for action in objective.action_list:
        late = action["status"] == ActionStatus.PLANNED and action["due_on"] < today
        objective.overdue += late
        owner = escape(action["owner_structure__name"])
        if action["referent_id"]:
            referent = f"{action['referent__first_name']} {action['referent__last_name']}".strip()
            owner += f'<br><span class="small">{escape(referent)}</span>'
        due = dates.get(action["due_on"])
        if due is None:
            due = dates[action["due_on"]] = escape(date_format(action["due_on"], "SHORT_DATE_FORMAT"))
        if late:
            due += f' <span class="badge text-bg-danger">{labels["late"]}</span>'
        status = escape(status_labels.get(action["status"], action["status"]))
        if action["not_done_reason"]:
            status += f'<br><span class="small">{escape(action["not_done_reason"])}</span>'
        row = f"<tr><td>{escape(action['title'])}</td><td>{owner}</td><td>{due}</td><td>{status}</td>"
        row += f"<td>{escape(action['outcome'] or '—')}</td>"
        if editable is not None:
            link = ""
            if editable:
                label = escape(labels["edit"] % {"title": action["title"]})
                link = f'<a href="{edit_base}/{action["id"]}/modifier/" aria-label="{label}">{labels["update"]}</a>'
            row += f"<td>{link}</td>"
        rows.append(mark_safe(row + "</tr>"))  # every value above is escaped
    objective.action_rows = rows


def _plan_context(request, person, *, printing=False) -> dict:
    objectives = _objectives(request.user, person)
    barriers = panels.provide(panels.BARRIERS, person, health=person.access.health)
    today = timezone.localdate()
    can_write = person.access.can_write
    status_labels = dict(ActionStatus.choices)
    # Reversed once with 0 for the objective (the person's id is never 0), then filled in for each.
    add_action_url = reverse("parcours:action_create", args=[person.pk, 0])
    edit_url = reverse("parcours:objective_edit", args=[person.pk, 0])
    edit_base = escape(reverse("parcours:action_edit", args=[person.pk, 0]).rsplit("/0/", 1)[0])
    labels = {
        "late": escape(_("En retard")),
        "update": escape(_("Mettre à jour")),
        "edit": _("Mettre à jour l'action %(title)s"),
    }
    dates = {}  # formatted due dates, shared by the rows
    for objective in objectives:
        # Another member's household objective is edited from that member's plan, never from this one.
        objective.is_other_member = objective.person_id != person.pk
        # The objective's labels and links, here too rather than as template tags in a loop of 40.
        names = {"statement": objective.statement}
        objective.caption = _("Actions de l'objectif %(statement)s") % names
        objective.add_action_label = _("Ajouter une action à l'objectif %(statement)s") % names
        objective.edit_label = _("Modifier l'objectif %(statement)s") % names
        objective.add_action_url = add_action_url.replace("/0/", f"/{objective.pk}/")
        objective.edit_url = edit_url.replace("/0/", f"/{objective.pk}/")
        _action_rows(
            objective,
            edit_base=edit_base,
            status_labels=status_labels,
            today=today,
            labels=labels,
            dates=dates,
            # None: no column (printing, or read-only); False: an empty cell.
            editable=None
            if printing or not can_write
            else objective.status != ObjectiveStatus.ABANDONED and not objective.is_other_member,
        )
    return {
        "person": person,
        "access": person.access,
        "objectives": objectives,
        "coverage": _coverage(objectives, barriers),
        "can_write": can_write,
        "today": today,
    }


def _page(request, person, form, title, save, *, redirect_to=None):
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Le plan d'accompagnement a été mis à jour."))
            return redirect(redirect_to or reverse("parcours:person_plan", args=[person.pk]))
    status = 400 if request.method == "POST" else 200
    # The form shows the file's header and current values: its read is recorded (privacy.md §5).
    audit.record(user=request.user, action=AuditAction.VIEW, person=person, detail="plan_form", request=request)
    return render(request, "parcours/form_page.html", {"person": person, "form": form, "title": title}, status=status)


# --- the plan ---------------------------------------------------------------------------------------------
@require_GET
def person_plan(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    context = _plan_context(request, person)
    audit.record(user=request.user, action=AuditAction.VIEW, person=person, detail="plan", request=request)
    return render(request, "parcours/person_plan.html", context)


@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as a PDF the person can sign (the « projet personnalisé » of the 2002-2 law)."""
    from weasyprint import HTML

    person = get_visible_person_or_404(request.user, pk)
    context = _plan_context(request, person, printing=True) | {
        "generated_at": timezone.localtime(),
        "household": _current_household(person),
    }
    html = render_to_string("parcours/pdf/plan.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    audit.record(user=request.user, action=AuditAction.DOWNLOAD, person=person, detail="plan_pdf", request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="plan-accompagnement-{person.pk}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def objective_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    ensure_can_write(request.user, person)
    household = _current_household(person)
    initial = {"theme": request.GET.get("theme", "")}
    form = ObjectiveForm(
        request.POST or None,
        initial=initial,
        health=person.access.health,
        structures=_plan_structures(person),
        has_household=household is not None,
    )

    def save():
        data = form.cleaned_data
        services.objective_create(
            person=person,
            by=request.user,
            structure=_acting_structure(request, person),
            theme=data["theme"],
            statement=data["statement"],
            target_on=data.get("target_on"),
            household=household if data.get("concerns_household") else None,
            structures=list(data.get("structures") or []),
        )

    return _page(request, person, form, _("Nouvel objectif"), save)


@require_POST
def objective_suggest(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: add the objective suggested by an active barrier of the latest finalised evaluation."""
    person = get_visible_person_or_404(request.user, pk)
    ensure_can_write(request.user, person)
    barriers = {b.theme: b for b in panels.provide(panels.BARRIERS, person, health=person.access.health)}
    barrier = barriers.get(request.POST.get("barrier", ""))
    if barrier is None:
        messages.error(request, _("Ce frein n'est pas actif dans la dernière évaluation finalisée."))
        return redirect("parcours:person_plan", pk=person.pk)
    statement = _("Lever le frein « %(theme)s »") % {"theme": barrier.label}
    if barrier.situations:
        statement = f"{statement} : {', '.join(barrier.situations)}"[:300]
    try:
        services.objective_create(
            person=person,
            by=request.user,
            structure=_acting_structure(request, person),
            theme=PLAN_THEME_BY_BARRIER.get(barrier.theme, PlanTheme.RESOURCES),
            statement=statement,
            barrier_theme=barrier.theme,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
    else:
        messages.success(request, _("L'objectif a été ajouté au plan."))
    return redirect("parcours:person_plan", pk=person.pk)


def _get_objective(request, person, objective_id) -> Objective:
    objective = get_object_or_404(Objective.objects.for_viewer(person.access), pk=objective_id, person=person)
    objective.person = person
    return objective


@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, pk: int, objective_id: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    objective = _get_objective(request, person, objective_id)
    ensure_can_write(request.user, person)
    household = _current_household(person)
    initial = {
        "theme": objective.theme,
        "statement": objective.statement,
        "target_on": objective.target_on,
        "structures": list(objective.structures.values_list("pk", flat=True)),
        "concerns_household": objective.household_id is not None,
        "status": objective.status,
        "abandon_reason": objective.abandon_reason,
        "lock_version": objective.lock_version,
    }
    form = ObjectiveEditForm(
        request.POST or None,
        initial=initial,
        health=person.access.health,
        structures=_plan_structures(person),
        has_household=household is not None,
    )

    def save():
        data = dict(form.cleaned_data)
        lock_version = data.pop("lock_version")
        concerns = data.pop("concerns_household", None)
        if concerns is not None:
            data["household"] = household if concerns else None
        data["structures"] = list(data.get("structures") or [])
        services.objective_update(objective=objective, by=request.user, lock_version=lock_version, fields=data)

    return _page(request, person, form, _("Modifier l'objectif"), save)


@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, pk: int, objective_id: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    objective = _get_objective(request, person, objective_id)
    ensure_can_write(request.user, person)
    form = ActionForm(request.POST or None, structures=_plan_structures(person))

    def save():
        data = form.cleaned_data
        services.action_create(
            objective=objective,
            by=request.user,
            title=data["title"],
            owner_structure=data["owner_structure"],
            referent=data.get("referent"),
            due_on=data["due_on"],
            structure=_acting_structure(request, person),
        )

    title = _("Nouvelle action : %(objective)s") % {"objective": objective.statement}
    return _page(request, person, form, title, save)


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    action = get_object_or_404(
        Action.objects.select_related("objective").filter(objective__in=Objective.objects.for_viewer(person.access)),
        pk=action_id,
        person=person,
    )
    action.person = person
    ensure_can_write(request.user, person)
    initial = {
        "title": action.title,
        "owner_structure": action.owner_structure_id,
        "referent": action.referent_id,
        "due_on": action.due_on,
        "status": action.status,
        "outcome": action.outcome,
        "not_done_reason": action.not_done_reason,
        "lock_version": action.lock_version,
    }
    form = ActionEditForm(
        request.POST or None, initial=initial, structures=_plan_structures(person, action.owner_structure_id)
    )

    def save():
        data = dict(form.cleaned_data)
        lock_version = data.pop("lock_version")
        services.action_update(
            action=action,
            by=request.user,
            lock_version=lock_version,
            fields=data,
            structure=_acting_structure(request, person),
        )

    return _page(request, person, form, _("Modifier l'action : %(title)s") % {"title": action.title}, save)


# --- the activity feed ------------------------------------------------------------------------------------
@require_GET
def person_activity(request: HttpRequest, pk: int) -> HttpResponse:
    """« Fil d'activité »: the significant facts recorded by every structure, under the file's visibility."""
    person = get_visible_person_or_404(request.user, pk)
    activities = (
        Activity.objects.filter(person=person)
        .for_viewer(person.access)
        .select_related("structure", "objective", "action__owner_structure", "referral__to_structure")
        # Only what the sentence and the row show: three structure rows a fact, each wide (its search document).
        .only(
            "id",
            "person_id",
            "kind",
            "at",
            "facts",
            "is_health",
            "structure_id",
            "structure__name",
            "objective_id",
            "objective__statement",
            "action_id",
            "action__title",
            "action__due_on",
            "action__owner_structure_id",
            "action__owner_structure__name",
            "referral_id",
            "referral__to_structure_id",
            "referral__to_structure__name",
        )  # fmt: skip
        .order_by("-at", "-id")
    )
    paginator = Paginator(activities, ACTIVITY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for row in rows:
        row.text = activity_text.describe(row)
    audit.record(user=request.user, action=AuditAction.VIEW, person=person, detail="activity", request=request)
    return render(
        request,
        "parcours/person_activity.html",
        {"person": person, "page": page, "activities": rows},
    )


# --- housing requests -------------------------------------------------------------------------------------
def _get_housing_request(request, request_id) -> tuple[HousingRequest, Person]:
    housing_request = HousingRequest.objects.filter(pk=request_id).first()
    if housing_request is None:
        raise Http404(_("Demande introuvable."))
    person = get_visible_person_or_404(request.user, housing_request.person_id)
    housing_request.person = person
    return housing_request, person


@require_GET
def housing_request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    """The request with its « volet insertion professionnelle » (never a ◆ item), printable and copyable."""
    housing_request, person = _get_housing_request(request, request_id)
    section = panels.provide(panels.EMPLOYMENT_SECTION, person, evaluation_id=housing_request.linked_evaluation_id)
    latest = panels.provide(panels.LATEST_EVALUATION, person.pk)
    title = _("Volet insertion professionnelle")
    audit.record(user=request.user, action=AuditAction.VIEW, person=person, obj=housing_request, request=request)
    return render(
        request,
        "parcours/housing_request_detail.html",
        {
            "person": person,
            "housing_request": housing_request,
            "section": section,
            "section_text": section.as_text(title) if section else "",
            "newer_evaluation": bool(latest and latest[0] != housing_request.linked_evaluation_id),
            "can_write": person.access.can_write,
        },
    )


@require_POST
def housing_request_relink(request: HttpRequest, request_id: int) -> HttpResponse:
    housing_request, person = _get_housing_request(request, request_id)
    ensure_can_write(request.user, person)
    try:
        services.housing_request_relink(housing_request=housing_request, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
    else:
        messages.success(request, _("La demande est liée à la dernière évaluation finalisée."))
    return redirect("parcours:housing_request_detail", request_id=housing_request.pk)


# --- households -------------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def household_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    ensure_can_write(request.user, person)
    people = Person.objects.writable_by(request.user).exclude(pk=person.pk).order_by("last_name", "first_name", "pk")
    form = HouseholdMemberForm(request.POST or None, people=people)

    def save():
        data = form.cleaned_data
        services.household_member_add(
            person=person,
            by=request.user,
            role=data["role"],
            member=data.get("member"),
            child_age=data.get("child_age"),
        )

    return _page(
        request,
        person,
        form,
        _("Ajouter un membre au ménage"),
        save,
        redirect_to=reverse("parcours:person_detail", args=[person.pk]),
    )


# --- notification preferences -----------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    if not user_scope(request.user).field_structures:
        raise PermissionDenied(_("Seules les structures d'accompagnement reçoivent ces notifications."))
    current = {k: str(v) for k, v in DEFAULT_DELIVERY.items()}
    current |= dict(NotificationPreference.objects.filter(user=request.user).values_list("kind", "delivery"))
    form = NotificationPreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_notification_preferences(user=request.user, choices=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Vos préférences de notification ont été enregistrées."))
            return redirect("parcours:notification_preferences")
    return render(
        request,
        "parcours/form_page.html",
        {"person": None, "form": form, "title": _("Mes préférences de notification")},
        status=400 if request.method == "POST" else 200,
    )


# --- "Orienter" from the directory -----------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def referral_start(request: HttpRequest) -> HttpResponse:
    """The directory's "Orienter" button: choose the person, then the referral form comes pre-filled."""
    if not user_scope(request.user).field_structures:
        raise PermissionDenied(_("Seules les structures d'accompagnement envoient des orientations."))
    people = Person.objects.writable_by(request.user).order_by("last_name", "first_name", "pk")
    initial = {"structure": request.GET.get("structure"), "service": request.GET.get("service")}
    form = ReferralStartForm(request.POST or None, initial=initial, people=people)
    if request.method == "POST" and form.is_valid():
        query = []
        structure_id = form.cleaned_data.get("structure")
        service_id = form.cleaned_data.get("service")
        if structure_id and Structure.objects.filter(pk=structure_id).exists():
            query.append(f"structure={structure_id}")
        if service_id and Service.objects.filter(pk=service_id).exists():
            query.append(f"service={service_id}")
        url = reverse("parcours:referral_create", args=[form.cleaned_data["person"].pk])
        return redirect(url + ("?" + "&".join(query) if query else ""))
    return render(
        request,
        "parcours/form_page.html",
        {"person": None, "form": form, "title": _("Orienter : choisir la personne")},
        status=400 if request.method == "POST" else 200,
    )
