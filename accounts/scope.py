"""The one way to ask what a user is: `user_scope(user)`, and `role_required(...)` for views.

Rule (docs/architecture.md, "Roles"): permissions read **every** membership of the user, so a user in two
structures acts for both at once (privacy.md §2: "a user in several structures gets the union"). The active
membership chosen in the header only decides which structure new records are made for and which menu is
shown first; it never widens nor narrows what the user may see or do.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from .models import FIELD_ROLES, Role

__all__ = ["Scope", "role_required", "scope_of", "user_scope"]


@dataclass(frozen=True)
class Scope:
    """What a user's memberships give, read once per user object (that is, once per request)."""

    field_structures: frozenset = frozenset()
    manager_structures: frozenset = frozenset()
    funder_structures: frozenset = frozenset()
    is_coordinator: bool = False
    is_admin: bool = False
    is_funder: bool = False
    is_dpo: bool = False

    @property
    def sees_people(self) -> bool:
        return bool(self.field_structures) or self.is_coordinator

    @property
    def is_field(self) -> bool:
        return bool(self.field_structures)

    @property
    def is_manager(self) -> bool:
        return bool(self.manager_structures)

    def has(self, check: str) -> bool:
        """`check` is one of the names `role_required` takes: field, manager, coordinator, funder, admin, dpo."""
        return bool(getattr(self, f"is_{check}"))


def scope_of(rows) -> Scope:
    """The scope given by `(structure_id, role)` rows: every membership of one user."""
    rows = list(rows)
    return Scope(
        field_structures=frozenset(s for s, role in rows if role in FIELD_ROLES),
        manager_structures=frozenset(s for s, role in rows if role == Role.MANAGER),
        funder_structures=frozenset(s for s, role in rows if role == Role.FUNDER),
        is_coordinator=any(role == Role.COORDINATOR for _s, role in rows),
        is_admin=any(role == Role.ADMIN for _s, role in rows),
        is_funder=any(role == Role.FUNDER for _s, role in rows),
        is_dpo=any(role == Role.DPO for _s, role in rows),
    )


def user_scope(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_scope", None)
    if cached is None:
        cached = scope_of(user.memberships.values_list("structure_id", "role"))
        user._scope = cached
    return cached


def role_required(*checks: str, message: str | None = None, hidden: bool = False) -> Callable:
    """Views for users whose scope passes any of `checks` ("field", "manager", "coordinator", "funder",
    "admin", "dpo"); others get 403 with a French message, or 404 when `hidden` (pages whose very existence a
    role must not learn, e.g. participant records for funders)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            scope = user_scope(request.user)
            if not any(scope.has(check) for check in checks):
                if hidden:
                    raise Http404
                raise PermissionDenied(message or _("Cette page n'est pas ouverte à votre rôle."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
