"""Pages of the alerts: the inbox, one alert with its actions, the coordinators' settings and dashboard."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import audit
from accounts.scope import role_required, user_scope
from audit.models import Action
from parcours.access import followed_q, get_access
from parcours.models import Person
from partenaires.models import Structure

from . import dashboard, services
from .enums import OPEN_STATUSES
from .forms import AlertDismissForm, AlertFilterForm, AlertNoteForm, AlertSettingsForm
from .inbox import build_inbox
from .models import Alert, AlertSettings
from .presenters import present

PAGE_SIZE = 50  # people per page
MAX_ALERTS = 2000


@require_GET
@role_required(
    "field",
    "coordinator",
    message=gettext_lazy("Les alertes concernent les professionnel·les qui accompagnent des personnes."),
)
def alert_list(request: HttpRequest) -> HttpResponse:
    scope = user_scope(request.user)
    structures = Structure.objects.filter(pk__in=sorted(scope.field_structures)).order_by("name")
    form = AlertFilterForm(request.GET or None, structures=structures)
    alerts = Alert.objects.visible_to(request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    if filters.get("scope", "mine") in ("", "mine"):
        alerts = alerts.owned_by(request.user)
    status = filters.get("status") or "open"
    if status == "open":
        alerts = alerts.filter(status__in=OPEN_STATUSES)
    elif status != "all":
        alerts = alerts.filter(status=status)
    if filters.get("rule"):
        alerts = alerts.filter(rule=filters["rule"])
    if filters.get("structure"):
        alerts = alerts.filter(person__in=Person.objects.filter(followed_q([filters["structure"]])).values("pk"))
    alerts = alerts.select_related("person", "structure").by_urgency()
    # Grouped by person, so the whole (bounded) list is read at once and the groups are paginated.
    inbox = build_inbox(present(request.user, list(alerts[:MAX_ALERTS])), cap=AlertSettings.load().urgent_daily_cap)
    page = Paginator(inbox.groups, PAGE_SIZE).get_page(request.GET.get("page"))
    urgent_ids = {id(group) for group in inbox.urgent}
    groups = [(group, id(group) in urgent_ids) for group in page.object_list]
    rows = [row for group in page.object_list for row in group.rows]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "alerts/alert_list.html",
        {
            "form": form,
            "page": page,
            "groups": groups,
            "rows": rows,
            "inbox": inbox,
            "alert_count": sum(group.alert_count for group in inbox.groups),
            "query": query.urlencode(),
        },
    )


def _visible_alert_or_404(user, pk) -> Alert:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404(_("Alerte introuvable.")) from None
    alert = Alert.objects.visible_to(user).select_related("person", "structure", "owner").filter(pk=pk).first()
    if alert is None:
        raise Http404(_("Alerte introuvable."))
    return alert


@require_GET
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _visible_alert_or_404(request.user, pk)
    access = get_access(request.user, alert.person)
    if not access.is_visible or access.is_referral_only:
        raise Http404(_("Alerte introuvable."))
    audit.record(user=request.user, action=Action.VIEW, person=alert.person, obj=alert, request=request)
    row = present(request.user, [alert])[0]
    return render(
        request,
        "alerts/alert_detail.html",
        {
            "row": row,
            "can_write": access.can_write,
            "note_form": AlertNoteForm(),
            "dismiss_form": AlertDismissForm(),
            "transitions": list(alert.transitions.select_related("by").order_by("at", "id")),
        },
    )


ACTIONS = {"acknowledge": services.alert_acknowledge, "resolve": services.alert_resolve}
DONE = {"acknowledge": _("Alerte prise en compte."), "resolve": _("Alerte résolue.")}


def _next_url(request, alert) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return target
    return reverse("alerts:alert_detail", args=[alert.pk])


@require_POST
def alert_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    alert = _visible_alert_or_404(request.user, pk)
    if action not in (*ACTIONS, "dismiss", "propose"):
        raise Http404(_("Action inconnue."))
    try:
        if action == "dismiss":
            form = AlertDismissForm(request.POST)
            if not form.is_valid():
                access = get_access(request.user, alert.person)
                if not access.can_write:
                    raise PermissionDenied(_("Vous pouvez consulter cette alerte mais pas la traiter."))
                row = present(request.user, [alert])[0]
                return render(
                    request,
                    "alerts/alert_detail.html",
                    {
                        "row": row,
                        "can_write": True,
                        "note_form": AlertNoteForm(),
                        "dismiss_form": form,
                        "transitions": list(alert.transitions.select_related("by").order_by("at", "id")),
                    },
                    status=400,
                )
            services.alert_dismiss(
                alert_id=alert.pk, by=request.user, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
            )
            messages.success(request, _("Alerte écartée."))
        elif action == "propose":
            services.propose_conference(alert_id=alert.pk, by=request.user)
            messages.success(request, _("Situation proposée en commission : la coordination est informée."))
        else:
            form = AlertNoteForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            ACTIONS[action](alert_id=alert.pk, by=request.user, note=note)
            messages.success(request, DONE[action])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_next_url(request, alert))


@require_POST
def alert_bulk_acknowledge(request: HttpRequest) -> HttpResponse:
    # A folded line of the inbox carries its alerts' ids separated by commas.
    ids = [value for values in request.POST.getlist("alert") for value in values.split(",") if value.isdigit()]
    if not ids:
        messages.error(request, _("Cochez au moins une alerte."))
    else:
        count = services.alerts_acknowledge(alert_ids=ids, by=request.user)
        messages.success(
            request,
            ngettext("%(n)s alerte prise en compte.", "%(n)s alertes prises en compte.", count) % {"n": count},
        )
    return redirect(_next_url(request, None) if request.POST.get("next") else reverse("alerts:alert_list"))


@require_http_methods(["GET", "POST"])
@role_required("coordinator", "admin", message=gettext_lazy("Réservé à la coordination."))
def alert_settings(request: HttpRequest) -> HttpResponse:
    instance = AlertSettings.load()
    form = AlertSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Réglages des alertes enregistrés."))
            return redirect("alerts:alert_settings")
        return render(request, "alerts/alert_settings.html", {"form": form}, status=400)
    return render(request, "alerts/alert_settings.html", {"form": form})


@require_GET
@role_required("coordinator", "admin", "funder", message=gettext_lazy("Réservé à la coordination."))
def alert_dashboard(request: HttpRequest) -> HttpResponse:
    """Coordinators: aggregates, escalated alerts, conference proposals. Funders: the aggregates only (R6)."""
    scope = user_scope(request.user)
    if not (scope.is_coordinator or scope.is_admin):
        context = dashboard.figures(timezone.localdate())
        context.update(escalated=[], proposals=[], aggregates_only=True)
        return render(request, "alerts/alert_dashboard.html", context)
    today = timezone.localdate()
    context = dashboard.figures(today)
    context["aggregates_only"] = False
    escalated = list(
        Alert.objects.open()
        .filter(escalated_at__isnull=False)
        .select_related("structure")
        .order_by("created_at", "id")[:100]
    )
    visible_ids = set(
        Alert.objects.visible_to(request.user).filter(pk__in=[a.pk for a in escalated]).values_list("pk", flat=True)
    )
    context["escalated"] = [
        {
            "alert": a,
            "visible": a.pk in visible_ids,
            "age": (timezone.now() - a.created_at).days,
        }
        for a in escalated
    ]
    context["proposals"] = dashboard.open_proposals()
    return render(request, "alerts/alert_dashboard.html", context)


# Past this many, the navigation says « 99+ »: counting every alert of a large structure's manager cost more
# than the page.
BADGE_CAP = 99


def nav_badge(request) -> int | str:
    """The count in the navigation, ONE query: my open alerts (coordinators: the escalated ones)."""
    scope = user_scope(request.user)
    if scope.is_field:
        n = Alert.objects.open().owned_by_count(request.user, BADGE_CAP + 1)
        return f"{BADGE_CAP}+" if n > BADGE_CAP else n
    if scope.is_coordinator:
        return Alert.objects.open().filter(escalated_at__isnull=False).count()
    return 0
