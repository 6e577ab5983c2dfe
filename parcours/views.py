"""Pages of the shared case file. Every person is fetched through the access policy (parcours/access.py)."""

import datetime as dt
import uuid

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coordination import audit
from coordination.accounts.models import User
from coordination.audit.models import Action
from partenaires.models import Structure

from . import services, timeline
from .access import ensure_can_write, get_visible_person_or_404, user_scope
from .enums import (
    HOUSING_GROUP_STATUSES,
    ConsentScope,
    EmploymentEndReason,
    HousingEndReason,
    ReferralStatus,
)
from .forms import (
    SORTS,
    CaseloadFilterForm,
    CloseSituationForm,
    CommentForm,
    ConsentForm,
    EmploymentSituationForm,
    EventForm,
    FollowUpDeclareForm,
    FollowUpEndForm,
    HousingRequestForm,
    HousingRequestUpdateForm,
    HousingSituationForm,
    PassIaeForm,
    PassIaeProlongForm,
    PersonCreateForm,
    PersonEditForm,
    ReferralForm,
    RefusalForm,
    ResourceForm,
    SearchForm,
)
from .history import person_history
from .models import (
    Consent,
    DuplicateCheckRequest,
    EmploymentSituation,
    Event,
    FollowUp,
    HouseholdMember,
    HousingRequest,
    HousingSituation,
    Notification,
    PassIae,
    Person,
    Referral,
    ReferralTransition,
    Resource,
)

SEARCH_SESSION_KEY = "parcours_search"
PAGE_SIZE = 50
SOON_DAYS = 60
TABS = {
    "situations": gettext_lazy("Situations"),
    "evenements": gettext_lazy("Événements"),
    "orientations": gettext_lazy("Orientations"),
    "consentements": gettext_lazy("Consentements"),
    "historique": gettext_lazy("Historique"),
}


def _validation_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# --- caseload -------------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def person_list(request: HttpRequest) -> HttpResponse:
    """The caseload. The name search is a POST kept in the session, so that no name appears in a URL."""
    scope = user_scope(request.user)
    if not scope.sees_people:
        raise PermissionDenied(_("Votre rôle ne donne pas accès aux dossiers des personnes."))
    if request.method == "POST":
        # The results are rendered in answer to the POST itself (one round trip); the query stays in the
        # session for the following pages and filters.
        search = SearchForm(request.POST)
        if "clear" in request.POST or not search.is_valid():
            request.session.pop(SEARCH_SESSION_KEY, None)
            return redirect(reverse("parcours:person_list") + ("?" + request.GET.urlencode() if request.GET else ""))
        request.session[SEARCH_SESSION_KEY] = search.cleaned_data["q"].strip()

    query = request.session.get(SEARCH_SESSION_KEY, "")
    structures = list(Structure.objects.filter(pk__in=scope.field_structures).order_by("name", "id"))
    referents = list(
        User.objects.filter(memberships__structure__in=scope.field_structures).distinct().order_by("last_name", "id")
    )
    filters = CaseloadFilterForm(request.GET or None, structures=structures, referents=referents)
    data = filters.cleaned_data if filters.is_valid() else {}
    default_view = "structure" if structures else "tous"
    view = data.get("vue") or default_view

    people = Person.objects.visible_to(request.user)
    if view == "moi":
        people = people.with_referent(request.user)
    elif view == "structure" and structures:
        people = people.followed_by(scope.field_structures)
    if data.get("structure") in scope.field_structures:
        people = people.followed_by([data["structure"]])
    if data.get("referent"):
        people = people.with_referent(data["referent"])
    if data.get("hebergement"):
        people = people.filter(
            pk__in=HousingSituation.objects.open()
            .filter(residential_status__in=HOUSING_GROUP_STATUSES[data["hebergement"]])
            .values("person_id")
        )
    if data.get("emploi"):
        people = people.filter(
            pk__in=EmploymentSituation.objects.open().filter(situation=data["emploi"]).values("person_id")
        )
    if query:
        people = people.search(query)
    people = people.order_by(*SORTS.get(data.get("tri") or "nom", SORTS["nom"]))
    people = people.prefetch_related(
        Prefetch(
            "housing_situations",
            queryset=HousingSituation.objects.open().select_related("structure").order_by("-started_on", "-id"),
            to_attr="open_housing",
        ),
        Prefetch(
            "employment_situations",
            queryset=EmploymentSituation.objects.open().order_by("-started_on", "-id"),
            to_attr="open_employment",
        ),
        Prefetch(
            "followups",
            queryset=FollowUp.objects.open().select_related("structure", "referent").order_by("-is_lead", "id"),
            to_attr="open_followups",
        ),
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "parcours/person_list.html",
        {
            "page": page,
            "filters": filters,
            "search": SearchForm(initial={"q": query}),
            "query": query,
            "view": view,
            "querystring": params.urlencode(),
            "today": timezone.localdate(),
            "can_create": bool(structures),
        },
    )


