from django.utils import translation
from django.utils.functional import SimpleLazyObject

from .membership import get_active_membership


class ActiveMembershipMiddleware:
    """Exposes `request.membership`: the structure and role the user currently acts in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = SimpleLazyObject(lambda: get_active_membership(request))
        return self.get_response(request)


class UserLanguageMiddleware:
    """Activates the language the user chose in the header (after LocaleMiddleware and authentication), so that
    the choice follows the account from one browser to another."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response
