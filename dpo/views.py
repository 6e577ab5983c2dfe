"""The DPO's pages (privacy.md §2, §5-§7): dashboard, audit search, settings, break-glass, rights requests.

Only the DPO and administrators read audit trails; the rights services are the DPO's. Ids, never names, in URLs.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

import audit
from accounts.scope import role_required
from audit.models import Action, AuditEntry
from evaluations.models import Evaluation, EvaluationStatus
from parcours import rights
from parcours.models import BreakGlassGrant, Person, RightsRequest, RightsRequestKind

from . import forms, retention, services
from .models import AccessExport, BulkAccessNotice, RetentionSettings

DPO_ONLY = _("Cette page est réservée au DPO.")
DPO_OR_ADMIN = _("Cette page est réservée au DPO et aux administrateur·rices.")


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@never_cache
@require_http_methods(["GET", "HEAD"])
@role_required("dpo", "admin", message=DPO_OR_ADMIN)
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    settings_row = RetentionSettings.load()
    return render(
        request,
        "dpo/dashboard.html",
        {
            "requests": list(RightsRequest.objects.open().by_due_date()[:100]),
            "holds": list(
                Person.objects.filter(retention_hold_until__gte=today)
                .order_by("retention_hold_until", "pk")
                .values("pk", "retention_hold_until", "retention_hold_reason")[:100]
            ),
            "settings_row": settings_row,
            "settings_form": forms.RetentionSettingsForm(instance=settings_row),
            "notices": list(BulkAccessNotice.objects.select_related("user").order_by("-day", "id")[:50]),
            "grants": list(BreakGlassGrant.objects.select_related("user").order_by("-granted_at", "-id")[:20]),
            "preview": retention.apply_retention(dry_run=True),
            "steps": retention.STEPS,
            "today": today,
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
@role_required("dpo", "admin", message=DPO_OR_ADMIN)
def audit_search(request: HttpRequest) -> HttpResponse:
    """Audit search by person, user and date (paginated). For security and the DPO, never to evaluate staff."""
    form = forms.AuditSearchForm(request.GET or None)
    entries = AuditEntry.objects.select_related("user").order_by("-at", "-id")
    if form.is_valid():
        data = form.cleaned_data
        if data["person_id"]:
            entries = entries.filter(person_id=data["person_id"])
        if data["user"]:
            entries = entries.filter(user=data["user"])
        if data["start"]:
            entries = entries.filter(at__date__gte=data["start"])
        if data["end"]:
            entries = entries.filter(at__date__lte=data["end"])
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "dpo/audit_search.html", {"form": form, "page": page, "querystring": query.urlencode()})


@never_cache
@require_POST
@role_required("dpo", message=DPO_ONLY)
def settings_update(request: HttpRequest) -> HttpResponse:
    form = forms.RetentionSettingsForm(request.POST, instance=RetentionSettings.load())
    if form.is_valid():
        form.save()
        audit.record(
            user=request.user, action=Action.UPDATE, obj=form.instance, detail="retention_settings", request=request
        )
        messages.success(request, _("Les réglages de conservation sont enregistrés."))
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return redirect("dpo:dashboard")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@role_required("dpo", "admin", message=DPO_OR_ADMIN)
def break_glass(request: HttpRequest) -> HttpResponse:
    """ "Accès exceptionnel" (R10): one person, read-only FULL view, 60 minutes, after a typed reason."""
    form = forms.BreakGlassForm(request.POST or None, initial={"person_id": request.GET.get("person") or None})
    if request.method == "POST" and form.is_valid():
        try:
            grant = rights.open_break_glass(
                user=request.user,
                person_id=form.cleaned_data["person_id"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.warning(
                request,
                _("Accès exceptionnel ouvert jusqu'à %(time)s.")
                % {"time": timezone.localtime(grant.expires_at).strftime("%H:%M")},
            )
            return redirect("parcours:person_detail", pk=grant.person_id)
    return render(request, "dpo/break_glass.html", {"form": form})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@role_required("dpo", message=DPO_ONLY)
def request_create(request: HttpRequest) -> HttpResponse:
    form = forms.RightsRequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        person = Person.objects.filter(pk=form.cleaned_data["person_id"], anonymised_at__isnull=True).first()
        if person is None:
            form.add_error("person_id", _("Aucun dossier ne porte ce numéro."))
        else:
            try:
                rights_request = rights.rights_request_create(
                    person=person,
                    by=request.user,
                    kind=form.cleaned_data["kind"],
                    received_on=form.cleaned_data["received_on"],
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("dpo:request_detail", request_id=rights_request.pk)
    return render(request, "dpo/form_page.html", {"form": form, "title": _("Nouvelle demande d'exercice de droits")})


def _get_request(request_id) -> RightsRequest:
    return get_object_or_404(RightsRequest.objects.select_related("person", "handled_by"), pk=request_id)


@never_cache
@require_http_methods(["GET", "HEAD"])
@role_required("dpo", message=DPO_ONLY)
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    rights_request = _get_request(request_id)
    person = rights_request.person
    audit.record(
        user=request.user,
        action=Action.VIEW,
        person=person,
        obj=rights_request,
        detail="rights_request",
        request=request,
    )
    context = {
        "rr": rights_request,
        "person": person,
        "extension_form": forms.ExtensionForm(),
        "answer_form": forms.AnswerForm(),
        "exports": list(AccessExport.objects.filter(rights_request=rights_request, expires_at__gt=timezone.now())),
        "objection_form": forms.ObjectionForm(initial={"recorded_on": timezone.localdate()}),
        "rectification_form": forms.RectificationForm(fields=services.rectifiable_fields()),
        "evaluations": list(
            Evaluation.objects.filter(person=person, status=EvaluationStatus.FINAL)
            .order_by("version_no")
            .values("pk", "version_no", "finalised_at")
        ),
        "hold_form": forms.LegalHoldForm(
            initial={"until": person.retention_hold_until, "reason": person.retention_hold_reason}
        ),
        "kinds": RightsRequestKind,
    }
    return render(request, "dpo/request_detail.html", context)


def _service(request, request_id, call) -> HttpResponse:
    rights_request = _get_request(request_id)
    try:
        call(rights_request)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("dpo:request_detail", request_id=rights_request.pk)


@never_cache
@require_POST
@role_required("dpo", message=DPO_ONLY)
def request_extend(request: HttpRequest, request_id: int) -> HttpResponse:
    form = forms.ExtensionForm(request.POST)

    def call(rr):
        if not form.is_valid():
            raise ValidationError(_("Indiquez une date d'échéance et un motif."))
        rights.rights_request_extend(
            rights_request=rr,
            by=request.user,
            extended_to=form.cleaned_data["extended_to"],
            reason=form.cleaned_data["reason"],
            request=request,
        )
        messages.success(request, _("La demande est prolongée."))

    return _service(request, request_id, call)


@never_cache
@require_POST
@role_required("dpo", message=DPO_ONLY)
def request_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    form = forms.AnswerForm(request.POST)

    def call(rr):
        if not form.is_valid():
            raise ValidationError(_("Choisissez une réponse."))
        rights.rights_request_answer(
            rights_request=rr, by=request.user, status=form.cleaned_data["status"], request=request
        )
        messages.success(request, _("La demande est close."))

    return _service(request, request_id, call)


@never_cache
@require_POST
@role_required("dpo", message=DPO_ONLY)
def request_export(request: HttpRequest, request_id: int) -> HttpResponse:
    def call(rr):
        services.access_export(rights_request=rr, by=request.user, request=request)
        messages.success(request, _("L'export complet est prêt (PDF et JSON)."))

    return _service(request, request_id, call)


@never_cache
@require_http_methods(["GET", "HEAD"])
@role_required("dpo", message=DPO_ONLY)
def export_download(request: HttpRequest, request_id: int, export_id: int, fmt: str) -> FileResponse:
    export = get_object_or_404(AccessExport, pk=export_id, rights_request_id=request_id, expires_at__gt=timezone.now())
    if fmt not in ("pdf", "json"):
        raise Http404(_("Format inconnu."))
    field = getattr(export, fmt)
    if not field:
        raise Http404(_("Fichier introuvable."))
    audit.record(
        user=request.user,
        action=Action.DOWNLOAD,
        person=export.person_id,
        obj=export,
        detail=f"export_{fmt}",
        request=request,
    )
    content_type = "application/pdf" if fmt == "pdf" else "application/json"
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=f"export-{request_id}.{fmt}", content_type=content_type
    )


@never_cache
@require_POST
@role_required("dpo", message=DPO_ONLY)
def request_rectify(request: HttpRequest, request_id: int) -> HttpResponse:
    form = forms.RectificationForm(request.POST, fields=services.rectifiable_fields())

    def call(rr):
        if not form.is_valid():
            raise ValidationError(_("Indiquez l'évaluation, le champ, la nouvelle valeur et le motif."))
        data = form.cleaned_data
        services.rectify_evaluation(
            rights_request=rr,
            by=request.user,
            evaluation_id=data["evaluation_id"],
            field_name=data["field_name"],
            value=data["value"],
            reason=data["reason"],
            request=request,
        )
        messages.success(request, _("L'évaluation est rectifiée."))

    return _service(request, request_id, call)


@never_cache
@require_POST
@role_required("dpo", message=DPO_ONLY)
def request_objection(request: HttpRequest, request_id: int) -> HttpResponse:
    form = forms.ObjectionForm(request.POST)

    def call(rr):
        if not form.is_valid():
            raise ValidationError(_("Indiquez la date et le mode de recueil de l'opposition."))
        if rr.kind != RightsRequestKind.OBJECTION or rr.status != "OPEN":
            raise ValidationError(_("Ce service ne correspond pas au droit exercé dans cette demande."))
        data = form.cleaned_data
        rights.objection_record(
            person=rr.person,
            by=request.user,
            recording_structure=None,
            target_structure=data["target_structure"],
            recorded_on=data["recorded_on"],
            method=data["method"],
            request=request,
        )
        messages.success(request, _("L'opposition est enregistrée : les accompagnements concernés sont terminés."))

    return _service(request, request_id, call)


@never_cache
@require_POST
@role_required("dpo", message=DPO_ONLY)
def request_restrict(request: HttpRequest, request_id: int) -> HttpResponse:
    def call(rr):
        services.restrict(
            rights_request=rr, by=request.user, restricted=request.POST.get("restricted") == "1", request=request
        )
        messages.success(request, _("La limitation du dossier est mise à jour."))

    return _service(request, request_id, call)


@never_cache
@require_POST
@role_required("dpo", message=DPO_ONLY)
def request_erase(request: HttpRequest, request_id: int) -> HttpResponse:
    def call(rr):
        services.erase_now(rights_request=rr, by=request.user, request=request)
        messages.success(request, _("Le dossier est anonymisé."))

    return _service(request, request_id, call)


@never_cache
@require_POST
@role_required("dpo", message=DPO_ONLY)
def request_hold(request: HttpRequest, request_id: int) -> HttpResponse:
    form = forms.LegalHoldForm(request.POST)

    def call(rr):
        if not form.is_valid():
            raise ValidationError(_("Vérifiez la date et le motif."))
        rights.set_legal_hold(
            person=rr.person,
            by=request.user,
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
            request=request,
        )
        messages.success(request, _("La conservation prolongée est mise à jour."))

    return _service(request, request_id, call)
