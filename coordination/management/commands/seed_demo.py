from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

# Each app adds its seeder here, in dependency order; every seeder is idempotent.
SEEDERS = [
    "partenaires.territory.seed",
    "accounts.demo.seed",  # second factor of the demo accounts that need one (after the accounts exist)
    "partenaires.demo.seed",
    "parcours.demo.seed",
    "alerts.demo.seed",
    "fse.demo.seed",
    "evaluations.demo.seed",
    "dpo.demo.seed",  # old files due for anonymisation, private notes of two structures, an access request
    # concertation (issue 12): after alerts and evaluations (cases read their situation and alerts).
    "concertation.demo.seed",
    # issue 13: shared plans, activity, linked housing requests and a family (reads the evaluations' barriers)
    "parcours.demo_plan.seed",
    # observatoire: referrals over 18 months, events with attendance, PTI proposals
    "observatoire.demo.seed",
    # last: the observatory's materialised summary over everything above
    "observatoire.summary.seed",
    "evaluations.cohort.seed",  # the cohort's summary (reads the consents and grants of every seeder above)
]


class Command(BaseCommand):
    help = "Create (or complete) the demo territory. Safe to run again."

    def handle(self, *args, **options):
        for path in SEEDERS:
            import_string(path)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
