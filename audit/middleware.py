from . import record
from .models import Action

# URL keyword arguments that carry a person id in our URL patterns.
PERSON_KWARGS = ("person_id", "pk")


class DeniedAccessMiddleware:
    """Logs 403 responses of signed-in users (privacy.md §5), outside the view's rolled-back transaction."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403 and getattr(request, "user", None) and request.user.is_authenticated:
            match = getattr(request, "resolver_match", None)
            kwargs = match.kwargs if match else {}
            person_id = kwargs.get("person_id")
            url_name = (match.url_name or "") if match else ""
            if person_id is None and match and match.namespace == "parcours" and url_name.startswith("person"):
                person_id = kwargs.get("pk")
            record(
                user=request.user,
                action=Action.ACCESS_DENIED,
                person=person_id if isinstance(person_id, int) else None,
                detail=(match.view_name if match else "")[:200],
                request=request,
            )
        return response
