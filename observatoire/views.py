"""The observatory's pages: dashboards by role, the partnership matrix and its drill-down, unmet needs,
interconnaissance, PTI proposals. Aggregates only, except the drill-down (referrals the user may see, through
parcours' access policy) and the proposals (no person in them)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import audit
from accounts.scope import role_required, user_scope
from audit.models import Action
from concertation import figures as concertation_figures
from concertation.models import Commission
from parcours.enums import RefusalReason
from parcours.models import Person, Referral
from partenaires.enums import INTERCONNAISSANCE_KINDS, RegistrationStatus
from partenaires.models import EventRegistration, PartnerAction, Structure

from . import aggregates, exports, html, services
from .enums import NEXT_STATUSES, NoteStatus, ProposalStatus
from .figures import FIGURES, UNMET_NEEDS
from .filters import FilterForm, default_period
from .forms import CommentForm, EvidenceForm, InviteForm, ProposalForm, StatusForm
from .models import Proposal
from .smallnumbers import Masker, threshold

OBSERVERS = ("coordinator", "manager")
MATRIX_ROWS = 200  # pairs shown in the heat map, most referrals first; the exports carry them all


def _limit(user):
    """None for coordinators (the whole territory); a manager's structures otherwise."""
    scope = user_scope(user)
    return None if scope.is_coordinator else scope.manager_structures


def _filter_form(request):
    limit = _limit(request.user)
    structures = Structure.objects.members() if limit is None else Structure.objects.filter(pk__in=sorted(limit))
    data = request.GET
    if not any(data.get(key) for key in ("start", "end", "territory", "sector", "structure")):
        start, end = default_period()
        data = {"start": start.isoformat(), "end": end.isoformat()}
    form = FilterForm(data, structures=structures)
    if form.is_valid():
        return form, form.filters(limit_to=limit)
    return form, None


def _base_context(request, form, filters):
    return {
        "form": form,
        "filters": filters,
        "querystring": filters.querystring() if filters else "",
        "masked": Masker.for_user(request.user).active,
        "threshold": threshold(),
        "is_coordinator": user_scope(request.user).is_coordinator,
    }


def _funder_structures(user) -> list[int]:
    return sorted(user_scope(user).funder_structures)


# --- dashboards -----------------------------------------------------------------------------------
@require_GET
@role_required("coordinator", "manager", "funder")
def dashboard(request):
    scope = user_scope(request.user)
    form, filters = _filter_form(request)
    context = _base_context(request, form, filters)
    if filters is not None:
        masker = Masker.for_user(request.user)
        if scope.is_coordinator or scope.is_manager:
            context["figure"] = FIGURES["activity"][0](filters, masker)
            if scope.is_coordinator:
                context["commissions"] = _commission_figures(filters)
        else:
            funders = _funder_structures(request.user)
            context["figure"] = FIGURES["funder_activity"][0](filters, masker, funder_structures=funders)
            context["operations_count"] = aggregates.funded_operations_count(funders)
    context["is_funder_view"] = not (scope.is_coordinator or scope.is_manager)
    return render(request, "observatoire/dashboard.html", context)


def _commission_figures(filters) -> dict:
    """The concertation commissions' sessions and decisions over the period (two queries, any volume)."""
    by_commission = concertation_figures.compute(filters.start, filters.end)
    names = Commission.objects.order_by("name", "id").values_list("pk", "name")  # a few rows; always one query
    return {
        "total": by_commission[None],
        "rows": [(name, by_commission[pk]) for pk, name in names if pk in by_commission],
    }


# --- the partnership matrix -----------------------------------------------------------------------
def _heat(rate) -> str:
    if not isinstance(rate, int | float):
        return "heat-none"
    return f"heat-{min(4, int(rate // 25))}"


@require_GET
@role_required(*OBSERVERS)
def partnership_matrix(request):
    form, filters = _filter_form(request)
    context = _base_context(request, form, filters)
    if filters is not None:
        masker = Masker.for_user(request.user)
        figure = FIGURES["matrix"][0](filters, masker)
        context["figure"] = figure
        pairs = sorted(
            zip(figure.rows, figure.extra["pairs"], strict=True),
            key=lambda item: (-item[1]["sent"], item[1]["from"], item[1]["to"]),
        )
        context["pairs_total"] = len(pairs)
        context["pairs_shown"] = min(len(pairs), MATRIX_ROWS)
        context["rows"] = [
            {
                "cells": cells,
                "pair": pair,
                "heat": _heat(cells[6]),
                "reasons": [
                    (label, masker(pair["refused_by_reason"][code]))
                    for code, label in RefusalReason.choices
                    if pair["refused_by_reason"][code]
                ],
            }
            for cells, pair in pairs[:MATRIX_ROWS]
        ]
        context["rows_html"] = html.matrix_rows(
            context["rows"],
            context["querystring"],
            reverse("observatoire:matrix_referrals", args=[0, 0]),
            _("Orientations"),
        )
        context["sectors"] = FIGURES["matrix_sectors"][0](filters, masker)
    return render(request, "observatoire/matrix.html", context)


