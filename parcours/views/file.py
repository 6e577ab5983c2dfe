"""A person's file: the page and its tabs, identity, notice, trail, consents, follow-ups and events."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

import audit
from accounts.scope import role_required, user_scope
from audit.models import Action, AuditEntry
from partenaires.models import Structure

from .. import services, timeline
from ..access import ensure_can_write, get_visible_person_or_404
from ..enums import (
    ConsentScope,
    EmploymentEndReason,
    EventKind,
    HousingEndReason,
)
from ..forms import (
    ConsentForm,
    EmploymentSituationForm,
    EventForm,
    FollowUpDeclareForm,
    FollowUpEndForm,
    HousingSituationForm,
    PersonEditForm,
    ResourceForm,
)
from ..history import person_history
from ..models import (
    Consent,
    EmploymentSituation,
    Event,
    FollowUp,
    HouseholdMember,
    HousingSituation,
    Resource,
)
from .common import person_form_page, render_person_page

PAGE_SIZE = 50
SOON_DAYS = 60
TABS = {
    "situations": gettext_lazy("Situations"),
    "evenements": gettext_lazy("Événements"),
    "orientations": gettext_lazy("Orientations"),
    "consentements": gettext_lazy("Consentements"),
    "historique": gettext_lazy("Historique"),
}
SITUATION_FORMS = {
    "hebergement": (HousingSituationForm, gettext_lazy("Nouvelle situation résidentielle")),
    "emploi": (EmploymentSituationForm, gettext_lazy("Nouvelle situation professionnelle")),
    "ressource": (ResourceForm, gettext_lazy("Nouvelle ressource")),
}
SITUATION_MODELS = {
    "hebergement": (HousingSituation, HousingEndReason.choices),
    "emploi": (EmploymentSituation, EmploymentEndReason.choices),
    "ressource": (Resource, ()),
}


@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    tab = request.GET.get("onglet", "situations")
    if tab not in TABS:
        tab = "situations"
    context = _file_context(request, person)
    events_page = Paginator(context["events"], PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        {
            "events_page": events_page,
            "events_querystring": "onglet=evenements",
            "tab": tab,
            "tabs": list(TABS.items()),
            "history": person_history(person) if tab == "historique" else [],
            "consent_ledger": list(
                person.consents.select_related("collected_by", "collected_by_structure").order_by("-created_at", "-id")
            )
            if tab == "consentements"
            else [],
        }
    )
    audit.record(user=request.user, action=Action.VIEW, person=person, request=request)
    if request.htmx and request.GET.get("onglet"):
        # A tab loaded on demand: the same fragment as in the full page (the links work without htmx).
        return render(request, "parcours/includes/tab_content.html", context)
    return render(request, "parcours/person_detail.html", context)


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    ensure_can_write(request.user, person)
    form = PersonEditForm(request.POST or None, instance=person)
    return person_form_page(
        request,
        person,
        form,
        _("Modifier l'identité"),
        lambda: services.person_update(
            person=person, by=request.user, fields={f: form.cleaned_data[f] for f in form.changed_data}
        ),
        success=_("La fiche a été mise à jour."),
    )


@require_GET
def person_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable information notice (privacy.md §4)."""
    person = get_visible_person_or_404(request.user, pk)
    return render_person_page(
        request, "parcours/notice.html", {"person": person, "today": timezone.localdate()}, person=person
    )


@require_GET
@role_required(
    "dpo",
    "admin",
    message=gettext_lazy("Le journal d'accès est réservé au DPO et aux administrateur·rices."),
)
def person_trail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's access trail: the DPO and administrators only (privacy.md §5), ids only, never the file."""
    person = None
    entries = AuditEntry.objects.for_person(pk).select_related("user").order_by("-at", "-id")
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "parcours/person_trail.html", {"page": page, "person": person, "person_id": pk})


def _file_context(request, person) -> dict:
    access = person.access
    today = timezone.localdate()
    followups = list(person.followups.select_related("structure", "referent").order_by("ended_on", "-is_lead", "id"))
    housing = list(person.housing_situations.select_related("structure").order_by("-started_on", "-id"))
    employment = list(person.employment_situations.select_related("structure").order_by("-started_on", "-id"))
    pass_iae = list(person.pass_iae.order_by("-start_on", "-id"))
    housing_requests = list(person.housing_requests.order_by("-filed_on", "-id"))
    resources = [r for r in person.resources.order_by("-started_on", "-id") if access.shows_resource_kind(r.kind)]
    events = list(person.events.select_related("structure", "author").order_by("-at", "-id"))
    for event in events:
        event.text_shown = access.shows_event_text(event)
    referrals = list(
        person.referrals.select_related("from_structure", "to_structure", "sent_by").order_by("-sent_at", "-id")
    )
    member = HouseholdMember.objects.current().filter(person=person).select_related("household").order_by("id").first()
    household_members = _household_members(request.user, member)
    consents = {c.scope: c for c in Consent.objects.current().filter(person=person).order_by("scope")}
    return {
        "person": person,
        "access": access,
        "followups": followups,
        "open_followups": [f for f in followups if f.ended_on is None],
        "housing": housing,
        "current_housing": next((h for h in housing if h.ended_on is None), None),
        "employment": employment,
        "current_employment": [e for e in employment if e.ended_on is None],
        "resources": resources,
        "pass_iae": pass_iae,
        "housing_requests": housing_requests,
        "resources_ending": [
            r
            for r in resources
            if r.ended_on is None
            and r.expected_end_on
            and today <= r.expected_end_on <= today + dt.timedelta(SOON_DAYS)
        ],
        "events": events,
        "missed_count": sum(1 for e in events if e.status == "MISSED"),
        "referrals": referrals,
        "household": member.household if member else None,
        "household_members": household_members,
        "consent_rows": [(label, consents.get(code)) for code, label in ConsentScope.choices],
        "partners_consent": consents.get(ConsentScope.PARTNERS),
        "lead_followup": next((f for f in followups if f.ended_on is None and f.is_lead), None),
        "timeline": timeline.build(housing=housing, employment=employment, events=events, today=today),
        "today": today,
    }


