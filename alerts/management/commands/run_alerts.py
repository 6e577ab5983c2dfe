from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from alerts import engine
from parcours.models import Person


class Command(BaseCommand):
    help = "Run the rupture-risk alert rules now (the same code as the nightly job) and print counts per rule."

    def add_arguments(self, parser):
        parser.add_argument("--person", type=str, default=None, help="Only this person (id).")
        parser.add_argument("--dry-run", action="store_true", help="Compute and count, but save nothing.")

    def handle(self, *args, person=None, dry_run=False, **options):
        person_id = None
        if person is not None:
            if not person.isdigit() or not Person.objects.filter(pk=int(person)).exists():
                raise CommandError(_("Personne introuvable : indiquez l'identifiant numérique d'une personne."))
            person_id = int(person)
        results = engine.run(person_id=person_id, dry_run=dry_run)
        self.stdout.write(f"{'rule':<32} {'matched':>8} {'created':>8} {'updated':>8} {'resolved':>8} {'seconds':>8}")
        for r in results:
            if not r.available:
                self.stdout.write(f"{r.rule:<32} {'(model not installed: skipped)':>44}")
                continue
            self.stdout.write(
                f"{r.rule:<32} {r.matched:>8} {r.created:>8} {r.updated:>8} {r.resolved:>8} {r.seconds:>8.3f}"
            )
        if dry_run:
            self.stdout.write(_("Simulation : rien n'a été enregistré."))
