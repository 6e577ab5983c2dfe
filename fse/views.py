"""FSE pages. Coordinators manage operations and participants; funders see their operations' aggregates and
reports only (privacy.md R6: every participant URL is 404 for them); every other role gets 403 on the area."""

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import outbox
from accounts.scope import role_required, user_scope
from parcours import disclosure
from parcours.access import get_visible_person_or_404

from . import audit, exporter, importer, indicators, people
from .audit import record
from .enums import ReportStatus
from .forms import ImportForm, OperationForm, ParticipantForm, PeriodForm, PersonChoiceForm, ReportRequestForm
from .models import ImportBatch, Operation, Participant, Report
from .services import match_key, participant_save, participants_import, report_request

PAGE_SIZE = 50


# The FSE area is for coordinators, funders and field members (their structure's operations); else 403.
fse_area = role_required("coordinator", "funder", "field")
# Participant data and operation management: funders get 404 (they must not learn it exists).
coordinators_only = role_required("coordinator", hidden=True)
# Reading participant records: coordinators, and field members for the participants their structure follows
# (the queryset filters them); funders and everyone else get 404 (R6).
participant_readers = role_required("coordinator", "field", hidden=True)
# Management actions on an operation a funder may see: 403 for funders.
coordinator_required = role_required("coordinator")


def _operation(request, pk: int) -> Operation:
    return get_object_or_404(Operation.objects.visible_to(request.user).select_related("carrier"), pk=pk)


def _period(request, operation: Operation) -> tuple[PeriodForm, object, object]:
    data = request.GET if "start" in request.GET or "end" in request.GET else None
    initial = {"start": operation.start_on, "end": operation.end_on}
    form = PeriodForm(data, initial=initial)
    if data is not None and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, operation.start_on, operation.end_on


@require_GET
@fse_area
def operation_list(request: HttpRequest) -> HttpResponse:
    operations = (
        Operation.objects.visible_to(request.user)
        .select_related("carrier")
        .annotate(participant_count=Count("participants", distinct=True))
        .order_by("-start_on", "number")
    )
    return render(
        request,
        "fse/operation_list.html",
        {"operations": operations, "is_coordinator": user_scope(request.user).is_coordinator},
    )


@require_http_methods(["GET", "POST"])
@fse_area
@coordinator_required
def operation_create(request: HttpRequest) -> HttpResponse:
    form = OperationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        operation = form.save()
        messages.success(request, _("Opération %(number)s créée.") % {"number": operation.number})
        return redirect("fse:operation_detail", pk=operation.pk)
    return render(request, "fse/operation_form.html", {"form": form, "operation": None})


@require_http_methods(["GET", "POST"])
@fse_area
@coordinator_required
def operation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    operation = _operation(request, pk)
    form = OperationForm(request.POST or None, instance=operation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Opération enregistrée."))
        return redirect("fse:operation_detail", pk=operation.pk)
    return render(request, "fse/operation_form.html", {"form": form, "operation": operation})


@require_GET
@fse_area
def operation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    operation = _operation(request, pk)
    period_form, start, end = _period(request, operation)
    figures = indicators.compute(operation, start, end)
    main_set = indicators.indicator_set(operation)
    is_coordinator = user_scope(request.user).is_coordinator
    incomplete = []
    if is_coordinator:
        incomplete = [
            {**row, "missing": indicators.missing_items(row)}
            for row in indicators.incomplete_participants(operation)
            .order_by("sequence")
            .values(*indicators.INCOMPLETE_FIELDS)[:PAGE_SIZE]
        ]
    reports = list(Report.objects.filter(operation=operation).select_related("requested_by")[:20])
    # Funders on a custom period: small counts read « < 5 » (issue 11; parcours.disclosure).
    masked = not is_coordinator and user_scope(request.user).is_funder
    limit = disclosure.limit_for(masked=masked and not indicators.is_reporting_period(operation, start, end))
    return render(
        request,
        "fse/operation_detail.html",
        {
            "operation": operation,
            "funders": list(operation.funders.all()),
            "period_form": period_form,
            "start": start,
            "end": end,
            "entrants_rows": indicators.masked_rows(figures.table(main_set, indicators.ENTRANTS), limit),
            "leavers_rows": indicators.masked_rows(figures.table(main_set, indicators.LEAVERS), limit),
            "legacy_rows": indicators.masked_rows(figures.table(indicators.legacy_set(operation)), limit),
            "leavers": indicators.masked_rows([figures.rows[indicators.LEAVERS_ALL]], limit)[0],
            "small_cells": limit,
            "checks": indicators.aggregate_checks(figures),
            "quality": indicators.quality(operation),
            "incomplete": incomplete,
            "is_coordinator": is_coordinator,
            "is_member": not is_coordinator and user_scope(request.user).is_field,
            "reports": reports,
            "report_form": ReportRequestForm(
                initial={"start": start, "end": end}, action=reverse("fse:report_create", args=[operation.pk])
            ),
            "columns": indicators.COLUMNS,
        },
    )


@require_GET
@fse_area
@coordinators_only
def indicator_cell(request: HttpRequest, pk: int, code: str, scope: str, column: str) -> HttpResponse:
    """The participants behind one figure, through the FSE access policy (coordinators only)."""
    operation = _operation(request, pk)
    known = set(indicators.REGISTRY) | {indicators.LEAVERS_ALL, indicators.LEAVERS_OBSERVED}
    if code not in known or scope not in indicators.SCOPES or column not in indicators.COLUMNS:
        raise Http404
    _form, start, end = _period(request, operation)
    queryset = indicators.cell_participants(operation, code, scope, column, start, end)
    participants = Participant.objects.visible_to(request.user).filter(pk__in=queryset.values("pk"))
    page = Paginator(participants.order_by("sequence"), PAGE_SIZE).get_page(request.GET.get("page"))
    record(request, audit.VIEW, obj=operation, detail=f"fse_cell:{code}:{scope}:{column}")
    label = indicators.REGISTRY[code].label if code in indicators.REGISTRY else code
    return render(
        request,
        "fse/indicator_cell.html",
        {
            "operation": operation,
            "code": code,
            "label": label,
            "scope_label": indicators.scope_label(scope),
            "column_label": indicators.column_label(column),
            "start": start,
            "end": end,
            "page": page,
        },
    )


@require_GET
@fse_area
@participant_readers
def participant_list(request: HttpRequest, pk: int) -> HttpResponse:
    operation = _operation(request, pk)
    participants = Participant.objects.visible_to(request.user).filter(operation=operation).order_by("sequence")
    query = request.GET.get("numero", "").strip()
    if query:
        participants = participants.filter(number__icontains=query)
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "fse/participant_list.html", {"operation": operation, "page": page, "query": query})


