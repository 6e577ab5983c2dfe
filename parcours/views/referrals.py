"""Referrals: sending, the list, the detail with the REFERRAL view, accepting, refusing, cancelling."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import audit
from accounts.scope import role_required, user_scope
from audit.models import Action
from partenaires.models import Structure

from .. import services
from ..access import ensure_can_write, get_visible_person_or_404, visible_q
from ..enums import (
    EmploymentEndReason,
    FollowUpKind,
    HousingEndReason,
    ReferralStatus,
)
from ..forms import (
    CommentForm,
    EmploymentSituationForm,
    HousingSituationForm,
    ReferralForm,
    RefusalForm,
    ResourceForm,
)
from ..models import (
    EmploymentSituation,
    HouseholdMember,
    HousingSituation,
    Person,
    Referral,
    ReferralTransition,
    Resource,
)
from .common import person_form_page, validation_messages

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
def referral_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_person_or_404(request.user, pk)
    ensure_can_write(request.user, person)
    from_structures = list(Structure.objects.filter(pk__in=person.access.acting_structure_ids).order_by("name", "id"))
    initial = _prefill(request)
    # A link from the evaluation's synthesis presets the kind of follow-up asked for.
    kind = request.GET.get("accompagnement", "")
    if kind in FollowUpKind.values:
        initial.setdefault("kind", kind)
    form = ReferralForm(request.POST or None, initial=initial, from_structures=from_structures)

    def save():
        data = form.cleaned_data
        return services.referral_send(
            person=person,
            by=request.user,
            from_structure=next((s for s in from_structures if s.pk == data["from_structure"]), None),
            to_structure=data["to_structure"],
            to_service=data.get("to_service"),
            kind=data["kind"],
            motive=data["motive"],
        )

    return person_form_page(
        request,
        person,
        form,
        _("Orienter"),
        save,
        success=_("L'orientation a été envoyée."),
        next_url=lambda referral: reverse("parcours:referral_detail", kwargs={"referral_id": referral.pk}),
        once=True,
    )


def _prefill(request) -> dict:
    """The "Orienter" buttons (synthesis, directory, service cards) pre-fill the structure, service and kind."""
    from partenaires.models import Service

    from ..enums import FollowUpKind

    initial = {}
    service_id, structure_id = request.GET.get("service", ""), request.GET.get("structure", "")
    service = Service.objects.filter(pk=int(service_id)).first() if service_id.isdigit() else None
    if service is not None:
        initial["to_service"] = service.pk
        structure_id = str(service.structure_id)
    if structure_id.isdigit() and Structure.objects.filter(pk=int(structure_id)).exists():
        initial["to_structure"] = int(structure_id)
    if request.GET.get("type") in FollowUpKind.values:
        initial["kind"] = request.GET["type"]
    return initial


@require_GET
@role_required(
    "field", message=gettext_lazy("Seules les structures d'accompagnement envoient et reçoivent des orientations.")
)
def referral_list(request: HttpRequest) -> HttpResponse:
    scope = user_scope(request.user)
    # The person's name only while the user still sees the person (R2: refused, expired or cancelled referrals
    # no longer show it to the receiving structure; R11: an objection removes it from the sender too).
    visible = Person.objects.filter(visible_q(request.user), pk=OuterRef("person_id"))
    base = (
        Referral.objects.visible_to(request.user)
        .select_related("person", "from_structure", "to_structure")
        .annotate(person_visible=Exists(visible))
        .order_by("-sent_at", "-id")
    )
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
    from .. import panels

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
            # R2's REFERRAL view: the synthesis of the latest finalised evaluation, never a ◆ item.
            "synthesis": panels.provide(panels.REFERRAL_SYNTHESIS, request, person),
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
        messages.error(request, " ".join(validation_messages(exc)))
        return redirect("parcours:referral_detail", referral_id=referral.pk)
    messages.success(request, _("Orientation acceptée : la personne fait maintenant partie de vos accompagnements."))
    return redirect("parcours:person_detail", pk=person.pk)


@require_http_methods(["GET", "POST"])
def referral_refuse(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, person = _get_referral(request, referral_id)
    if referral.to_structure_id not in user_scope(request.user).field_structures:
        raise PermissionDenied
    form = RefusalForm(request.POST or None)
    # The page shows the referral, not the file (person=None below): its read is recorded here (privacy.md §5).
    audit.record(user=request.user, action=Action.VIEW, person=person, obj=referral, request=request)
    return person_form_page(
        request,
        None,
        form,
        _("Refuser l'orientation"),
        lambda: services.referral_refuse(
            referral=referral,
            by=request.user,
            reason=form.cleaned_data["refusal_reason"],
            detail=form.cleaned_data["refusal_detail"],
        ),
        success=_("Orientation refusée ; la structure qui l'a envoyée est prévenue."),
        next_url=reverse("parcours:referral_list"),
    )


@require_POST
def referral_cancel(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, person = _get_referral(request, referral_id)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.referral_cancel(referral=referral, by=request.user, comment=comment)
    except ValidationError as exc:
        messages.error(request, " ".join(validation_messages(exc)))
    else:
        messages.success(request, _("L'orientation a été annulée."))
    return redirect("parcours:referral_detail", referral_id=referral.pk)
