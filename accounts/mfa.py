"""Two-factor sign-in (privacy.md §8): TOTP through django-otp, recovery codes through its static device.

- `needs_mfa(user)`: coordinators, administrators (and staff) and the DPO must verify a second factor in every
  mode; every other user may enrol from "Sécurité du compte".
- `MFARequiredMiddleware`: such a user without a verified device reaches only the enrolment and verification
  pages and logout; everything else redirects there.
- `check_code(user, code)`: verifies a TOTP or recovery code and says why a refused code was refused.
"""

from base64 import b32encode
from binascii import unhexlify
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .scope import user_scope

RECOVERY_CODES = 10
TOTP_DEVICE_NAME = "application"
RECOVERY_DEVICE_NAME = "codes de secours"
# Views a user who still owes a second factor may reach (plus every view open without login).
MFA_EXEMPT_URL_NAMES = frozenset(
    {"logout", "accounts:mfa_setup", "accounts:mfa_verify", "accounts:mfa_recovery_codes", "healthz"}
)


def needs_mfa(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    scope = user_scope(user)
    return scope.is_coordinator or scope.is_admin or scope.is_dpo


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def pending_totp(user) -> TOTPDevice:
    """The TOTP device being enrolled (unconfirmed), created on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def base32_secret(device: TOTPDevice) -> str:
    return b32encode(unhexlify(device.key)).decode().rstrip("=")


def provisioning_uri(device: TOTPDevice) -> str:
    issuer = getattr(settings, "OTP_TOTP_ISSUER", "Coordination")
    query = urlencode({"secret": base32_secret(device), "issuer": issuer, "digits": device.digits})
    label = f"{issuer}:{device.user.email}".replace(" ", "%20")
    return f"otpauth://totp/{label}?{query}"


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning QR code as inline SVG (no JavaScript, no external image)."""
    return segno.make(provisioning_uri(device), error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes by `RECOVERY_CODES` fresh ones; returns them (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _replayed(device: TOTPDevice, token: int) -> bool:
    """Whether `token` is a code of the window that was already used (its step is not after `last_t`)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    base_drift = device.drift
    for offset in range(-device.tolerance, device.tolerance + 1):
        totp.drift = base_drift + offset
        if totp.token() == token and totp.t() <= device.last_t:
            return True
    return False


def check_code(user, code: str, *, device: TOTPDevice | None = None):
    """(device, None) when `code` is a valid TOTP code of `device` (default: the user's confirmed one) or,
    without an explicit device, one of the user's recovery codes; (None, (reason, French message)) otherwise."""
    code = "".join((code or "").split()).lower()
    totp = device or confirmed_totp(user)
    if totp is not None:
        allowed, _data = totp.verify_is_allowed()
        if not allowed:
            return None, (
                "throttled",
                _("Trop d'essais à la suite : patientez quelques secondes puis saisissez le code actuel."),
            )
        if code.isdigit() and len(code) == totp.digits:
            if totp.verify_token(code):
                return totp, None
            if _replayed(totp, int(code)):
                return None, ("replayed", _("Ce code a déjà été utilisé : attendez le suivant (30 secondes)."))
            return None, (
                "invalid",
                _("Code incorrect ou expiré : saisissez le code affiché maintenant par votre application."),
            )
    if device is None:
        for static in StaticDevice.objects.filter(user=user, confirmed=True).order_by("id"):
            allowed, _data = static.verify_is_allowed()
            if allowed and static.verify_token(code):
                return static, None
    return None, (
        "invalid",
        _("Code incorrect ou expiré : saisissez le code affiché maintenant par votre application."),
    )


# Session key: whether this session owes a second factor (decided at login, so that pages pay no query for it).
SESSION_KEY = "mfa_required"


def must_verify(user) -> bool:
    """Whether `user` must verify a second factor: required by role, or enrolled of their own will."""
    return needs_mfa(user) or TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def remember_mfa_requirement(sender, request, user, **kwargs):
    """`user_logged_in` receiver: store in the session whether it owes a second factor."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = must_verify(user)


class MFARequiredMiddleware:
    """After AuthenticationMiddleware, OTPMiddleware and LoginRequiredMiddleware: a user who needs a second
    factor and has not verified one this session is sent to verification (or enrolment) from every page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(view_func, "login_required", True):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in MFA_EXEMPT_URL_NAMES:
            return None
        if user.is_verified():
            return None
        required = request.session.get(SESSION_KEY)
        if required is None:  # a session opened before this check existed
            required = request.session[SESSION_KEY] = must_verify(user)
        if not required:
            return None
        target = "accounts:mfa_verify" if confirmed_totp(user) is not None else "accounts:mfa_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
