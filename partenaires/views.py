import calendar
import datetime
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from accounts.scope import role_required, user_scope

from . import referentials as ref
from .data_inclusion import PayloadError, export_directory, load_records, run_import
from .enums import HousingOffer
from .forms import (
    ActionFilterForm,
    ContactForm,
    DataInclusionUploadForm,
    PartnerActionForm,
    ServiceForm,
    StructureForm,
    StructureSearchForm,
)
from .models import (
    Contact,
    DigestSubscription,
    DirectoryImport,
    PartnerAction,
    Service,
    Structure,
    can_edit_structure,
)
from .services import (
    action_save,
    contact_delete,
    contact_save,
    service_delete,
    service_save,
    structure_save,
)

PAGE_SIZE = 20
# An uploaded file waits this long for its confirmation.
IMPORT_VALIDITY = datetime.timedelta(hours=2)
GET_POST = require_http_methods(["GET", "POST"])


# --- permissions -----------------------------------------------------------------------------------
def can_edit(request: HttpRequest, structure: Structure) -> bool:
    return can_edit_structure(request.user, structure)


def _require_edit(request: HttpRequest, structure: Structure) -> None:
    if not can_edit(request, structure):
        raise PermissionDenied(_("Seuls les responsables de cette structure et les coordinateur·rices la modifient."))


coordinator_required = role_required("coordinator", message=gettext_lazy("Réservé aux coordinateur·rices."))


def editable_structures(request: HttpRequest):
    """Structures the user may speak for: all for a coordinator, the managed ones otherwise."""
    scope = user_scope(request.user)
    if scope.is_coordinator:
        return Structure.objects.all()
    return Structure.objects.filter(pk__in=sorted(scope.manager_structures))


# --- search and structure page ---------------------------------------------------------------------
@require_GET
def structure_list(request: HttpRequest) -> HttpResponse:
    form = StructureSearchForm(request.GET or None)
    structures = Structure.objects.defer("search_document", "place_document", "search_vector")
    searched = form.is_bound and form.is_valid()
    if searched:
        structures = form.filter(structures)
    structures = structures.prefetch_related(
        Prefetch("services", queryset=Service.objects.only("id", "structure_id", "name").order_by("name", "id")),
        Prefetch("contacts", queryset=Contact.objects.order_by("name", "id")),
    ).order_by("name", "id")
    page = Paginator(structures, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "searched": searched,
        "query_string": query.urlencode(),
        "can_create": user_scope(request.user).is_coordinator,
    }
    if request.htmx:
        return render(request, "partenaires/includes/structure_results.html", context)
    return render(request, "partenaires/structure_list.html", context)


def _can_refer(request, structure) -> bool:
    """The "Orienter" buttons: for field workers, towards another structure that may receive referrals."""
    structures = user_scope(request.user).field_structures
    return bool(structures) and structure.pk not in structures and structure.kind not in ("FUNDER", "COORDINATION")


@require_GET
def structure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    structure = get_object_or_404(Structure.objects.defer("search_document", "place_document", "search_vector"), pk=pk)
    return render(
        request,
        "partenaires/structure_detail.html",
        {
            "structure": structure,
            "services": list(structure.services.order_by("name", "id")),
            "contacts": list(structure.contacts.order_by("name", "id")),
            "actions": list(structure.actions.coming().order_by("starts_on", "id")[:10]),
            "can_edit": can_edit(request, structure),
            "can_refer": _can_refer(request, structure),
            "public_labels": [ref.public_label(slug) for slug in structure.publics],
            "housing_offer_labels": [
                HousingOffer(o).label for o in structure.housing_offers if o in HousingOffer.values
            ],
        },
    )


# --- editing ---------------------------------------------------------------------------------------
@GET_POST
@coordinator_required
def structure_create(request: HttpRequest) -> HttpResponse:
    form = StructureForm(request.POST or None, can_set_membership=True)
    if request.method == "POST" and form.is_valid():
        structure = structure_save(structure=form.save(commit=False))
        messages.success(request, _("La structure a été créée."))
        return redirect("partenaires:structure_detail", pk=structure.pk)
    return render(request, "partenaires/form.html", {"form": form, "title": _("Nouvelle structure"), "back": None})


@GET_POST
def structure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    structure = get_object_or_404(Structure, pk=pk)
    _require_edit(request, structure)
    form = StructureForm(
        request.POST or None, instance=structure, can_set_membership=user_scope(request.user).is_coordinator
    )
    if request.method == "POST" and form.is_valid():
        structure_save(structure=form.save(commit=False))
        messages.success(request, _("La fiche a été mise à jour."))
        return redirect("partenaires:structure_detail", pk=structure.pk)
    return render(
        request,
        "partenaires/form.html",
        {"form": form, "title": _("Modifier %(name)s") % {"name": structure.name}, "back": structure},
    )


