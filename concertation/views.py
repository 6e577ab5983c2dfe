"""Pages of the concertation app: commissions, sessions and their agenda, cases, decisions and tasks.

Visibility: commissions and sessions for coordinators and for members of member or invited structures
(`Commission.objects.visible_to`); a case's identity only while it is nominative; the person's situation only
when the access policy lets the viewer see the file (privacy.md R4, R5). Not visible → 404; visible but not
allowed → 403; wrong method → 405.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import audit
from accounts.scope import role_required, user_scope
from alerts.enums import ProposalStatus
from alerts.models import CaseConferenceProposal
from audit.models import Action
from parcours.access import get_visible_person_or_404, nominative_consent_q
from parcours.models import Person
from partenaires.models import Structure

from . import figures, services
from .enums import HELD_STATUSES, MinutesStatus, PresentationMode, SessionStatus, TaskStatus
from .forms import AcceptForm, CommissionForm, DecisionForm, DeclineForm, ProposalForm, SessionForm, TaskStatusForm
from .models import CaseReview, Commission, Decision, Minutes, Session
from .presenters import situation_labels

FIELD_OR_COORDINATOR = ("coordinator", "field")


def _require_coordinator(user) -> None:
    if not user_scope(user).is_coordinator:
        raise PermissionDenied(_("Seule la coordination peut faire cette action."))


def _int_or_404(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _visible_commission_or_404(user, commission_id) -> Commission:
    commission = Commission.objects.visible_to(user).filter(pk=_int_or_404(commission_id)).first()
    if commission is None:
        raise Http404(_("Commission introuvable."))
    return commission


def _visible_session_or_404(user, session_id) -> Session:
    session = Session.objects.visible_to(user).select_related("commission").filter(pk=_int_or_404(session_id)).first()
    if session is None:
        raise Http404(_("Séance introuvable."))
    return session


def _decisions_with_nominative():
    """Decisions with `case_is_nominative` (the case asked nominative and the consent is active now)."""
    return Decision.objects.annotate(
        case_is_nominative=Case(
            When(
                Q(case__mode=PresentationMode.NOMINATIVE) & nominative_consent_q("case__person_id"), then=Value(True)
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _visible_people(user):
    return Person.objects.visible_to(user).filter(pk=OuterRef("person_id"))


def _redirect_back(request, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(default)


# --- commissions ----------------------------------------------------------------------------------------
@require_GET
@role_required(*FIELD_OR_COORDINATOR)
def commission_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    commissions = list(
        Commission.objects.visible_to(request.user)
        .annotate(
            held=Count("sessions", filter=Q(sessions__status__in=HELD_STATUSES), distinct=True),
            upcoming=Count("sessions", filter=Q(sessions__starts_at__gte=now), distinct=True),
        )
        .order_by("name", "id")
    )
    pending = CaseConferenceProposal.objects.pending().count() if user_scope(request.user).is_coordinator else 0
    return render(
        request,
        "concertation/commission_list.html",
        {"commissions": commissions, "is_coordinator": user_scope(request.user).is_coordinator, "pending": pending},
    )


@require_http_methods(["GET", "POST"])
def commission_create(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request.user)
    return _commission_form(request, Commission())


@require_http_methods(["GET", "POST"])
def commission_edit(request: HttpRequest, commission_id: int) -> HttpResponse:
    commission = _visible_commission_or_404(request.user, commission_id)
    _require_coordinator(request.user)
    return _commission_form(request, commission)


def _commission_form(request, commission: Commission) -> HttpResponse:
    form = CommissionForm(request.POST or None, instance=commission)
    if request.method == "POST" and form.is_valid():
        try:
            commission = services.commission_save(
                commission=form.save(commit=False),
                by=request.user,
                members=form.cleaned_data["members"],
                invited=form.cleaned_data["invited"],
                coordinators=form.cleaned_data["coordinators"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("La commission est enregistrée."))
            return redirect("concertation:commission_detail", commission.pk)
    title = _("Modifier la commission") if commission.pk else _("Nouvelle commission")
    return render(
        request, "concertation/form_page.html", {"form": form, "title": title}, status=400 if form.errors else 200
    )


@require_GET
def commission_detail(request: HttpRequest, commission_id: int) -> HttpResponse:
    commission = _visible_commission_or_404(request.user, commission_id)
    members = list(commission.members.select_related("structure").order_by("role", "structure__name"))
    sessions = list(commission.sessions.annotate(case_count=Count("cases")).order_by("-starts_at", "-id"))
    today = timezone.localdate()
    year = figures.compute(today - dt.timedelta(days=365), today, [commission.pk]).get(commission.pk)
    is_coordinator = user_scope(request.user).is_coordinator
    return render(
        request,
        "concertation/commission_detail.html",
        {
            "commission": commission,
            "members": members,
            "coordinators": list(commission.coordinators.order_by("last_name", "first_name")),
            "sessions": sessions,
            "figures": year or figures.Figures(),
            "is_coordinator": is_coordinator,
            "session_form": SessionForm(action=reverse("concertation:session_create", args=[commission.pk]))
            if is_coordinator
            else None,
        },
    )


@require_POST
def session_create(request: HttpRequest, commission_id: int) -> HttpResponse:
    commission = _visible_commission_or_404(request.user, commission_id)
    _require_coordinator(request.user)
    form = SessionForm(request.POST)
    if form.is_valid():
        session = services.session_create(commission=commission, by=request.user, **form.cleaned_data)
        messages.success(request, _("La séance est planifiée."))
        return redirect("concertation:session_detail", session.pk)
    return render(
        request,
        "concertation/form_page.html",
        {"form": form, "title": _("Planifier une séance")},
        status=400,
    )


# --- sessions -------------------------------------------------------------------------------------------
def _case_rows(user, cases) -> list[dict]:
    return [
        {
            "case": case,
            "nominative": case.is_nominative,
            "label": f"{case.person.last_name.upper()} {case.person.first_name}"
            if case.is_nominative
            else case.anonymous_label,
            "situation": [] if case.is_nominative else situation_labels(case.situation),
        }
        for case in cases
    ]


@require_GET
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _visible_session_or_404(request.user, session_id)
    is_coordinator = user_scope(request.user).is_coordinator
    cases = list(
        session.cases.with_nominative()
        .select_related("person", "presenting_structure", "previous")
        .annotate(decision_count=Count("decisions"))
        .order_by("position", "id")
    )
    # The commission's open decisions come first: what earlier sessions asked for and is not done yet.
    to_follow = []
    if not session.is_held:
        to_follow = list(
            _decisions_with_nominative()
            .filter(case__session__commission_id=session.commission_id, status=TaskStatus.TODO)
            .exclude(case__session=session)
            .filter(case__session__starts_at__lt=session.starts_at)
            .select_related("case__person", "case__session", "owner_structure")
            .order_by("due_on", "id")
        )
    scheduled = {c.person_id for c in cases}
    follow_rows = [
        {
            "decision": d,
            "label": f"{d.case.person.last_name.upper()} {d.case.person.first_name}"
            if d.case_is_nominative
            else d.case.anonymous_label,
            "scheduled": d.case.person_id in scheduled,
            "overdue": d.due_on is not None and d.due_on < timezone.localdate(),
        }
        for d in to_follow
    ]
    minutes = Minutes.objects.filter(session=session).first()
    return render(
        request,
        "concertation/session_detail.html",
        {
            "session": session,
            "commission": session.commission,
            "rows": _case_rows(request.user, cases),
            "follow_rows": follow_rows,
            "minutes": minutes,
            "is_coordinator": is_coordinator,
            "undecided": sum(1 for c in cases if not c.decision_count),
        },
    )


SESSION_ACTIONS = {
    "clore-ordre-du-jour": (services.session_close_agenda, _("L'ordre du jour est clos.")),
    "tenir": (services.session_hold, _("La séance est marquée comme tenue : enregistrez les décisions.")),
}


@require_POST
def session_action(request: HttpRequest, session_id: int, action: str) -> HttpResponse:
    session = _visible_session_or_404(request.user, session_id)
    if action not in SESSION_ACTIONS:
        raise Http404(_("Action inconnue."))
    _require_coordinator(request.user)
    service, done = SESSION_ACTIONS[action]
    try:
        service(session_id=session.pk, by=request.user)
        messages.success(request, done)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("concertation:session_detail", session.pk)


@require_POST
def session_publish(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _visible_session_or_404(request.user, session_id)
    _require_coordinator(request.user)
    try:
        _minutes, created = services.minutes_publish(session_id=session.pk, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if created:
            messages.success(
                request, _("Le relevé de décisions est en préparation ; les membres le recevront par e-mail.")
            )
        else:
            messages.info(request, _("Le relevé de décisions de cette séance est déjà publié."))
    return redirect("concertation:session_detail", session.pk)


@require_GET
def session_minutes_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _visible_session_or_404(request.user, session_id)
    minutes = Minutes.objects.filter(session=session, status=MinutesStatus.DONE).first()
    if minutes is None or not minutes.file:
        raise Http404(_("Le relevé de décisions n'est pas encore disponible."))
    audit.record(user=request.user, action=Action.DOWNLOAD, obj=minutes, request=request)
    response = FileResponse(
        minutes.file.open("rb"), content_type="application/pdf", filename=f"releve-seance-{session.pk}.pdf"
    )
    response["X-Checksum-SHA256"] = minutes.checksum
    return response


@require_POST
def follow_up_schedule(request: HttpRequest, session_id: int, case_id: int) -> HttpResponse:
    session = _visible_session_or_404(request.user, session_id)
    _require_coordinator(request.user)
    try:
        services.follow_up_schedule(case_id=case_id, session_id=session.pk, by=request.user)
        messages.success(request, _("La situation est réinscrite à l'ordre du jour pour le suivi des décisions."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("concertation:session_detail", session.pk)


# --- proposals ------------------------------------------------------------------------------------------
@require_GET
@role_required(*FIELD_OR_COORDINATOR)
def proposal_list(request: HttpRequest) -> HttpResponse:
    """Coordinators: the pending proposals to accept or decline. Field users: their structures' proposals."""
    scope = user_scope(request.user)
    is_coordinator = scope.is_coordinator
    proposals = CaseConferenceProposal.objects.annotate(visible=Exists(_visible_people(request.user)))
    if is_coordinator:
        proposals = proposals.filter(
            Q(status=ProposalStatus.PENDING) | Q(handled_at__gte=timezone.now() - dt.timedelta(days=90))
        )
    else:
        proposals = proposals.filter(Q(structure_id__in=sorted(scope.field_structures)) | Q(proposed_by=request.user))
    proposals = list(
        proposals.select_related("person", "structure")
        .annotate(case_session_id=Case(When(case_review__isnull=False, then="case_review__session_id")))
        .order_by("-status", "proposed_at", "id")[:200]
    )
    sessions = (
        list(
            Session.objects.filter(status=SessionStatus.PLANNED)
            .select_related("commission")
            .order_by("starts_at", "id")
        )
        if is_coordinator
        else []
    )
    rows = []
    for p in proposals:
        rows.append(
            {
                "proposal": p,
                "label": f"{p.person.last_name.upper()} {p.person.first_name}"
                if p.visible
                else f"{(p.person.first_name or '?')[:1]}. {(p.person.last_name or '?')[:1]}.".upper(),
            }
        )
    return render(
        request,
        "concertation/proposal_list.html",
        {
            "rows": rows,
            "is_coordinator": is_coordinator,
            "session_choices": [
                (s.pk, f"{s.commission.name} — {timezone.localtime(s.starts_at):%d/%m/%Y %H:%M}") for s in sessions
            ],
            "mode_choices": PresentationMode.choices,
            "mode_help": AcceptForm.base_fields["mode"].help_text,
            "has_sessions": bool(sessions),
        },
    )


