"""Second factor in tests: `Client.force_login` also verifies a TOTP device for users who need one.

`install()` is called once by tests/conftest.py, so every test that does `client.force_login(coordinator)` (today's
and tomorrow's) reaches pages as a fully signed-in user. `force_login_without_second_factor(client, user)` is the
original behaviour, for the tests that prove the second factor is enforced.
"""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import needs_mfa

_original_force_login = Client.force_login


def verified_device(user) -> TOTPDevice:
    """The user's confirmed TOTP device, created when missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return device


def current_code(device: TOTPDevice, *, step_offset: int = 0) -> str:
    """The code `device` accepts now (or `step_offset` steps later: within tolerance, it is not a replay)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + step_offset)
    return f"{totp.token():0{device.digits}d}"


def next_unused_code(device: TOTPDevice) -> str:
    """A code the device accepts now and has not accepted yet (the next step when the current one is used)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    offset = 0 if totp.t() > device.last_t else device.last_t + 1 - totp.t()
    return current_code(device, step_offset=offset)


def force_login(self, user, backend=None):
    _original_force_login(self, user, backend)
    required = needs_mfa(user)
    for cache in ("_scope", "_roles_cache"):  # never leave a cached scope on the test's user object
        user.__dict__.pop(cache, None)
    if required:
        device = verified_device(user)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # what django_otp.login does
        session.save()


def force_login_without_second_factor(client: Client, user) -> None:
    _original_force_login(client, user)


def install() -> None:
    Client.force_login = force_login