# --- create with duplicate detection ---------------------------------------------------------------------
def _token_key(token: str) -> str:
    return f"parcours:person-create:{token}"


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    membership = request.membership or None
    scope = user_scope(request.user)
    structure_id = (
        membership.structure_id if membership and membership.structure_id in scope.field_structures else None
    )
    if structure_id is None:
        raise PermissionDenied(_("Seul·e un·e membre d'une structure d'accompagnement peut créer une fiche."))
    matches = None
    if request.method == "POST":
        form = PersonCreateForm(request.POST)
        token = request.POST.get("form_token", "")
        done = cache.get(_token_key(token)) if token else None
        if done:  # a double submission: the person already exists
            messages.info(request, _("Cette fiche a déjà été créée."))
            return redirect("parcours:person_detail", pk=done)
        if form.is_valid():
            data = form.cleaned_data
            matches = services.find_duplicates(
                user=request.user,
                last_name=data["last_name"],
                first_name=data["first_name"],
                birth_date=data["birth_date"],
            )
            if not matches.any or "confirm" in request.POST:
                identity = {f: data[f] for f in PersonCreateForm.Meta.fields}
                person = services.person_create(
                    by=request.user,
                    structure=membership.structure,
                    kind=data["kind"],
                    sharing_basis=data["sharing_basis"],
                    household_type=data["household_type"],
                    dependent_children=data["dependent_children"] or 0,
                    **identity,
                )
                cache.set(_token_key(data["form_token"]), person.pk, timeout=3600)
                messages.success(request, _("La fiche a été créée."))
                return redirect("parcours:person_detail", pk=person.pk)
            request.session["parcours_duplicate_hidden"] = matches.hidden_ids
    else:
        form = PersonCreateForm(initial={"form_token": uuid.uuid4().hex, "dependent_children": 0})
    return render(
        request,
        "parcours/person_create.html",
        {"form": form, "matches": matches, "structure": membership.structure},
    )


@require_POST
def duplicate_check_request(request: HttpRequest) -> HttpResponse:
    """Ask the coordinators to check close matches the worker may not see (ids from the session only)."""
    membership = request.membership or None
    hidden = request.session.pop("parcours_duplicate_hidden", [])
    if not membership or not hidden:
        messages.error(request, _("Aucune vérification à demander."))
        return redirect("parcours:person_create")
    try:
        services.request_duplicate_check(by=request.user, structure=membership.structure, hidden_ids=hidden)
    except ValidationError as exc:
        messages.error(request, " ".join(_validation_messages(exc)))
        return redirect("parcours:person_create")
    messages.success(
        request,
        _("Les coordinateur·rices ont été prévenu·es ; ils et elles vous mettront en relation si besoin."),
    )
    return redirect("parcours:person_list")


