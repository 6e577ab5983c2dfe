from django.core.management.base import BaseCommand

from dpo.retention import STEPS, apply_retention


class Command(BaseCommand):
    help = "Apply the retention rules (privacy.md §6). --dry-run prints, per step, how many rows would change."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count only; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        result = apply_retention(dry_run=dry_run)
        verb = "would change" if dry_run else "changed"
        for key, label in STEPS:
            self.stdout.write(f"{key}: {result[key]} ({label}) {verb}")