@GET_POST
def service_edit(request: HttpRequest, pk: int, service_pk: int | None = None) -> HttpResponse:
    structure = get_object_or_404(Structure, pk=pk)
    _require_edit(request, structure)
    service = get_object_or_404(structure.services, pk=service_pk) if service_pk else Service(structure=structure)
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        service_save(service=form.save(commit=False))
        messages.success(request, _("Le service a été enregistré."))
        return redirect("partenaires:structure_detail", pk=structure.pk)
    title = _("Modifier le service") if service_pk else _("Nouveau service")
    return render(request, "partenaires/form.html", {"form": form, "title": title, "back": structure})


@require_POST
def service_remove(request: HttpRequest, pk: int, service_pk: int) -> HttpResponse:
    structure = get_object_or_404(Structure, pk=pk)
    _require_edit(request, structure)
    service_delete(service=get_object_or_404(structure.services, pk=service_pk))
    messages.success(request, _("Le service a été supprimé."))
    return redirect("partenaires:structure_detail", pk=structure.pk)


@GET_POST
def contact_edit(request: HttpRequest, pk: int, contact_pk: int | None = None) -> HttpResponse:
    structure = get_object_or_404(Structure, pk=pk)
    _require_edit(request, structure)
    contact = get_object_or_404(structure.contacts, pk=contact_pk) if contact_pk else Contact(structure=structure)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        contact_save(contact=form.save(commit=False))
        messages.success(request, _("Le contact a été enregistré."))
        return redirect("partenaires:structure_detail", pk=structure.pk)
    title = _("Modifier le contact") if contact_pk else _("Nouveau contact")
    return render(request, "partenaires/form.html", {"form": form, "title": title, "back": structure})


