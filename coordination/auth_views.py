"""Django's password views with the audit trail and the rate limit of issue 11.

- A password change or a reset through the e-mailed link leaves an entry (`audit.record_auth`).
- Password reset requests are rate limited per e-mail address and per IP (Redis cache; the address is hashed,
  never stored): beyond `PASSWORD_RESET_LIMIT_PER_EMAIL` / `PASSWORD_RESET_LIMIT_PER_IP` requests in
  `PASSWORD_RESET_WINDOW_MINUTES`, the form answers 429 with a French message, whether the account exists or not.
"""

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.utils.translation import gettext as _

import audit
from audit.models import Action


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record_auth(action=Action.PASSWORD_CHANGE, user=form.user, request=self.request)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record_auth(action=Action.PASSWORD_RESET, user=form.user, request=self.request)
        return response


def _over_limit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one request under `key`; True once more than `limit` were counted in the window."""
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count > limit


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        window = settings.PASSWORD_RESET_WINDOW_MINUTES * 60
        email = form.cleaned_data["email"].strip().lower()
        email_key = "password-reset:email:" + hashlib.sha256(email.encode()).hexdigest()
        ip_key = "password-reset:ip:" + (self.request.META.get("REMOTE_ADDR") or "unknown")
        over_email = _over_limit(email_key, settings.PASSWORD_RESET_LIMIT_PER_EMAIL, window)
        over_ip = _over_limit(ip_key, settings.PASSWORD_RESET_LIMIT_PER_IP, window)
        if over_email or over_ip:
            form.add_error(
                None,
                _("Trop de demandes de réinitialisation. Réessayez dans %(minutes)s minutes.")
                % {"minutes": settings.PASSWORD_RESET_WINDOW_MINUTES},
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
