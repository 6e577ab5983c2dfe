from django.utils.functional import SimpleLazyObject

from .membership import get_active_membership


class ActiveMembershipMiddleware:
    """Exposes `request.membership`: the structure and role the user currently acts in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = SimpleLazyObject(lambda: get_active_membership(request))
        return self.get_response(request)
