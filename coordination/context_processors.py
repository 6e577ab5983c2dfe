from accounts.membership import get_active_membership, user_memberships
from coordination.navigation import navigation_for


def membership(request):
    """The active membership, the user's memberships and the navigation from every membership."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"active_membership": None, "memberships": [], "navigation": []}
    active = get_active_membership(request)
    return {
        "active_membership": active,
        "memberships": user_memberships(request),
        "navigation": navigation_for(request),
    }
