"""Situation periods (housing, employment, resources), PASS IAE and housing requests of a person."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .. import services
from ..access import ensure_can_write, get_visible_person_or_404
from ..enums import (
    EmploymentEndReason,
    HousingEndReason,
    ResidentialStatus,
)
from ..forms import (
    CloseSituationForm,
    EmploymentSituationForm,
    HousingRequestForm,
    HousingRequestUpdateForm,
    HousingSituationForm,
    PassIaeForm,
    PassIaeProlongForm,
    ResourceForm,
)
from ..models import (
    EmploymentSituation,
    HousingRequest,
    HousingSituation,
    PassIae,
    Resource,
)
from .common import person_form_page

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


@require_http_methods(["GET", "POST"])
def situation_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in SITUATION_FORMS:
        raise Http404
    person = get_visible_person_or_404(request.user, pk)
    ensure_can_write(request.user, person)
    form_class, title = SITUATION_FORMS[kind]
    kwargs = {"hidden_kinds": person.access.hidden_resource_kinds()} if kind == "ressource" else {}
    form = form_class(request.POST or None, **kwargs)
    return person_form_page(
        request,
        person,
        form,
        title,
        lambda: services.situation_record(person=person, by=request.user, situation=form.save(commit=False)),
        success=_("La situation a été enregistrée."),
    )


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
    destinations = ResidentialStatus.choices if model is HousingSituation else ()
    form = CloseSituationForm(
        request.POST or None, reasons=reasons, destinations=destinations, initial={"ended_on": timezone.localdate()}
    )
    return person_form_page(
        request,
        person,
        form,
        _("Terminer : %(what)s") % {"what": situation},
        lambda: services.situation_close(
            situation=situation,
            by=request.user,
            ended_on=form.cleaned_data["ended_on"],
            end_reason=form.cleaned_data.get("end_reason", ""),
            exit_destination=form.cleaned_data.get("exit_destination", ""),
        ),
        success=_("La période a été terminée."),
    )


@require_http_methods(["GET", "POST"])
def pass_iae_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    ensure_can_write(request.user, person)
    form = PassIaeForm(request.POST or None)
    return person_form_page(
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
    return person_form_page(
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
    return person_form_page(
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
    return person_form_page(
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
