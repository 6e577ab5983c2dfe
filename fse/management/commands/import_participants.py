from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fse import importer
from fse.models import Operation
from fse.services import participants_import


class Command(BaseCommand):
    help = "Importe des participant·es d'une opération FSE depuis un fichier CSV ou XLSX (docs/fse-import.md)."

    def add_arguments(self, parser):
        parser.add_argument("--operation", required=True, help="numéro de l'opération")
        parser.add_argument("file", help="fichier CSV ou XLSX")
        parser.add_argument("--dry-run", action="store_true", help="vérifie le fichier sans rien enregistrer")

    def handle(self, *args, operation, file, dry_run, **options):
        op = Operation.objects.filter(number=operation).first()
        if op is None:
            raise CommandError(f"Opération inconnue : « {operation} ».")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : « {file} ».")
        result = importer.parse(path.read_bytes(), path.name, op)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            if result.truncated:
                self.stderr.write("… liste d'erreurs tronquée.")
            raise CommandError(f"{len(result.errors)} erreur(s) : rien n'a été importé.")
        if dry_run:
            self.stdout.write(f"{len(result.rows)} ligne(s) valide(s). Essai à blanc : rien n'a été importé.")
            return
        created, updated = participants_import(operation=op, rows=result.rows)
        self.stdout.write(self.style.SUCCESS(f"{created} participant(s) créé(s), {updated} mis à jour."))