@require_GET
@role_required(*OBSERVERS)
def matrix_referrals(request, from_id: int, to_id: int):
    """The drill-down of one pair: only the referrals whose person the user may see (parcours.access)."""
    form, filters = _filter_form(request)
    if filters is None:
        raise Http404(_("Filtres invalides."))
    start, end = aggregates.bounds(filters)
    referrals = (
        Referral.objects.filter(
            person__in=Person.objects.visible_to(request.user),
            from_structure_id=from_id,
            to_structure_id=to_id,
            sent_at__gte=start,
            sent_at__lt=end,
        )
        .order_by("-sent_at", "-id")
        .only("id", "sent_at", "status", "refusal_reason", "kind", "answered_at")[:200]
    )
    names = dict(Structure.objects.filter(pk__in=[from_id, to_id]).values_list("pk", "name"))
    if len(names) < 2:
        raise Http404(_("Structure introuvable."))
    return render(
        request,
        "observatoire/matrix_referrals.html",
        {
            **_base_context(request, form, filters),
            "referrals": list(referrals),
            "from_name": names[from_id],
            "to_name": names[to_id],
        },
    )


# --- unmet needs ----------------------------------------------------------------------------------
@require_GET
@role_required(*OBSERVERS)
def unmet_needs(request):
    form, filters = _filter_form(request)
    context = _base_context(request, form, filters)
    if filters is not None:
        masker = Masker.for_user(request.user)
        context["figures"] = [FIGURES[key][0](filters, masker) for key in UNMET_NEEDS]
        context["drafts"] = list(
            Proposal.objects.editable_by(request.user).order_by("-created_at", "-id").only("pk", "title")[:50]
        )
    return render(request, "observatoire/unmet_needs.html", context)


# --- exports --------------------------------------------------------------------------------------
@require_GET
def export(request, figure: str, fmt: str):
    if figure not in FIGURES or fmt not in ("csv", "xlsx"):
        raise Http404(_("Export inconnu."))
    builder, roles = FIGURES[figure]
    scope = user_scope(request.user)
    if not any(scope.has(role) for role in roles):
        raise Http404(_("Export inconnu."))
    form, filters = _filter_form(request)
    if filters is None:
        return HttpResponse(
            " ".join(str(e) for errors in form.errors.values() for e in errors), status=400, content_type="text/plain"
        )
    masker = Masker.for_user(request.user)
    kwargs = {"funder_structures": _funder_structures(request.user)} if figure == "funder_activity" else {}
    result = builder(filters, masker, **kwargs)
    audit.record(user=request.user, action=Action.EXPORT, detail=f"observatoire:{figure}:{fmt}", request=request)
    name = f"observatoire-{figure}-{filters.start}-{filters.end}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(result), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(result),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- interconnaissance ----------------------------------------------------------------------------
def _next_events():
    return PartnerAction.objects.filter(kind__in=INTERCONNAISSANCE_KINDS).coming().order_by("starts_on", "id")


@require_GET
@role_required(*OBSERVERS)
def interconnaissance(request):
    form, filters = _filter_form(request)
    context = _base_context(request, form, filters)
    if filters is not None:
        context["known_total"], context["known"] = aggregates.known_pairs(filters)
        context["never_total"], context["never"] = aggregates.never_met_pairs(filters)
        yes, no = _("oui"), _("non")
        context["known_html"] = html.pair_rows(
            context["known"], ("a_name", "b_name", "by_event", "by_referral"), yes, no
        )
        context["never_html"] = html.pair_rows(context["never"], ("territory", "a_name", "b_name"), yes, no)
    context["events"] = list(
        _next_events().annotate(registered=Count("registrations")).select_related("structure")[:20]
    )
    return render(request, "observatoire/interconnaissance.html", context)


