from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """Shown by django-axes after too many failures: the same page whether the account exists or not."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"lockout_minutes": minutes}, status=429)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The header's language switch: kept on the account (and in the cookie for the login page)."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    request.user.language = language
    request.user.save(update_fields=["language"])
    translation.activate(language)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", secure=request.is_secure())
    return response