# --- the person file ------------------------------------------------------------------------------------
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
        "consent_rows": [(label, consents.get(code)) for code, label in ConsentScope.choices],
        "timeline": timeline.build(housing=housing, employment=employment, events=events, today=today),
        "today": today,
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
    return render(request, "parcours/person_detail.html", context)


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    ensure_can_write(request.user, person)
    form = PersonEditForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.person_update(
            person=person, by=request.user, fields={f: form.cleaned_data[f] for f in form.changed_data}
        )
        messages.success(request, _("La fiche a été mise à jour."))
        return redirect("parcours:person_detail", pk=person.pk)
    return render(
        request, "parcours/form_page.html", {"person": person, "form": form, "title": _("Modifier l'identité")}
    )


@require_GET
def person_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable information notice (privacy.md §4)."""
    person = get_visible_person_or_404(request.user, pk)
    return render(request, "parcours/notice.html", {"person": person, "today": timezone.localdate()})


SITUATION_FORMS = {
    "hebergement": (HousingSituationForm, gettext_lazy("Nouvelle situation résidentielle")),
    "emploi": (EmploymentSituationForm, gettext_lazy("Nouvelle situation professionnelle")),
    "ressource": (ResourceForm, gettext_lazy("Nouvelle ressource")),
}


@require_http_methods(["GET", "POST"])
def situation_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in SITUATION_FORMS:
        raise Http404
    person = get_visible_person_or_404(request.user, pk)
    ensure_can_write(request.user, person)
    form_class, title = SITUATION_FORMS[kind]
    kwargs = {"hidden_kinds": person.access.hidden_resource_kinds()} if kind == "ressource" else {}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            services.situation_record(person=person, by=request.user, situation=form.save(commit=False))
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("La situation a été enregistrée."))
            return redirect(reverse("parcours:person_detail", args=[person.pk]))
    return render(request, "parcours/form_page.html", {"person": person, "form": form, "title": title})


SITUATION_MODELS = {
    "hebergement": (HousingSituation, HousingEndReason.choices),
    "emploi": (EmploymentSituation, EmploymentEndReason.choices),
    "ressource": (Resource, ()),
}


@require_http_methods(["GET", "POST"])
def situation_close(request: HttpRequest, pk: int, kind: str, situation_id: int) -> HttpResponse:
    if kind not in SITUATION_MODELS:
        raise Http404
    person = get_visible_person_or_404(request.user, pk)
    model, reasons = SITUATION_MODELS[kind]
    situation = get_object_or_404(model, pk=situation_id, person=person)
    if model is Resource and not person.access.shows_resource_kind(situation.kind):
        raise Http404
    ensure_can_write(request.user, person)
    form = CloseSituationForm(request.POST or None, reasons=reasons, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.situation_close(
                situation=situation,
                by=request.user,
                ended_on=form.cleaned_data["ended_on"],
                end_reason=form.cleaned_data.get("end_reason", ""),
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("La période a été terminée."))
            return redirect("parcours:person_detail", pk=person.pk)
    return render(
        request,
        "parcours/form_page.html",
        {"person": person, "form": form, "title": _("Terminer : %(what)s") % {"what": situation}},
    )


# --- PASS IAE and housing requests (in the situations tab) ----------------------------------------------
def _person_form_page(request, person, form, title, save) -> HttpResponse | None:
    """Validate `form`, call `save()` (a service); on success redirect to the file, else render the form."""
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Les informations ont été enregistrées."))
            return redirect(reverse("parcours:person_detail", args=[person.pk]))
    return render(request, "parcours/form_page.html", {"person": person, "form": form, "title": title})


@require_http_methods(["GET", "POST"])
def pass_iae_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    ensure_can_write(request.user, person)
    form = PassIaeForm(request.POST or None)
    return _person_form_page(
        request,
        person,
        form,
        _("Nouveau PASS IAE"),
        lambda: services.pass_iae_record(person=person, by=request.user, pass_iae=form.save(commit=False)),
    )


@require_http_methods(["GET", "POST"])
def pass_iae_prolong(request: HttpRequest, pk: int, pass_iae_id: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    pass_iae = get_object_or_404(PassIae, pk=pass_iae_id, person=person)
    ensure_can_write(request.user, person)
    form = PassIaeProlongForm(request.POST or None, instance=pass_iae)
    return _person_form_page(
        request,
        person,
        form,
        _("Prolonger ou corriger la fin du PASS IAE"),
        lambda: services.pass_iae_prolong(pass_iae=pass_iae, by=request.user, end_on=form.cleaned_data["end_on"]),
    )


@require_http_methods(["GET", "POST"])
def housing_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    ensure_can_write(request.user, person)
    form = HousingRequestForm(request.POST or None)
    return _person_form_page(
        request,
        person,
        form,
        _("Nouvelle demande de logement"),
        lambda: services.housing_request_record(
            person=person, by=request.user, housing_request=form.save(commit=False)
        ),
    )


@require_http_methods(["GET", "POST"])
def housing_request_update(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    housing_request = get_object_or_404(HousingRequest, pk=request_id, person=person)
    ensure_can_write(request.user, person)
    form = HousingRequestUpdateForm(request.POST or None, instance=housing_request)
    return _person_form_page(
        request,
        person,
        form,
        _("Mettre à jour la demande de logement"),
        lambda: services.housing_request_update(
            housing_request=housing_request,
            by=request.user,
            status=form.cleaned_data["status"],
            renewal_due_on=form.cleaned_data["renewal_due_on"],
        ),
    )


@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    ensure_can_write(request.user, person)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        membership = request.membership or None
        event.structure_id = membership.structure_id if membership else None
        try:
            services.event_record(person=person, by=request.user, event=event)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("L'événement a été enregistré."))
            return redirect(reverse("parcours:person_detail", args=[person.pk]) + "?onglet=evenements")
    return render(request, "parcours/form_page.html", {"person": person, "form": form, "title": _("Nouvel événement")})


@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int, event_id: int) -> HttpResponse:
    """Only the author edits an event (R7)."""
    person = get_visible_person_or_404(request.user, pk)
    event = get_object_or_404(Event, pk=event_id, person=person)
    ensure_can_write(request.user, person)
    if event.author_id != request.user.pk:
        raise PermissionDenied(_("Seul·e l'auteur·rice peut modifier cet événement."))
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.event_update(event=Event.objects.get(pk=event.pk), by=request.user, fields=fields)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("L'événement a été modifié."))
            return redirect(reverse("parcours:person_detail", args=[person.pk]) + "?onglet=evenements")
    return render(
        request, "parcours/form_page.html", {"person": person, "form": form, "title": _("Modifier l'événement")}
    )


@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    ensure_can_write(request.user, person)
    form = ConsentForm(request.POST or None, request.FILES or None)
    membership = request.membership or None
    if request.method == "POST" and form.is_valid():
        structure_id = membership.structure_id if membership else None
        if structure_id not in person.access.acting_structure_ids:
            structure_id = person.access.acting_structure_ids[0]
        try:
            services.consent_record(
                person=person,
                by=request.user,
                structure=Structure.objects.get(pk=structure_id),
                document=form.cleaned_data.get("document"),
                **{k: form.cleaned_data[k] for k in ("scope", "decision", "decided_on", "method")},
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(
                request, _("La décision de la personne a été enregistrée ; elle s'applique immédiatement.")
            )
            return redirect(reverse("parcours:person_detail", args=[person.pk]) + "?onglet=consentements")
    return render(
        request, "parcours/form_page.html", {"person": person, "form": form, "title": _("Consentement de la personne")}
    )


@require_GET
def consent_document(request: HttpRequest, pk: int, consent_id: int) -> HttpResponse:
    """The signed form, served through the access policy (never public media)."""
    from django.http import FileResponse

    person = get_visible_person_or_404(request.user, pk)
    consent = get_object_or_404(Consent, pk=consent_id, person=person)
    if not consent.document:
        raise Http404
    audit.record(user=request.user, action=Action.DOWNLOAD, person=person, obj=consent, request=request)
    return FileResponse(consent.document.open("rb"), as_attachment=True, filename="consentement.pdf")


# --- follow-ups -----------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def followup_declare(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Déclarer un accompagnement" / "Reprendre l'accompagnement" for the active structure."""
    person = get_visible_person_or_404(request.user, pk)
    membership = request.membership or None
    if not membership or membership.structure_id not in user_scope(request.user).field_structures:
        raise PermissionDenied
    form = FollowUpDeclareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_declare(
                person=person,
                by=request.user,
                structure=membership.structure,
                kind=form.cleaned_data["kind"],
                sharing_basis=form.cleaned_data["sharing_basis"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("L'accompagnement a été déclaré."))
            return redirect("parcours:person_detail", pk=person.pk)
    return render(
        request, "parcours/form_page.html", {"person": person, "form": form, "title": _("Déclarer un accompagnement")}
    )


@require_http_methods(["GET", "POST"])
def followup_end(request: HttpRequest, pk: int, followup_id: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    followup = get_object_or_404(FollowUp.objects.select_related("structure"), pk=followup_id, person=person)
    ensure_can_write(request.user, person)
    if followup.structure_id not in user_scope(request.user).field_structures:
        raise PermissionDenied(_("Seule la structure qui accompagne peut terminer son accompagnement."))
    form = FollowUpEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_end(followup=followup, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("L'accompagnement est terminé."))
            return redirect("parcours:person_detail", pk=person.pk)
    title = _("Terminer l'accompagnement de %(structure)s") % {"structure": followup.structure.name}
    return render(request, "parcours/form_page.html", {"person": person, "form": form, "title": title})


# --- referrals ------------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    ensure_can_write(request.user, person)
    from_structures = list(Structure.objects.filter(pk__in=person.access.acting_structure_ids).order_by("name", "id"))
    form = ReferralForm(request.POST or None, from_structures=from_structures)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        from_structure = next((s for s in from_structures if s.pk == data["from_structure"]), None)
        try:
            referral = services.referral_send(
                person=person,
                by=request.user,
                from_structure=from_structure,
                to_structure=data["to_structure"],
                to_service=data.get("to_service"),
                kind=data["kind"],
                motive=data["motive"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("L'orientation a été envoyée."))
            return redirect("parcours:referral_detail", referral_id=referral.pk)
    return render(request, "parcours/form_page.html", {"person": person, "form": form, "title": _("Orienter")})


@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    scope = user_scope(request.user)
    if not scope.field_structures:
        raise PermissionDenied(_("Seules les structures d'accompagnement envoient et reçoivent des orientations."))
    base = Referral.objects.select_related("person", "from_structure", "to_structure").order_by("-sent_at", "-id")
    status = request.GET.get("statut", "")
    if status in ReferralStatus.values:
        base = base.filter(status=status)
    received = list(base.received_by(scope.field_structures)[:100])
    sent = list(base.sent_by_structures(scope.field_structures)[:100])
    return render(
        request,
        "parcours/referral_list.html",
        {"received": received, "sent": sent, "statuses": ReferralStatus.choices, "status": status},
    )


def _get_referral(request, referral_id) -> tuple[Referral, Person]:
    """A referral of a person the user sees (the REFERRAL view is enough for its receiving structure)."""
    referral = get_object_or_404(
        Referral.objects.select_related("from_structure", "to_structure", "to_service", "sent_by"), pk=referral_id
    )
    person = get_visible_person_or_404(request.user, referral.person_id, allow_referral_view=True)
    if person.access.is_referral_only and referral.pk not in person.access.referral_ids:
        raise Http404
    return referral, person


@require_GET
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, person = _get_referral(request, referral_id)
    scope = user_scope(request.user)
    member = HouseholdMember.objects.current().filter(person=person).select_related("household").order_by("id").first()
    audit.record(user=request.user, action=Action.VIEW, person=person, obj=referral, request=request)
    return render(
        request,
        "parcours/referral_detail.html",
        {
            "referral": referral,
            "person": person,
            "access": person.access,
            "household": member.household if member else None,
            "transitions": list(
                ReferralTransition.objects.filter(referral=referral).select_related("by").order_by("at", "id")
            ),
            "can_answer": referral.is_pending and referral.to_structure_id in scope.field_structures,
            "can_cancel": referral.is_pending and referral.from_structure_id in scope.field_structures,
            "refusal_form": RefusalForm(),
            "comment_form": CommentForm(),
        },
    )


@require_POST
def referral_accept(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, person = _get_referral(request, referral_id)
    try:
        services.referral_accept(referral=referral, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(_validation_messages(exc)))
        return redirect("parcours:referral_detail", referral_id=referral.pk)
    messages.success(request, _("Orientation acceptée : la personne fait maintenant partie de vos accompagnements."))
    return redirect("parcours:person_detail", pk=person.pk)


@require_http_methods(["GET", "POST"])
def referral_refuse(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, person = _get_referral(request, referral_id)
    if referral.to_structure_id not in user_scope(request.user).field_structures:
        raise PermissionDenied
    form = RefusalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_refuse(
                referral=referral,
                by=request.user,
                reason=form.cleaned_data["refusal_reason"],
                detail=form.cleaned_data["refusal_detail"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Orientation refusée ; la structure qui l'a envoyée est prévenue."))
            return redirect("parcours:referral_list")
    return render(
        request, "parcours/form_page.html", {"person": None, "form": form, "title": _("Refuser l'orientation")}
    )


@require_POST
def referral_cancel(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, person = _get_referral(request, referral_id)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.referral_cancel(referral=referral, by=request.user, comment=comment)
    except ValidationError as exc:
        messages.error(request, " ".join(_validation_messages(exc)))
    else:
        messages.success(request, _("L'orientation a été annulée."))
    return redirect("parcours:referral_detail", referral_id=referral.pk)


# --- duplicate checks (coordinators) -------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def duplicate_check_list(request: HttpRequest) -> HttpResponse:
    """Coordinators see who asked and which structures follow the close matches, never the people (R12)."""
    if not user_scope(request.user).is_coordinator:
        raise PermissionDenied(_("Réservé aux coordinateur·rices."))
    if request.method == "POST":
        try:
            check_id = int(request.POST.get("check", ""))
        except ValueError:
            check_id = None
        updated = DuplicateCheckRequest.objects.filter(pk=check_id, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
        if updated:
            messages.success(request, _("La vérification est marquée comme traitée."))
        else:
            messages.error(request, _("Cette vérification n'existe pas ou est déjà traitée."))
        return redirect("parcours:duplicate_check_list")
    checks = list(
        DuplicateCheckRequest.objects.select_related("structure", "requested_by").order_by("-created_at", "-id")[:100]
    )
    followers = {}
    rows = (
        FollowUp.objects.filter(
            person__in=DuplicateCheckRequest.matches.through.objects.filter(
                duplicatecheckrequest_id__in=[c.pk for c in checks]
            ).values("person_id")
        )
        .values_list("person_id", "structure__name")
        .order_by("structure__name")
        .distinct()
    )
    for person_id, name in rows:
        followers.setdefault(person_id, set()).add(name)
    links = DuplicateCheckRequest.matches.through.objects.filter(
        duplicatecheckrequest_id__in=[c.pk for c in checks]
    ).values_list("duplicatecheckrequest_id", "person_id")
    structures_by_check = {}
    for check_id, person_id in links:
        structures_by_check.setdefault(check_id, set()).update(followers.get(person_id, ()))
    for check in checks:
        check.following_structures = sorted(structures_by_check.get(check.pk, ()))
    return render(request, "parcours/duplicate_check_list.html", {"checks": checks})


# --- notifications --------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.for_user(request.user)
    if request.method == "POST":
        services.mark_read(user=request.user, notification_ids=notifications.unread().values("pk"))
        return redirect("parcours:notification_list")
    rows = list(notifications.select_related("referral").order_by("-created_at", "-id")[:100])
    return render(request, "parcours/notification_list.html", {"notifications": rows})
