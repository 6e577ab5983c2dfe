"""The caseload: the list of people, search, person creation with the duplicate check, notifications."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

import outbox
from accounts.models import User
from accounts.scope import role_required, user_scope
from partenaires.models import Structure

from .. import services
from ..enums import (
    HOUSING_GROUP_STATUSES,
    EmploymentEndReason,
    HousingEndReason,
)
from ..forms import (
    SORTS,
    CaseloadFilterForm,
    EmploymentSituationForm,
    HousingSituationForm,
    PersonCreateForm,
    ResourceForm,
    SearchForm,
)
from ..models import (
    DuplicateCheckRequest,
    EmploymentSituation,
    FollowUp,
    HousingSituation,
    Notification,
    Person,
    Resource,
)
from .common import validation_messages

SEARCH_SESSION_KEY = "parcours_search"
PAGE_SIZE = 50
# A search counts its matches up to this many: a common name over a whole territory matches thousands, and
# counting them all under the access policy cost as much as the page itself (43 ms at 1,000,000 people).
SEARCH_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A Paginator whose count stops at `cap` (`capped` tells that more exist): the pages past it are not
    offered, the person is asked to narrow the search."""

    def __init__(self, object_list, per_page, cap: int):
        super().__init__(object_list, per_page)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        n = self.object_list.order_by()[: self.cap + 1].count()
        self.capped = n > self.cap
        return min(n, self.cap)


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


def _sorted_not_walked(field: str):
    """`field` as an ORDER BY expression that no index provides (same order): the planner sorts the matches."""
    name = field.removeprefix("-")
    expression = Coalesce(F(name), F(name))
    return expression.desc() if field.startswith("-") else expression.asc()


@require_http_methods(["GET", "POST"])
@role_required(
    "field", "coordinator", message=gettext_lazy("Votre rôle ne donne pas accès aux dossiers des personnes.")
)
def person_list(request: HttpRequest) -> HttpResponse:
    """The caseload. The name search is a POST kept in the session, so that no name appears in a URL."""
    scope = user_scope(request.user)
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
    sort = SORTS.get(data.get("tri") or "nom", SORTS["nom"])
    if query:
        people = people.search(query)
        # A search matches few people: sort them, rather than walk the whole name (or birth date) index in order
        # and test every person on the way (1 s for "Lefèvre" at 1,000,000 people, reached after 560,000 rows).
        sort = [_sorted_not_walked(field) for field in sort]
    people = people.order_by(*sort)
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
    paginator = CappedPaginator(people, PAGE_SIZE, SEARCH_COUNT_CAP) if query else Paginator(people, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
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
                # A double submission goes to the person the first one created (outbox.SubmissionMiddleware).
                with outbox.submit_once(request) as submission:
                    person = services.person_create(
                        by=request.user,
                        structure=membership.structure,
                        kind=data["kind"],
                        sharing_basis=data["sharing_basis"],
                        household_type=data["household_type"],
                        dependent_children=data["dependent_children"] or 0,
                        **identity,
                    )
                    submission.result_url = reverse("parcours:person_detail", args=[person.pk])
                messages.success(request, _("La fiche a été créée."))
                return redirect("parcours:person_detail", pk=person.pk)
            request.session["parcours_duplicate_hidden"] = matches.hidden_ids
    else:
        form = PersonCreateForm(initial={"dependent_children": 0})
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
        messages.error(request, " ".join(validation_messages(exc)))
        return redirect("parcours:person_create")
    messages.success(
        request,
        _("Les coordinateur·rices ont été prévenu·es ; ils et elles vous mettront en relation si besoin."),
    )
    return redirect("parcours:person_list")


@require_http_methods(["GET", "POST"])
@role_required("coordinator", message=gettext_lazy("Réservé aux coordinateur·rices."))
def duplicate_check_list(request: HttpRequest) -> HttpResponse:
    """Coordinators see who asked and which structures follow the close matches, never the people (R12)."""
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


@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.for_user(request.user)
    if request.method == "POST":
        services.mark_read(user=request.user, notification_ids=notifications.unread().values("pk"))
        return redirect("parcours:notification_list")
    rows = list(notifications.select_related("referral", "activity").order_by("-created_at", "-id")[:100])
    return render(request, "parcours/notification_list.html", {"notifications": rows})
