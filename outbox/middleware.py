from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .idempotency import FIELD, AlreadySubmitted, check_not_submitted


class SubmissionMiddleware:
    """A form sent twice: the second submission goes to what the first one created (nothing created twice)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """A form sent again after its first submission committed: straight to the first result."""
        if request.method == "POST" and request.user.is_authenticated and FIELD in request.POST:
            try:
                check_not_submitted(request)
            except AlreadySubmitted as exc:
                return self.process_exception(request, exc)
        return None

    def process_exception(self, request, exception):
        if not isinstance(exception, AlreadySubmitted):
            return None
        messages.info(request, _("Ce formulaire a déjà été envoyé : rien n'a été enregistré une seconde fois."))
        url = exception.url
        if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
            url = "/"
        return redirect(url)
