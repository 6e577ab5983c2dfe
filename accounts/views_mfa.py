"""Second-factor pages: "Sécurité du compte", enrolment (QR code and secret), verification, recovery codes."""

import django_otp
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import mfa
from .forms import OTPCodeForm
from .signals import mfa_failed


def _next_url(request: HttpRequest, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default


def _is_verified(request) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


@never_cache
@require_http_methods(["GET", "HEAD"])
def security(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "device": mfa.confirmed_totp(user),
            "required": mfa.needs_mfa(user),
            "verified": _is_verified(request),
            "codes_left": mfa.recovery_codes_left(user),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator application. A user who already has one must verify it first (no silent reset)."""
    user = request.user
    if mfa.confirmed_totp(user) is not None:
        if not _is_verified(request):
            return redirect("accounts:mfa_verify")
        messages.info(request, _("Votre application d'authentification est déjà configurée."))
        return redirect("accounts:security")
    device = mfa.pending_totp(user)
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified, error = mfa.check_code(user, form.cleaned_data["code"], device=device)
        if verified is not None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            django_otp.login(request, device)
            request.session[mfa.SESSION_KEY] = True
            codes = mfa.new_recovery_codes(user)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
        reason, message = error
        mfa_failed.send(sender="accounts", user=user, reason=reason, request=request)
        form.add_error("code", message)
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr_svg": mfa.qr_svg(device),
            "secret": mfa.base32_secret(device),
            "next": _next_url(request, ""),
            "required": mfa.needs_mfa(user),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step of sign-in: a TOTP code (or a recovery code)."""
    user = request.user
    if mfa.confirmed_totp(user) is None:
        return redirect("accounts:mfa_setup")
    if _is_verified(request):
        return redirect(_next_url(request))
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, error = mfa.check_code(user, form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = mfa.recovery_codes_left(user)
                messages.warning(
                    request,
                    _("Code de secours utilisé. Il vous en reste %(count)s : générez-en de nouveaux si besoin.")
                    % {"count": left},
                )
            return redirect(_next_url(request))
        reason, message = error
        mfa_failed.send(sender="accounts", user=user, reason=reason, request=request)
        form.add_error("code", message)
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request, "")})


@never_cache
@require_POST
def mfa_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working); only from a session verified with the second factor."""
    if mfa.confirmed_totp(request.user) is None or not _is_verified(request):
        messages.error(request, _("Vérifiez d'abord votre second facteur."))
        return redirect("accounts:security")
    codes = mfa.new_recovery_codes(request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": ""})


@never_cache
@require_POST
def mfa_disable(request: HttpRequest) -> HttpResponse:
    """Remove the second factor: only for a user whose role does not require it, from a verified session."""
    user = request.user
    if mfa.needs_mfa(user):
        messages.error(request, _("Votre rôle exige un second facteur : il ne peut pas être désactivé."))
        return redirect("accounts:security")
    if mfa.confirmed_totp(user) is not None and not _is_verified(request):
        messages.error(request, _("Vérifiez d'abord votre second facteur."))
        return redirect("accounts:security")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    request.session[mfa.SESSION_KEY] = False
    messages.success(request, _("La validation en deux étapes est désactivée."))
    return redirect("accounts:security")
