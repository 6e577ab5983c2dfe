"""Demo second factors: the demo accounts that must use MFA get a TOTP device with a fixed, published secret.

The secret is public on purpose (README, `make run`): it only exists in demo data. `manage.py demo_otp EMAIL`
prints the current code of these accounts and refuses any other one. No Django import at module level, so
that `coordination.devserver` can print the secret before Django starts.
"""

from base64 import b32encode
from binascii import unhexlify

# 20 random bytes, hex (django-otp's format). Never used outside the demo accounts below.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_TOTP_SECRET = b32encode(unhexlify(DEMO_TOTP_KEY)).decode()
DEMO_MFA_ACCOUNTS = ("coordination@demo.test", "admin@demo.test", "dpo@demo.test")


def seed(stdout=None) -> None:
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import User

    with transaction.atomic():
        for user in User.objects.filter(email__in=DEMO_MFA_ACCOUNTS).order_by("id"):
            TOTPDevice.objects.filter(user=user).exclude(key=DEMO_TOTP_KEY).delete()
            TOTPDevice.objects.update_or_create(
                user=user, key=DEMO_TOTP_KEY, defaults={"name": "démo", "confirmed": True}
            )
    if stdout:
        stdout.write(f"accounts: demo second factor for {len(DEMO_MFA_ACCOUNTS)} accounts (secret {DEMO_TOTP_SECRET})")


def is_demo_device(device) -> bool:
    return device is not None and device.key == DEMO_TOTP_KEY and device.user.email in DEMO_MFA_ACCOUNTS
