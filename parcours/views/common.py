"""Helpers shared by the people app's views: service errors on forms, the one form-page idiom, and
`render_person_page`, which renders any page showing a person's data and leaves its VIEW entry in the trail."""

from contextlib import nullcontext

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit
import outbox
from audit.models import Action

from ..enums import (
    EmploymentEndReason,
    HousingEndReason,
)
from ..forms import (
    EmploymentSituationForm,
    HousingSituationForm,
    ResourceForm,
)
from ..models import (
    EmploymentSituation,
    HousingSituation,
    Resource,
)

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


def validation_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def render_person_page(request, template: str, context: dict, *, person, obj=None, detail: str = "") -> HttpResponse:
    """Render a page showing `person`'s data (a form included: it shows the file's header and current values)
    and record the read (privacy.md §5: every page of a person's file, GET included)."""
    audit.record(user=request.user, action=Action.VIEW, person=person, obj=obj, detail=detail, request=request)
    return render(request, template, context)


def person_form_page(
    request, person, form, title, save, *, success=None, next_url=None, once: bool = False
) -> HttpResponse:
    """The one form-page idiom of the people app: validate `form`, call `save()` (a service, run only on a
    valid POST); a `ValidationError` goes back onto the form; on success flash `success` and redirect to
    `next_url` (a URL, or a function of what `save()` returned; default: the person's file), else render the
    form page (`person` may be None: the page then shows no file header). `once`: a form that creates something
    carries a submission key (`outbox.forms.SubmissionKeyMixin`), and a double submission creates it once
    (`outbox.submit_once` sends the second one to the first one's result)."""
    if request.method == "POST" and form.is_valid():
        try:
            with outbox.submit_once(request) if once else nullcontext() as submission:
                result = save()
                url = (next_url(result) if callable(next_url) else next_url) or reverse(
                    "parcours:person_detail", args=[person.pk]
                )
                if submission is not None:
                    submission.result_url = url
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success or _("Les informations ont été enregistrées."))
            return redirect(url)
    context = {"person": person, "form": form, "title": title}
    if person is None:
        return render(request, "parcours/form_page.html", context)
    return render_person_page(request, "parcours/form_page.html", context, person=person)
