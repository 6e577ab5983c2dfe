from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partenaires.data_inclusion import PayloadError, load_records, run_import


class Command(BaseCommand):
    help = (
        "Import structures (and services) in the data·inclusion schema. Nothing is imported when a record is "
        "invalid, unless --skip-invalid; records imported before are updated, never duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--structures", required=True, type=Path, help="JSON file: a list of structures.")
        parser.add_argument("--services", type=Path, help="JSON file: a list of services.")
        parser.add_argument("--dry-run", action="store_true", help="Validate and count, write nothing.")
        parser.add_argument("--skip-invalid", action="store_true", help="Import the valid records anyway.")

    def _read(self, path: Path, label: str) -> list:
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Impossible de lire {path} : {exc.strerror}.") from exc
        try:
            return load_records(content, label)
        except PayloadError as exc:
            raise CommandError(str(exc)) from exc

    def handle(self, *args, structures, services, dry_run, skip_invalid, **options):
        structure_records = self._read(structures, "des structures")
        service_records = self._read(services, "des services") if services else []
        report = run_import(structure_records, service_records, dry_run=dry_run, skip_invalid=skip_invalid)
        for record_id, reason in report.errors:
            self.stderr.write(f"invalide {record_id} : {reason}")
        self.stdout.write(
            f"créés : {report.created}, mis à jour : {report.updated}, inchangés : {report.unchanged}, "
            f"invalides : {report.invalid}"
        )
        if dry_run:
            self.stdout.write("Simulation (--dry-run) : rien n'a été enregistré.")
        elif not report.applied:
            self.stdout.write(
                "Rien n'a été importé : corrigez les enregistrements invalides ou utilisez --skip-invalid."
            )
        if report.invalid:
            raise CommandError(f"{report.invalid} enregistrement(s) invalide(s).", returncode=2)