@require_POST
def proposal_accept(request: HttpRequest, proposal_id: int) -> HttpResponse:
    _require_coordinator(request.user)
    form = AcceptForm(request.POST, sessions=Session.objects.all())
    if not form.is_valid():
        messages.error(request, _("Choisissez une séance et un mode de présentation."))
        return redirect("concertation:proposal_list")
    try:
        case = services.proposal_accept(
            proposal_id=_int_or_404(proposal_id),
            session_id=form.cleaned_data["session"].pk,
            by=request.user,
            mode=form.cleaned_data["mode"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("concertation:proposal_list")
    messages.success(
        request, _("La situation est inscrite à l'ordre du jour ; la personne qui l'a proposée est informée.")
    )
    return redirect("concertation:session_detail", case.session_id)


@require_POST
def proposal_decline(request: HttpRequest, proposal_id: int) -> HttpResponse:
    _require_coordinator(request.user)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez pourquoi la proposition est déclinée."))
        return redirect("concertation:proposal_list")
    try:
        services.proposal_decline(
            proposal_id=_int_or_404(proposal_id), by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("La proposition est déclinée ; la personne qui l'a proposée est informée."))
    return redirect("concertation:proposal_list")


@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, person_id)
    if not person.access.can_write:
        raise PermissionDenied(_("Seules les structures qui accompagnent la personne la proposent en commission."))
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_create(person_id=person.pk, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Situation proposée en commission : la coordination est informée."))
            return redirect("parcours:person_detail", person.pk)
    audit.record(user=request.user, action=Action.VIEW, person=person, request=request)
    return render(
        request,
        "concertation/form_page.html",
        {"form": form, "title": _("Proposer en commission"), "person": person},
        status=400 if form.errors else 200,
    )


# --- cases ----------------------------------------------------------------------------------------------
def _visible_case_or_404(user, case_id) -> CaseReview:
    """A case of a session the user's commissions hold, or of a person whose file the user sees."""
    case = (
        CaseReview.objects.with_nominative()
        .select_related("session__commission", "person", "presenting_structure")
        .filter(pk=_int_or_404(case_id))
        .filter(Q(session__in=Session.objects.visible_to(user).values("pk")) | Q(Exists(_visible_people(user))))
        .first()
    )
    if case is None:
        raise Http404(_("Situation introuvable."))
    return case


def _file_summary(user, case: CaseReview, access) -> dict:
    """The person's situation on one screen (for viewers who see the file): a fixed number of queries."""
    from alerts.models import Alert
    from alerts.presenters import present
    from parcours.enums import ReferralStatus
    from parcours.models import EmploymentSituation, HousingSituation, Referral

    person = case.person
    barriers = []
    try:
        from evaluations.enums import BarrierStatus, BarrierTheme
        from evaluations.models import Barrier

        barriers = [
            b
            for b in Barrier.objects.filter(
                evaluation__person=person, evaluation__is_current=True, status=BarrierStatus.ACTIVE
            ).order_by("theme")
            if access.health or b.theme != BarrierTheme.HEALTH
        ]
    except LookupError:  # pragma: no cover
        pass
    return {
        "housing": list(HousingSituation.objects.open().filter(person=person).select_related("structure")),
        "employment": list(EmploymentSituation.objects.open().filter(person=person).order_by("-started_on", "id")),
        "barriers": barriers,
        "alerts": present(user, list(Alert.objects.open().filter(person=person).by_urgency())),
        "referrals": list(
            Referral.objects.filter(person=person, status=ReferralStatus.SENT)
            .select_related("to_structure")
            .order_by("-sent_at", "id")
        ),
    }


def _synthesis(case: CaseReview) -> dict | None:
    """The latest finalised evaluation's synthesis without ◆ items (R5): distance, orientation, housing type,
    the worker's synthesis text and the active barrier themes except health."""
    try:
        from evaluations.enums import BarrierStatus, BarrierTheme
        from evaluations.models import Evaluation
    except LookupError:  # pragma: no cover
        return None
    evaluation = (
        Evaluation.objects.finalised()
        .filter(person_id=case.person_id, is_current=True)
        .prefetch_related("barriers")
        .first()
    )
    if evaluation is None:
        return None
    themes = [
        b.get_theme_display()
        for b in evaluation.barriers.all()
        if b.status == BarrierStatus.ACTIVE and b.theme != BarrierTheme.HEALTH
    ]
    return {"evaluation": evaluation, "themes": themes}


@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _visible_case_or_404(request.user, case_id)
    shows_identity, access = services.case_access(request.user, case)
    is_coordinator = user_scope(request.user).is_coordinator
    session = case.session
    earlier = (
        list(
            _decisions_with_nominative()
            .filter(case__person_id=case.person_id, case__session__commission_id=session.commission_id)
            .filter(case__session__starts_at__lt=session.starts_at)
            .select_related("owner_structure", "case__session")
            .order_by("-case__session__starts_at", "id")
        )
        if shows_identity
        else []
    )
    decisions = list(case.decisions.select_related("owner_structure").order_by("id"))
    if shows_identity:
        audit.record(user=request.user, action=Action.VIEW, person=case.person_id, obj=case, request=request)
    structures = Structure.objects.filter(pk__in=session.commission.members.values("structure_id")).order_by("name")
    return render(
        request,
        "concertation/case_detail.html",
        {
            "case": case,
            "session": session,
            "label": f"{case.person.last_name.upper()} {case.person.first_name}"
            if shows_identity
            else case.anonymous_label,
            "shows_identity": shows_identity,
            "access": access,
            "situation": [] if shows_identity else situation_labels(case.situation),
            "summary": _file_summary(request.user, case, access) if access else None,
            "synthesis": _synthesis(case) if shows_identity else None,
            "earlier": earlier,
            "decisions": decisions,
            "is_coordinator": is_coordinator,
            "decision_form": DecisionForm(
                structures=structures, action=reverse("concertation:decision_create", args=[case.pk])
            )
            if is_coordinator and session.status == SessionStatus.HELD
            else None,
        },
    )


@require_POST
def decision_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _visible_case_or_404(request.user, case_id)
    _require_coordinator(request.user)
    structures = Structure.objects.all()
    form = DecisionForm(request.POST, structures=structures)
    if form.is_valid():
        try:
            services.decision_record(case_id=case.pk, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect("concertation:case_detail", case.pk)
        else:
            messages.success(request, _("La décision est enregistrée."))
            return redirect("concertation:case_detail", case.pk)
    return render(
        request, "concertation/form_page.html", {"form": form, "title": _("Enregistrer une décision")}, status=400
    )


# --- tasks ----------------------------------------------------------------------------------------------
def open_tasks(user):
    scope = user_scope(user)
    if not scope.field_structures:
        return Decision.objects.none()
    return Decision.objects.for_structures(scope.field_structures).open()


def nav_badge(request) -> int:
    """The navigation badge: open tasks of the user's structures (one query, the memberships as a subquery)."""
    from accounts.models import FIELD_ROLES, Membership

    structures = Membership.objects.filter(user=request.user, role__in=FIELD_ROLES).values("structure_id")
    return Decision.objects.tasks().open().filter(owner_structure_id__in=structures).count()


@require_GET
@role_required("field")
def task_list(request: HttpRequest) -> HttpResponse:
    scope = user_scope(request.user)
    tasks = list(
        _decisions_with_nominative()
        .filter(
            owner_structure_id__in=sorted(scope.field_structures), owner_structure__isnull=False, due_on__isnull=False
        )
        .annotate(
            person_visible=Exists(Person.objects.visible_to(request.user).filter(pk=OuterRef("case__person_id")))
        )
        .select_related("case__person", "case__session__commission", "owner_structure")
        .order_by(Case(When(status=TaskStatus.TODO, then=Value(0)), default=Value(1)), "due_on", "id")[:200]
    )
    today = timezone.localdate()
    rows = [
        {
            "task": t,
            "label": f"{t.case.person.last_name.upper()} {t.case.person.first_name}"
            if t.case_is_nominative and t.person_visible
            else t.case.anonymous_label,
            "links_file": t.case_is_nominative and t.person_visible,
            "overdue": t.status == TaskStatus.TODO and t.due_on < today,
        }
        for t in tasks
    ]
    return render(request, "concertation/task_list.html", {"rows": rows, "form": TaskStatusForm()})


@require_POST
def task_update(request: HttpRequest, decision_id: int) -> HttpResponse:
    form = TaskStatusForm(request.POST)
    mine = Decision.objects.for_structures(user_scope(request.user).field_structures)
    if not mine.filter(pk=_int_or_404(decision_id)).exists():
        raise Http404(_("Tâche introuvable."))
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _redirect_back(request, reverse("concertation:task_list"))
    services.task_set_status(
        decision_id=decision_id,
        by=request.user,
        status=form.cleaned_data["status"],
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("La tâche est mise à jour."))
    return _redirect_back(request, reverse("concertation:task_list"))