def _participant(request, pk: int, participant_pk: int) -> Participant:
    operation = _operation(request, pk)
    return get_object_or_404(
        Participant.objects.visible_to(request.user).select_related("operation", "validated_by"),
        operation=operation,
        pk=participant_pk,
    )


@require_GET
@fse_area
@participant_readers
def participant_detail(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    participant = _participant(request, pk, participant_pk)
    record(request, audit.VIEW, obj=participant, person_id=participant.person_id, detail="fse_participant")
    is_coordinator = user_scope(request.user).is_coordinator
    return render(
        request,
        "fse/participant_detail.html",
        {
            "operation": participant.operation,
            "participant": participant,
            "person_visible": people.visible_person_id(request.user, participant) is not None,
            "is_coordinator": is_coordinator,
            "shows_disability": is_coordinator or people.shows_health(request.user, participant),
        },
    )


def _linked_person(request, operation: Operation, participant: Participant | None):
    """The person a new participant is built from (`personne` id), fetched through the access policy."""
    if participant is not None:
        return None
    person_id = _int(request.POST.get("personne") if request.method == "POST" else request.GET.get("personne"))
    if person_id is None:
        return None
    person = get_visible_person_or_404(request.user, person_id)
    record(request, audit.VIEW, obj=person, person_id=person.pk, detail="fse_prefill")
    return person


def _participant_form(request, operation: Operation, participant: Participant | None) -> HttpResponse:
    person = _linked_person(request, operation, participant)
    initial = {}
    if person is not None and request.method == "GET":
        entry_on = min(max(timezone.localdate(), operation.start_on), operation.end_on)
        initial = {key: value for key, value in people.prefill(person, entry_on).items() if value not in ("", None)}
    form = ParticipantForm(
        request.POST or None,
        instance=participant,
        operation=operation,
        initial=initial,
        person_id=person.pk if person is not None else None,
    )
    person_form = None
    if participant is None and person is None:
        person_form = PersonChoiceForm(user=request.user)
    if request.method == "POST" and form.is_valid():
        candidate = form.instance
        if person is not None:
            candidate.person = person
        key = match_key(candidate.last_name, candidate.first_name, candidate.birth_date)
        duplicate = (
            Participant.objects.filter(operation=operation)
            .filter(Q(match_key=key) | Q(person=person) if person is not None else Q(match_key=key))
            .exclude(pk=candidate.pk)
            .first()
        )
        if duplicate is not None:
            form.add_error(
                None,
                _("Cette personne est déjà participante de l'opération (%(number)s).") % {"number": duplicate.number},
            )
        else:
            saved = participant_save(participant=candidate, by=request.user, validate="validate" in request.POST)
            messages.success(request, _("Participant·e %(number)s enregistré·e.") % {"number": saved.number})
            return redirect("fse:participant_detail", pk=operation.pk, participant_pk=saved.pk)
    return render(
        request,
        "fse/participant_form.html",
        {
            "operation": operation,
            "participant": participant,
            "form": form,
            "person": person,
            "person_form": person_form,
        },
    )


@require_http_methods(["GET", "POST"])
@fse_area
@coordinators_only
def participant_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _participant_form(request, _operation(request, pk), None)


@require_http_methods(["GET", "POST"])
@fse_area
@coordinators_only
def participant_edit(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    participant = _participant(request, pk, participant_pk)
    record(request, audit.VIEW, obj=participant, person_id=participant.person_id, detail="fse_participant_edit")
    return _participant_form(request, participant.operation, participant)


@require_GET
@fse_area
@coordinators_only
def participant_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    operation = _operation(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    participants = Participant.objects.visible_to(request.user).filter(operation=operation)
    record(request, audit.EXPORT, obj=operation, detail=f"fse_participants_{fmt}")
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        data, content_type = exporter.to_csv(participants), "text/csv; charset=utf-8"
    else:
        data = exporter.to_xlsx(participants)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="participants-{operation.number}-{stamp}.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
@fse_area
@coordinators_only
def participant_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload, preview with every error, then confirm (a second POST naming the stored batch)."""
    operation = _operation(request, pk)
    context = {"operation": operation, "result": None, "batch": None, "created": 0, "updated": 0}
    if request.method == "POST" and "batch" in request.POST:
        return _import_confirm(request, operation)
    form = ImportForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        result = importer.parse(data, upload.name, operation)
        context["result"] = result
        if result.ok:
            keys = [match_key(r["last_name"], r["first_name"], r["birth_date"]) for r in result.rows]
            existing = Participant.objects.filter(operation=operation, match_key__in=keys).count()
            context["updated"], context["created"] = existing, len(keys) - existing
            batch = ImportBatch(operation=operation, uploaded_by=request.user, filename=upload.name[:255])
            batch.file.save("import.bin", ContentFile(data), save=False)
            batch.save()
            context["batch"] = batch
    return render(request, "fse/participant_import.html", context)


def _import_confirm(request: HttpRequest, operation: Operation) -> HttpResponse:
    # Locked: a second confirmation of the same batch (double click, two tabs) waits for the first, then finds
    # it imported and imports nothing.
    batches = ImportBatch.objects.filter(
        operation=operation, uploaded_by=request.user, pk=_int(request.POST.get("batch"))
    )
    batch = batches.select_for_update().filter(imported_at__isnull=True).first()
    if batch is None and batches.filter(imported_at__isnull=False).exists():
        messages.info(request, _("Ce fichier a déjà été importé."))
        return redirect("fse:operation_detail", pk=operation.pk)
    if batch is None:
        messages.error(request, _("Ce fichier a déjà été importé ou n'existe plus : déposez-le de nouveau."))
        return redirect("fse:participant_import", pk=operation.pk)
    with batch.file.open("rb") as handle:
        data = handle.read()
    result = importer.parse(data, batch.filename, operation)
    if not result.ok:
        messages.error(request, _("Le fichier n'est plus valide : déposez-le de nouveau."))
        return redirect("fse:participant_import", pk=operation.pk)
    created, updated = participants_import(operation=operation, rows=result.rows, by=request.user)
    batch.file.delete(save=False)
    batch.imported_at, batch.created_count, batch.updated_count = timezone.now(), created, updated
    batch.save()
    messages.success(
        request,
        _("Import terminé : %(created)s participant·es créé·es, %(updated)s mis·es à jour.")
        % {"created": created, "updated": updated},
    )
    return redirect("fse:operation_detail", pk=operation.pk)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_POST
@fse_area
@coordinator_required
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    operation = _operation(request, pk)
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("fse:operation_detail", pk=operation.pk)
    with outbox.submit_once(request) as submission:
        report = report_request(
            operation=operation,
            period_start=form.cleaned_data["start"],
            period_end=form.cleaned_data["end"],
            by=request.user,
        )
        submission.result_url = reverse("fse:report_detail", args=[report.pk])
    # No flash message: the page shows the report's current state only, and it moves on to « Prêt » (issue 16).
    return redirect("fse:report_detail", report_pk=report.pk)


def _report(request, report_pk: int) -> Report:
    return get_object_or_404(
        Report.objects.visible_to(request.user).select_related("operation", "requested_by"), pk=report_pk
    )


@require_GET
@fse_area
def report_detail(request: HttpRequest, report_pk: int) -> HttpResponse:
    """The report's progress; htmx polls the fragment until it is ready (the page reloads without JavaScript)."""
    report = _report(request, report_pk)
    template = "fse/includes/report_status.html" if request.htmx else "fse/report_detail.html"
    can_retry = report.status == ReportStatus.FAILED and user_scope(request.user).is_coordinator
    return render(request, template, {"report": report, "operation": report.operation, "can_retry": can_retry})


@require_GET
@fse_area
def report_download(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = _report(request, report_pk)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    record(request, audit.DOWNLOAD, obj=report, detail="fse_report")
    response = FileResponse(report.file.open("rb"), content_type="application/pdf", as_attachment=True)
    response["Content-Disposition"] = (
        f'attachment; filename="rapport-fse-{report.operation.number}-{report.period_start}-{report.period_end}.pdf"'
    )
    return response