@require_POST
def contact_remove(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    structure = get_object_or_404(Structure, pk=pk)
    _require_edit(request, structure)
    contact_delete(contact=get_object_or_404(structure.contacts, pk=contact_pk))
    messages.success(request, _("Le contact a été supprimé."))
    return redirect("partenaires:structure_detail", pk=structure.pk)


# --- partner actions -------------------------------------------------------------------------------
def _actions(request: HttpRequest):
    form = ActionFilterForm(request.GET or None)
    actions = PartnerAction.objects.select_related("structure").defer(
        "place_document", "structure__search_document", "structure__place_document", "structure__search_vector"
    )
    if form.is_bound and form.is_valid():
        actions = form.filter(actions)
    query = request.GET.copy()
    query.pop("mois", None)
    query.pop("page", None)
    return form, actions, query.urlencode()


def _common_action_context(request: HttpRequest) -> dict:
    return {
        "can_announce": editable_structures(request).exists(),
        "subscribed": DigestSubscription.objects.filter(user=request.user).exists(),
    }


@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
    form, actions, query_string = _actions(request)
    page = Paginator(actions.coming().order_by("starts_on", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partenaires/action_list.html",
        {"form": form, "page": page, "query_string": query_string, **_common_action_context(request)},
    )


def _month(value: str | None) -> datetime.date | None:
    today = timezone.localdate()
    if not value:
        return today.replace(day=1)
    try:
        month = datetime.datetime.strptime(value, "%Y-%m").date()  # noqa: DTZ007 (a calendar month, no time)
    except ValueError:
        return None
    return month if 1900 <= month.year <= 2200 else None


@require_GET
def action_calendar(request: HttpRequest) -> HttpResponse:
    month = _month(request.GET.get("mois"))
    if month is None:
        messages.error(request, _("Mois invalide : le calendrier affiche le mois en cours."))
        month = timezone.localdate().replace(day=1)
    form, actions, query_string = _actions(request)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks[0][0], weeks[-1][-1]
    by_day: dict[datetime.date, list] = {}
    for action in actions.between(first, last).order_by("starts_on", "id"):
        day = max(action.starts_on, first)
        while day <= min(action.last_day, last):
            by_day.setdefault(day, []).append(action)
            day += datetime.timedelta(days=1)
    previous_month = (month - datetime.timedelta(days=1)).replace(day=1)
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "partenaires/action_calendar.html",
        {
            "form": form,
            "month": month,
            "weeks": [[(day, day.month == month.month, by_day.get(day, [])) for day in week] for week in weeks],
            "previous_month": previous_month.strftime("%Y-%m"),
            "next_month": next_month.strftime("%Y-%m"),
            "query_string": query_string,
            "today": timezone.localdate(),
            **_common_action_context(request),
        },
    )


@GET_POST
def action_edit(request: HttpRequest, action_pk: int | None = None) -> HttpResponse:
    structures = editable_structures(request)
    if action_pk:
        action = get_object_or_404(PartnerAction, pk=action_pk)
        _require_edit(request, action.structure)
    else:
        if not structures.exists():
            raise PermissionDenied(
                _("Seuls les responsables de structure et les coordinateur·rices annoncent des actions.")
            )
        action = PartnerAction()
    initial = {}
    if not action_pk and request.membership and request.membership.role == Role.MANAGER:
        initial["structure"] = request.membership.structure_id
    form = PartnerActionForm(request.POST or None, instance=action, structures=structures, initial=initial)
    if request.method == "POST" and form.is_valid():
        action = action_save(action=form.save(commit=False), by=request.user)
        messages.success(request, _("L'action a été enregistrée."))
        return redirect("partenaires:structure_detail", pk=action.structure_id)
    title = _("Modifier l'action") if action_pk else _("Annoncer une action")
    return render(request, "partenaires/form.html", {"form": form, "title": title, "back": None})


@require_POST
def action_remove(request: HttpRequest, action_pk: int) -> HttpResponse:
    action = get_object_or_404(PartnerAction.objects.select_related("structure"), pk=action_pk)
    _require_edit(request, action.structure)
    structure_pk = action.structure_id
    action.delete()
    messages.success(request, _("L'action a été supprimée."))
    return redirect("partenaires:structure_detail", pk=structure_pk)


@require_POST
def digest_toggle(request: HttpRequest) -> HttpResponse:
    deleted, _details = DigestSubscription.objects.filter(user=request.user).delete()
    if deleted:
        messages.success(request, _("Vous ne recevrez plus la lettre hebdomadaire des actions partenaires."))
    else:
        DigestSubscription.objects.create(user=request.user)
        messages.success(request, _("Vous recevrez chaque semaine par e-mail les actions partenaires à venir."))
    return redirect("partenaires:action_list")


# --- data·inclusion import and export (coordinators) -----------------------------------------------
@GET_POST
@coordinator_required
def data_inclusion(request: HttpRequest) -> HttpResponse:
    form = DataInclusionUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        records = {}
        for name, label in [("structures", _("des structures")), ("services", _("des services"))]:
            upload = form.cleaned_data.get(name)
            try:
                records[name] = load_records(upload.read(), label) if upload else []
            except PayloadError as exc:
                form.add_error(name, str(exc))
        if not form.errors:
            # Uploads left unconfirmed past their validity are of no use: drop them.
            DirectoryImport.objects.filter(created_at__lt=timezone.now() - IMPORT_VALIDITY).delete()
            upload = DirectoryImport.objects.create(
                uploaded_by=request.user,
                structures=records["structures"],
                services=records["services"],
                skip_invalid=form.cleaned_data["skip_invalid"],
            )
            return redirect("partenaires:import_preview", pk=upload.pk)
    return render(request, "partenaires/data_inclusion.html", {"form": form})


def _pending_import(request: HttpRequest, pk: int, *, for_update: bool = False) -> DirectoryImport:
    """The user's own upload, not applied yet and recent: never another person's file."""
    uploads = DirectoryImport.objects.filter(
        uploaded_by=request.user,
        applied_at__isnull=True,
        created_at__gte=timezone.now() - IMPORT_VALIDITY,
    )
    if for_update:
        uploads = uploads.select_for_update()
    return get_object_or_404(uploads, pk=pk)


@require_GET
@coordinator_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _pending_import(request, pk)
    report = run_import(upload.structures, upload.services, dry_run=True, skip_invalid=upload.skip_invalid)
    return render(
        request,
        "partenaires/import_preview.html",
        {"upload": upload, "report": report, "can_confirm": upload.skip_invalid or not report.invalid},
    )


@require_POST
@coordinator_required
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _pending_import(request, pk, for_update=True)
    report = run_import(upload.structures, upload.services, skip_invalid=upload.skip_invalid)
    if not report.applied:
        messages.error(request, _("Rien n'a été importé : le fichier contient des enregistrements invalides."))
        return redirect("partenaires:import_preview", pk=upload.pk)
    upload.applied_at = timezone.now()
    upload.save(update_fields=["applied_at"])
    messages.success(request, _("Import terminé : %(summary)s.") % {"summary": report.summary()})
    return redirect("partenaires:structure_list")


@require_GET
@coordinator_required
def export_download(request: HttpRequest, what: str) -> HttpResponse:
    if what not in ("structures", "services"):
        raise Http404
    structures, services = export_directory()
    payload = structures if what == "structures" else services
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="data-inclusion-{what}.json"'
    return response