@require_POST
@role_required("coordinator")
def invite_pairs(request):
    form, filters = _filter_form(request)
    invite = InviteForm(request.POST, actions=_next_events())
    if filters is None or not invite.is_valid():
        messages.error(request, _("Choisissez un événement à venir et des filtres valides."))
        return redirect("observatoire:interconnaissance")
    _total, pairs = aggregates.never_met_pairs(filters, limit=5000)
    try:
        count = services.invite_pairs(
            user=request.user, action=invite.cleaned_data["action"], pairs=[(p["a"], p["b"]) for p in pairs]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "Invitation envoyée : %(count)s nouvelle structure invitée.",
                "Invitations envoyées : %(count)s nouvelles structures invitées.",
                count,
            )
            % {"count": count},
        )
    return redirect(reverse("observatoire:event_detail", args=[invite.cleaned_data["action"].pk]))


@require_http_methods(["GET", "POST"])
def event_detail(request, pk: int):
    scope = user_scope(request.user)
    if not (scope.field_structures or scope.is_coordinator):
        raise Http404(_("Événement introuvable."))
    action = get_object_or_404(
        PartnerAction.objects.select_related("structure"), pk=pk, kind__in=INTERCONNAISSANCE_KINDS
    )
    may_mark = scope.is_coordinator or action.structure_id in scope.field_structures
    if request.method == "POST":
        try:
            if request.POST.get("op") == "attendance":
                present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
                services.record_attendance(user=request.user, action=action, present_ids=present)
                messages.success(request, _("Présences enregistrées."))
            else:
                structure_id = request.membership.structure_id if request.membership else None
                if structure_id is None:
                    raise PermissionDenied(_("Choisissez d'abord votre structure."))
                services.register(
                    user=request.user, action=action, structure_id=structure_id, person=request.POST.get("op") == "me"
                )
                messages.success(request, _("Inscription enregistrée."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("observatoire:event_detail", pk=action.pk)
    registrations = list(
        EventRegistration.objects.filter(action=action)
        .select_related("structure", "user")
        .order_by("structure__name", "id")
    )
    return render(
        request,
        "observatoire/event_detail.html",
        {"action": action, "registrations": registrations, "may_mark": may_mark, "statuses": RegistrationStatus},
    )


# --- proposals ------------------------------------------------------------------------------------
def _proposal_or_404(user, pk):
    return get_object_or_404(Proposal.objects.visible_to(user).select_related("structure"), pk=pk)


def _can_write(user) -> bool:
    scope = user_scope(user)
    return scope.is_coordinator or scope.is_manager


@require_GET
def proposal_list(request):
    scope = user_scope(request.user)
    if not (scope.field_structures or scope.is_coordinator):
        raise Http404(_("Page introuvable."))
    proposals = (
        Proposal.objects.visible_to(request.user)
        .select_related("structure")
        .annotate(evidence_count=Count("evidence", distinct=True), partners_count=Count("partners", distinct=True))
        .order_by("-created_at", "-id")[:200]
    )
    return render(
        request,
        "observatoire/proposal_list.html",
        {"proposals": list(proposals), "can_write": _can_write(request.user)},
    )


@require_http_methods(["GET", "POST"])
@role_required("coordinator", "manager")
def proposal_create(request):
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = request.membership
        scope = user_scope(request.user)
        structure_id = membership.structure_id if membership else min(scope.manager_structures)
        if not scope.is_coordinator and structure_id not in scope.manager_structures:
            structure_id = min(scope.manager_structures)
        data = {k: v for k, v in form.cleaned_data.items() if k != "partners"}
        proposal = services.create_proposal(
            user=request.user,
            structure=Structure.objects.get(pk=structure_id),
            data=data,
            partners=form.cleaned_data["partners"],
        )
        messages.success(request, _("Proposition enregistrée en brouillon."))
        return redirect("observatoire:proposal_detail", pk=proposal.pk)
    return render(request, "observatoire/proposal_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk: int):
    proposal = _proposal_or_404(request.user, pk)
    if not Proposal.objects.editable_by(request.user).filter(pk=proposal.pk).exists():
        raise PermissionDenied(_("Seul un brouillon de votre structure peut être modifié."))
    form = ProposalForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Proposition enregistrée."))
        return redirect("observatoire:proposal_detail", pk=proposal.pk)
    return render(request, "observatoire/proposal_form.html", {"form": form, "proposal": proposal})


@require_GET
def proposal_detail(request, pk: int):
    proposal = get_object_or_404(
        Proposal.objects.visible_to(request.user)
        .select_related("structure")
        .prefetch_related(
            Prefetch("partners", queryset=Structure.objects.order_by("name", "id")),
            "evidence",
            Prefetch("comments", queryset=proposal_comments()),
        ),
        pk=pk,
    )
    editable = Proposal.objects.editable_by(request.user).filter(pk=proposal.pk).exists()
    scope = user_scope(request.user)
    return render(
        request,
        "observatoire/proposal_detail.html",
        {
            "proposal": proposal,
            "editable": editable,
            "is_coordinator": scope.is_coordinator,
            "next_statuses": [s for s in NEXT_STATUSES.get(proposal.status, ()) if s != ProposalStatus.SUBMITTED],
            "status_form": StatusForm(),
            "comment_form": CommentForm(),
            "note": proposal.notes.order_by("-requested_at", "-id").first(),
        },
    )


def proposal_comments():
    from .models import ProposalComment

    return ProposalComment.objects.select_related("structure").order_by("created_at", "id")


@require_POST
def proposal_submit(request, pk: int):
    proposal = _proposal_or_404(request.user, pk)
    if not Proposal.objects.editable_by(request.user).filter(pk=proposal.pk).exists():
        raise PermissionDenied(_("Seul un brouillon de votre structure peut être soumis."))
    try:
        services.submit_proposal(user=request.user, proposal=proposal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Proposition soumise au comité du PTI."))
    return redirect("observatoire:proposal_detail", pk=proposal.pk)


@require_POST
def proposal_status(request, pk: int):
    proposal = _proposal_or_404(request.user, pk)
    if not user_scope(request.user).is_coordinator:
        raise PermissionDenied(_("Seule la coordination enregistre les décisions du comité."))
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Statut inconnu."))
        return redirect("observatoire:proposal_detail", pk=proposal.pk)
    try:
        services.move_proposal(
            user=request.user,
            proposal=proposal,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Statut enregistré."))
    return redirect("observatoire:proposal_detail", pk=proposal.pk)


@require_POST
def proposal_comment(request, pk: int):
    proposal = _proposal_or_404(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        membership = request.membership
        services.add_comment(
            user=request.user,
            proposal=proposal,
            text=form.cleaned_data["text"],
            structure_id=membership.structure_id if membership else None,
        )
        messages.success(request, _("Commentaire ajouté."))
    else:
        messages.error(request, _("Le commentaire est vide."))
    return redirect("observatoire:proposal_detail", pk=proposal.pk)


@require_http_methods(["GET", "POST"])
@role_required(*OBSERVERS)
def evidence_add(request):
    """Attach a figure of the observatory, with its filters, to a draft: the server recomputes and freezes it."""
    proposals = Proposal.objects.editable_by(request.user).order_by("-created_at", "-id")
    data = request.POST if request.method == "POST" else request.GET
    form_filters = FilterForm(
        {k: data.get(k, "") for k in ("start", "end", "territory", "sector", "structure")},
        structures=Structure.objects.members()
        if _limit(request.user) is None
        else Structure.objects.filter(pk__in=sorted(_limit(request.user))),
    )
    if request.method == "POST":
        form = EvidenceForm(data, proposals=proposals)
    else:
        form = EvidenceForm(initial={"figure": data.get("figure")}, proposals=proposals)
    if request.method == "POST":
        if form.is_valid() and form_filters.is_valid():
            proposal = form.cleaned_data["proposal"]
            filters = form_filters.filters(limit_to=_limit(request.user))
            try:
                services.attach_evidence(
                    user=request.user, proposal=proposal, figure_key=form.cleaned_data["figure"], filters=filters
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Figure jointe à la proposition, figée à la date du jour."))
                return redirect("observatoire:proposal_detail", pk=proposal.pk)
        else:
            for errors in (*form.errors.values(), *form_filters.errors.values()):
                for error in errors:
                    messages.error(request, error)
    return render(request, "observatoire/evidence_form.html", {"form": form, "filter_form": form_filters})


@require_http_methods(["GET", "POST"])
def proposal_pdf(request, pk: int):
    """GET: the latest note d'opportunité when ready (else its status page); POST: render a new one."""
    proposal = _proposal_or_404(request.user, pk)
    if request.method == "POST":
        services.request_note(user=request.user, proposal=proposal)
        messages.success(request, _("La note d'opportunité est en cours de préparation."))
        return redirect("observatoire:proposal_pdf", pk=proposal.pk)
    note = proposal.notes.order_by("-requested_at", "-id").first()
    if note is not None and note.status == NoteStatus.DONE and note.file:
        audit.record(user=request.user, action=Action.DOWNLOAD, obj=note, request=request)
        return FileResponse(
            note.file.open("rb"),
            as_attachment=True,
            filename=f"note-opportunite-{proposal.pk}.pdf",
            content_type="application/pdf",
        )
    return render(request, "observatoire/note_status.html", {"proposal": proposal, "note": note})
