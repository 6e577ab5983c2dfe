"""The active membership: which structure (and role) a user acts in, chosen among their memberships."""

from .models import Membership
from .scope import scope_of

SESSION_KEY = "active_membership_id"


def user_memberships(request) -> list[Membership]:
    """The user's memberships, read once per request."""
    if not hasattr(request, "_memberships"):
        user = request.user
        request._memberships = list(Membership.objects.for_user(user)) if user.is_authenticated else []
        if user.is_authenticated and user.is_active and getattr(user, "_scope", None) is None:
            # The same rows give the user's scope: no second query for `user_scope(request.user)`.
            user._scope = scope_of((m.structure_id, m.role) for m in request._memberships)
    return request._memberships


def get_active_membership(request) -> Membership | None:
    memberships = user_memberships(request)
    chosen_id = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.pk == chosen_id:
            return membership
    return memberships[0] if memberships else None


def set_active_membership(request, membership: Membership) -> None:
    request.session[SESSION_KEY] = membership.pk
