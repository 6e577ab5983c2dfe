from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_MFA_ACCOUNTS, is_demo_device


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo account (coordination, admin, dpo @demo.test) only."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        email = email.strip().lower()
        if email not in DEMO_MFA_ACCOUNTS:
            raise CommandError(
                f"Refused: {email} is not a demo account with a second factor ({', '.join(DEMO_MFA_ACCOUNTS)})."
            )
        device = TOTPDevice.objects.filter(user__email=email, confirmed=True).select_related("user").first()
        if not is_demo_device(device):
            raise CommandError(f"Refused: {email} has no demo second factor (run `manage.py seed_demo`).")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        remaining = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        self.stderr.write(f"(valid for {remaining} more seconds)")