def _household_members(user, member) -> list:
    """The other current members of the household: children recorded by age, and people the user may see
    (one query; members the user may not see are not shown)."""
    if member is None:
        return []
    from django.db.models import Exists, OuterRef

    from ..models import Person

    visible = Person.objects.visible_to(user).filter(pk=OuterRef("person_id"))
    rows = (
        HouseholdMember.objects.current()
        .filter(household_id=member.household_id)
        .exclude(pk=member.pk)
        .select_related("person")
        .annotate(visible=Exists(visible))
        .order_by("role", "id")
    )
    return [row for row in rows if row.person_id is None or row.visible]


@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    ensure_can_write(request.user, person)
    form = ConsentForm(request.POST or None, request.FILES or None)
    membership = request.membership or None

    def save():
        structure_id = membership.structure_id if membership else None
        if structure_id not in person.access.acting_structure_ids:
            structure_id = person.access.acting_structure_ids[0]
        return services.consent_record(
            person=person,
            by=request.user,
            structure=Structure.objects.get(pk=structure_id),
            document=form.cleaned_data.get("document"),
            **{k: form.cleaned_data[k] for k in ("scope", "decision", "decided_on", "method")},
        )

    return person_form_page(
        request,
        person,
        form,
        _("Consentement de la personne"),
        save,
        success=_("La décision de la personne a été enregistrée ; elle s'applique immédiatement."),
        next_url=reverse("parcours:person_detail", args=[person.pk]) + "?onglet=consentements",
    )


@require_GET
def consent_document(request: HttpRequest, pk: int, consent_id: int) -> HttpResponse:
    """The signed form, served through the access policy (never public media)."""
    person = get_visible_person_or_404(request.user, pk)
    consent = get_object_or_404(Consent, pk=consent_id, person=person)
    if not consent.document:
        raise Http404
    audit.record(user=request.user, action=Action.DOWNLOAD, person=person, obj=consent, request=request)
    return FileResponse(consent.document.open("rb"), as_attachment=True, filename="consentement.pdf")


@require_http_methods(["GET", "POST"])
def followup_declare(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Déclarer un accompagnement" / "Reprendre l'accompagnement" for the active structure."""
    person = get_visible_person_or_404(request.user, pk)
    membership = request.membership or None
    if not membership or membership.structure_id not in user_scope(request.user).field_structures:
        raise PermissionDenied
    form = FollowUpDeclareForm(request.POST or None)
    return person_form_page(
        request,
        person,
        form,
        _("Déclarer un accompagnement"),
        lambda: services.followup_declare(
            person=person,
            by=request.user,
            structure=membership.structure,
            kind=form.cleaned_data["kind"],
            sharing_basis=form.cleaned_data["sharing_basis"],
        ),
        success=_("L'accompagnement a été déclaré."),
    )


@require_http_methods(["GET", "POST"])
def followup_end(request: HttpRequest, pk: int, followup_id: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    followup = get_object_or_404(FollowUp.objects.select_related("structure"), pk=followup_id, person=person)
    ensure_can_write(request.user, person)
    if followup.structure_id not in user_scope(request.user).field_structures:
        raise PermissionDenied(_("Seule la structure qui accompagne peut terminer son accompagnement."))
    form = FollowUpEndForm(request.POST or None)
    return person_form_page(
        request,
        person,
        form,
        _("Terminer l'accompagnement de %(structure)s") % {"structure": followup.structure.name},
        lambda: services.followup_end(followup=followup, by=request.user, **form.cleaned_data),
        success=_("L'accompagnement est terminé."),
    )


@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    ensure_can_write(request.user, person)
    # « Noter un contact » opens the form ready for an interview now: one click on « Enregistrer » records it.
    kind = request.GET.get("type", "")
    initial = {"kind": kind} if kind in EventKind.values else {}
    form = EventForm(request.POST or None, initial=initial)

    def save():
        event = form.save(commit=False)
        membership = request.membership or None
        event.structure_id = membership.structure_id if membership else None
        return services.event_record(person=person, by=request.user, event=event)

    return person_form_page(
        request,
        person,
        form,
        _("Noter un contact") if initial else _("Nouvel événement"),
        save,
        success=_("L'événement a été enregistré."),
        next_url=reverse("parcours:person_detail", args=[person.pk]) + "?onglet=evenements",
        once=True,
    )


@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int, event_id: int) -> HttpResponse:
    """Only the author edits an event (R7)."""
    person = get_visible_person_or_404(request.user, pk)
    event = get_object_or_404(Event, pk=event_id, person=person)
    ensure_can_write(request.user, person)
    if event.author_id != request.user.pk:
        raise PermissionDenied(_("Seul·e l'auteur·rice peut modifier cet événement."))
    form = EventForm(request.POST or None, instance=event)
    return person_form_page(
        request,
        person,
        form,
        _("Modifier l'événement"),
        lambda: services.event_update(
            event=Event.objects.get(pk=event.pk),
            by=request.user,
            fields={name: form.cleaned_data[name] for name in form.changed_data},
        ),
        success=_("L'événement a été modifié."),
        next_url=reverse("parcours:person_detail", args=[person.pk]) + "?onglet=evenements",
    )
