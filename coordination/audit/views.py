from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .models import AuditEntry


@require_GET
def person_trail(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person's trail: administrators always (ids only, no file), coordinators for people they may see."""
    from parcours.access import get_visible_person_or_404, user_scope

    scope = user_scope(request.user)
    if scope.is_admin:
        person = None
    elif scope.is_coordinator:
        person = get_visible_person_or_404(request.user, person_id)
    else:
        raise PermissionDenied(_("Le journal d'accès est réservé aux coordinateur·rices et administrateur·rices."))
    entries = AuditEntry.objects.for_person(person_id).select_related("user").order_by("-at", "-id")
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "audit/person_trail.html", {"page": page, "person": person, "person_id": person_id})
